"""The feedback context's permission codes, declared to the registry with the roles that hold them."""

from django.utils.translation import gettext_lazy as _

FEEDBACK_VIEW = "feedback.view"  # the inbox and the reports of one's scope
FEEDBACK_HANDLE = "feedback.handle"  # accept, answer, transfer, extend, note (agencies and the IOC)
FEEDBACK_DISPATCH = "feedback.dispatch"  # refuse, merge, re-route, grant extensions, share the reporter (IOC)
FEEDBACK_MANAGE = "feedback.manage"  # categories, routing rules and handling settings (administrators)


def declarations() -> list:
    from toancanh.core.registry import Permission

    staff = {"leader", "operator", "agency_officer", "admin"}
    return [
        Permission(FEEDBACK_VIEW, _("See citizen reports"), frozenset(staff)),
        Permission(FEEDBACK_HANDLE, _("Handle citizen reports"), frozenset({"operator", "agency_officer", "admin"})),
        Permission(FEEDBACK_DISPATCH, _("Dispatch citizen reports"), frozenset({"operator", "admin"})),
        Permission(FEEDBACK_MANAGE, _("Manage report categories and routing"), frozenset({"admin"})),
    ]
