"""Figures in and out: Excel in the layout officials use, and CSV.

Excel (.xlsx, read and written with openpyxl, MIT): indicators as rows; either the units of one
period as columns, or the periods of one unit as columns. The sheet says which in its first row:

    A1 "Kỳ báo cáo"  B1 2026-06        -> columns are units (keys such as vn34-c20779)
    A1 "Đơn vị"      B1 vn34-p48       -> columns are periods (2026-01, 2026Q1, 2026 …)
    row 3: "Mã chỉ tiêu" | "Tên chỉ tiêu" | "Đơn vị tính" | column keys …
    rows 4…: indicator code | name | unit of measure | figures …

CSV: one figure per line, columns ``indicator, unit, period, value`` and optionally
``option, status, source``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from toancanh.core.collation import order_by_name
from toancanh.core.errors import ServiceError
from toancanh.core.periods import Period
from toancanh.indicators import queries
from toancanh.indicators.models import Indicator
from toancanh.indicators.services import ValueRow
from toancanh.units.models import Unit

PERIOD_LABEL = "Kỳ báo cáo"
UNIT_LABEL = "Đơn vị"
HEADER = ["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính"]


def read_values(filename: str, content: bytes, *, status: str = "preliminary") -> list[ValueRow]:
    """Rows from an .xlsx or .csv file, recognised by its content (its name must agree)."""
    from toancanh.core.files import sniff

    name = filename.lower()
    kind = sniff(content)
    if name.endswith(".xlsx"):
        if kind != "application/zip":
            raise ServiceError(gettext("not a readable .xlsx file (its content is not a workbook)"))
        return read_excel(content, status=status)
    if name.endswith(".csv") and kind == "text/plain":
        return read_csv(content.decode("utf-8-sig"))
    if name.endswith(".csv"):
        raise ServiceError(gettext("the CSV file is not UTF-8 text (save it as “CSV UTF-8”)"))
    raise ServiceError(gettext("'%(name)s' is neither an Excel (.xlsx) nor a CSV file") % {"name": filename})


def read_csv(text: str) -> list[ValueRow]:
    reader = csv.DictReader(io.StringIO(text))
    missing = {"indicator", "unit", "period", "value"} - set(reader.fieldnames or [])
    if missing:
        raise ServiceError(gettext("the CSV lacks column(s): %(columns)s") % {"columns": ", ".join(sorted(missing))})
    rows = []
    for n, rec in enumerate(reader, start=2):
        rows.append(ValueRow(
            rec["indicator"].strip(), rec["unit"].strip(), rec["period"].strip(), rec["value"],
            option=(rec.get("option") or "").strip(), status=(rec.get("status") or "preliminary").strip(),
            source=(rec.get("source") or "").strip(), row=n,
        ))  # fmt: skip
    return rows


def _cell_text(value) -> str:
    if isinstance(value, dt.datetime | dt.date):  # Excel turned "2026-06" into a date
        return f"{value.year}-{value.month:02d}"
    return "" if value is None else str(value).strip()


def read_excel(content: bytes, *, status: str = "preliminary") -> list[ValueRow]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is one clear error
        raise ServiceError(
            gettext("not a readable .xlsx file (%(error)s)") % {"error": exc.__class__.__name__}
        ) from exc
    rows: list[ValueRow] = []
    for sheet in book.worksheets:
        cells = list(sheet.iter_rows(values_only=True))
        if len(cells) < 4 or not cells[0]:
            continue
        label, fixed = _cell_text(cells[0][0]), _cell_text(cells[0][1] if len(cells[0]) > 1 else None)
        if label not in (PERIOD_LABEL, UNIT_LABEL):
            raise ServiceError(
                gettext("sheet '%(sheet)s': A1 must say '%(period)s' or '%(unit)s'")
                % {"sheet": sheet.title, "period": PERIOD_LABEL, "unit": UNIT_LABEL}
            )
        columns = [_cell_text(c) for c in cells[2][3:]]
        for r, record in enumerate(cells[3:], start=4):
            code = _cell_text(record[0] if record else None)
            if not code:
                continue
            for c, key in enumerate(columns):
                value = record[3 + c] if len(record) > 3 + c else None
                if not key or value is None or value == "":
                    continue
                unit, period = (key, fixed) if label == PERIOD_LABEL else (fixed, key)
                where = f"{sheet.title}!{get_column_letter(4 + c)}{r}"
                rows.append(ValueRow(code, unit, period, value, status=status, source="excel", row=where))
    return rows


def write_excel(indicators: list[Indicator], unit: Unit, period: str | None = None, *, by_units: bool = True) -> bytes:
    """A workbook of figures: the unit's children for one period (or the unit's periods) by indicator."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    if by_units:
        period = period or _default_period(indicators, unit)
        columns = [(c.key, c.name) for c in order_by_name(unit.children.valid_on(Period.parse(period).end))] or [
            (unit.key, unit.name)
        ]
        sheet.append([PERIOD_LABEL, period])
    else:
        keys = sorted(
            {p for ind in indicators for p, _v, _c in queries.series(ind, unit)},
            key=lambda c: Period.parse(c).ordinal(),
        )
        columns = [(k, Period.parse(k).label) for k in keys]
        sheet.append([UNIT_LABEL, unit.key])
    sheet.append(["", unit.name if by_units else ""])
    sheet.append(HEADER + [key for key, _ in columns])
    for cell in sheet[3]:
        cell.font, cell.fill = bold, fill
    sheet.append(["", "", ""] + [label for _, label in columns])
    for ind in indicators:
        if by_units:
            values = _unit_values(ind, unit, period, [k for k, _ in columns])
        else:
            values = {p: v for p, v, _c in queries.series(ind, unit)}
        sheet.append([ind.code, ind.name_vi, ind.measure] + [values.get(k) for k, _ in columns])
    sheet.column_dimensions["B"].width = 60
    for i in range(4, 4 + len(columns)):
        sheet.column_dimensions[get_column_letter(i)].width = 14
    for row in sheet.iter_rows(min_row=1, max_row=1):
        for cell in row:
            cell.alignment = Alignment(horizontal="left")
            cell.number_format = "@"  # period codes stay text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _unit_values(ind: Indicator, unit: Unit, period: str, keys: list[str]) -> dict[str, float | None]:
    if keys == [unit.key]:
        return {unit.key: queries.value_at(ind, unit, period)[0]}
    return {r["unit"].key: r["value"] for r in queries.children_values(ind, unit, period)}


def _default_period(indicators: Iterable[Indicator], unit: Unit) -> str:
    latest = [queries.latest_period(i, unit) for i in indicators]
    latest = [p for p in latest if p]
    if not latest:
        raise ServiceError(gettext("no figures for %(unit)s yet") % {"unit": unit.name})
    return max(latest, key=lambda c: Period.parse(c).end)


def write_csv(indicators: list[Indicator], unit: Unit) -> str:
    """Every figure of the unit, one line each (entered and computed), for other systems."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "unit", "period", "value"])
    for ind in indicators:
        for period, value, _complete in queries.series(ind, unit):
            writer.writerow([ind.code, unit.key, period, "" if value is None else value])
    return out.getvalue()
