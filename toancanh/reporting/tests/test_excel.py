"""The Excel round trip: download the form (formulas and validation kept), fill it, upload it back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.core.errors import ServiceError
from toancanh.reporting import excel, services
from toancanh.reporting.forms import form_of
from toancanh.reporting.tests.factories import HIEP_DUC, monthly_regime, unit

pytestmark = pytest.mark.django_db


def _download(regime, values=None, period="2025-09"):
    version = regime.template.versions.get()
    form = form_of(version)
    rows = {r.code: {"name": r.name, "measure": r.measure} for r in version.rows.all()}
    meta = {"regime": regime.code, "unit": HIEP_DUC, "period": period, "version": version.pk}
    data = excel.workbook(
        form, title=regime.name, rows=rows, columns=list(version.columns.all()), values=values or {}, meta=meta
    )
    return form, data


def test_a_downloaded_form_keeps_formulas_and_validation_and_comes_back_filled():
    regime = monthly_regime()
    form, data = _download(regime, {"01.KY_NAY": 100.0})
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert ws["A3"].value == "01" and ws["D2"].value == "KY_NAY" and ws["D3"].value == 100
    assert ws["D5"].value == "=IFERROR(ROUND(D4/D3*100,2),0)"  # [03.KY_NAY] over the cells above
    assert any("D3" in str(dv.sqref) for dv in ws.data_validations.dataValidation)
    assert wb[excel.META].sheet_state == "hidden"
    ws["D3"], ws["D4"], ws["D6"], ws["D7"], ws["D8"] = 12000, 240, 91.5, 300, "ổn định"
    buf = io.BytesIO()
    wb.save(buf)
    values = excel.read_workbook(form, buf.getvalue(), {"regime": regime.code, "unit": HIEP_DUC, "period": "2025-09"})
    sub = services.save_submission(by=StaffFactory(unit=unit(HIEP_DUC)), regime=regime, unit=unit(HIEP_DUC),
                                   period="2025-09", values=values, submit=True)  # fmt: skip
    stored = services.current_values(sub)
    assert stored["01.KY_NAY"] == 12000.0 and stored["03.KY_NAY"] == 2.0 and stored["06.KY_NAY"] == "ổn định"


def test_an_upload_for_another_period_or_a_changed_layout_is_refused():
    regime = monthly_regime()
    form, data = _download(regime)
    with pytest.raises(ServiceError, match="2025-08"):
        excel.read_workbook(form, data, {"regime": regime.code, "unit": HIEP_DUC, "period": "2025-08"})
    wb = load_workbook(io.BytesIO(data))
    wb.worksheets[0]["A4"] = "99"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ServiceError):
        excel.read_workbook(form, buf.getvalue(), {"period": "2025-09"})
    with pytest.raises(ServiceError):
        excel.read_workbook(form, b"not a workbook", {})
