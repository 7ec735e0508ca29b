"""Administrators define alert rules from a page: a form per kind with Vietnamese labels, the place
and the area picked from the unit tree, errors beside the field with what was typed kept."""

from __future__ import annotations

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.operations.models import AlertRule
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(StaffFactory(role="admin", unit=Unit.objects.get(key="vn34-p48")))
    return client


def _rule(**changes):
    return {"kind": "threshold", "name": "PM2.5 Hiệp Đức", "unit": "vn34-c20779", "sector": "environment",
            "p_field": "pm25", "p_op": ">", "p_value": "55,4", "p_for_seconds": "600", "severity": "Moderate",
            "cooldown_minutes": "30", "escalate_minutes": "0"} | changes  # fmt: skip


@pytest.mark.parametrize(
    "kind", ["threshold", "rate_of_change", "absence", "geofence", "count", "indicator_off_target", "anomaly"]
)
def test_every_kind_has_its_form(admin, kind):
    page = admin.get(f"/rules/new/?kind={kind}").content.decode()
    assert 'name="p_' in page and f'name="kind" value="{kind}"' in page


def test_an_administrator_saves_a_threshold_rule_from_the_page(admin):
    response = admin.post("/rules/new/", _rule())
    rule = AlertRule.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rules/{rule.pk}/"
    assert rule.params == {"field": "pm25", "op": ">", "value": 55.4, "for_seconds": 600}
    assert rule.cooldown_seconds == 1800 and rule.unit.key == "vn34-c20779"


def test_a_wrong_value_is_refused_beside_its_field_in_vietnamese_and_the_form_is_kept(admin):
    html = admin.post("/rules/new/", _rule(p_value="năm mươi")).content.decode()
    error = html.split('data-testid="error-p_value">')[1].split("</p>")[0]
    assert "Nhập một số" in error
    assert 'value="PM2.5 Hiệp Đức"' in html and 'value="pm25"' in html and "Xã Hiệp Đức" in html
    assert not AlertRule.objects.exists()


def test_a_geofence_takes_its_area_from_the_units_picked(admin):
    response = admin.post("/rules/new/", _rule(kind="geofence", name="Vùng Hiệp Đức", p_area_units=["vn34-c20779"],
                                               p_mode="enter"))  # fmt: skip
    assert response.status_code == 302
    rule = AlertRule.objects.get(name="Vùng Hiệp Đức")
    assert rule.params["area"]["type"] in ("Polygon", "MultiPolygon") and rule.params["mode"] == "enter"


def test_a_geofence_area_that_is_not_a_polygon_is_refused_beside_the_field(admin):
    html = admin.post("/rules/new/", _rule(kind="geofence", name="Ranh giới", p_mode="enter",
                                           p_area='{"type": "Point", "coordinates": [108, 16]}')).content.decode()  # fmt: skip
    assert "đa giác" in html.split('data-testid="error-p_area">')[1].split("</p>")[0]
    assert not AlertRule.objects.exists()


def test_a_rule_is_edited_switched_off_and_a_rule_without_alerts_deleted(admin):
    admin.post("/rules/new/", _rule())
    rule = AlertRule.objects.get()
    form = admin.get(f"/rules/{rule.pk}/edit/").content.decode()
    assert 'value="pm25"' in form and 'value="55,4"' in form
    admin.post(f"/rules/{rule.pk}/edit/", _rule(p_value="60", name="PM2.5 cao"))
    admin.post(f"/rules/{rule.pk}/disable/")
    rule.refresh_from_db()
    assert (rule.name, rule.params["value"], rule.active) == ("PM2.5 cao", 60.0, False)
    assert admin.post(f"/rules/{rule.pk}/delete/")["Location"] == "/rules/"
    assert not AlertRule.objects.exists()


def test_an_operator_may_not_define_rules(client):
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48")))
    assert client.get("/rules/").status_code == 403
    assert client.get("/rules/new/").status_code == 403
