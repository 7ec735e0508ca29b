"""A report as an Excel workbook to fill offline, and the filled workbook read back.

Layout, as officials lay out their forms: row code in column A, the criterion in B, the unit of
measure in C, then one column per form column; row 1 holds the title, row 2 the column codes, the
criteria start on row 3. The form's formulas become Excel formulas over the same cells (a reference
``[03.KY_NAY]`` becomes ``D5``, a range ``SUM([05:09].KY_NAY)`` becomes ``SUM(D7:D11)``); a formula
that reads another period (PREV, LASTYEAR, YTD) is written as its value at download time. Numeric
cells carry a decimal data validation, choice cells a list. A hidden sheet ``_toancanh`` records
the regime, unit, period and form version: an upload made from another version, unit or period is
refused, and the values then pass the same checks as the grid (``services.save_submission``).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from toancanh.core.errors import ServiceError
from toancanh.reporting.forms import Form
from toancanh.reporting.formulas import Range, Ref, Shift, parse, tokenize, walk

FIRST_ROW, FIRST_COL = 3, 4
META = "_toancanh"


def _address(form: Form, row: str, col: str) -> str:
    return f"{get_column_letter(FIRST_COL + form.layout.columns.index(col))}{FIRST_ROW + form.layout.rows.index(row)}"


def excel_formula(form: Form, text: str) -> str | None:
    """The form's formula as an Excel formula, or None when it reads another period."""
    if any(isinstance(n, Shift) for n in walk(parse(text))):
        return None
    out = []
    for kind, tok in tokenize(text)[:-1]:
        if kind == "ref":
            node = parse(tok)
            if isinstance(node, Ref):
                out.append(_address(form, node.row, node.col))
            elif isinstance(node, Range):
                out.append(f"{_address(form, node.first, node.col)}:{_address(form, node.last, node.col)}")
        elif tok == ";":
            out.append(",")
        else:
            out.append(tok)
    return "=" + "".join(out)


def workbook(form: Form, *, title: str, rows: dict[str, dict], columns: list, values: dict, meta: dict) -> bytes:
    """``rows``: row code → {"name", "measure"}; ``columns``: the version's Column objects."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu mẫu"
    ws["A1"] = title
    ws.cell(2, 1, "Mã")
    ws.cell(2, 2, "Chỉ tiêu")
    ws.cell(2, 3, "Đơn vị tính")
    for j, c in enumerate(columns):
        ws.cell(2, FIRST_COL + j, c.code).comment = None
    numbers = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True)
    numbers.error = "Hãy nhập một số."
    ws.add_data_validation(numbers)
    for i, row in enumerate(form.layout.rows):
        r = FIRST_ROW + i
        ws.cell(r, 1, row)
        ws.cell(r, 2, rows.get(row, {}).get("name", ""))
        ws.cell(r, 3, rows.get(row, {}).get("measure", ""))
        for j, col in enumerate(form.layout.columns):
            key, cell = f"{row}.{col}", ws.cell(r, FIRST_COL + j)
            spec = form.spec(key)
            value = values.get(key)
            if spec.formula:
                cell.value = excel_formula(form, spec.formula) or (value if isinstance(value, float | str) else None)
                continue
            cell.value = value
            if spec.numeric:
                numbers.add(cell.coordinate)
            elif spec.choices:
                dv = DataValidation(type="list", formula1='"' + ",".join(spec.choices) + '"', allow_blank=True)
                ws.add_data_validation(dv)
                dv.add(cell.coordinate)
    hidden = wb.create_sheet(META)
    for i, (k, v) in enumerate(meta.items(), start=1):
        hidden.cell(i, 1, k)
        hidden.cell(i, 2, str(v))
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_workbook(form: Form, data: bytes, expected: dict) -> dict[str, object]:
    """The entered values of a filled workbook; refused when it was made for another form version,
    unit or period, or when its layout was changed."""
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - whatever openpyxl raises, the file is not a workbook
        raise ServiceError(_("The file is not an Excel workbook (.xlsx).")) from exc
    if META not in wb.sheetnames:
        raise ServiceError(_("This workbook was not downloaded from this report."))
    meta = {str(r[0].value): str(r[1].value) for r in wb[META].iter_rows(min_col=1, max_col=2) if r[0].value}
    for key, want in expected.items():
        if meta.get(key) != str(want):
            raise ServiceError(
                _("The workbook is for %(what)s “%(got)s”, not “%(want)s”.")
                % {"what": key, "got": meta.get(key, ""), "want": want}
            )
    ws = wb.worksheets[0]
    header = [ws.cell(2, FIRST_COL + j).value for j in range(len(form.layout.columns))]
    if [str(h) for h in header] != list(form.layout.columns):
        raise ServiceError(_("The columns of the workbook were changed: download the form again."))
    values: dict[str, object] = {}
    for i, row in enumerate(form.layout.rows):
        if str(ws.cell(FIRST_ROW + i, 1).value) != row:
            raise ServiceError(_("Row %(row)s of the form is not where it was in the workbook.") % {"row": row})
        for j, col in enumerate(form.layout.columns):
            key = f"{row}.{col}"
            if form.spec(key).formula:
                continue
            value = ws.cell(FIRST_ROW + i, FIRST_COL + j).value
            values[key] = value
    return values
