"""Benchmark: the telemetry store — HTTP batch ingest, and charts on a large table.

    python bench/telemetry.py [--quick] [--stations N --days N --batch N --ingest-rows N]

Builds its own database (SQLite in a temporary folder, or DATABASE_URL if set to PostgreSQL): a
province with communes and 5-minute stations. Measures, in the same run:

* **HTTP batch ingest**: ``POST /api/v1/telemetry/readings`` with an API key (JSON batches through
  the whole stack: middleware, authentication, parsing, the row-by-row checks, quality flags, the
  idempotent insert, the roll-ups of the touched hours and days, the events) against **raw inserts of
  the same rows into the same database** (a table shaped like the readings' with the same unique
  index, written by one prepared INSERT run many times on SQLite or by COPY on PostgreSQL, the same
  batch size, one transaction a batch);
* then a large table of 5-minute readings loaded through the same service, and on it, warm, p95 over
  repeated runs: **a station's 30-day chart** (hourly buckets, 720 points) and **the province's hourly
  roll-up for a day** (every station of the quantity merged per hour) — each against the same answer
  computed from the raw readings by one GROUP BY (what the store would cost without roll-ups).

The last line is one JSON object with the figures and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

STEP = 300  # a reading every 5 minutes


def p95(samples: list[float]) -> float:
    return float(np.percentile(samples, 95))


def timed(fn, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples


def main() -> None:  # noqa: PLR0915 - one linear script
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a small store that finishes well under a minute")
    ap.add_argument("--stations", type=int)
    ap.add_argument("--days", type=int, help="days of 5-minute readings in the large table")
    ap.add_argument("--batch", type=int, default=10_000, help="readings per HTTP batch")
    ap.add_argument("--ingest-rows", type=int, help="readings sent through HTTP (and inserted raw)")
    args = ap.parse_args()
    n_stations = args.stations or (50 if args.quick else 500)
    days = args.days or (31 if args.quick else 45)
    ingest_rows = args.ingest_rows or (100_000 if args.quick else 1_000_000)

    tmp = tempfile.mkdtemp(prefix="tc-bench-")
    os.environ.setdefault("TOANCANH_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from _telemetry_store import bench_province, empty_store
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from toancanh.accounts.services import create_api_key
    from toancanh.core.registry import Quantity, registry
    from toancanh.core.scoping import Scope
    from toancanh.telemetry import queries, services
    from toancanh.telemetry.models import Reading, Sensor, Station
    from toancanh.units.models import Unit

    t0 = time.perf_counter()
    vendor = empty_store()

    # Quantities as the environment pack declares them (added here when that pack is not installed).
    q = registry.get(Quantity, "water_level") or Quantity("water_level", "Mực nước", "Water level", "m", -5, 40)
    registry._items[Quantity].setdefault(q.code, q)

    province = bench_province()
    communes = []
    for i in range(20):
        u, _ = Unit.objects.get_or_create(
            key=f"bench-c{i:03d}", defaults={"edition": "bench", "code": f"9{i:04d}", "level": "commune", "type": "xa",
                                             "name": f"Xã Thử {i}", "short_name": f"Thử {i}", "parent": province,
                                             "path": f"/bench/c{i:03d}/"},
        )  # fmt: skip
        communes.append(u)
    stations = Station.objects.bulk_create(
        [
            Station(
                code=f"S{i:05d}",
                name=f"Trạm {i}",
                kind="river",
                lat=15.5,
                lon=108.3,
                unit=communes[i % 20],
                interval_seconds=STEP,
            )
            for i in range(n_stations)
        ]  # fmt: skip
    )
    Sensor.objects.bulk_create([Sensor(station=s, quantity=q.code) for s in stations])
    sensor_of = dict(Sensor.objects.values_list("station__code", "id"))
    codes = [s.code for s in stations]
    from toancanh.accounts.models import ApiKey

    ApiKey.objects.filter(name="bench-telemetry").delete()
    _key, secret = create_api_key(by=None, scope=Scope(everywhere=True), name="bench-telemetry", role="operator",
                                  unit=province.key)  # fmt: skip
    setup_s = time.perf_counter() - t0

    now = int(timezone.now().timestamp()) // 3600 * 3600
    rng = np.random.default_rng(7)
    from toancanh.telemetry.partitions import ensure_months, partitioned

    today = timezone.now().date()
    ensure_months(today - dt.timedelta(days=days + ingest_rows // n_stations * STEP // 86400 + 40), today)

    # --- 1. HTTP batch ingest against raw inserts of the same rows ------------------------------------
    # The rows: the stations' readings going back from an hour ago, batch after batch in time order.
    per_station = ingest_rows // n_stations
    start = now - 3600 - (per_station + 1) * STEP - days * 86400 - 86400  # before the large table's window
    rows, tuples = [], []
    for k in range(per_station):
        t = start + k * STEP
        iso = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))
        levels = rng.normal(5.0, 0.5, n_stations).round(2)
        for code, v in zip(codes, levels.tolist(), strict=True):
            rows.append({"station": code, "quantity": q.code, "time": iso, "value": v, "unit": q.unit})
            tuples.append((sensor_of[code], t, v, 1))
    n = len(rows)
    bodies = [json.dumps(rows[i : i + args.batch]).encode() for i in range(0, n, args.batch)]
    raw_batches = [tuples[i : i + args.batch] for i in range(0, n, args.batch)]
    del rows

    client = Client(headers={"Authorization": f"Bearer {secret}"}, SERVER_NAME="localhost")
    # The first request loads the URLs and the API (seconds): a deployment has done so long before.
    assert client.get("/api/v1/telemetry/quantities").status_code == 200
    t = time.perf_counter()
    accepted = 0
    for body in bodies:
        answer = client.post("/api/v1/telemetry/readings", body, content_type="application/json")
        assert answer.status_code == 200, answer.content[:300]
        accepted += answer.json()["accepted"]
    http_s = time.perf_counter() - t
    assert accepted == n, (accepted, n)

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_raw_reading")
        cur.execute("CREATE TABLE bench_raw_reading (id integer PRIMARY KEY, sensor_id integer NOT NULL, "
                    "t bigint NOT NULL, value double precision NOT NULL, quality smallint NOT NULL)"
                    if vendor == "sqlite" else
                    "CREATE TABLE bench_raw_reading (id bigserial PRIMARY KEY, sensor_id integer NOT NULL, "
                    "t bigint NOT NULL, value double precision NOT NULL, quality smallint NOT NULL)")  # fmt: skip
        cur.execute("CREATE UNIQUE INDEX bench_raw_unique ON bench_raw_reading (sensor_id, t)")
    t = time.perf_counter()
    for batch in raw_batches:
        with transaction.atomic(), connection.cursor() as cur:
            if vendor == "postgresql":
                with cur.cursor.copy("COPY bench_raw_reading (sensor_id, t, value, quality) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                cur.executemany("INSERT INTO bench_raw_reading (sensor_id, t, value, quality) VALUES (%s, %s, %s, %s)",
                                batch)  # fmt: skip
    raw_s = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_raw_reading")
    del bodies, raw_batches, tuples

    # --- 2. a large table, loaded through the service -----------------------------------------------
    t = time.perf_counter()
    first = now - days * 86400
    steps = days * 86400 // STEP
    chunk_steps = max(1, 20_000 // n_stations)
    loaded = 0
    for k0 in range(0, steps, chunk_steps):
        batch = []
        for k in range(k0, min(k0 + chunk_steps, steps)):
            tt = first + k * STEP
            iso = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(tt))
            for code, v in zip(codes, rng.normal(5.0, 0.5, n_stations).round(2).tolist(), strict=True):
                batch.append({"station": code, "quantity": q.code, "time": iso, "value": v})
        loaded += services.ingest_readings(batch, source="bench", health=False).accepted
    load_s = time.perf_counter() - t
    if vendor == "postgresql":  # what autovacuum does after a load: statistics, dead tuples of the upserts
        with connection.cursor() as cur:
            cur.execute(
                "VACUUM ANALYZE telemetry_reading, telemetry_hourlyrollup, telemetry_dailyrollup, telemetry_sensor"
            )
    total_rows = Reading.objects.count()

    end_dt = dt.datetime.fromtimestamp(now, tz=dt.UTC)
    month = (end_dt - dt.timedelta(days=30), end_dt)
    day = (end_dt - dt.timedelta(days=2), end_dt - dt.timedelta(days=1))
    sensor = sensor_of[codes[len(codes) // 2]]
    everywhere = Scope(everywhere=True)

    def chart():
        used, points = queries.series(sensor, *month)
        assert used == "hourly" and len(points) >= 700, (used, len(points))

    def province_day():
        ids = queries.sensors_within(everywhere, quantity=q.code, unit_path=province.path)
        points = queries.unit_rollup(ids, *day)
        assert len(points) == 24, len(points)

    a30, b30 = int(month[0].timestamp()), int(month[1].timestamp())
    ad, bd = int(day[0].timestamp()), int(day[1].timestamp())

    def chart_from_raw():
        with connection.cursor() as cur:
            cur.execute("SELECT t - t %% 3600, AVG(value), MIN(value), MAX(value), COUNT(*) FROM telemetry_reading "
                        "WHERE sensor_id = %s AND t >= %s AND t < %s GROUP BY t - t %% 3600 ORDER BY 1", [sensor, a30, b30])  # fmt: skip
            assert len(cur.fetchall()) >= 700

    def province_day_from_raw():
        with connection.cursor() as cur:
            cur.execute("SELECT r.t - r.t %% 3600, AVG(r.value), MIN(r.value), MAX(r.value), COUNT(*) "
                        "FROM telemetry_reading r JOIN telemetry_sensor s ON s.id = r.sensor_id "
                        "JOIN telemetry_station st ON st.id = s.station_id JOIN units_unit u ON u.id = st.unit_id "
                        "WHERE u.path LIKE %s AND s.quantity = %s AND r.t >= %s AND r.t < %s "
                        "GROUP BY r.t - r.t %% 3600",
                        [province.path + "%", q.code, ad, bd])  # fmt: skip
            assert len(cur.fetchall()) == 24

    repeat = 10 if args.quick else 20
    for fn in (chart, province_day, chart_from_raw, province_day_from_raw):
        fn()  # warm
    chart_ms = p95(timed(chart, repeat))
    province_ms = p95(timed(province_day, repeat))
    chart_raw_ms = p95(timed(chart_from_raw, max(3, repeat // 4)))
    province_raw_ms = p95(timed(province_day_from_raw, max(3, repeat // 4)))

    with connection.cursor() as cur:
        if vendor == "postgresql":
            cur.execute("SELECT (SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname LIKE 'telemetry_reading%' "
                        "AND c.relkind = 'r'), pg_total_relation_size('telemetry_hourlyrollup') "
                        "+ pg_total_relation_size('telemetry_dailyrollup')")  # fmt: skip
            reading_bytes, rollup_bytes = (int(x or 0) for x in cur.fetchone())  # SUM() gives a numeric
        else:
            try:
                cur.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'telemetry_reading' "
                            "OR name LIKE 'sqlite_autoindex_telemetry_reading%'")  # fmt: skip
                reading_bytes = cur.fetchone()[0]
                cur.execute("SELECT SUM(pgsize) FROM dbstat WHERE name IN ('telemetry_hourlyrollup', "
                            "'telemetry_dailyrollup', 'telemetry_hourly_unique', 'telemetry_daily_unique')")  # fmt: skip
                rollup_bytes = cur.fetchone()[0]
            except Exception:  # noqa: BLE001 - dbstat is not compiled into every SQLite
                reading_bytes = rollup_bytes = None
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    http_rate, raw_rate = n / http_s, n / raw_s
    print(f"setup {setup_s:.1f} s; {vendor}{' (readings partitioned by month)' if partitioned() else ''}; "
          f"{n_stations} stations")  # fmt: skip
    print(f"HTTP batch ingest: {n:,} readings in {http_s:.2f} s = {http_rate:,.0f}/s "
          f"(raw inserts of the same rows: {raw_s:.2f} s = {raw_rate:,.0f}/s; ratio {http_rate / raw_rate:.2f})")  # fmt: skip
    print(f"large table: {total_rows:,} readings ({days} days × {n_stations} stations at 5 min + the ingest test's), "
          f"loaded through the service in {load_s:.1f} s = {loaded / load_s:,.0f}/s")  # fmt: skip
    print(f"30-day chart of a station: p95 {chart_ms:.1f} ms (from raw readings: {chart_raw_ms:.1f} ms)")
    print(f"province hourly roll-up of a day: p95 {province_ms:.1f} ms (from raw readings: {province_raw_ms:.1f} ms)")
    if reading_bytes:
        print(f"disk: readings with their index {reading_bytes / 2**20:.0f} MB "
              f"({reading_bytes / total_rows:.0f} B/reading), roll-ups {rollup_bytes / 2**20:.0f} MB")  # fmt: skip
    print(json.dumps({
        "bench": "telemetry", "vendor": vendor, "partitioned": partitioned(), "quick": args.quick, "stations": n_stations, "batch": args.batch,
        "ingest_rows": n, "http_rows_per_s": round(http_rate), "raw_rows_per_s": round(raw_rate),
        "ratio_vs_raw": round(http_rate / raw_rate, 3), "table_rows": total_rows, "load_rows_per_s": round(loaded / load_s),
        "chart_30d_p95_ms": round(chart_ms, 2), "chart_30d_from_raw_p95_ms": round(chart_raw_ms, 2),
        "province_day_p95_ms": round(province_ms, 2), "province_day_from_raw_p95_ms": round(province_raw_ms, 2),
        "reading_mb": round(reading_bytes / 2**20, 1) if reading_bytes else None,
        "bytes_per_reading": round(reading_bytes / total_rows, 1) if reading_bytes else None,
        "rollup_mb": round(rollup_bytes / 2**20, 1) if rollup_bytes else None, "peak_rss_mb": round(peak_mb),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
