from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import TELEMETRY_VIEW, NavEntry

NAV = [
    NavEntry("environment-stations", _("Environment monitoring stations"), "/environment/",
             permission=TELEMETRY_VIEW, sector="environment"),
]  # fmt: skip
