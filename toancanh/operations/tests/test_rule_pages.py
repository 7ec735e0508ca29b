"""Administrators define alert rules from a page, the form built from each kind's parameters."""

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


@pytest.mark.parametrize(
    "kind", ["threshold", "rate_of_change", "absence", "geofence", "count", "indicator_off_target", "anomaly"]
)
def test_every_kind_has_its_form(admin, kind):
    page = admin.get(f"/rules/?kind={kind}").content.decode()
    assert 'name="p_' in page


def test_an_administrator_saves_a_threshold_rule_from_the_page(admin):
    response = admin.post("/rules/", {"kind": "threshold", "name": "PM2.5 Hiệp Đức", "unit": "vn34-c20779",
                                      "sector": "environment", "p_field": "pm25", "p_op": ">", "p_value": "55,4",
                                      "p_for_seconds": "600", "severity": "Moderate", "cooldown_minutes": "30"})  # fmt: skip
    assert response.status_code == 302
    rule = AlertRule.objects.get()
    assert rule.params == {"field": "pm25", "op": ">", "value": 55.4, "for_seconds": 600}
    assert rule.cooldown_seconds == 1800 and rule.unit.key == "vn34-c20779"


def test_a_rule_that_cannot_be_evaluated_is_refused_on_the_page_with_the_reason(admin):
    response = admin.post("/rules/", {"kind": "geofence", "name": "Ranh giới", "unit": "vn34-p48",
                                      "p_area": '{"type": "Point", "coordinates": [108, 16]}'}, follow=True)  # fmt: skip
    assert "Polygon" in response.content.decode()
    assert not AlertRule.objects.exists()


def test_an_operator_may_not_define_rules(client):
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48")))
    assert client.get("/rules/").status_code == 403
