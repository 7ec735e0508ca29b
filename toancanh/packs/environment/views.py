"""The pack's pages: the stations as GeoJSON for the map layer, and the overview of the stations
with their state now (links to each station's telemetry page)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from toancanh.packs.api import TELEMETRY_VIEW, staff_page
from toancanh.packs.environment import state

PROPERTIES = ("code", "name", "kind", "river", "colour", "state", "level_m", "alarm", "trend_m", "aqi",
              "aqi_class", "dominant")  # fmt: skip


@staff_page(TELEMETRY_VIEW)
def stations_geojson(request):
    """The pack's stations within the user's scope as points, with their state and its colour."""
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
         "properties": {**{k: r[k] for k in PROPERTIES}, "url": f"/telemetry/stations/{r['id']}/"}}
        for r in state.station_states(request.user)
    ]  # fmt: skip
    return JsonResponse({"type": "FeatureCollection", "features": features})


@staff_page(TELEMETRY_VIEW)
def overview(request):
    states = state.station_states(request.user)
    return render(request, "environment/overview.html", {
        "states": states, "in_alarm": state.in_alarm(states), "worst_air": state.worst_air(states)})  # fmt: skip
