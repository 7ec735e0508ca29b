"""Accent-insensitive search in the database, on SQLite and PostgreSQL alike.

``Fold(expr)`` folds a column the way :func:`toancanh.core.text.fold` folds the query
("Hiệp Đức" -> "hiep duc"), so ``search(qs, "hiep duc", ["name"])`` finds "Hiệp Đức" on any
column, not only on models that keep a folded copy. PostgreSQL: ``translate()`` of the
Vietnamese letters (whatever the database's collation), then ``lower()``; SQLite: a
deterministic function registered on the connection (``fold`` itself).
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db import models
from django.db.models import Q

from toancanh.core.text import fold


def _letters() -> tuple[str, str]:
    """Every Latin letter with marks whose fold is one ASCII letter, and that letter."""
    src, dst = [], []
    for cp in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        ch = chr(cp)
        if not ch.isalpha():
            continue
        folded = fold(ch)
        if len(folded) == 1 and folded.isascii() and folded != ch.lower():
            src.append(ch)
            dst.append(folded)
    return "".join(src), "".join(dst)


FOLD_FROM, FOLD_TO = _letters()


def _sqlite_fold(value):
    return fold(value) if isinstance(value, str) else value


class Fold(models.Func):
    """The folded (lower-case, unaccented) text of an expression."""

    output_field = models.TextField()
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):  # any other database: lower() only
        return super().as_sql(compiler, connection, function="LOWER", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(TRANSLATE(({sql})::text, %s, %s))", (*params, FOLD_FROM, FOLD_TO)

    def as_sqlite(self, compiler, connection, **extra_context):
        connection.ensure_connection()
        raw = connection.connection
        if getattr(connection, "_toancanh_fold_on", None) is not raw:  # once per new connection
            raw.create_function("tc_fold", 1, _sqlite_fold, deterministic=True)
            connection._toancanh_fold_on = raw
        return super().as_sql(compiler, connection, function="tc_fold", **extra_context)


def search(qs: models.QuerySet, text: str, fields: list[str]) -> models.QuerySet:
    """Rows where every word of ``text`` appears (accents and case ignored) in one of ``fields``."""
    words = fold(text).split()
    if not words or not fields:
        return qs
    annotations = {f"_fold_{i}": Fold(f) for i, f in enumerate(fields)}
    qs = qs.annotate(**annotations)
    per_word = [reduce(or_, (Q(**{f"{a}__contains": w}) for a in annotations)) for w in words]
    return qs.filter(reduce(and_, per_word))
