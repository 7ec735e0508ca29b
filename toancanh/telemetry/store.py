"""The time-series store's bulk SQL: raw readings in, roll-ups recomputed for the buckets a batch
touched, retention. Called by :mod:`toancanh.telemetry.services` inside its transaction.

A few statements per batch whatever its size: the readings go in by one prepared INSERT … ON CONFLICT
DO NOTHING run many times (SQLite) or by COPY into a temporary table and one INSERT … SELECT … ON
CONFLICT DO NOTHING (PostgreSQL); the hourly buckets of the hours a batch touched are recomputed from
the raw readings, and the daily buckets of the days touched from the hourly ones, each by one
INSERT … SELECT … GROUP BY … ON CONFLICT DO UPDATE per chunk of time ranges. Late data thus corrects the
buckets it falls in and no other. When every reading of a batch was new (the usual case), the batch's
own per-bucket count, min, max and sum are merged into the stored buckets instead (the same result,
without reading the raw readings back; on PostgreSQL by COPY into a temporary table and one upsert); a
batch with duplicates is recomputed from the raw readings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

HOUR = 3600
DAY = 86400
LOCAL_OFFSET = 7 * HOUR  # Asia/Ho_Chi_Minh: UTC+7 all year (no summer time)
RANGES_PER_STATEMENT = 200


def day_start(t: int) -> int:
    """The local (UTC+7) midnight that begins the day of ``t``, in seconds since the epoch."""
    return (t + LOCAL_OFFSET) // DAY * DAY - LOCAL_OFFSET


def insert_readings(rows: Sequence[tuple[int, int, float, int]]) -> int:
    """Store (sensor, t, value, quality) rows not stored yet; returns how many were new."""
    if not rows:
        return 0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "CREATE TEMP TABLE IF NOT EXISTS telemetry_incoming "
                "(sensor_id integer, t bigint, value double precision, quality smallint) ON COMMIT DELETE ROWS"
            )
            cur.execute("DELETE FROM telemetry_incoming")  # empty unless an outer transaction ingested before
            with cur.cursor.copy("COPY telemetry_incoming (sensor_id, t, value, quality) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(
                "INSERT INTO telemetry_reading (sensor_id, t, value, quality) "
                "SELECT sensor_id, t, value, quality FROM telemetry_incoming "
                "ON CONFLICT (sensor_id, t) DO NOTHING"
            )
            return cur.rowcount
        cur.executemany(
            "INSERT INTO telemetry_reading (sensor_id, t, value, quality) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (sensor_id, t) DO NOTHING",
            rows,
        )
        return cur.rowcount


def ranges(starts_by_sensor: dict[int, set[int]], width: int) -> list[tuple[int, int, int]]:
    """(sensor, from, to) runs of consecutive buckets of ``width`` seconds: the buckets to recompute."""
    out = []
    for sensor, starts in starts_by_sensor.items():
        ordered = sorted(starts)
        first = prev = ordered[0]
        for s in ordered[1:]:
            if s != prev + width:
                out.append((sensor, first, prev + width))
                first = s
            prev = s
        out.append((sensor, first, prev + width))
    return out


def _where(column: str, part: Sequence[tuple[int, int, int]]) -> tuple[str, list[int]]:
    cond = " OR ".join([f"(sensor_id = %s AND {column} >= %s AND {column} < %s)"] * len(part))
    return cond, [x for r in part for x in r]


_SETS = "count = excluded.count, min = excluded.min, max = excluded.max, sum = excluded.sum, mean = excluded.mean"


def refresh_rollups(hours_by_sensor: dict[int, set[int]]) -> tuple[int, int]:
    """Recompute the hourly buckets named (sensor → hour starts) from the raw readings, then the local
    days they fall in from the hourly buckets. Returns how many hourly and daily ranges were refreshed."""
    hourly = ranges(hours_by_sensor, HOUR)
    days: dict[int, set[int]] = {}
    for sensor, hours in hours_by_sensor.items():
        days[sensor] = {day_start(h) for h in hours}
    daily = ranges(days, DAY)
    with connection.cursor() as cur:
        for i in range(0, len(hourly), RANGES_PER_STATEMENT):
            cond, params = _where("t", hourly[i : i + RANGES_PER_STATEMENT])
            cur.execute(
                "INSERT INTO telemetry_hourlyrollup (sensor_id, start, count, min, max, sum, mean) "  # noqa: S608
                "SELECT sensor_id, t - t %% 3600, COUNT(*), MIN(value), MAX(value), SUM(value), AVG(value) "
                f"FROM telemetry_reading WHERE {cond} GROUP BY sensor_id, t - t %% 3600 "
                f"ON CONFLICT (sensor_id, start) DO UPDATE SET {_SETS}",
                params,
            )
        for i in range(0, len(daily), RANGES_PER_STATEMENT):
            cond, params = _where("start", daily[i : i + RANGES_PER_STATEMENT])
            day = f"((start + {LOCAL_OFFSET}) / {DAY}) * {DAY} - {LOCAL_OFFSET}"
            cur.execute(
                "INSERT INTO telemetry_dailyrollup (sensor_id, start, count, min, max, sum, mean) "  # noqa: S608
                f"SELECT sensor_id, {day}, SUM(count), MIN(min), MAX(max), SUM(sum), SUM(sum) / SUM(count) "
                f"FROM telemetry_hourlyrollup WHERE {cond} GROUP BY sensor_id, {day} "
                f"ON CONFLICT (sensor_id, start) DO UPDATE SET {_SETS}",
                params,
            )
    return len(hourly), len(daily)


def add_to_rollups(rows: Sequence[tuple[int, int, float, int]]) -> tuple[int, int]:
    """Add newly stored readings (each stored now, none before: no duplicates among them) to their
    hourly and daily buckets: the batch's own count, min, max and sum per bucket merged into the
    stored ones by one upsert each. Exactly what :func:`refresh_rollups` would compute, without
    reading the raw readings back."""
    hourly: dict[tuple[int, int], list[float]] = {}
    for sensor, t, value, _q in rows:
        key = (sensor, t - t % HOUR)
        b = hourly.get(key)
        if b is None:
            hourly[key] = [1, value, value, value]
        else:
            b[0] += 1
            b[3] += value
            if value < b[1]:
                b[1] = value
            elif value > b[2]:
                b[2] = value
    daily: dict[tuple[int, int], list[float]] = {}
    for (sensor, start), (n, lo, hi, total) in hourly.items():
        key = (sensor, day_start(start))
        d = daily.get(key)
        if d is None:
            daily[key] = [n, lo, hi, total]
        else:
            d[0] += n
            d[1] = min(d[1], lo)
            d[2] = max(d[2], hi)
            d[3] += total
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    sets = ("count = {t}.count + excluded.count, min = {least}({t}.min, excluded.min), "
            "max = {greatest}({t}.max, excluded.max), sum = {t}.sum + excluded.sum, "
            "mean = ({t}.sum + excluded.sum) / ({t}.count + excluded.count)")  # fmt: skip
    with connection.cursor() as cur:
        for table, buckets in (("telemetry_hourlyrollup", hourly), ("telemetry_dailyrollup", daily)):
            rows = [(s, start, n, lo, hi, total, total / n) for (s, start), (n, lo, hi, total) in buckets.items()]
            merge = sets.format(t=table, least=least, greatest=greatest)
            if connection.vendor == "postgresql":
                # COPY into a temporary table and one INSERT … SELECT: two round trips whatever the count.
                cur.execute(
                    "CREATE TEMP TABLE IF NOT EXISTS telemetry_buckets (sensor_id bigint, start bigint, count integer, "
                    "min double precision, max double precision, sum double precision, mean double precision) "
                    "ON COMMIT DELETE ROWS"
                )
                cur.execute("DELETE FROM telemetry_buckets")
                with cur.cursor.copy("COPY telemetry_buckets FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                cur.execute(
                    f"INSERT INTO {table} (sensor_id, start, count, min, max, sum, mean) "  # noqa: S608
                    "SELECT sensor_id, start, count, min, max, sum, mean FROM telemetry_buckets "
                    f"ON CONFLICT (sensor_id, start) DO UPDATE SET {merge}"
                )
            else:
                cur.executemany(
                    f"INSERT INTO {table} (sensor_id, start, count, min, max, sum, mean) "  # noqa: S608
                    f"VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (sensor_id, start) DO UPDATE SET {merge}",
                    rows,
                )
    return len(hourly), len(daily)


def delete_before(sensor_ids: Iterable[int], before_t: int, *, table: str = "telemetry_reading",
                  column: str = "t", chunk: int = 500) -> int:  # fmt: skip
    """Delete the rows of these sensors older than ``before_t`` (retention); returns how many."""
    ids = sorted(sensor_ids)
    deleted = 0
    with connection.cursor() as cur:
        for i in range(0, len(ids), chunk):
            part = ids[i : i + chunk]
            cur.execute(
                f"DELETE FROM {table} WHERE sensor_id IN ({', '.join(['%s'] * len(part))}) AND {column} < %s",  # noqa: S608
                [*part, before_t],
            )
            deleted += max(cur.rowcount, 0)
    return deleted
