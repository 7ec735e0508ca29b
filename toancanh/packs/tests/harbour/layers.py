from toancanh.packs.api import MapLayer
from toancanh.packs.tests.harbour.permissions import HARBOUR_VIEW

LAYERS = [
    MapLayer("harbour-ports", "Cảng cá", "/harbour/ports.geojson", legend=(("Cảng cá", "#00b8d4"),),
             style={"type": "circle", "paint": {"circle-color": "#00b8d4", "circle-radius": 6}}, sector="harbour",
             permission=HARBOUR_VIEW),
]  # fmt: skip
