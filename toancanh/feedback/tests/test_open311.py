"""Open311 GeoReport v2: every endpoint in JSON and XML, the spec's errors, and no personal data."""

from __future__ import annotations

import json
from xml.etree.ElementTree import fromstring

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from toancanh.feedback import handling, services
from toancanh.feedback.models import Report
from toancanh.feedback.tests.conftest import HA_NOI, HAI_CHAU, jpeg, submission

SECRETS = ("Nguyễn Văn An", "0905123456", "10.0.0.1", "an@example.vn", "dev-1")


@pytest.fixture
def key(agencies):
    from toancanh.accounts.tests.factories import api_key

    return api_key("open311-zalo-bot", "operator", "vn34-p48")[1]


@pytest.fixture
def answered(agencies, staff):
    report = services.submit_report(submission(photos=[jpeg()]))
    handling.accept(report, by=staff["operator"])
    handling.answer(report, by=staff["hai_chau"], text="Đã giải tỏa vỉa hè.")
    return report


def parse(response):
    if response["Content-Type"].startswith("application/json"):
        return json.loads(response.content)
    return fromstring(response.content)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_and_services(client, fmt, db):
    r = client.get(f"/open311/v2/discovery.{fmt}")
    assert r.status_code == 200
    doc = parse(r)
    if fmt == "json":
        assert doc["endpoints"][0]["specification"].endswith("GeoReport_v2")
    else:
        assert doc.tag == "discovery" and doc.find("endpoints/endpoint/formats/format").text == "text/xml"
    r = client.get(f"/open311/v2/services.{fmt}")
    doc = parse(r)
    codes = [s["service_code"] for s in doc] if fmt == "json" else [s.findtext("service_code") for s in doc]
    assert "urban_order.sidewalk" in codes and "food_safety.poisoning" in codes and "urban_order" not in codes
    assert len(codes) == 26
    r = client.get(f"/open311/v2/services/environment.waste.{fmt}")
    doc = parse(r)
    if fmt == "json":
        assert doc["service_code"] == "environment.waste" and doc["attributes"][1]["values"][0]["key"] == "false"
    else:
        assert doc.tag == "service_definition" and doc.find("attributes/attribute/code").text == "title"
    r = client.get(f"/open311/v2/services/weather.{fmt}")
    assert r.status_code == 404
    err = parse(r)
    assert (err[0]["code"] if fmt == "json" else err.find("error/code").text) in (404, "404")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_list_detail_and_tokens_show_public_data_only(client, answered, fmt):
    other = services.submit_report(submission("traffic.parking", phone="0905999888", device="dev-x", ip="10.9.9.9"))
    r = client.get(f"/open311/v2/requests.{fmt}")
    assert r.status_code == 200
    body = r.content.decode()
    for secret in (*SECRETS, answered.token, other.token):
        assert secret not in body
    doc = parse(r)
    if fmt == "json":
        by_id = {d["service_request_id"]: d for d in doc}
        assert by_id[answered.code]["status"] == "closed" and by_id[other.code]["status"] == "open"
        assert by_id[answered.code]["status_notes"] == "Đã giải tỏa vỉa hè."
        assert by_id[answered.code]["media_url"].endswith(".jpg")
        assert by_id[answered.code]["agency_responsible"] == "UBND phường Hải Châu"
    else:
        assert doc.tag == "service_requests" and len(doc.findall("request")) == 2
    # Filters: status, service_code, ids, dates, paging.
    assert [
        d["service_request_id"] for d in json.loads(client.get("/open311/v2/requests.json?status=open").content)
    ] == [other.code]
    assert len(json.loads(client.get("/open311/v2/requests.json?service_code=traffic.parking").content)) == 1
    assert len(json.loads(client.get(f"/open311/v2/requests.json?service_request_id={answered.code}").content)) == 1
    assert json.loads(client.get("/open311/v2/requests.json?end_date=2020-01-01T00:00:00%2B07:00").content) == []
    assert len(json.loads(client.get("/open311/v2/requests.json?page_size=1&page=2").content)) == 1
    assert client.get("/open311/v2/requests.json?status=maybe").status_code == 400
    assert client.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400
    r = client.get(f"/open311/v2/requests/{answered.code}.{fmt}")
    assert r.status_code == 200 and answered.code in r.content.decode()
    assert "0905123456" not in r.content.decode()
    assert client.get(f"/open311/v2/requests/PA00000000.{fmt}").status_code == 404
    r = client.get(f"/open311/v2/tokens/{answered.token}.{fmt}")
    doc = parse(r)
    assert (doc[0]["service_request_id"] if fmt == "json" else doc.findtext("request/service_request_id")) == (
        answered.code
    )


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_post_with_a_key_creates_a_report_and_answers_its_id(client, key, fmt):
    photo = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    r = client.post(f"/open311/v2/requests.{fmt}", {
        "api_key": key, "service_code": "infrastructure.streetlight", "lat": HAI_CHAU[0], "long": HAI_CHAU[1],
        "description": "Ba cột đèn đường Bạch Đằng không sáng từ tối qua.", "first_name": "Nguyễn Văn",
        "last_name": "An", "phone": "0905123456", "email": "an@example.vn", "media": photo,
    })  # fmt: skip
    assert r.status_code == 201, r.content
    doc = parse(r)
    code = doc[0]["service_request_id"] if fmt == "json" else doc.findtext("request/service_request_id")
    report = Report.objects.get(code=code)
    assert report.channel == "open311" and report.photos.count() == 1 and report.reporter_name == "Nguyễn Văn An"
    assert "token" not in r.content.decode()  # the id or the token, never both
    assert "0905123456" not in client.get(f"/open311/v2/requests/{code}.{fmt}").content.decode()


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": ""}, 403, "thiếu api_key"),
        ({"api_key": "tc_nope_wrong"}, 403, "api_key không hợp lệ"),
        ({"service_code": ""}, 400, "cần có service_code"),
        ({"service_code": "weather"}, 404, "không có service_code"),
        ({"lat": ""}, 400, "cần có lat và long"),
        ({"lat": HA_NOI[0], "long": HA_NOI[1]}, 400, "nằm ngoài"),
        ({"description": "x" * 10_000}, 400, "10000"),
        ({"media": SimpleUploadedFile("a.jpg", b"plain text, not a photo", content_type="image/jpeg")}, 400, "ảnh"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_bad_post_answers_the_specs_error_and_stores_nothing(client, key, change, status, words, fmt):
    data = {"api_key": key, "service_code": "environment.waste", "lat": HAI_CHAU[0], "long": HAI_CHAU[1],
            "description": "Rác thải tồn đọng nhiều ngày ở đầu kiệt 45."} | change  # fmt: skip
    r = client.post(f"/open311/v2/requests.{fmt}", data)
    assert r.status_code == status
    doc = parse(r)
    if fmt == "json":
        assert doc[0]["code"] == status and words in doc[0]["description"]
    else:
        assert doc.tag == "errors" and doc.findtext("error/code") == str(status)
        assert words in doc.findtext("error/description")
    assert Report.objects.count() == 0


def _flood_post(client, key, fmt, **change):
    data = {"api_key": key, "service_code": "environment.waste", "lat": HAI_CHAU[0], "long": HAI_CHAU[1],
            "description": "Rác thải tồn đọng nhiều ngày ở đầu kiệt 45."} | change  # fmt: skip
    return client.post(f"/open311/v2/requests.{fmt}", data)


def _spec_error(r, fmt):
    doc = parse(r)
    if fmt == "json":
        return doc[0]["code"], doc[0]["description"]
    assert doc.tag == "errors"
    return int(doc.findtext("error/code")), doc.findtext("error/description")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_posts_are_held_to_the_senders_hourly_limit_with_the_specs_error(client, key, fmt):
    from toancanh.feedback.models import HandlingSettings

    HandlingSettings.objects.update(max_reports_per_hour=2)
    assert [_flood_post(client, key, fmt, phone="0905 000 111", device_id=f"d{i}").status_code for i in range(2)] == [
        201, 201]  # fmt: skip
    r = _flood_post(client, key, fmt, phone="+84905000111", device_id="d9")  # the same number, written otherwise
    assert r.status_code == 429
    code, text = _spec_error(r, fmt)
    assert code == 429 and "trong một giờ" in text
    # the integrator's address is not the sender: other citizens through the same key still send
    assert _flood_post(client, key, fmt, phone="0905000222").status_code == 201
    assert _flood_post(client, key, fmt, device_id="zalo-user-7").status_code == 201
    assert Report.objects.count() == 4


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_locked_sender_posting_through_open311_is_refused_with_the_specs_403(client, key, staff, fmt):
    from toancanh.feedback import handling
    from toancanh.feedback.models import AccountLock

    codes = []
    for _ in range(3):
        r = _flood_post(client, key, "json", device_id="zalo-user-9")
        codes.append(parse(r)[0]["service_request_id"])
    for code in codes:
        handling.refuse(Report.objects.get(code=code), by=staff["operator"], reason="spam")
    assert AccountLock.objects.active().filter(device__gt="").count() == 1
    r = _flood_post(client, key, fmt, device_id="zalo-user-9")
    assert r.status_code == 403
    code, text = _spec_error(r, fmt)
    assert code == 403 and "tạm khóa" in text
    assert Report.objects.count() == 3
