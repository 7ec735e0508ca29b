"""The map layer of the pack's stations, coloured by their state now (state.py): river gauges by
flood alarm class (floods.COLOURS), air stations by VN_AQI class (aqi.CLASSES, Decision
1459/QĐ-TCMT), the others grey."""

from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import TELEMETRY_VIEW, MapLayer

LEGEND = (
    (_("Below alarm I / VN_AQI good (0–50)"), "#00e400"),
    (_("Alarm I / VN_AQI moderate (51–100)"), "#ffff00"),
    (_("Alarm II / VN_AQI poor (101–150)"), "#ff7e00"),
    (_("Alarm III / VN_AQI bad (151–200)"), "#ff0000"),
    (_("Above the historic peak / VN_AQI very bad (201–300)"), "#8f3f97"),
    (_("VN_AQI hazardous (301–500)"), "#7e0023"),
    (_("No current reading"), "#9e9e9e"),
)

LAYERS = [
    MapLayer("environment-stations", _("Monitoring stations: flood alarms and air quality"),
             "/environment/stations.geojson", legend=LEGEND,
             style={"type": "circle", "paint": {"circle-color": ["get", "colour"], "circle-radius": 8,
                                                "circle-stroke-color": "#222222", "circle-stroke-width": 1.5}},
             sector="environment", permission=TELEMETRY_VIEW),
]  # fmt: skip
