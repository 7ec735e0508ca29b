"""The public unit list: paging, filters, validity dates, accent-insensitive search."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_today_there_are_34_provinces_and_3321_communes(client):
    provinces = client.get("/api/v1/units?level=province&limit=100").json()
    communes = client.get("/api/v1/units?level=commune&limit=10").json()
    assert provinces["count"] == 34
    assert len(provinces["items"]) == 34
    assert communes["count"] == 3321
    assert len(communes["items"]) == 10
    assert not client.get("/api/v1/units?level=district").json()["count"]


def test_on_1_january_2025_quang_nam_49_has_its_17_districts(client):
    qn = client.get("/api/v1/units?valid_at=2025-01-01&level=province&code=49").json()
    assert qn["count"] == 1
    assert qn["items"][0]["name"] == "Tỉnh Quảng Nam"
    key = qn["items"][0]["key"]
    districts = client.get(f"/api/v1/units?valid_at=2025-01-01&parent={key}&limit=50").json()
    names = {d["name"] for d in districts["items"]}
    assert districts["count"] == 17
    assert {"Huyện Hiệp Đức", "Thành phố Tam Kỳ", "Thành phố Hội An"} <= names
    assert client.get("/api/v1/units?valid_at=2025-01-01&level=province").json()["count"] == 63


def test_quang_nam_no_longer_exists_today(client):
    assert client.get("/api/v1/units?level=province&code=49").json()["count"] == 0
    detail = client.get("/api/v1/units/vn63-p49").json()
    assert detail["valid_to"] == "2025-06-30"
    assert [s["unit"]["key"] for s in detail["successors"]] == ["vn34-p48"]


def test_search_is_accent_insensitive(client):
    found = client.get("/api/v1/units?q=hiep duc&any_time=true&limit=50").json()["items"]
    names = {u["name"] for u in found}
    assert "Xã Hiệp Đức" in names and "Huyện Hiệp Đức" in names
    assert {u["name"] for u in client.get("/api/v1/units?q=HIỆP ĐỨC").json()["items"]} >= {"Xã Hiệp Đức"}


def test_a_unit_is_found_by_its_key_or_an_unambiguous_code(client):
    assert client.get("/api/v1/units/vn34-p48").json()["name"] == "Thành phố Đà Nẵng"
    assert client.get("/api/v1/units/48").json()["key"] == "vn34-p48"


def test_an_unknown_unit_answers_404_with_a_reason(client):
    response = client.get("/api/v1/units/vn34-p99")
    assert response.status_code == 404
    assert "unknown unit" in response.json()["detail"]
    assert client.get("/api/v1/units?parent=nowhere").status_code == 404


def test_a_bad_date_is_refused_with_a_reason(client):
    response = client.get("/api/v1/units?valid_at=31-02-2025")
    assert response.status_code == 422
    assert "valid_at" in response.content.decode()


def test_the_detail_shows_ancestors_and_predecessors(client):
    detail = client.get("/api/v1/units/vn34-c20779").json()
    assert [a["key"] for a in detail["ancestors"]] == ["vn34-p48"]
    assert detail["predecessors"], "Xã Hiệp Đức was formed from former communes"
    assert all(p["unit"]["key"].startswith("vn63-c") for p in detail["predecessors"])


def test_the_unit_list_does_not_query_per_row(client):
    with CaptureQueriesContext(connection) as small:
        client.get("/api/v1/units?level=commune&limit=5")
    with CaptureQueriesContext(connection) as large:
        client.get("/api/v1/units?level=commune&limit=500")
    assert len(large) == len(small)


def test_the_map_of_a_province_has_one_feature_per_commune(client):
    data = client.get("/api/v1/units/vn34-p48/map").json()
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 94
    assert all(f["properties"]["approximate"] for f in data["features"]), "no commune boundary was imported"
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert kinds <= {"Polygon", "MultiPolygon"}


def test_vietnamese_names_come_as_utf8_text(client):
    response = client.get("/api/v1/units/vn34-c20779")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Xã Hiệp Đức".encode() in response.content
