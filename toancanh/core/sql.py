"""Bulk SQL for the hot paths (imports, roll-ups), where the ORM's per-object cost is too high.

Table and column names come from code, never from input; values always go as parameters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection


def dump_json(value: Any) -> str:
    """JSON text for a JSON column, written by orjson (ten times the standard library's speed on
    the hot paths: event payloads, rule states); values orjson cannot write (integers beyond 64
    bits, keys that are not text, other types) go through Django's encoder as before."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(value, cls=DjangoJSONEncoder)


def load_json(text: str | bytes) -> Any:
    return orjson.loads(text)


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


def insert_new(table: str, columns: Sequence[str], rows: Sequence[Sequence], *, unique: Sequence[str],
               returning: Sequence[str], chunk: int = 400) -> list[tuple]:  # fmt: skip
    """Insert the rows that are not there yet (by the ``unique`` columns) and return ``returning`` of
    those inserted — one multi-row statement per chunk: ``INSERT … ON CONFLICT DO NOTHING RETURNING``."""
    out: list[tuple] = []
    if not rows:
        return out
    cols, row_marks = ", ".join(columns), f"({marks(len(columns))})"
    tail = f"ON CONFLICT ({', '.join(unique)}) DO NOTHING RETURNING {', '.join(returning)}"
    with connection.cursor() as cur:
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            values = ", ".join([row_marks] * len(part))
            cur.execute(f"INSERT INTO {table} ({cols}) VALUES {values} {tail}", [v for row in part for v in row])  # noqa: S608
            out.extend(cur.fetchall())
    return out


def upsert_many(table: str, columns: Sequence[str], rows: Sequence[Sequence], *, unique: Sequence[str],
                update: Sequence[str], chunk: int | None = None) -> int:  # fmt: skip
    """Insert rows, or update the ``update`` columns of those already there (by ``unique``).

    With ``chunk``, one multi-row statement per ``chunk`` rows (the rows must then be distinct by
    ``unique``: one statement cannot touch a row twice); without, one statement run per row, in
    order, so a later row may update an earlier one."""
    if not rows:
        return 0
    sets = ", ".join(f"{c} = excluded.{c}" for c in update)
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "  # noqa: S608
    tail = f" ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {sets}"
    row_marks = f"({marks(len(columns))})"
    with connection.cursor() as cur:
        if chunk is None:
            cur.executemany(head + row_marks + tail, rows)
        else:
            for i in range(0, len(rows), chunk):
                part = rows[i : i + chunk]
                cur.execute(head + ", ".join([row_marks] * len(part)) + tail, [v for row in part for v in row])
    return len(rows)


def update_many(table: str, key: str, columns: Sequence[str], rows: Sequence[Sequence], *,
                casts: Sequence[str] | None = None, chunk: int = 400) -> int:  # fmt: skip
    """Set ``columns`` of many rows, each found by its ``key`` (each row: key value, then the
    columns' values), in one statement per chunk: ``WITH v AS (VALUES …) UPDATE … FROM v``.
    ``casts`` are the columns' SQL types (key first) for PostgreSQL, where a VALUES list of
    parameters has no types of its own."""
    if not rows:
        return 0
    names = [key, *columns]
    if connection.vendor == "postgresql" and casts:
        row_marks = "(" + ", ".join(f"%s::{t}" for t in casts) + ")"
    else:
        row_marks = f"({marks(len(names))})"
    sets = ", ".join(f"{c} = v.{c}" for c in columns)
    with connection.cursor() as cur:
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            values = ", ".join([row_marks] * len(part))
            cur.execute(
                f"WITH v ({', '.join(names)}) AS (VALUES {values}) "  # noqa: S608
                f"UPDATE {table} SET {sets} FROM v WHERE {table}.{key} = v.{key}",
                [x for row in part for x in row],
            )
    return len(rows)


def lock_names(*names: str) -> None:
    """Hold named locks until the current transaction ends, so that a check and the write it allows
    (a count against a limit, then an insert) run one process at a time for these names.

    PostgreSQL: a transaction-scoped advisory lock per name, taken in sorted order (no deadlocks).
    SQLite: the house's IMMEDIATE transactions already hold the database's write lock from BEGIN."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("lock_names() holds its locks until the transaction ends: call it inside one")
    with connection.cursor() as cur:
        for name in sorted(set(names)):
            cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
