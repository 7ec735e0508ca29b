from toancanh.packs.api import Panel
from toancanh.packs.tests.harbour.permissions import HARBOUR_VIEW

PORTS = [("Cảng cá Thọ Quang", 16.10, 108.25), ("Cảng cá Tam Quang", 15.47, 108.65)]


def berths(request, principal):
    return {"ports": [name for name, _lat, _lon in PORTS]}


PANELS = [
    Panel("harbour-berths", "Cảng cá", "harbour/panel.html", frozenset({"wall", "home"}), context=berths,
          permission=HARBOUR_VIEW, sector="harbour"),
]  # fmt: skip
