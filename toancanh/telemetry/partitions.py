"""Monthly partitions of the raw readings on PostgreSQL (declarative partitioning by range of ``t``).

The table is created partitioned by migration 0002, with a DEFAULT partition that takes whatever has no
month of its own (old backfills, a clock far off); :func:`ensure_months` creates the partitions of the
months ahead (a daily job) and of any span a caller is about to fill. A month is only created while the
default partition holds none of its readings (PostgreSQL refuses otherwise); those stay in the default.
On SQLite there is one table and these do nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

TABLE = "telemetry_reading"


def month_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, 1, tzinfo=dt.UTC)


def next_month(moment: dt.datetime) -> dt.datetime:
    return moment.replace(year=moment.year + moment.month // 12, month=moment.month % 12 + 1)


def partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s",
                    [TABLE])  # fmt: skip
        return cur.fetchone() is not None


def ensure_months(first: dt.date, last: dt.date) -> list[str]:
    """Create the monthly partitions from ``first``'s month to ``last``'s; returns those created."""
    if not partitioned():
        return []
    made = []
    month = month_start(first)
    with connection.cursor() as cur:
        while month <= month_start(last):
            after = next_month(month)
            name = f"{TABLE}_{month:%Y%m}"
            a, b = int(month.timestamp()), int(after.timestamp())
            cur.execute("SELECT to_regclass(%s)", [name])
            if cur.fetchone()[0] is None:
                cur.execute(f"SELECT EXISTS (SELECT 1 FROM {TABLE}_default WHERE t >= %s AND t < %s)", [a, b])  # noqa: S608
                if not cur.fetchone()[0]:
                    cur.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ({a}) TO ({b})")
                    made.append(name)
            month = after
    return made
