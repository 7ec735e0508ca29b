from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import MapLayer
from toancanh.packs.government.permissions import GOV_VIEW

LAYERS = [
    MapLayer("government-on-time", _("Dossiers settled on time, by commune"), "/government/communes.geojson",
             legend=((_("95 % or more"), "#1a9850"), (_("90 to 95 %"), "#91cf60"), (_("80 to 90 %"), "#fee08b"),
                     (_("below 80 %"), "#d73027")),
             style={"type": "fill", "paint": {"fill-color": ["get", "colour"], "fill-opacity": 0.55,
                                              "fill-outline-color": "#ffffff"}},
             sector="government", permission=GOV_VIEW),
]  # fmt: skip
