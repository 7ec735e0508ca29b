"""Benchmark: live consolidation of a monthly report of 300 entered cells from every commune of
the country up to its 34 provinces.

    python bench/reporting.py [--quick] [--communes N]

Builds its own database (SQLite in a temporary folder, or DATABASE_URL if set to PostgreSQL): 34
synthetic provinces and 3,321 communes (``--quick``: 340), a form of 150 rows × 2 entered columns
(300 cells: sums, and every third row an average) plus a computed ratio column, and one approved
report per commune for a month (about a million cell values). Then, warm, in the same run:

* ours: ``consolidation.consolidate`` for each of the 34 provinces (approved reports only, each
  cell's rule, formulas recomputed, missing/late/returned reporting units named);
* baseline: the same sums and averages as one hand-written SQL ``GROUP BY province, cell`` over the
  same approved cells (no formulas, no completeness, no rules).

The last line is one JSON object; ``ratio_vs_sql`` is baseline time / our time (above 1 would
mean faster than the hand-written query).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROWS = 150
PROVINCES = 34


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="340 communes; finishes well under a minute")
    ap.add_argument("--communes", type=int)
    args = ap.parse_args()
    n_communes = args.communes or (340 if args.quick else 3321)

    tmp = tempfile.mkdtemp(prefix="tc-bench-")
    os.environ.setdefault("TOANCANH_DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from toancanh.core.sql import insert_many
    from toancanh.reporting import consolidation, services
    from toancanh.reporting.models import Regime, Submission
    from toancanh.units import services as unit_services
    from toancanh.units.models import Unit
    from toancanh.units.official import UnitRow

    call_command("migrate", verbosity=0)
    rows = [
        UnitRow(f"bench-p{p:02d}", "bench", f"9{p:02d}", "province", "tinh", f"Tỉnh {p}", f"Tỉnh {p}", None)
        for p in range(1, PROVINCES + 1)
    ]
    rows += [
        UnitRow(f"bench-c{i:05d}", "bench", f"{i:05d}", "commune", "xa", f"Xã {i}", f"Xã {i}",
                f"bench-p{i % PROVINCES + 1:02d}")
        for i in range(1, n_communes + 1)
    ]  # fmt: skip
    unit_services.upsert_units(rows, by=None)
    cells = {}
    for r in range(1, ROWS + 1):
        cells[f"{r:03d}.A"] = {"aggregation": "avg" if r % 3 == 0 else "sum"}
        cells[f"{r:03d}.C"] = {"formula": f"IFERROR(ROUND([{r:03d}.A] / [{r:03d}.B] * 100, 2), 0)"}
    spec = {
        "sections": [{"code": "I", "name": "Bench", "rows": [{"code": f"{r:03d}", "name": f"Chỉ tiêu {r}"} for r in range(1, ROWS + 1)]}],
        "columns": [{"code": "A", "name": "A"}, {"code": "B", "name": "B"}, {"code": "C", "name": "C"}],
        "cells": cells,
    }  # fmt: skip
    version = services.create_template_version(by=None, code="BENCH", name="Bench", spec=spec)
    version.locked = True
    version.save()
    regime = Regime.objects.create(
        code="BENCH", name="Bench", template=version.template, frequency="monthly", reporting_level="commune",
        recipient=Unit.objects.get(key="bench-p01"),
    )  # fmt: skip
    communes = list(Unit.objects.filter(level="commune", key__startswith="bench-c").values_list("id", flat=True))
    now = timezone.now()
    t = time.perf_counter()
    insert_many(
        "reporting_submission",
        ["regime_id", "version_id", "unit_id", "period", "status", "revision", "submitted_at", "decided_at",
         "decided_by", "comment", "updated_at"],
        [(regime.pk, version.pk, u, "2025-06", "approved", 3, now, now, "bench", "", now) for u in communes],
    )  # fmt: skip
    sub_ids = list(Submission.objects.filter(regime=regime).values_list("id", flat=True))
    keys = [f"{r:03d}.{c}" for r in range(1, ROWS + 1) for c in ("A", "B")]
    batch = []
    values = 0
    for sid in sub_ids:
        for j, key in enumerate(keys):
            batch.append((sid, key, float((sid * 7 + j * 13) % 1000 + 1), ""))
        if len(batch) > 200_000:
            values += insert_many("reporting_submissionvalue", ["submission_id", "key", "number", "text"], batch)
            batch = []
    values += insert_many("reporting_submissionvalue", ["submission_id", "key", "number", "text"], batch)
    load_s = time.perf_counter() - t
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE reporting_submissionvalue; ANALYZE reporting_submission; ANALYZE units_unit")

    provinces = list(Unit.objects.filter(level="province", key__startswith="bench-p").order_by("key"))
    consolidation.consolidate(regime, provinces[0], "2025-06", shifts=False)  # warm
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx(
            "consolidation.consolidate(regime, provinces[1], '2025-06', shifts=False)",
            globals(),
            locals(),
            sort="cumtime",
        )
    t = time.perf_counter()
    ours = {p.key: consolidation.consolidate(regime, p, "2025-06", shifts=False) for p in provinces}
    ours_s = time.perf_counter() - t
    t = time.perf_counter()
    with_shifts = consolidation.consolidate(regime, provinces[0], "2025-06")
    one_with_shifts_s = time.perf_counter() - t

    sql = (
        "SELECT p.id, v.key, SUM(v.number), AVG(v.number) FROM reporting_submissionvalue v "
        "JOIN reporting_submission s ON s.id = v.submission_id JOIN units_unit u ON u.id = s.unit_id "
        "JOIN units_unit p ON p.id = u.parent_id "
        "WHERE s.regime_id = %s AND s.period = %s AND s.status = 'approved' AND v.number IS NOT NULL "
        "GROUP BY p.id, v.key"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [regime.pk, "2025-06"])  # warm
        cur.fetchall()
        t = time.perf_counter()
        cur.execute(sql, [regime.pk, "2025-06"])
        base = cur.fetchall()
        base_s = time.perf_counter() - t
    # The two agree on every province and cell.
    by_id = {p.pk: p.key for p in provinces}
    mismatches = 0
    for pid, key, total, mean in base:
        got = ours[by_id[pid]].values.get(key)
        want = mean if key.endswith(".A") and int(key[:3]) % 3 == 0 else total
        if got is None or abs(got - float(want)) > 1e-6 * max(1.0, abs(float(want))):
            mismatches += 1
            if mismatches == 1:
                print("first mismatch:", by_id[pid], key, got, total, mean, file=sys.stderr)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "bench": "reporting",
        "database": connection.vendor,
        "communes": len(communes),
        "provinces": len(provinces),
        "cells_per_report": len(keys),
        "cell_values": values,
        "load_s": round(load_s, 1),
        "consolidate_all_provinces_s": round(ours_s, 3),
        "consolidate_one_province_ms": round(ours_s / len(provinces) * 1000, 1),
        "one_province_with_shifts_ms": round(one_with_shifts_s * 1000, 1),
        "baseline_group_by_s": round(base_s, 3),
        "ratio_vs_sql": round(base_s / ours_s, 3),
        "mismatches": mismatches,
        "used_reports": sum(len(c.used) for c in ours.values()),
        "missing_reported": len(with_shifts.missing),
        "peak_rss_mb": round(rss),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
