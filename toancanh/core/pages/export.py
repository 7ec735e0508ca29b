"""A list page's rows as a spreadsheet: CSV (UTF-8 with a byte-order mark, so Excel reads the
Vietnamese letters) or Excel .xlsx (openpyxl, MIT)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"csv", "xlsx"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if value is None:
        return ""
    if isinstance(value, int | float | dt.date):
        return value
    return str(value)


def export(name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str) -> HttpResponse:
    """One download of ``rows`` under ``headers``; ``name`` is the file's name without extension."""
    rows = ([_cell(v) for v in row] for row in rows)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{name}-{stamp}.{fmt}"
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook(write_only=False)
        ws = wb.active
        ws.append([str(h) for h in headers])
        for c in ws[1]:
            c.font = Font(bold=True)
        for row in rows:
            ws.append([v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else v for v in row])
        for i, h in enumerate(headers, start=1):
            ws.column_dimensions[ws.cell(1, i).column_letter].width = max(12, min(48, len(str(h)) + 6))
        ws.freeze_panes = "A2"
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(buf.getvalue(), content_type=XLSX)
    else:
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow([str(h) for h in headers])
        for row in rows:
            writer.writerow([v.strftime("%Y-%m-%d %H:%M") if isinstance(v, dt.datetime) else v for v in row])
        response = HttpResponse("\ufeff" + buf.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
