"""The core's permission codes; ``accounts.roles`` composes the roles from the codes each context
declares (and packs add theirs through the registry)."""

AUDIT_VIEW = "audit.view"
CONNECTORS_MANAGE = "connectors.manage"  # data sources: configure, pause, resume, run now
JOBS_VIEW = "jobs.view"  # the job runner's page
DATA_SUBMIT = "events.submit"  # integrators and operators send data in: events, pushed records
CALENDAR_MANAGE = "calendar.manage"  # the working-day calendar: days off, swaps, seeding a year
