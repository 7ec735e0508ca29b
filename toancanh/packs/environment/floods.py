"""Floods (lũ, ngập lụt): a river level against its station's alarm levels (báo động I, II, III,
Decision 05/2020/QĐ-TTg) and historic peak, rainfall accumulated over 1, 3 and 24 hours against
their thresholds, and the crossings of both, up and down, as events for operations.

Pure functions over plain values; what decides (the class a station is in) is a small JSON-able
``state`` dict the caller keeps (in the database, per station), so that two processes agree.

Sources: alarm levels — shared/reference/environment.md § "Flood alarm levels"; the stations and
historic peaks — ``stations.py``. Defaults an administrator may change (settings):

- ``ENVIRONMENT_ALARM_HYSTERESIS_M`` (0.10 m, [U]): a level falls back a class only once it is this
  far below the alarm level it had crossed, so a level hovering on the line raises one alarm, not many;
- ``ENVIRONMENT_RAIN_THRESHOLDS_MM`` — per window in hours, the amounts of levels 1 and 2: 24 h: more
  than 50 mm "mưa to" and more than 100 mm "mưa rất to" (the forecasters' terms) [S]; 3 h and 1 h:
  50/100 and 30/50 mm [U];
- ``ENVIRONMENT_RAIN_HYSTERESIS_MM`` (5 mm, [U]).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

BELOW, ALARM_1, ALARM_2, ALARM_3, ABOVE_HISTORIC = 0, 1, 2, 3, 4
LEVEL_NAMES = {
    BELOW: ("Dưới báo động I", "Below alarm I"),
    ALARM_1: ("Báo động I", "Alarm I"),
    ALARM_2: ("Báo động II", "Alarm II"),
    ALARM_3: ("Báo động III", "Alarm III"),
    ABOVE_HISTORIC: ("Vượt đỉnh lũ lịch sử", "Above the historic peak"),
}
#: Map colours of the classes: the VN_AQI palette (green, yellow, orange, red, purple), so one legend
#: reads both kinds of station — a choice of this project, not of Decision 05/2020/QĐ-TTg.
COLOURS = {BELOW: (0, 228, 0), ALARM_1: (255, 255, 0), ALARM_2: (255, 126, 0), ALARM_3: (255, 0, 0),
           ABOVE_HISTORIC: (143, 63, 151)}  # fmt: skip
#: Severity of the operations event by class (CAP words, as the operations context takes them).
SEVERITY = {BELOW: "Minor", ALARM_1: "Minor", ALARM_2: "Moderate", ALARM_3: "Severe", ABOVE_HISTORIC: "Extreme"}

RAIN_WINDOWS_H = (1, 3, 24)
DEFAULT_RAIN_THRESHOLDS_MM = {1: (30.0, 50.0), 3: (50.0, 100.0), 24: (50.0, 100.0)}
RAIN_LEVEL_NAMES = {0: ("Mưa nhỏ", "Light rain"), 1: ("Mưa to", "Heavy rain"), 2: ("Mưa rất to", "Very heavy rain")}


def _setting(name: str, default: Any) -> Any:
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # outside Django
        return default


def hysteresis_m() -> float:
    return float(_setting("ENVIRONMENT_ALARM_HYSTERESIS_M", 0.10))


def rain_thresholds() -> dict[int, tuple[float, float]]:
    over = _setting("ENVIRONMENT_RAIN_THRESHOLDS_MM", None) or {}
    return {**DEFAULT_RAIN_THRESHOLDS_MM, **{int(k): tuple(v) for k, v in over.items()}}


# --- levels ---------------------------------------------------------------------------------------


def thresholds(station: Mapping[str, Any]) -> list[tuple[int, float]]:
    """The levels (class, metres) a station's water crosses, lowest first: alarms I, II, III that it
    has (Nông Sơn has no I) and its historic peak when known."""
    out = [(n, float(v)) for n, v in enumerate(station.get("alarm_m") or (), 1) if v is not None]
    if station.get("historic_peak_m") is not None:
        out.append((ABOVE_HISTORIC, float(station["historic_peak_m"])))
    return out


def classify(level_m: float, station: Mapping[str, Any]) -> int:
    """The class of a level: 0 below alarm I, 1–3 at or above alarm I–III, 4 above the historic
    peak (strictly: reaching the peak is not passing it)."""
    cls = BELOW
    for n, bound in thresholds(station):
        if level_m >= bound if n != ABOVE_HISTORIC else level_m > bound:
            cls = n
    return cls


def _parse_time(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _iso(t: dt.datetime) -> str:
    return t.isoformat()


def _readings(rows: Iterable[Any]) -> list[tuple[dt.datetime, float]]:
    """Readings as (time, value), from wire rows (``{"time", "value"}``) or pairs, in time order."""
    out = []
    for r in rows:
        t, v = (r["time"], r["value"]) if isinstance(r, Mapping) else r
        out.append((_parse_time(t), float(v)))
    return sorted(out, key=lambda p: p[0])


def level_event(
    station: Mapping[str, Any], level_m: float, at: Any, state: dict[str, Any], hysteresis: float | None = None
) -> dict[str, Any] | None:
    """Feed one level reading; return the crossing event if the station changed class, else ``None``.
    Up: at once, as many classes as the water passed. Down: only to the class of ``level + hysteresis``
    (the water must fall that far below the line it had crossed). A reading older than the last one
    fed changes nothing (late data are history, not news). ``state`` is updated in place."""
    h = hysteresis_m() if hysteresis is None else hysteresis
    at = _parse_time(at)
    last = state.get("at")
    if last is not None and at <= _parse_time(last):
        return None
    state["at"], state["level_m"] = _iso(at), level_m
    current = int(state.get("alarm", BELOW))
    raw = classify(level_m, station)
    if raw > current:
        new = raw
    elif raw < current:
        new = max(raw, min(current, classify(level_m + h, station)))
    else:
        new = current
    state["alarm"] = new
    if new == current:
        return None
    bounds = dict(thresholds(station))
    direction = "up" if new > current else "down"
    crossed = bounds.get(new) if direction == "up" else bounds.get(current)
    return {
        "type": "water_level", "station": station["code"], "station_name": station.get("name_vi", station["code"]),
        "river": station.get("river", ""), "level_m": round(level_m, 3), "alarm": min(new, ALARM_3),
        "class": new, "previous_alarm": min(current, ALARM_3), "direction": direction,
        "threshold_m": crossed, "above_historic": new == ABOVE_HISTORIC,
        "historic_peak_m": station.get("historic_peak_m"), "alarm_m": list(station.get("alarm_m") or ()),
        "class_vi": LEVEL_NAMES[new][0], "time": _iso(at), "lat": station.get("lat"), "lon": station.get("lon"),
        "downstream": list(station.get("downstream") or ()),
    }  # fmt: skip


def level_crossings(
    station: Mapping[str, Any],
    readings: Iterable[Any],
    state: dict[str, Any] | None = None,
    hysteresis: float | None = None,
) -> list[dict[str, Any]]:
    """Every crossing in a series of level readings (wire rows or (time, value) pairs)."""
    state = {} if state is None else state
    events = []
    for at, value in _readings(readings):
        e = level_event(station, value, at, state, hysteresis)
        if e:
            events.append(e)
    return events


# --- rain -----------------------------------------------------------------------------------------


def accumulations(readings: Iterable[Any], at: Any, windows: Iterable[int] = RAIN_WINDOWS_H) -> dict[int, float]:
    """Rain fallen in the ``hours`` up to ``at`` (each reading is the rain since the one before it,
    counted in a window (at − hours, at]), per window."""
    at = _parse_time(at)
    series = _readings(readings)
    out = {}
    for hours in windows:
        start = at - dt.timedelta(hours=hours)
        out[hours] = round(sum(v for t, v in series if start < t <= at), 3)
    return out


def rain_level(mm: float, hours: int, thresholds_mm: Mapping[int, tuple[float, float]] | None = None) -> int:
    """0, 1 (heavy: more than the first threshold) or 2 (very heavy: more than the second)."""
    one, two = (thresholds_mm or rain_thresholds())[hours]
    return 2 if mm > two else 1 if mm > one else 0


def rain_crossings(
    station: Mapping[str, Any],
    readings: Iterable[Any],
    state: dict[str, Any] | None = None,
    hysteresis: float | None = None,
) -> list[dict[str, Any]]:
    """Rain events of a station: one whenever the level of a window (1, 3, 24 h) changes, up at once,
    down once the amount is ``hysteresis`` mm under the threshold it had passed. Each event carries the
    three accumulations (``rain_1h_mm``, ``rain_3h_mm``, ``rain_24h_mm``) so one rule per window can
    read it. ``state`` (levels per window, the last 24 h of readings) is updated in place."""
    h = float(_setting("ENVIRONMENT_RAIN_HYSTERESIS_MM", 5.0)) if hysteresis is None else hysteresis
    state = {} if state is None else state
    limits = rain_thresholds()
    window = [(_parse_time(t), v) for t, v in state.get("recent", [])]
    levels = {int(k): v for k, v in state.get("levels", {}).items()}
    events = []
    for at, value in _readings(readings):
        if window and at <= window[-1][0]:
            continue  # late or repeated: history, not news
        window.append((at, value))
        window = [(t, v) for t, v in window if t > at - dt.timedelta(hours=max(RAIN_WINDOWS_H))]
        acc = accumulations(window, at)
        changed = []
        for hours in RAIN_WINDOWS_H:
            current, raw = levels.get(hours, 0), rain_level(acc[hours], hours, limits)
            new = raw if raw >= current else max(raw, min(current, rain_level(acc[hours] + h, hours, limits)))
            if new != current:
                changed.append((hours, new, current))
                levels[hours] = new
        for hours, new, current in changed:
            events.append({
                "type": "rainfall", "station": station["code"], "station_name": station.get("name_vi", station["code"]),
                "window_h": hours, "rain_mm": acc[hours], "level": new, "previous_level": current,
                "direction": "up" if new > current else "down", "threshold_mm": limits[hours][max(new, current) - 1],
                "level_vi": RAIN_LEVEL_NAMES[new][0], "rain_1h_mm": acc[1], "rain_3h_mm": acc[3],
                "rain_24h_mm": acc[24], "time": _iso(at), "lat": station.get("lat"), "lon": station.get("lon"),
            })  # fmt: skip
    state["recent"] = [(_iso(t), v) for t, v in window]
    state["levels"] = {str(k): v for k, v in levels.items()}
    return events


# --- into operations ------------------------------------------------------------------------------


def operations_event(event: Mapping[str, Any], *, unit: str | None = None) -> dict[str, Any]:
    """A crossing event as the operations context takes events in (``submit_events``): the flat event
    is the payload, so the default rules read ``alarm``, ``level_m`` and ``rain_24h_mm`` from it."""
    if event["type"] == "water_level":
        severity = SEVERITY[event["class"]]
        key = f"{event['station']}:{event['time']}:{event['class']}"
    else:
        severity = {0: "Minor", 1: "Moderate", 2: "Severe"}[event["level"]]
        key = f"{event['station']}:{event['time']}:{event['window_h']}h{event['level']}"
    row = {"source": "environment", "source_id": key[:120], "sector": "environment", "type": event["type"],
           "subject": event.get("station_name", event["station"])[:120], "severity": severity,
           "lat": event.get("lat"), "lon": event.get("lon"), "occurred_at": event["time"], "payload": dict(event)}  # fmt: skip
    if unit:
        row["unit"] = unit
    return row


def _vn_number(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def public_warning(event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The public warning (cảnh báo lũ) for the communes downstream of a gauge whose water has risen
    to alarm III or above, in the words of the provincial flood bulletins; ``None`` for any other
    event. Times are shown in Vietnam's time (UTC+7)."""
    if event.get("type") != "water_level" or event.get("direction") != "up" or event.get("alarm", 0) < ALARM_3:
        return None
    at = _parse_time(event["time"]).astimezone(dt.timezone(dt.timedelta(hours=7)))
    alarm_3 = (event.get("alarm_m") or [None, None, None])[2]
    above = f", trên báo động III {_vn_number(event['level_m'] - alarm_3)} m" if alarm_3 is not None else ""
    river = f"sông {event['river']} " if event.get("river") else ""
    name = event["station_name"]
    headline = f"Cảnh báo lũ: mực nước {river}tại {name} vượt báo động III"
    if event.get("above_historic"):
        headline = f"Cảnh báo lũ khẩn cấp: mực nước {river}tại {name} vượt đỉnh lũ lịch sử"
    return {
        "headline_vi": headline,
        "description_vi": f"Lúc {at:%H:%M} ngày {at:%d/%m/%Y}, mực nước tại {name} là "
                          f"{_vn_number(event['level_m'])} m{above}. Nguy cơ ngập lụt ở vùng trũng thấp ven sông.",
        "instruction_vi": "Người dân vùng trũng thấp ven sông chủ động di dời người và tài sản đến nơi an toàn, "
                          "không đi qua các tuyến đường ngập sâu, nước chảy xiết; theo dõi thông báo của chính quyền địa phương.",
        "areas": list(event.get("downstream") or ()),
        "severity": SEVERITY[event["class"]], "urgency": "Immediate", "certainty": "Observed",
        "station": event["station"], "time": event["time"],
    }  # fmt: skip
