"""The wall's (and the sector page's) panel: the river gauges in alarm now, with their level, class
and trend over the last hour, and the worst air (VN_AQI) of the stations."""

from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import TELEMETRY_VIEW, Panel
from toancanh.packs.environment import state


def alarms_now(request, principal):
    states = state.station_states(principal)
    if not states:
        return None  # no station of the pack in the user's scope: nothing to show
    return {"in_alarm": state.in_alarm(states), "worst_air": state.worst_air(states),
            "gauges": sum(1 for r in states if r["kind"] == "river_gauge")}  # fmt: skip


PANELS = [
    Panel("environment-alarms", _("Flood alarms and air quality now"), "environment/panel.html",
          frozenset({"wall", "home", "sector"}), context=alarms_now, permission=TELEMETRY_VIEW,
          sector="environment", order=40),
]  # fmt: skip
