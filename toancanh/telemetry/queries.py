"""Reads of the time-series store: a station's series over a window (raw, hourly or daily, chosen by
the window's length), and a unit's roll-up (every station of a quantity in the unit's subtree)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection

from toancanh.core.scoping import Scope
from toancanh.telemetry.models import Sensor, Station
from toancanh.telemetry.services import LOCAL

# Up to this many days a chart shows raw readings, up to the next hourly buckets, beyond daily ones.
RAW_DAYS = getattr(settings, "TOANCANH_TELEMETRY_RAW_DAYS", 2)
HOURLY_DAYS = getattr(settings, "TOANCANH_TELEMETRY_HOURLY_DAYS", 62)


def resolution_for(start: dt.datetime, end: dt.datetime) -> str:
    days = (end - start).total_seconds() / 86400
    return "raw" if days <= RAW_DAYS else "hourly" if days <= HOURLY_DAYS else "daily"


@dataclass
class Point:
    time: dt.datetime
    value: float  # the reading, or the bucket's mean
    min: float | None = None
    max: float | None = None
    count: int | None = None
    quality: int | None = None


def _local(t: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(t, tz=LOCAL)


def series(sensor_id: int, start: dt.datetime, end: dt.datetime, resolution: str | None = None,
           limit: int = 20_000) -> tuple[str, list[Point]]:  # fmt: skip
    """A sensor's readings or buckets in [start, end), oldest first, and the resolution used."""
    resolution = resolution or resolution_for(start, end)
    a, b = int(start.timestamp()), int(end.timestamp())
    with connection.cursor() as cur:
        if resolution == "raw":
            cur.execute("SELECT t, value, quality FROM telemetry_reading WHERE sensor_id = %s AND t >= %s AND t < %s "
                        "ORDER BY t LIMIT %s", [sensor_id, a, b, limit])  # fmt: skip
            return resolution, [Point(_local(t), v, quality=q) for t, v, q in cur.fetchall()]
        table = "telemetry_hourlyrollup" if resolution == "hourly" else "telemetry_dailyrollup"
        cur.execute(f"SELECT start, mean, min, max, count FROM {table} WHERE sensor_id = %s AND start >= %s "  # noqa: S608
                    "AND start < %s ORDER BY start LIMIT %s", [sensor_id, a, b, limit])  # fmt: skip
        return resolution, [Point(_local(s), mean, lo, hi, n) for s, mean, lo, hi, n in cur.fetchall()]


def sensors_within(scope: Scope, *, quantity: str, unit_path: str | None = None) -> list[int]:
    qs = Sensor.objects.within(scope).filter(quantity=quantity)
    if unit_path:
        qs = qs.filter(station__unit__path__startswith=unit_path)
    return list(qs.values_list("id", flat=True))


def unit_rollup(sensor_ids: list[int], start: dt.datetime, end: dt.datetime, resolution: str = "hourly") -> list[Point]:
    """The buckets of many sensors (a unit's stations of one quantity) merged: per bucket the count,
    the min, the max and the mean of all their readings."""
    if not sensor_ids:
        return []
    table = "telemetry_hourlyrollup" if resolution == "hourly" else "telemetry_dailyrollup"
    a, b = int(start.timestamp()), int(end.timestamp())
    out: dict[int, list[Any]] = {}
    with connection.cursor() as cur:
        for i in range(0, len(sensor_ids), 900):
            part = sensor_ids[i : i + 900]
            cur.execute(
                f"SELECT start, SUM(count), MIN(min), MAX(max), SUM(sum) FROM {table} "  # noqa: S608
                f"WHERE sensor_id IN ({', '.join(['%s'] * len(part))}) AND start >= %s AND start < %s GROUP BY start",
                [*part, a, b],
            )
            for s, n, lo, hi, total in cur.fetchall():
                acc = out.get(s)
                if acc is None:
                    out[s] = [n, lo, hi, total]
                else:
                    out[s] = [acc[0] + n, min(acc[1], lo), max(acc[2], hi), acc[3] + total]
    return [Point(_local(s), v[3] / v[0], v[1], v[2], v[0]) for s, v in sorted(out.items())]


def latest(station: Station) -> list[dict[str, Any]]:
    """Each quantity of a station with its last reading (by the sensors' check state)."""
    from toancanh.telemetry.services import quantities

    qs = quantities()
    rows = []
    for s in station.sensors.order_by("quantity"):
        q = qs.get(s.quantity)
        rows.append({"sensor": s, "quantity": q, "code": s.quantity,
                     "time": _local(s.last_t) if s.last_t is not None else None, "value": s.last_value})  # fmt: skip
    return rows
