from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import NavEntry
from toancanh.packs.government.permissions import GOV_VIEW

NAV = [
    NavEntry("government", _("Government performance"), "/government/", permission=GOV_VIEW, sector="government"),
    NavEntry("government-documents", _("Incoming and outgoing documents"), "/government/documents/",
             permission=GOV_VIEW, sector="government"),
]  # fmt: skip
