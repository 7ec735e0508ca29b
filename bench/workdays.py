"""Benchmark: deadlines on the working-day calendar.

    python bench/workdays.py [--quick]

Builds its own SQLite database in a temporary folder (the calendar of 2025–2026 from the
migration), then measures, warm, in the same run:

* ``add_working_days(received, 3)`` and ``add_working_hours(received, 8)`` for many received
  moments spread over 2025–2026 (the cost of computing a citizen report's deadline);
* the baseline: the same working-day count by a naive loop over a Python set of the days off
  (what one would write with the days in memory and no database at all);
* a cold year (the cache dropped: one version query and one query of the year's days).

The last line is one JSON object; ``ratio_vs_naive`` = naive time / our time (1 = as fast).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 20_000 if args.quick else 200_000
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TOANCANH_DATA_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from toancanh.core import workdays
        from toancanh.core.calendar_defaults import defaults_for

        start = dt.datetime(2025, 1, 1, 0, 0, tzinfo=workdays.LOCAL)
        moments = [start + dt.timedelta(minutes=(i * 7919) % (700 * 24 * 60)) for i in range(n)]
        workdays.add_working_days(moments[0], 3)  # warm: both years loaded

        t = time.perf_counter()
        due_days = [workdays.add_working_days(m, 3) for m in moments]
        days_s = time.perf_counter() - t
        t = time.perf_counter()
        for m in moments:
            workdays.add_working_hours(m, 8)
        hours_s = time.perf_counter() - t

        off = {d.date for y in (2025, 2026) for d in defaults_for(y)[0] if d.kind != "swapped_working"}
        extra = {d.date for y in (2025, 2026) for d in defaults_for(y)[0] if d.kind == "swapped_working"}

        def naive(day: dt.date, k: int) -> dt.date:
            def working(x: dt.date) -> bool:
                return x in extra or (x.weekday() < 5 and x not in off)

            while not working(day):
                day += dt.timedelta(days=1)
            while k:
                day += dt.timedelta(days=1)
                k -= working(day)
            return day

        t = time.perf_counter()
        naive_due = [naive(m.date(), 3) for m in moments]
        naive_s = time.perf_counter() - t
        assert [d.date() for d in due_days] == naive_due, "the calendar and the naive count disagree"

        cold = []
        for _ in range(50):
            workdays.invalidate()
            t = time.perf_counter()
            workdays.is_working_day(dt.date(2026, 2, 17))
            cold.append((time.perf_counter() - t) * 1000)
        print(f"add_working_days: {n / days_s:,.0f}/s; add_working_hours: {n / hours_s:,.0f}/s; "
              f"naive loop: {n / naive_s:,.0f}/s; cold year: {sorted(cold)[len(cold) // 2]:.2f} ms")  # fmt: skip
        print(json.dumps({
            "bench": "workdays", "deadlines": n, "add_working_days_per_s": round(n / days_s),
            "add_working_hours_per_s": round(n / hours_s), "naive_per_s": round(n / naive_s),
            "ratio_vs_naive": round(naive_s / days_s, 2), "cold_year_ms_median": round(sorted(cold)[len(cold) // 2], 2),
        }))  # fmt: skip


if __name__ == "__main__":
    main()
