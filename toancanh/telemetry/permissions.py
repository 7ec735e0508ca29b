"""The telemetry context's permission codes, declared to the registry with the roles that hold them.

Pushing readings asks for the platform's ``data.submit`` (integrators' keys, operators, officers)."""

from django.utils.translation import gettext_lazy as _

from toancanh.core.permissions import DATA_SUBMIT

TELEMETRY_VIEW = "telemetry.view"  # stations, readings, charts
TELEMETRY_MANAGE = "telemetry.manage"  # register, edit and retire stations
TELEMETRY_PUSH = DATA_SUBMIT  # send readings


def declarations() -> list:
    from toancanh.core.registry import Permission

    staff = {"leader", "operator", "agency_officer", "reporting_clerk", "admin"}
    return [
        Permission(TELEMETRY_VIEW, _("See monitoring stations and their readings"), frozenset(staff)),
        Permission(TELEMETRY_MANAGE, _("Manage monitoring stations"), frozenset({"admin"})),
    ]
