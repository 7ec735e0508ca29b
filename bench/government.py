"""Benchmark: the government pack's one-stop-shop dossiers at provincial scale.

    python bench/government.py [--quick] [--dossiers N]

Builds its own database (SQLite in a temporary folder, or DATABASE_URL if it names PostgreSQL: a
database of its own beside it), the demo province (Thành phố Đà Nẵng, its communes and agencies) and
the simulator's procedures. Then measures, in the same run:

* the import of N dossiers (1.5 million by default: a year of the province) made by the simulator
  and pushed through the ``gov_dossiers_push`` connector in batches of 50,000 (checks, derived
  outcome, idempotent bulk write, the source's health), in rows per second — the records are made
  beforehand, batch by batch, outside the clock; against the same rows written by one hand-written
  ``INSERT`` statement run many times (``executemany``);
* the Decision 766 index for every agency and every commune for the year (both dossier queries and
  the procedures' data, all 17 components), against one hand-written SQL query computing the
  on-time rate per agency for the year (ratio = its time / ours: above 1 means we are faster).

The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
BATCH = 50_000


def database_url(tmp: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp}/bench.sqlite3"
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"{cfg['NAME']}_benchgov"
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                         password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True) as con:  # fmt: skip
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100,000 dossiers: well under a minute")
    ap.add_argument("--dossiers", type=int)
    args = ap.parse_args()
    total = args.dossiers or (100_000 if args.quick else 1_500_000)
    tmp = tempfile.mkdtemp(prefix="tc-bench-gov-")
    os.environ["TOANCANH_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from toancanh.core import connectors
    from toancanh.core.models import ConnectorInstance
    from toancanh.core.periods import Period
    from toancanh.packs.government import index, intake, services, simulate
    from toancanh.units import demo as units_demo
    from toancanh.units.models import Agency, Unit

    call_command("migrate", verbosity=0)
    units_demo.load_units()
    units_demo.load_agencies()
    services.save_procedures(simulate.procedures(), by=None)
    province = Unit.objects.get(key="vn34-p48")
    communes = list(
        Unit.objects.current().filter(level="commune", path__startswith=province.path).values_list("key", flat=True)
    )
    agencies = list(Agency.objects.values_list("code", flat=True))
    places = [(agencies[i % len(agencies)], key) for i, key in enumerate(communes)]
    ConnectorInstance.objects.create(name="bench-motcua", kind="gov_dossiers_push", config={"sweep": False})
    year = 2025
    now = dt.datetime(year, 12, 31, 12, tzinfo=dt.UTC)
    gen = simulate.dossiers(year, places, total, now=now, seed=1)

    made = stored = refused = 0
    import_s = make_s = 0.0
    while True:
        t = time.perf_counter()
        batch = list(itertools.islice(gen, BATCH))
        make_s += time.perf_counter() - t
        if not batch:
            break
        made += len(batch)
        t = time.perf_counter()
        outcome = connectors.push("bench-motcua", batch)
        import_s += time.perf_counter() - t
        stored += outcome.accepted
        refused += len(outcome.refused)

    # baseline: the same rows, already checked, written by one hand-written INSERT run many times
    look = services.lookups()
    adapt = services.adapter()
    sample = list(
        itertools.islice(simulate.dossiers(year, places, min(total, 200_000), now=now, seed=2, prefix="RAW"), 200_000)
    )
    rows = [intake.read(r, look, now, "raw", adapt) for r in sample]
    cols = ", ".join(intake.COLUMNS)
    marks = ", ".join(["%s"] * len(intake.COLUMNS))
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(f"INSERT INTO government_dossier ({cols}) VALUES ({marks})", rows)  # noqa: S608
    raw_rows_per_s = len(rows) / (time.perf_counter() - t)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM government_dossier WHERE source = 'raw'")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")

    t = time.perf_counter()
    services.refresh_months()
    rollup_s = time.perf_counter() - t
    period = Period.of_year(year)
    start, end = index.bounds(period)

    def ours():
        return index.compute("agency", period, now=now), index.compute("unit", period, now=now)

    def hand_written():
        with connection.cursor() as cur:
            cur.execute(
                "SELECT agency_id, SUM(CASE WHEN outcome IN (1, 2) OR (outcome = 0 AND due_at >= %s) THEN 1 ELSE 0 END)"
                " * 1.0 / COUNT(*) FROM government_dossier WHERE received_at >= %s AND received_at < %s AND outcome <> 5"
                " GROUP BY agency_id", [adapt(now), adapt(start.astimezone(dt.UTC)), adapt(end.astimezone(dt.UTC))])  # fmt: skip
            return cur.fetchall()

    ours()
    hand_written()  # warm
    ours_s = min(_time(ours) for _ in range(3))
    base_s = min(_time(hand_written) for _ in range(3))
    by_agency, by_unit = ours()
    result = {
        "bench": "government", "database": connection.vendor, "dossiers": made, "stored": stored, "refused": refused,
        "import_s": round(import_s, 2), "import_rows_per_s": round(stored / import_s), "make_records_s": round(make_s, 2), "rollup_s": round(rollup_s, 2),
        "baseline_insert_rows_per_s": round(raw_rows_per_s), "import_ratio_vs_raw_insert": round(stored / import_s / raw_rows_per_s, 3),
        "index_agencies": len(by_agency), "index_communes": len(by_unit), "index_ms": round(ours_s * 1000, 1),
        "baseline_on_time_sql_ms": round(base_s * 1000, 1), "index_ratio_vs_sql": round(base_s / ours_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }  # fmt: skip
    print(json.dumps(result))


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
