"""The reporting pages: the entry grid, saving with errors beside the cells, submit and approve."""

from __future__ import annotations

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.reporting import demo
from toancanh.reporting.models import Status, Submission
from toancanh.reporting.tests.factories import HIEP_DUC, PROVINCE, TAM_KY, unit

pytestmark = pytest.mark.django_db
URL = f"/reporting/{demo.REGIME}/{HIEP_DUC}/2025-10/"


@pytest.fixture
def regime():
    demo.build()


def test_a_clerk_fills_the_grid_submits_and_the_approver_approves(client, regime):
    clerk = StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk")
    client.force_login(clerk)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="cell-07.KY_NAY"' in html and "Dân số trung bình" in html and "reporting/entry.js" in html
    bad = client.post(URL, {"c:07.KY_NAY": "nhiều", "c:08.KY_NAY": "5", "action": "save"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert bad.status_code == 400 and "[07.KY_NAY]" in bad.content.decode()
    assert not Submission.objects.exists()
    values = {
        "c:07.KY_NAY": "12.000",
        "c:08.KY_NAY": "120",
        "c:09.KY_NAY": "3000",
        "c:01.KY_NAY": "500",
        "c:02.KY_NAY": "300",
    }
    assert client.post(URL, {**values, "action": "submit"}).status_code == 302
    assert Submission.objects.get().status == Status.SUBMITTED
    client.force_login(StaffFactory(unit=unit(PROVINCE), role="operator"))
    approver_page = client.get(URL).content.decode()
    assert 'data-testid="approve-report"' in approver_page
    assert 'value="12000"' in approver_page  # figures typed back without locale grouping
    assert client.post(URL, {"action": "approve"}).status_code == 302
    assert Submission.objects.get().status == Status.APPROVED


def test_a_clerk_cannot_open_another_communes_report(client, regime):
    client.force_login(StaffFactory(unit=unit(TAM_KY), role="reporting_clerk"))
    assert client.get(URL).status_code == 404
    assert client.get("/reporting/").status_code == 200


def test_the_form_downloads_as_excel_and_a_filled_workbook_uploads(client, regime):
    import io

    from openpyxl import load_workbook

    client.force_login(StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk"))
    got = client.get(URL + "?format=xlsx")
    assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(got.content))
    ws = wb.worksheets[0]
    rows = {ws.cell(r, 1).value: r for r in range(3, ws.max_row + 1)}
    ws.cell(rows["07"], 4, 12000)
    ws.cell(rows["08"], 4, 100)
    ws.cell(rows["09"], 4, 2000)
    buf = io.BytesIO()
    wb.save(buf)
    buf.name = "bao-cao.xlsx"
    buf.seek(0)
    answer = client.post(URL, {"workbook": buf, "action": "save"})
    html = answer.content.decode()
    assert answer.status_code == 302, html[html.find("report-problems") : html.find("report-problems") + 600]
    sub = Submission.objects.get()
    from toancanh.reporting.services import current_values

    assert current_values(sub)["10.KY_NAY"] == 5.0


def test_last_months_sums_are_shown_without_binary_noise(client, regime):
    from toancanh.reporting import services
    from toancanh.reporting.models import Regime

    clerk = StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk")
    r = Regime.objects.get(code=demo.REGIME)
    for month, rice in (("2026-01", "0.1"), ("2026-02", "0.2")):
        services.save_submission(by=clerk, regime=r, unit=unit(HIEP_DUC), period=month, submit=True,
                                 values={"07.KY_NAY": 1000, "04.KY_NAY": rice})  # fmt: skip
    client.force_login(clerk)
    html = client.get(f"/reporting/{demo.REGIME}/{HIEP_DUC}/2026-03/").content.decode()
    # last month's year to date (0.1 + 0.2) shown as 0.3; the evaluator's data keeps the exact value
    assert "0.30000000000000004</small>" not in html and ">0.3</small>" in html
