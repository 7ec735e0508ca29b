"""Roles and what each may do.

Every role is further limited by its scope (a unit subtree, optionally an agency and sectors).
Later modules add their permission codes here, next to the roles that hold them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("Leader")
    OPERATOR = "operator", _("IOC operator")
    AGENCY_OFFICER = "agency_officer", _("Agency officer")
    REPORTING_CLERK = "reporting_clerk", _("Reporting clerk")
    ADMIN = "admin", _("Administrator")


# Permission codes, by context.
AGENCIES_VIEW = "agencies.view"
AGENCIES_MANAGE = "agencies.manage"
UNITS_MANAGE = "units.manage"
USERS_VIEW = "users.view"
USERS_MANAGE = "users.manage"
APIKEYS_MANAGE = "apikeys.manage"
AUDIT_VIEW = "audit.view"
DASHBOARD_VIEW = "dashboard.view"
INDICATORS_VIEW = "indicators.view"
INDICATORS_ENTER = "indicators.enter"  # file figures (clerks, officers, integrators' keys)
INDICATORS_MANAGE = "indicators.manage"  # the catalogue and the targets
OPERATIONS_VIEW = "operations.view"  # events, alerts, situations, warnings
EVENTS_SUBMIT = "events.submit"  # integrators and operators send events
ALERTS_HANDLE = "alerts.handle"  # acknowledge alerts, work situations
RULES_MANAGE = "rules.manage"
WARNINGS_ISSUE = "warnings.issue"  # draft, publish and cancel public warnings

_STAFF = {AGENCIES_VIEW, DASHBOARD_VIEW, INDICATORS_VIEW, OPERATIONS_VIEW}

PERMISSIONS: dict[str, frozenset[str]] = {
    Role.LEADER: frozenset(_STAFF | {AUDIT_VIEW}),
    Role.OPERATOR: frozenset(_STAFF | {INDICATORS_ENTER, EVENTS_SUBMIT, ALERTS_HANDLE, WARNINGS_ISSUE}),
    Role.AGENCY_OFFICER: frozenset(_STAFF | {INDICATORS_ENTER, EVENTS_SUBMIT, ALERTS_HANDLE}),
    Role.REPORTING_CLERK: frozenset(_STAFF | {INDICATORS_ENTER}),
    Role.ADMIN: frozenset(
        _STAFF
        | {AGENCIES_MANAGE, UNITS_MANAGE, USERS_VIEW, USERS_MANAGE, APIKEYS_MANAGE, AUDIT_VIEW}
        | {INDICATORS_ENTER, INDICATORS_MANAGE}
        | {EVENTS_SUBMIT, ALERTS_HANDLE, RULES_MANAGE, WARNINGS_ISSUE}
    ),
}


def permissions_of(role: str | None) -> frozenset[str]:
    return PERMISSIONS.get(role or "", frozenset())
