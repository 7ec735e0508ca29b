"""Bulk SQL for the hot paths (imports, roll-ups), where the ORM's per-object cost is too high.

Table and column names come from code, never from input; values always go as parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def marks(n: int) -> str:
    """``%s, %s, …`` for an IN list or a VALUES row of ``n`` parameters. An empty list gives
    ``NULL``, so ``IN (NULL)`` matches nothing on every database (``IN ()`` is no SQL on PostgreSQL)."""
    return ", ".join(["%s"] * n) if n else "NULL"


def insert_many(table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> int:
    """Insert rows fast: COPY on PostgreSQL, one prepared statement run many times on SQLite."""
    if not rows:
        return 0
    cols = ", ".join(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks(len(columns))})", rows)  # noqa: S608
    return len(rows)
