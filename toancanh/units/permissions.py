"""The permission codes of administrative units and agencies (composed into roles by ``accounts.roles``)."""

AGENCIES_VIEW = "agencies.view"
AGENCIES_MANAGE = "agencies.manage"
UNITS_MANAGE = "units.manage"
