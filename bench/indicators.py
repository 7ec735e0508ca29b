"""Benchmark: the indicator store at provincial scale.

    python bench/indicators.py [--quick] [--indicators N --units N --months N]

Builds its own database (SQLite in a temporary folder, or DATABASE_URL if set to PostgreSQL):
a synthetic province of 249 communes, 500 monthly indicators, 120 months of values (15 million
figures), rolled up. Then measures, warm, against the same aggregation written as one
hand-written SQL query over the entered figures, in the same run:

* the province overview (every indicator at the latest month with year to date, the same month
  last year and the year's target): p95 over repeated runs, uncached (its precomputed figures,
  rebuilt by the roll-up: see ``indicators.overview_store``), and from the page cache;
* a drill-down (one indicator: the communes' figures for a month, ranked, and the province's
  monthly series): p95;
* a bulk import of about 1 million figures (a new set of months) through the service the batch
  API and the Excel/CSV import use (checks, history, queued roll-ups), against the same rows
  written by one hand-written INSERT (COPY on PostgreSQL);
* re-aggregation after that import.

``--keep DIR`` keeps the SQLite store in DIR and reuses it on the next run (the full size takes
long to build); the imported months are removed at the end of each run. CPU-time rates are given
beside wall-clock ones: the machine is shared, and on SQLite all the work is this process's.

The last line is one JSON object with the figures and ratios (baseline time / our time: above 1
means faster than the hand-written query).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def p95(samples: list[float]) -> float:
    return float(np.percentile(samples, 95))


CPU: dict[int, list[float]] = {}  # id of a timed() sample list -> the CPU times of its runs (ms)


def timed(fn, repeat: int) -> tuple[list[float], object]:
    out, samples, cpu = None, [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        samples.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    CPU[id(samples)] = cpu
    return samples, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a small store that finishes well under a minute")
    ap.add_argument("--indicators", type=int)
    ap.add_argument("--units", type=int)
    ap.add_argument("--months", type=int)
    ap.add_argument("--import-months", type=int)
    ap.add_argument(
        "--keep",
        metavar="DIR",
        help="keep the SQLite store in DIR and reuse it on the next run (the imported months are removed at the end)",
    )
    args = ap.parse_args()
    n_ind = args.indicators or (60 if args.quick else 500)
    n_units = args.units or (60 if args.quick else 249)
    n_months = args.months or (24 if args.quick else 120)
    import_months = args.import_months or (2 if args.quick else 8)

    tmp = args.keep or tempfile.mkdtemp(prefix="tc-bench-")
    Path(tmp).mkdir(parents=True, exist_ok=True)
    if args.keep:
        os.environ["TOANCANH_DATA_DIR"] = tmp
    os.environ.setdefault("TOANCANH_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from toancanh.core.periods import Period
    from toancanh.core.scoping import Scope
    from toancanh.core.sql import insert_many, marks
    from toancanh.indicators import queries, rollup, services
    from toancanh.indicators.models import Indicator, Target
    from toancanh.indicators.services import VALUE_COLUMNS
    from toancanh.units import services as unit_services
    from toancanh.units.official import UnitRow

    call_command("migrate", verbosity=0)
    from toancanh.units.models import Unit

    built_file = Path(tmp) / "bench-indicators-built.json"
    built = json.loads(built_file.read_text()) if args.keep and built_file.exists() else None
    if built and built.get("shape") != [n_ind, n_units, n_months]:
        sys.exit(f"{tmp} holds a store of another shape {built.get('shape')}: use another --keep folder")
    # A synthetic province and its communes (the bench builds its own data).
    rows = [UnitRow("bench-p99", "bench", "99", "province", "tinh", "Tỉnh Thử nghiệm", "Thử nghiệm", None)]
    rows += [
        UnitRow(
            f"bench-c{i:05d}",
            "bench",
            f"{i:05d}",
            "commune",
            "xa",
            f"Xã Thử nghiệm {i}",
            f"Thử nghiệm {i}",
            "bench-p99",
        )
        for i in range(1, n_units + 1)
    ]
    if not built:
        unit_services.upsert_units(rows, by=None)
    province = Unit.objects.get(key="bench-p99")
    communes = list(Unit.objects.filter(parent=province).order_by("key").values_list("id", flat=True))
    kinds = [("sum", "sum"), ("avg", "avg"), ("sum", "last"), ("max", "max")]
    for i in range(0 if built else n_ind):
        how, time_how = kinds[i % len(kinds)]
        services.define_indicator(
            by=None, code=f"I{i:04d}", name_vi=f"Chỉ tiêu {i}", name_en=f"Indicator {i}", measure="tỷ đồng",
            sector="economy", period_type="month", unit_aggregation=how, time_aggregation=time_how, decimals=2,
        )  # fmt: skip
    indicators = list(Indicator.objects.order_by("code"))
    first_year = 2035 - n_months // 12
    months = [Period.month(first_year, 1).shift(k) for k in range(n_months)]
    new_months = [months[-1].shift(k + 1) for k in range(import_months)]
    rng = np.random.default_rng(42)

    def insert_months(month_list):
        now = django.utils.timezone.now()
        total = 0
        for m in month_list:
            vals = np.round(rng.gamma(4.0, 25.0, size=(len(indicators), len(communes))), 2)
            batch = [
                (ind.pk, u, m.code, m.start, "", float(vals[a, b]), "official", "bench", "bench", now, now)
                for a, ind in enumerate(indicators)
                for b, u in enumerate(communes)
            ]
            total += insert_many("indicators_datavalue", VALUE_COLUMNS, batch)
        return total

    if built:  # the store of an earlier run (--keep): its roll-ups brought up to date by this code
        rng = np.random.default_rng(42 + 1)
        stored, load_s = built["values"], built["load_s"]
        t = time.perf_counter()
        full = rollup.recompute()
        full_rollup_s = time.perf_counter() - t
    else:
        t = time.perf_counter()
        with django.db.transaction.atomic():
            stored = insert_months(months)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        full = rollup.recompute()
        full_rollup_s = time.perf_counter() - t
        last_year = months[-1].year
        Target.objects.bulk_create(
            [Target(indicator=ind, unit=province, year=last_year, value=1000) for ind in indicators], batch_size=500
        )
        if args.keep:
            built_file.write_text(json.dumps({"shape": [n_ind, n_units, n_months], "values": stored, "load_s": load_s}))
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    latest = months[-1]
    same_last_year = latest.same_period_last_year()
    year_months = [m.code for m in months if m.year == latest.year]
    repeat = 30 if args.quick else 40

    # --- overview ---------------------------------------------------------------------------
    timed(lambda: queries.figures(province, indicators), 3)  # warm
    ours_overview, figs = timed(lambda: queries.figures(province, indicators), repeat)
    queries.overview(province, indicators)  # warm the page cache
    cached_overview, _ = timed(lambda: queries.overview(province, indicators), repeat)
    baseline_sql = (
        "SELECT v.indicator_id, "
        "SUM(CASE WHEN v.period = %s THEN v.value END), "
        "SUM(CASE WHEN v.period = %s THEN v.value END), "
        f"SUM(CASE WHEN v.period IN ({marks(len(year_months))}) THEN v.value END), MAX(t.value) "
        "FROM indicators_datavalue v JOIN units_unit u ON u.id = v.unit_id "
        "LEFT JOIN indicators_target t ON t.indicator_id = v.indicator_id AND t.unit_id = u.parent_id AND t.year = %s "
        f"WHERE u.parent_id = %s AND v.option = '' AND v.period IN ({marks(len(year_months) + 1)}) "
        "GROUP BY v.indicator_id"
    )
    params = [
        latest.code,
        same_last_year.code,
        *year_months,
        latest.year,
        province.pk,
        *year_months,
        same_last_year.code,
    ]

    def baseline_overview():
        with connection.cursor() as cur:
            cur.execute(baseline_sql, params)
            return cur.fetchall()

    timed(baseline_overview, 2)
    base_overview, base_rows = timed(baseline_overview, max(5, repeat // 4))
    # The two agree (sums; the others aggregate differently by design).
    ours_by_code = {f.indicator.pk: f for f in figs}
    sum_ids = [i.pk for i in indicators if i.unit_aggregation == "sum" and i.time_aggregation == "sum"]
    checked = sum(1 for r in base_rows if r[0] in sum_ids and abs(float(r[1]) - (ours_by_code[r[0]].value or 0)) < 0.05)

    # --- drill-down -------------------------------------------------------------------------
    ind = indicators[0]

    def drill():
        return queries.children_values(ind, province, latest.code), queries.series(ind, province)

    timed(drill, 3)
    ours_drill, _ = timed(drill, repeat)
    drill_sql = (
        "SELECT v.unit_id, SUM(v.value) FROM indicators_datavalue v JOIN units_unit u ON u.id = v.unit_id "
        "WHERE u.parent_id = %s AND v.indicator_id = %s AND v.period = %s GROUP BY v.unit_id ORDER BY 2 DESC"
    )
    series_sql = (
        "SELECT v.period, SUM(v.value) FROM indicators_datavalue v JOIN units_unit u ON u.id = v.unit_id "
        "WHERE u.parent_id = %s AND v.indicator_id = %s GROUP BY v.period ORDER BY v.period"
    )

    def baseline_drill():
        with connection.cursor() as cur:
            cur.execute(drill_sql, [province.pk, ind.pk, latest.code])
            a = cur.fetchall()
            cur.execute(series_sql, [province.pk, ind.pk])
            return a, cur.fetchall()

    timed(baseline_drill, 2)
    base_drill, _ = timed(baseline_drill, max(5, repeat // 4))

    # --- bulk import of ~1M figures through the service (batch API, Excel/CSV), then re-aggregation
    # Baseline: the same rows by one hand-written prepared INSERT (COPY on PostgreSQL), rolled back.
    unit_keys = dict(Unit.objects.filter(pk__in=communes).values_list("id", "key"))
    import_vals = np.round(rng.gamma(4.0, 25.0, size=(len(new_months), len(indicators), len(communes))), 2).tolist()
    value_rows = [
        services.ValueRow(ind.code, unit_keys[u], m.code, import_vals[k][a][b], status="official", row=n)
        for k, m in enumerate(new_months)
        for a, ind in enumerate(indicators)
        for b, u in enumerate(communes)
        for n in [(k * len(indicators) + a) * len(communes) + b + 2]
    ]
    now = django.utils.timezone.now()
    raw_rows = [
        (ind.pk, u, m.code, m.start, "", import_vals[k][a][b], "official", "bench", "bench", now, now)
        for k, m in enumerate(new_months)
        for a, ind in enumerate(indicators)
        for b, u in enumerate(communes)
    ]
    t, cpu = time.perf_counter(), time.process_time()
    with django.db.transaction.atomic():
        insert_many("indicators_datavalue", VALUE_COLUMNS, raw_rows)
        if connection.vendor == "postgresql":  # the foreign keys a commit would check, checked now
            with connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        baseline_import_s, baseline_import_cpu_s = time.perf_counter() - t, time.process_time() - cpu
        django.db.transaction.set_rollback(True)
    del raw_rows
    t, cpu = time.perf_counter(), time.process_time()
    report = services.record_values(value_rows, by=None, scope=Scope(everywhere=True), source="bench")
    import_s, import_cpu_s = time.perf_counter() - t, time.process_time() - cpu
    imported = report.created
    assert imported == len(value_rows) and not report.refused, report.refused[:3]
    slices = {(i.pk, m.year) for i in indicators for m in new_months}
    t = time.perf_counter()
    stats = rollup.recompute(slices)
    reaggregate_s = time.perf_counter() - t
    # Baseline: the same province-level monthly aggregation as one INSERT … SELECT … GROUP BY.
    with connection.cursor() as cur:
        cur.execute("CREATE TEMPORARY TABLE bench_baseline (indicator_id int, period varchar(10), value numeric)")
        t = time.perf_counter()
        years = sorted({m.year for m in new_months})
        cur.execute(
            "INSERT INTO bench_baseline SELECT v.indicator_id, v.period, SUM(v.value) FROM indicators_datavalue v "
            "JOIN units_unit u ON u.id = v.unit_id WHERE u.parent_id = %s AND v.period >= %s AND v.period < %s "
            "GROUP BY v.indicator_id, v.period",
            [province.pk, str(years[0]), str(years[-1] + 1)],
        )
        baseline_reagg_s = time.perf_counter() - t

    if args.keep:  # the imported months go, so that the next run starts from the same store
        codes = [m.code for m in new_months]
        with django.db.transaction.atomic(), connection.cursor() as cur:
            cur.execute("DROP TABLE bench_baseline")
            cur.execute(
                "DELETE FROM indicators_datavaluecorrection WHERE data_value_id IN (SELECT id FROM "
                f"indicators_datavalue WHERE period IN ({marks(len(codes))}))",
                codes,
            )
            for table in ("indicators_datavalue", "indicators_rollupvalue"):
                cur.execute(f"DELETE FROM {table} WHERE period >= %s", [codes[0][:4]])  # noqa: S608
            for table in ("indicators_overviewfigure", "indicators_overviewyear"):
                cur.execute(f"DELETE FROM {table} WHERE year >= %s", [int(codes[0][:4])])  # noqa: S608
            cur.execute("DELETE FROM indicators_dirtyslice")
            cur.execute("DELETE FROM indicators_dirtyseries")

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    db_mb = None
    if connection.vendor == "sqlite":
        db_mb = round(Path(connection.settings_dict["NAME"]).stat().st_size / 2**20)
    result = {
        "bench": "indicators",
        "database": connection.vendor,
        "indicators": n_ind,
        "units": n_units + 1,
        "months": n_months,
        "values": stored,
        "load_s": round(load_s, 1),
        "full_rollup_s": round(full_rollup_s, 1),
        "full_overview_rebuild_s": round(full.overview_seconds, 1),
        "overview_rows": full.overview_rows,
        "machine_load_1min": round(os.getloadavg()[0], 1),
        "overview_p95_ms": round(p95(ours_overview), 2),
        "overview_median_ms": round(statistics.median(ours_overview), 2),
        "overview_cpu_p95_ms": round(p95(CPU[id(ours_overview)]), 2),
        "overview_cached_p95_ms": round(p95(cached_overview), 2),
        "baseline_overview_p95_ms": round(p95(base_overview), 2),
        "ratio_overview_vs_sql": round(p95(base_overview) / p95(ours_overview), 2),
        "overview_sums_agreeing_with_sql": f"{checked}/{len([r for r in base_rows if r[0] in sum_ids])}",
        "drilldown_p95_ms": round(p95(ours_drill), 2),
        "baseline_drilldown_p95_ms": round(p95(base_drill), 2),
        "ratio_drilldown_vs_sql": round(p95(base_drill) / p95(ours_drill), 2),
        "imported_values": imported,
        "import_s": round(import_s, 1),
        "import_figures_per_s": round(imported / import_s),
        "baseline_import_figures_per_s": round(imported / baseline_import_s),
        "ratio_import_vs_sql": round(baseline_import_s / import_s, 2),
        # CPU time of this process: on SQLite all the work, on PostgreSQL the client's share only.
        # The machine is shared: wall-clock rates fall with its load, CPU-time rates much less.
        "import_figures_per_cpu_s": round(imported / import_cpu_s),
        "baseline_import_figures_per_cpu_s": round(imported / baseline_import_cpu_s),
        "reaggregate_s": round(reaggregate_s, 2),
        "reaggregate_rows_written": stats.rows_written,
        "reaggregate_overview_rows": stats.overview_rows,
        "reaggregate_overview_s": round(stats.overview_seconds, 2),
        "baseline_reaggregate_s": round(baseline_reagg_s, 2),
        "ratio_reaggregate_vs_sql": round(baseline_reagg_s / reaggregate_s, 3),
        "peak_rss_mb": round(rss_mb),
        "database_mb": db_mb,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
