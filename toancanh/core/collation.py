"""Vietnamese sort order (thứ tự chữ cái tiếng Việt) for names, in Python and in the database.

The Vietnamese alphabet orders letters a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
(f, j, w, z of foreign names placed as in Latin); tones are a secondary difference, in the
dictionary order ngang, huyền, hỏi, ngã, sắc, nặng (a à ả ã á ạ); case comes last (lower first).
This is the order of CLDR's Vietnamese collation, which PostgreSQL's ICU collation ``vi-x-icu``
implements; :func:`sort_key` gives the same order without ICU (PyICU has no wheels on PyPI and
needs the system's ICU headers to build), and SQLite gets it as the collation ``vi``.

Use :func:`sorted_by_name` for lists in Python and :func:`order_by_name` for querysets.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable

ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_RANK = {letter: 100 + i for i, letter in enumerate(ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
_SHAPES = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
           ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}  # fmt: skip

SortKey = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> SortKey:
    """A key that sorts Vietnamese text as a dictionary does: letters first, then tones, then case."""
    primary: list[int] = []
    tones: list[int] = []
    cases: list[int] = []
    chars = unicodedata.normalize("NFD", text or "")
    i = 0
    while i < len(chars):
        c = chars[i]
        i += 1
        lower = c.lower()
        tone = 0
        while i < len(chars) and unicodedata.combining(chars[i]):
            mark = chars[i]
            i += 1
            if mark in _TONES:
                tone = _TONES[mark]
            elif (lower, mark) in _SHAPES:
                lower = _SHAPES[(lower, mark)]
        if lower in _RANK:
            weight = _RANK[lower]
        elif c.isspace():
            weight = 1
        elif c.isdigit():
            weight = 10 + int(unicodedata.digit(c, 0))
        elif c.isalpha():
            weight = 1000 + ord(lower)
        else:
            weight = 2  # punctuation sorts before digits and letters, as in ICU
        primary.append(weight)
        tones.append(tone)
        cases.append(1 if c != c.lower() else 0)
    return tuple(primary), tuple(tones), tuple(cases)


def compare(a: str, b: str) -> int:
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)


def sorted_by_name[T](items: Iterable[T], name: Callable[[T], str] = lambda x: x.name) -> list[T]:  # type: ignore[attr-defined]
    """Items sorted by their names in Vietnamese order."""
    return sorted(items, key=lambda x: sort_key(name(x) or ""))


def collation_name(vendor: str | None = None) -> str:
    """The database's name of the Vietnamese collation: ICU's on PostgreSQL, ours on SQLite."""
    if vendor is None:
        from django.db import connection

        vendor = connection.vendor
    return "vi-x-icu" if vendor == "postgresql" else "vi"


def order_by_name(qs, field: str = "name", *more: str):
    """A queryset ordered by a name field in Vietnamese order (then by ``more`` fields)."""
    from django.db.models import F
    from django.db.models.functions import Collate

    return qs.order_by(Collate(F(field), collation_name(qs.db and _vendor(qs.db))), *more)


def _vendor(alias: str) -> str:
    from django.db import connections

    return connections[alias].vendor


def register_sqlite(sender, connection, **kwargs) -> None:
    """Give every SQLite connection the collation ``vi`` (connected to ``connection_created``)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation("vi", compare)
