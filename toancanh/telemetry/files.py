"""Tables of readings as station loggers export them: CSV (UTF-8, comma or semicolon) or Excel (.xlsx),
one reading a row with the wire format's columns ``station, quantity, time, value[, unit]``.

Loggers often write a wide table instead — a time column and one column per quantity for one station
(``time, water_level, rainfall``); such a file names its station in a ``station`` column or in the
file name (``AINGHIA_2026-10.csv``). Both shapes give the same rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext

from toancanh.core.errors import ServiceError

LONG = ("station", "quantity", "time", "value")
MAX_ROWS = 100_000


def _rows_of_table(header: list[str], body: list[list[Any]], station_hint: str) -> list[dict[str, Any]]:
    names = [str(h or "").strip().lower() for h in header]
    if all(c in names for c in LONG):
        return [dict(zip(names, row, strict=False)) for row in body if any(v not in (None, "") for v in row)]
    if "time" not in names:
        raise ServiceError(gettext("the file has no columns station, quantity, time, value (nor a time column)"))
    ti = names.index("time")
    si = names.index("station") if "station" in names else None
    out = []
    for row in body:
        station = row[si] if si is not None and si < len(row) else station_hint
        for i, q in enumerate(names):
            if i in (ti, si) or not q or i >= len(row) or row[i] in (None, ""):
                continue
            out.append({"station": station, "quantity": q, "time": row[ti], "value": row[i]})
    return out


def read_table(filename: str, content: bytes) -> list[dict[str, Any]]:
    """The rows of a CSV or Excel file of readings."""
    hint = filename.rsplit("/", 1)[-1].split(".")[0].split("_")[0].upper()
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # noqa: BLE001 - whatever the parser says, the file is not a workbook
            raise ServiceError(gettext("the file is not an Excel workbook (.xlsx)")) from exc
        table = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ServiceError(gettext("the CSV file is not UTF-8 text")) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not table:
        return []
    if len(table) > MAX_ROWS + 1:
        raise ServiceError(gettext("at most %(n)s rows a file") % {"n": f"{MAX_ROWS:,}"})
    return _rows_of_table(table[0], table[1:], hint)
