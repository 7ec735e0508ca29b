"""Reading province-supplied files: unit hierarchies and succession mappings as CSV.

Hierarchy CSV columns (header row required): ``edition, code, type, name, parent``; optional
``key`` (default ``<edition>-<level letter><code>``), ``level`` (default: from the type),
``short_name``, ``valid_from``, ``valid_to`` (YYYY-MM-DD or DD/MM/YYYY), ``lat``, ``lon``,
``area_km2``. Succession CSV columns: ``old, new`` (unit keys) and ``share`` (default 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext, gettext_noop

from toancanh.core.errors import ImportRejected, RowError
from toancanh.units.models import LEVEL_LETTER, LEVEL_OF_TYPE, UnitType, unit_key
from toancanh.units.official import SuccessionRow, UnitRow


def _reader(text: str, required: set[str], what: str) -> csv.DictReader:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {h.strip() for h in (reader.fieldnames or [])}
    missing = required - header
    if missing:
        raise ImportRejected(
            [RowError(1, gettext("missing column(s): %(columns)s") % {"columns": ", ".join(sorted(missing))})],
            what=what,
        )
    return reader


def _date(value: str | None) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise ValueError(gettext("'%(value)s' is not a date (YYYY-MM-DD or DD/MM/YYYY)") % {"value": value})


def _float(value: str | None) -> float | None:
    value = (value or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(gettext("'%(value)s' is not a number") % {"value": value}) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(gettext("'%(value)s' is not a number") % {"value": value})
    return number


def parse_units_csv(text: str, *, source: str = "CSV") -> list[UnitRow]:
    reader = _reader(text, {"edition", "code", "type", "name", "parent"}, gettext_noop("unit import"))
    rows, errors = [], []
    for n, rec in enumerate(reader, start=2):
        rec = {k.strip(): (v or "").strip() for k, v in rec.items() if k}
        try:
            if rec["type"] not in LEVEL_OF_TYPE:
                raise ValueError(
                    gettext("unknown unit type '%(type)s' (one of: %(types)s)")
                    % {"type": rec["type"], "types": ", ".join(UnitType.values)}
                )
            level = rec.get("level") or LEVEL_OF_TYPE[rec["type"]]
            if level not in LEVEL_LETTER:
                raise ValueError(gettext("unknown level '%(level)s'") % {"level": level})
            if not rec["edition"]:
                raise ValueError(gettext("edition is required (e.g. vn34)"))
            rows.append(
                UnitRow(
                    key=rec.get("key") or unit_key(rec["edition"], level, rec["code"]),
                    edition=rec["edition"],
                    code=rec["code"],
                    level=level,
                    type=rec["type"],
                    name=rec["name"],
                    short_name=rec.get("short_name") or rec["name"],
                    parent_key=rec["parent"] or None,
                    valid_from=_date(rec.get("valid_from")),
                    valid_to=_date(rec.get("valid_to")),
                    lat=_float(rec.get("lat")),
                    lon=_float(rec.get("lon")),
                    area_km2=_float(rec.get("area_km2")),
                    source=source,
                    row=n,
                )
            )
        except ValueError as exc:
            errors.append(RowError(n, str(exc)))
    if errors:
        raise ImportRejected(errors, what=gettext_noop("unit import"))
    return rows


def parse_succession_csv(text: str, *, source: str = "CSV") -> list[SuccessionRow]:
    reader = _reader(text, {"old", "new"}, gettext_noop("succession import"))
    rows, errors = [], []
    for n, rec in enumerate(reader, start=2):
        rec = {k.strip(): (v or "").strip() for k, v in rec.items() if k}
        try:
            share = Decimal(rec.get("share") or "1")
        except InvalidOperation:
            errors.append(RowError(n, gettext("share '%(share)s' is not a number") % {"share": rec.get("share")}))
            continue
        if not rec["old"] or not rec["new"]:
            errors.append(RowError(n, gettext("old and new unit keys are required")))
            continue
        rows.append(SuccessionRow(rec["old"], rec["new"], share, False, rec.get("source") or source, n))
    if errors:
        raise ImportRejected(errors, what=gettext_noop("succession import"))
    return rows
