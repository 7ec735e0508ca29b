from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import Permission

GOV_VIEW = "government.view"
GOV_MANAGE = "government.manage"
PERMISSIONS = [
    Permission(GOV_VIEW, _("See the government performance (dossiers, index, tasks)"),
               frozenset({"leader", "operator", "admin", "agency_officer"})),
    Permission(GOV_MANAGE, _("Enter tasks, progress and extensions; send dossiers"), frozenset({"operator", "admin"})),
]  # fmt: skip
