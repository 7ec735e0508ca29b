from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import Permission

HARBOUR_VIEW = "harbour.view"
PERMISSIONS = [Permission(HARBOUR_VIEW, _("See the fishing ports"), frozenset({"operator", "admin", "leader"}))]
