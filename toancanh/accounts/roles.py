"""Roles and what each may do.

Every role is further limited by its scope (a unit subtree, optionally an agency and sectors).
The core and the units context declare their codes in their own ``permissions`` modules (the core
imports no context); packs declare theirs, with the roles that hold them, in the registry.
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
from toancanh.core.permissions import AUDIT_VIEW, CALENDAR_MANAGE, CONNECTORS_MANAGE, DATA_SUBMIT, JOBS_VIEW  # noqa: E402
from toancanh.units.permissions import AGENCIES_MANAGE, AGENCIES_VIEW, UNITS_MANAGE  # noqa: E402

USERS_VIEW = "users.view"
USERS_MANAGE = "users.manage"
APIKEYS_MANAGE = "apikeys.manage"
DASHBOARD_VIEW = "dashboard.view"
INDICATORS_VIEW = "indicators.view"
INDICATORS_ENTER = "indicators.enter"  # file figures (clerks, officers, integrators' keys)
INDICATORS_MANAGE = "indicators.manage"  # the catalogue and the targets
OPERATIONS_VIEW = "operations.view"  # events, alerts, situations, warnings
EVENTS_SUBMIT = DATA_SUBMIT  # integrators and operators send events
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
        | {EVENTS_SUBMIT, ALERTS_HANDLE, RULES_MANAGE, WARNINGS_ISSUE, CONNECTORS_MANAGE}
        | {JOBS_VIEW}
        | {CALENDAR_MANAGE}
    ),
}


def permissions_of(role: str | None) -> frozenset[str]:
    """What a role may do: the core's grants above and those that packs declare for the role."""
    from toancanh.core.registry import registry

    return PERMISSIONS.get(role or "", frozenset()) | registry.permissions_for(role or "")
