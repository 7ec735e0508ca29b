"""The state of the pack's stations now, for the map, the wall and the overview page: each station
visible to a principal with its latest readings and what they mean —

- a river gauge: its level against its alarm levels (``floods.classify``, the class colours of
  ``floods.COLOURS``) and the trend, the change over the last hour (m);
- an air station: the hourly VN_AQI of its latest hour (``aqi.hourly_aqi_at`` over the hourly means
  the telemetry rollups keep: the 12-hour NowCast of PM2.5 and PM10), coloured by its class;
- any other station: its latest time only (grey).

A station registered in telemetry is the pack's when its code is a seed station's (stations.py,
in capitals). Reads only: nothing is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language

from toancanh.packs.api import TelemetryStation, scope_of, telemetry_series
from toancanh.packs.environment import aqi, floods, stations

GREY = "#9e9e9e"
TREND_WINDOW = dt.timedelta(hours=1)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _seed() -> dict[str, dict[str, Any]]:
    return {s["code"].upper(): s for s in stations.stations()}


def _trend(sensor_id: int, last_t: dt.datetime, last_value: float) -> float | None:
    """The change of the level over the hour before its last reading (m), from the raw readings."""
    _res, points = telemetry_series(sensor_id, last_t - TREND_WINDOW, last_t, "raw", limit=1)
    return round(last_value - points[0].value, 2) if points else None


def _air(sensors: dict[str, Any]) -> aqi.AqiResult | None:
    """The hourly VN_AQI of the station's latest hour with readings."""
    last = max((s.last_t for s in sensors.values() if s.last_t is not None), default=None)
    if last is None:
        return None
    at = dt.datetime.fromtimestamp(last, tz=dt.UTC)
    means = {}
    for q, s in sensors.items():
        if q in aqi.DUST or q in aqi.GASES:
            _res, points = telemetry_series(s.id, at - dt.timedelta(hours=12), at + dt.timedelta(hours=1), "hourly")
            means[q] = {p.time: p.value for p in points}
    return aqi.hourly_aqi_at(means, at)


def station_states(principal: Any) -> list[dict[str, Any]]:
    """The pack's stations within the principal's scope, each with its state (see the module)."""
    seed = _seed()
    now = timezone.now()
    out = []
    qs = TelemetryStation.objects.within(scope_of(principal)).filter(code__in=list(seed)).prefetch_related("sensors")
    for st in qs.order_by("code"):
        s = seed[st.code]
        sensors = {x.quantity: x for x in st.sensors.all()}
        row: dict[str, Any] = {
            "id": st.pk, "code": st.code, "name": st.name, "kind": s["kind"], "river": s.get("river", ""),
            "place": s.get("place", ""), "lat": st.lat, "lon": st.lon, "colour": GREY, "state": "",
            "last_at": st.last_reading_at, "silent": st.is_silent(now),
            "level_m": None, "alarm": None, "trend_m": None, "aqi": None, "aqi_class": None, "dominant": None,
        }  # fmt: skip
        level = sensors.get("water_level")
        if s["kind"] == "river_gauge" and level is not None and level.last_value is not None:
            cls = floods.classify(level.last_value, s)
            at = dt.datetime.fromtimestamp(level.last_t, tz=dt.UTC)
            row.update(level_m=level.last_value, alarm=cls, colour=_hex(floods.COLOURS[cls]),
                       state=_in_language(*floods.LEVEL_NAMES[cls]), trend_m=_trend(level.id, at, level.last_value),
                       alarm_m=s.get("alarm_m"))  # fmt: skip
        elif s["kind"] == "air_quality":
            result = _air(sensors)
            if result is not None and result.aqi is not None:
                c = result.cls
                name = _in_language(c.name_vi, c.name_en)
                row.update(aqi=result.aqi, aqi_class=name, colour=c.hex, dominant=result.dominant,
                           state=f"VN_AQI {result.aqi} – {name}")  # fmt: skip
        out.append(row)
    return out


def _in_language(vi: str, en: str) -> str:
    """A class name (kept in both languages in the pack's data) in the reader's language."""
    return en if (get_language() or "vi").startswith("en") else vi


def in_alarm(states: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """River gauges at alarm I or above, the highest class first."""
    return sorted((r for r in states if r["alarm"]), key=lambda r: (-r["alarm"], r["code"]))


def worst_air(states: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max((r for r in states if r["aqi"] is not None), key=lambda r: r["aqi"], default=None)
