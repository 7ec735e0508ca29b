"""Filing figures through the API: per-row reports, idempotence, scope, files in and out."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from toancanh.indicators.models import DataValue
from toancanh.indicators.tests.factories import indicator, values

HIEP_DUC, TAM_KY = "vn34-c20779", "vn34-c20341"


@pytest.fixture
def catalogue(world):
    indicator("REV")
    indicator("POP", measure="người", period_type="year", time_aggregation="last", decimals=0)
    indicator("REV_PC", period_type="year", unit_aggregation="none", formula="REV / POP")
    return world


def _post(client, rows, source="test"):
    return client.post("/api/v1/indicators/values", {"values": rows, "source": source}, content_type="application/json")


def test_a_batch_stores_the_good_rows_and_says_exactly_why_the_others_were_refused(catalogue):
    rows = [
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-01", "value": 12.5},
        {"indicator": "NOPE", "unit": HIEP_DUC, "period": "2026-01", "value": 1},
        {"indicator": "REV", "unit": "vn34-c99999", "period": "2026-01", "value": 1},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026Q1", "value": 1},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-13", "value": 1},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-02", "value": "mười"},
        {"indicator": "REV_PC", "unit": HIEP_DUC, "period": "2026", "value": 3},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-03", "value": "1.234,5"},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-01", "value": 13},
    ]
    body = _post(catalogue.client("clerk_hiep_duc"), rows).json()
    assert body["created"] == 2
    errors = {r["row"]: r["error"] for r in body["refused"]}
    assert errors == {
        2: "unknown indicator 'NOPE'",
        3: "unit 'vn34-c99999' not found (or outside your scope)",
        4: "REV is reported by month; '2026Q1' is a quarter",
        5: "month 13 is not 1–12",
        6: "'mười' is not a number",
        7: "REV_PC is computed by its formula (REV / POP); it takes no values",
        9: "the same figure is given twice (also row 1)",
    }
    assert DataValue.objects.get(indicator__code="REV", period="2026-03").value == 1234.5


def test_a_clerk_cannot_file_figures_outside_their_commune(catalogue):
    body = _post(
        catalogue.client("clerk_hiep_duc"), [{"indicator": "REV", "unit": TAM_KY, "period": "2026-01", "value": 1}]
    ).json()
    assert body["created"] == 0
    assert body["refused"] == [{"row": 1, "error": f"unit '{TAM_KY}' not found (or outside your scope)"}]


def test_sending_the_same_batch_twice_changes_nothing(catalogue):
    rows = [{"indicator": "REV", "unit": HIEP_DUC, "period": "2026-01", "value": 10}]
    client = catalogue.client("clerk_hiep_duc")
    assert _post(client, rows).json()["created"] == 1
    again = _post(client, rows).json()
    assert (again["created"], again["changed"], again["unchanged"]) == (0, 0, 1)


def test_a_leader_may_read_but_not_file(catalogue):
    response = _post(
        catalogue.client("leader"), [{"indicator": "REV", "unit": HIEP_DUC, "period": "2026-01", "value": 1}]
    )
    assert response.status_code == 403


def test_a_malformed_batch_is_a_422_with_the_reason(catalogue):
    response = catalogue.client("clerk_hiep_duc").post(
        "/api/v1/indicators/values", {"rows": []}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "values" in response.content.decode()


def test_the_excel_layout_officials_use_can_be_imported(catalogue):
    book = Workbook()
    sheet = book.active
    sheet.append(["Kỳ báo cáo", "2026-02"])
    sheet.append([])
    sheet.append(["Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", HIEP_DUC, TAM_KY])
    sheet.append(["REV", "Thu ngân sách", "tỷ đồng", 4.5, 7])
    sheet.append(["BAD", "?", "?", 1, None])
    buf = io.BytesIO()
    book.save(buf)
    buf.seek(0)
    buf.name = "bao-cao.xlsx"
    body = catalogue.client("admin").post("/api/v1/indicators/values/import", {"file": buf}).json()
    assert body["created"] == 2
    assert body["refused"] == [{"row": "Sheet!D5", "error": "unknown indicator 'BAD'"}]


def test_a_file_that_is_not_a_spreadsheet_is_refused_clearly(catalogue):
    buf = io.BytesIO(b"not a workbook")
    buf.name = "x.xlsx"
    response = catalogue.client("admin").post("/api/v1/indicators/values/import", {"file": buf})
    assert response.status_code == 400
    assert "không đọc được tệp .xlsx" in response.json()["detail"]


def test_figures_export_to_excel_in_the_same_layout(catalogue):
    values(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 20))
    response = catalogue.client("leader").get("/api/v1/indicators/export?unit=vn34-p48&period=2026-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Kỳ báo cáo" and sheet["B1"].value == "2026-01"
    header = [c.value for c in sheet[3]]
    row = {header[i]: c.value for i, c in enumerate(next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "REV"))}
    assert row[HIEP_DUC] == 10 and row[TAM_KY] == 20


def test_the_overview_drilldown_and_series_answer_within_scope(catalogue):
    values(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 20))
    leader = catalogue.client("leader")
    overview = {f["indicator"]: f for f in leader.get("/api/v1/indicators/overview?unit=vn34-p48").json()}
    assert overview["REV"]["value"] == 30
    ranked = leader.get("/api/v1/indicators/REV/units?unit=vn34-p48&period=2026-01").json()
    assert [(r["unit"], r["rank"]) for r in ranked[:2]] == [(TAM_KY, 1), (HIEP_DUC, 2)]
    assert catalogue.client("clerk_hiep_duc").get(f"/api/v1/indicators/REV/series?unit={TAM_KY}").status_code == 404
    series = catalogue.client("clerk_hiep_duc").get(f"/api/v1/indicators/REV/series?unit={HIEP_DUC}").json()
    assert series["points"] == [{"period": "2026-01", "value": 10, "complete": True, "anomaly_z": None}]


def test_the_history_of_corrections_is_kept(catalogue):
    values(("REV", HIEP_DUC, "2026-01", 10))
    values(("REV", HIEP_DUC, "2026-01", 11))
    history = catalogue.client("leader").get(f"/api/v1/indicators/REV/history?unit={HIEP_DUC}&period=2026-01").json()
    assert [(c["old_value"], c["new_value"]) for c in history["corrections"]] == [(None, 10), (10, 11)]


def test_an_officer_of_a_sector_without_indicators_gets_an_empty_overview(catalogue):
    # The health officer sees only health indicators, and there are none here.
    assert catalogue.client("officer").get("/api/v1/indicators/overview?unit=vn34-p48").json() == []


def test_each_new_figure_of_a_mixed_batch_gets_its_own_first_history_entry(catalogue):
    # A batch mixing new figures and corrections, after other figures were stored: every new figure's
    # history starts with its own value, and the corrected one keeps its two entries.
    values(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 20))
    values(("REV", TAM_KY, "2026-02", 21), ("REV", HIEP_DUC, "2026-01", 11), ("REV", HIEP_DUC, "2026-02", 12))
    stored = {(v.unit.key, v.period): v for v in DataValue.objects.select_related("unit")}
    assert len(stored) == 4
    for (unit, period), value in stored.items():
        history = [(c.old_value, c.new_value) for c in value.corrections.all()]
        expected = [(None, 10), (10, 11)] if (unit, period) == (HIEP_DUC, "2026-01") else [(None, value.value)]
        assert history == expected, (unit, period)
