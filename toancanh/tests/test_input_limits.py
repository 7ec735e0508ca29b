"""Every input bounded: each bad input of the probes gets a clear 4xx in the one error shape (or, in a
batch, its row is refused with the reason and the others are stored), never a 500 or a silent acceptance."""

from __future__ import annotations

import io
import json

import pytest

from toancanh.tests.cast import HIEP_DUC, PROVINCE

EVENT = {"source": "probe", "sector": "environment", "type": "reading", "unit": HIEP_DUC,
         "occurred_at": "2026-11-21T08:00:00+07:00"}  # fmt: skip


def _post(client, path, body: str | dict, **headers):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"/api/v1{path}", data=data, content_type="application/json", headers=headers)


def _is_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"], body
    return body


@pytest.fixture
def figures(world):
    from toancanh.indicators.tests.factories import indicator

    indicator("REV")
    return world


def test_a_two_megabyte_source_on_a_figures_batch_is_refused_before_anything_is_stored(figures):
    from toancanh.indicators.models import DataValue

    rows = [{"indicator": "REV", "unit": HIEP_DUC, "period": f"2026-{m:02d}", "value": m} for m in range(1, 13)]
    for source in ("x" * 2**21, "x" * 201):
        sent = _post(figures.client("clerk_hiep_duc"), "/indicators/values", {"values": rows, "source": source})
        assert _is_error(sent, 422)["errors"][0]["field"] == "source"
    assert not DataValue.objects.exists()


def test_in_a_figures_batch_a_bad_row_is_refused_with_its_reason_and_the_others_are_stored(figures):
    rows = [
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-01", "value": 1},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-02", "value": 2, "source": "y" * 300},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "0000-01", "value": 3},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "9999-12", "value": 4},
        {"indicator": "REV", "unit": HIEP_DUC, "period": "2026-05", "value": "NaN"},
        {"indicator": "REV\ud800", "unit": HIEP_DUC, "period": "2026-06", "value": 6},
    ]
    text = json.dumps({"values": rows}).replace('"NaN"', "NaN")
    report = _post(figures.client("clerk_hiep_duc"), "/indicators/values", text).json()
    assert report["created"] == 1
    assert [r["row"] for r in report["refused"]] == [2, 3, 4, 5, 6]
    assert all(r["error"] for r in report["refused"])


def test_a_lone_surrogate_or_nan_in_an_event_refuses_that_event_and_the_events_list_still_works(world):
    client = world.client("operator")
    events = [
        EVENT | {"source_id": "good"},
        EVENT | {"source_id": "surrogate", "payload": {"note": "\ud800"}},
        EVENT | {"source_id": "nan", "payload": {"level": "NaN"}},
        EVENT | {"source_id": "huge", "payload": {"level": "1e400"}},
        EVENT | {"source_id": "ancient", "occurred_at": "0001-01-01T00:00:00+07:00"},
        EVENT | {"source_id": "naive", "occurred_at": "2026-11-21T08:00:00"},
        EVENT | {"source_id": "nul", "subject": "a\x00b"},
        EVENT | {"source_id": "long", "subject": "s" * 121},
        EVENT | {"source_id": "big", "payload": {"blob": "b" * 20_000}},
        EVENT | {"source_id": "sector", "sector": "astrology"},
    ]
    text = json.dumps({"events": events}).replace('"NaN"', "NaN").replace('"1e400"', "1e400")
    report = _post(client, "/events", text).json()
    assert report["stored"] == 1
    assert [r["row"] for r in report["refused"]] == list(range(2, 11))
    listed = client.get("/api/v1/events")
    assert listed.status_code == 200 and [e["source_id"] for e in listed.json()["items"]] == ["good"]


@pytest.mark.parametrize(
    "path",
    ["/events", "/rules", "/alerts", "/situations", "/warnings", "/audit", "/indicators", "/agencies", "/users",
     "/apikeys", "/channels", "/subscriptions", "/notifications", "/units"],
)  # fmt: skip
def test_an_offset_of_two_to_the_hundredth_is_refused_on_every_list(world, path):
    body = _is_error(world.client("admin").get(f"/api/v1{path}?offset={2**100}"), 422)
    assert body["errors"][0]["field"] == "offset"
    _is_error(world.client("admin").get(f"/api/v1{path}?limit=100000"), 422)


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/situations/{big}"), ("get", "/users/{big}"), ("post", "/alerts/{big}/acknowledge"),
     ("post", "/apikeys/{big}/revoke"), ("get", "/situations/1/attachments/{big}")],
)  # fmt: skip
def test_an_id_beyond_the_database_keys_is_refused(world, method, path):
    response = getattr(world.client("admin"), method)("/api/v1" + path.format(big=2**63))
    _is_error(response, 422)


def test_a_user_id_of_two_to_the_sixty_third_in_an_assignment_is_refused(world):
    from toancanh.operations import services

    situation = services.open_situation(by=None, title="Sạt lở", severity="Severe", unit=world.units[HIEP_DUC])
    body = _is_error(_post(world.client("operator"), f"/situations/{situation.pk}/assign", {"users": [2**63]}), 422)
    assert body["errors"][0]["field"].startswith("users")


def test_unknown_sectors_severities_and_statuses_are_refused(world):
    client = world.client("admin")
    _is_error(_post(client, "/situations", {"title": "Sạt lở", "severity": "Severe", "unit": HIEP_DUC,
                                           "sector": "astrology"}), 400)  # fmt: skip
    _is_error(_post(client, "/situations", {"title": "Sạt lở", "severity": "Apocalyptic", "unit": HIEP_DUC}), 422)
    rule = {"name": "Bụi", "kind": "threshold", "unit": HIEP_DUC, "params": {"field": "pm25", "op": ">", "value": 5}}
    _is_error(_post(client, "/rules", rule | {"sector": "astrology"}), 400)
    assert "threshold" in _is_error(_post(client, "/rules", rule | {"kind": "magic"}), 400)["detail"]
    _is_error(client.get("/api/v1/situations?status=lost"), 422)
    _is_error(client.get("/api/v1/alerts?state=lost"), 422)


def test_nan_or_infinity_in_a_rule_parameter_is_refused(world):
    client = world.client("admin")
    for number in ("NaN", "Infinity", "1e400"):
        rule = {
            "name": "Bụi",
            "kind": "threshold",
            "unit": HIEP_DUC,
            "params": {"field": "pm25", "op": ">", "value": 0},
        }
        text = json.dumps(rule).replace('"value": 0', f'"value": {number}')
        body = _is_error(_post(client, "/rules", text), 400)
        assert (
            "NaN" in body["detail"]
            or "finite" in body["detail"]
            or "hữu hạn" in body["detail"]
            or "lớn" in body["detail"]
        )


def test_year_one_and_naive_times_are_refused_in_queries(world):
    client = world.client("admin")
    _is_error(client.get("/api/v1/events?since=0001-01-01T00:00:00%2B07:00"), 422)
    _is_error(client.get("/api/v1/events?since=2026-01-01T00:00:00"), 422)
    _is_error(client.get("/api/v1/audit?since=9999-12-31T23:59:59%2B00:00"), 422)


def test_periods_outside_1900_to_2100_are_refused_in_queries(figures):
    client = figures.client("admin")
    for period in ("0000-01", "9999-12"):
        _is_error(client.get(f"/api/v1/indicators/REV/history?unit={HIEP_DUC}&period={period}"), 400)


def test_a_csv_that_is_not_utf8_is_refused_with_a_reason(figures):
    f = io.BytesIO(
        "indicator,unit,period,value\nREV,Hiệp Đức,2026-03,4\n".encode("cp1258", errors="replace") + b"\xff\xfe"
    )
    f.name = "figures.csv"
    response = figures.client("clerk_hiep_duc").post("/api/v1/indicators/values/import", data={"file": f})
    body = _is_error(response, 400)
    assert "UTF-8" in body["detail"]


def test_a_file_is_judged_by_its_content_not_its_declared_type(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from toancanh.operations import services

    situation = services.open_situation(by=None, title="Sạt lở", severity="Severe", unit=world.units[HIEP_DUC])
    url = f"/api/v1/situations/{situation.pk}/attachments"
    fake = SimpleUploadedFile("anh.png", b"just some text, not a picture", content_type="image/png")
    _is_error(world.client("operator").post(url, data={"file": fake}), 400)
    exe = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00", content_type="application/pdf")
    _is_error(world.client("operator").post(url, data={"file": exe}), 400)
    real = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    made = world.client("operator").post(url, data={"file": real})
    assert made.status_code == 201 and made.json()["content_type"] == "image/png"


def test_a_ten_megabyte_warning_description_is_refused(world):
    warning = {"event": "Lũ", "event_en": "Flood", "headline": "Cảnh báo lũ", "headline_en": "Flood warning",
               "description": "m" * 10 * 2**20, "description_en": "Heavy rain.", "severity": "Severe",
               "urgency": "Immediate", "certainty": "Likely", "units": [HIEP_DUC]}  # fmt: skip
    _is_error(_post(world.client("operator"), "/warnings", warning), 413)
    body = _is_error(_post(world.client("operator"), "/warnings", warning | {"description": "m" * 5001}), 422)
    assert body["errors"][0]["field"] == "description"


def test_nul_bytes_and_lone_surrogates_in_any_json_body_are_refused(world):
    client = world.client("admin")
    for bad in ("\\u0000", "\\ud800"):
        text = json.dumps({"title": "Sạt lở", "severity": "Severe", "unit": HIEP_DUC}, ensure_ascii=False)
        text = text.replace("Sạt", "S" + bad)
        _is_error(_post(client, "/situations", text), 400)
    _is_error(client.get("/api/v1/events?type=a%00b"), 400)
    _is_error(_post(client, "/situations", "[" * 100_000), 400)


def test_errors_speak_vietnamese_unless_the_caller_asks_for_english(world):
    anon = world.client("anonymous")
    vi = anon.get("/api/v1/me").json()["detail"]
    en = anon.get("/api/v1/me", headers={"Accept-Language": "en"}).json()["detail"]
    assert en.startswith("authentication required") and vi != en
    client = world.client("admin")
    vi = _is_error(_post(client, "/situations", {"title": "x" * 300, "severity": "Severe", "unit": PROVINCE}), 422)
    assert "200" in vi["errors"][0]["message"] and "characters" not in vi["errors"][0]["message"]


def test_the_openapi_document_lists_the_error_answers(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "ErrorRead" in spec["components"]["schemas"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            codes = {str(c) for c in op["responses"]}
            assert {"400", "404", "413", "422"} <= codes, (method, path)
            if op.get("security"):
                assert {"401", "403"} <= codes, (method, path)
