"""The operator's console: the alert inbox (filters, acknowledge, clear with a reason), opening a
situation from several alerts, assigning it, the timeline with names, the notification bell."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from toancanh.core.models import AuditEntry
from toancanh.core.scoping import Scope
from toancanh.operations import engine, services
from toancanh.operations.models import Alert, InAppNotification, Situation
from toancanh.tests.cast import HIEP_DUC, TAM_KY

pytestmark = pytest.mark.django_db


@pytest.fixture
def alerts(world):
    everywhere = Scope(everywhere=True)
    engine.reset()
    services.save_rule(by=None, scope=everywhere, name="Bụi mịn", kind="threshold", unit="vn34-p48",
                       sector_id="environment", params={"field": "pm25", "op": ">", "value": 55.4})  # fmt: skip
    now = timezone.now()
    rows = [{"source": "t", "source_id": f"e{i}", "sector": "environment", "type": "air", "subject": subject,
             "unit": unit, "occurred_at": (now - dt.timedelta(minutes=5 - i)).isoformat(), "payload": {"pm25": 90}}
            for i, (subject, unit) in enumerate([("Trạm Hiệp Đức", HIEP_DUC), ("Trạm Tam Kỳ", TAM_KY)])]  # fmt: skip
    services.ingest_events(rows, by=None, scope=everywhere)
    yield {a.key: a for a in Alert.objects.all()}
    engine.reset()


def test_the_inbox_filters_by_state_unit_and_sector_and_hides_what_is_out_of_scope(world, alerts):
    html = world.client("operator").get("/alerts/").content.decode()
    assert "Trạm Hiệp Đức" in html or "Bụi mịn" in html
    assert html.count('data-testid="row"') == 2
    within = world.client("operator").get(f"/alerts/?unit={TAM_KY}").content.decode()
    assert within.count('data-testid="row"') == 1
    assert world.client("operator").get("/alerts/?sector=health").content.decode().count('data-testid="row"') == 0
    c = Client()  # an operator of Phường Tam Kỳ only
    c.force_login(world.users["operator_tam_ky"])
    assert c.get("/alerts/").content.decode().count('data-testid="row"') == 1
    assert c.get(f"/alerts/{alerts['Trạm Hiệp Đức'].pk}/").status_code == 404


def test_an_operator_acknowledges_and_clears_with_a_reason(world, alerts):
    c = world.client("operator")
    a = alerts["Trạm Hiệp Đức"]
    c.post(f"/alerts/{a.pk}/acknowledge/")
    a.refresh_from_db()
    assert a.state == "acknowledged"
    refused = c.post(f"/alerts/{a.pk}/clear/", {"reason": ""}).content.decode()
    assert 'data-testid="error-reason"' in refused and "bắt buộc" in refused
    c.post(f"/alerts/{a.pk}/clear/", {"reason": "Cảm biến báo nhầm, đã kiểm tra"})
    a.refresh_from_db()
    assert (a.state, a.clear_reason, a.cleared_by) == ("cleared", "Cảm biến báo nhầm, đã kiểm tra",
                                                       world.users["operator"].username)  # fmt: skip
    assert AuditEntry.objects.filter(action="alerts.clear", object_id=str(a.pk)).exists()
    assert 'data-testid="row"' not in c.get(f"/alerts/?unit={HIEP_DUC}").content.decode()  # gone from the inbox
    assert (
        world.client("leader").post(f"/alerts/{alerts['Trạm Tam Kỳ'].pk}/clear/", {"reason": "x y z"}).status_code
        == 403
    )


def test_clearing_through_the_api_needs_a_reason_and_happens_once(world, alerts):
    c = world.client("operator")
    a = alerts["Trạm Tam Kỳ"]
    assert c.post(f"/api/v1/alerts/{a.pk}/clear", {}, content_type="application/json").status_code == 422
    ok = c.post(f"/api/v1/alerts/{a.pk}/clear", {"reason": "Đã xử lý xong"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["clear_reason"] == "Đã xử lý xong" and ok.json()["state"] == "cleared"
    again = c.post(f"/api/v1/alerts/{a.pk}/clear", {"reason": "Đã xử lý xong"}, content_type="application/json")
    assert again.status_code == 400


def test_a_situation_opened_from_two_alerts_links_them_and_is_assigned_with_names_on_the_timeline(world, alerts):
    c = world.client("operator")
    ids = [alerts["Trạm Hiệp Đức"].pk, alerts["Trạm Tam Kỳ"].pk]
    form = c.get(f"/situations/new/?alerts={ids[0]}&alerts={ids[1]}").content.decode()
    assert 'value="Bụi mịn' in form and form.count('name="alerts"') == 2
    response = c.post("/situations/new/", {"title": "Ô nhiễm bụi diện rộng", "severity": "Severe", "unit": HIEP_DUC,
                                           "sector": "environment", "alerts": ids})  # fmt: skip
    situation = Situation.objects.get(title="Ô nhiễm bụi diện rộng")
    assert response["Location"] == f"/situations/{situation.pk}/"
    assert set(situation.alerts.values_list("pk", flat=True)) == set(ids)
    assert set(Alert.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"acknowledged"}
    officer = world.users["officer"]
    c.post(f"/situations/{situation.pk}/assign/", {"lead_agency": "so-y-te", "assignees": [officer.pk]})
    situation.refresh_from_db()
    assert situation.lead_agency.code == "so-y-te" and list(situation.assignees.all()) == [officer]
    page = c.get(f"/situations/{situation.pk}/").content.decode()
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert (
        world.users["operator"].full_name in timeline and f"<strong>{world.users['operator'].username}<" not in timeline
    )
    assert officer.full_name in page


def test_a_user_outside_the_scope_cannot_be_assigned(world, alerts):
    c = world.client("admin_hiep_duc")
    situation = services.open_situation(by=None, title="Sạt lở", severity="Severe", unit=world.units[HIEP_DUC])
    response = c.post(f"/situations/{situation.pk}/assign/", {"assignees": [world.users["operator_tam_ky"].pk]})
    assert 'data-testid="error-assignees"' in response.content.decode()
    assert not situation.assignees.exists()


def test_the_bell_counts_a_persons_own_unread_notifications_and_marks_them_read(world):
    me, other = world.users["operator"], world.users["leader"]
    mine = InAppNotification.objects.create(user=me, title="Cảnh báo mới tại Hiệp Đức", link="/alerts/")
    InAppNotification.objects.create(user=other, title="Không phải của bạn")
    c = world.client("operator")
    home = c.get("/notifications/").content.decode()
    assert 'class="bell-count">1<' in home and "Cảnh báo mới tại Hiệp Đức" in home and "Không phải của bạn" not in home
    assert world.client("leader").get(f"/notifications/{mine.pk}/").status_code == 404
    c.post("/notifications/read", {"ids": [mine.pk]})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "bell-count" not in c.get("/notifications/").content.decode()
