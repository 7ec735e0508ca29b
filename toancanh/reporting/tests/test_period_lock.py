"""Closing a period (khóa sổ kỳ báo cáo): nothing of a closed period moves; reopening is an
explicit, audited act with a reason; the pages and the API show the lock and say why."""

from __future__ import annotations

import pytest
from django.utils import translation

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.core.errors import Conflict, Forbidden, ServiceError
from toancanh.core.models import AuditEntry
from toancanh.reporting import services
from toancanh.reporting.models import Status, Submission
from toancanh.reporting.tests.factories import HIEP_DUC, PROVINCE, TAM_KY, monthly_regime, unit

pytestmark = pytest.mark.django_db

GOOD = {"01.KY_NAY": 12500, "02.KY_NAY": 250, "04.KY_NAY": 91.5, "05.KY_NAY": 300}


@pytest.fixture
def regime():
    return monthly_regime()


@pytest.fixture
def clerk():
    return StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk")


@pytest.fixture
def officer():
    return StaffFactory(unit=unit(PROVINCE), role="operator")


def test_a_closed_period_refuses_every_act_on_its_reports_and_says_who_closed_it(regime, clerk, officer):
    draft = services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    sent = services.save_submission(
        by=officer, regime=regime, unit=unit(TAM_KY), period="2025-09", values=GOOD, submit=True
    )
    services.approve(by=officer, submission=sent)
    services.set_period_closed(by=officer, regime=regime, period="2025-09", closed=True)
    with translation.override("vi"):
        with pytest.raises(Conflict, match="khóa sổ") as refused:
            services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
        assert refused.value.status == 409 and "9/2025" in refused.value.message
        with pytest.raises(Conflict):
            services.submit(by=clerk, submission=draft)
        with pytest.raises(Conflict):
            services.reopen(by=officer, submission=sent, reason="sai số liệu")
        with pytest.raises(Conflict):  # a unit that had not started cannot start either
            services.save_submission(by=officer, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    draft.refresh_from_db()
    sent.refresh_from_db()
    assert (draft.status, sent.status) == (Status.DRAFT, Status.APPROVED)  # nothing moved
    # another period is not touched by the lock
    services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-10", values=GOOD)


def test_a_period_is_not_closed_while_reports_still_wait_for_approval_and_the_refusal_names_them(
    regime, clerk, officer
):
    sent = services.save_submission(
        by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD, submit=True
    )
    with translation.override("vi"), pytest.raises(Conflict, match="chờ duyệt") as refused:
        services.set_period_closed(by=officer, regime=regime, period="2025-09", closed=True)
    assert unit(HIEP_DUC).name in refused.value.message
    assert not services.lock_of(regime, "2025-09")  # nothing closed
    services.return_submission(by=officer, submission=sent, comment="Bổ sung dòng 02")
    lock = services.set_period_closed(by=officer, regime=regime, period="2025-09", closed=True)
    assert lock.closed and lock.closed_by == officer.display_name  # the person's name, not the login


def test_reopening_needs_the_responsible_officer_and_a_reason_and_both_acts_are_audited(regime, clerk, officer):
    with pytest.raises(Forbidden):  # a commune clerk does not close the city's period
        services.set_period_closed(by=clerk, regime=regime, period="2025-09", closed=True)
    with pytest.raises(Forbidden):  # a leader reads but does not file
        services.set_period_closed(
            by=StaffFactory(unit=unit(PROVINCE), role="leader"), regime=regime, period="2025-09", closed=True
        )
    lock = services.set_period_closed(by=officer, regime=regime, period="2025-09", closed=True, reason="Đã tổng hợp")
    assert lock.closed and lock.closed_by and lock.note == "Đã tổng hợp"
    again = services.set_period_closed(by=officer, regime=regime, period="2025-09", closed=True)
    assert again.closed_at == lock.closed_at  # closing a closed period changes nothing
    with pytest.raises(ServiceError):
        services.set_period_closed(by=officer, regime=regime, period="2025-09", closed=False, reason="  ")
    with pytest.raises(ServiceError):
        services.set_period_closed(by=officer, regime=regime, period="2025-13", closed=True)
    services.set_period_closed(by=officer, regime=regime, period="2025-09", closed=False, reason="Xã bổ sung số liệu")
    services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    actions = list(AuditEntry.objects.filter(action__startswith="reporting.").values_list("action", flat=True))
    assert actions.count("reporting.close_period") == 1 and actions.count("reporting.reopen_period") == 1
    reopened = AuditEntry.objects.get(action="reporting.reopen_period")
    assert "Xã bổ sung số liệu" in str(reopened.after)


def test_the_officer_closes_on_the_monitoring_page_and_the_clerks_page_shows_the_lock_and_refuses(
    client, regime, clerk, officer
):
    services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2025-09", values=GOOD)
    page = f"/reporting/monitoring/?regime={regime.code}&period=2025-09"
    client.force_login(clerk)
    assert 'data-testid="close-period"' not in client.get(page).content.decode()  # not the clerk's to close
    client.force_login(officer)
    assert 'data-testid="close-period"' in client.get(page).content.decode()
    closed = client.post(
        "/reporting/monitoring/",
        {"regime": regime.code, "period": "2025-09", "action": "close", "reason": "Đã tổng hợp"},
    )
    assert closed.status_code == 302
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'data-testid="period-lock"' in html and "đã khóa sổ" in html and 'data-testid="reopen-period"' in html
    no_reason = client.post("/reporting/monitoring/", {"regime": regime.code, "period": "2025-09", "action": "reopen"})
    assert no_reason.status_code == 400 and services.lock_of(regime, "2025-09") is not None

    client.force_login(clerk)
    entry = f"/reporting/{regime.code}/{HIEP_DUC}/2025-09/"
    html = client.get(entry, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'data-testid="period-lock"' in html and 'data-testid="submit-report"' not in html
    refused = client.post(entry, {"action": "submit", "c:01.KY_NAY": "13000"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 409 and "không thể sửa, nộp, duyệt hay trả lại" in refused.content.decode()
    assert services.current_values(Submission.objects.get(unit=unit(HIEP_DUC)))["01.KY_NAY"] == 12500.0


def test_the_api_closes_refuses_with_409_and_reopens_with_a_reason(client, regime, clerk, officer):
    put = f"/api/v1/reporting/submissions/{regime.code}/{HIEP_DUC}/2025-09"
    lock = f"/api/v1/reporting/periods/{regime.code}/2025-09"
    client.force_login(clerk)
    assert client.put(put, {"values": GOOD}, content_type="application/json").status_code == 200
    refused = client.put(lock, {"closed": True}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="vi")
    assert refused.status_code == 403 and "Chỉ cán bộ của" in refused.json()["detail"]
    client.force_login(officer)
    body = client.put(lock, {"closed": True, "reason": "Đã tổng hợp"}, content_type="application/json").json()
    assert body["closed"] is True and body["note"] == "Đã tổng hợp" and body["closed_by"]
    client.force_login(clerk)
    conflict = client.put(put, {"values": GOOD, "submit": True}, content_type="application/json")
    assert conflict.status_code == 409 and conflict.json()["code"] == "conflict"
    monitoring = client.get(f"/api/v1/reporting/monitoring?regime={regime.code}&period=2025-09").json()
    assert monitoring["lock"]["closed"] is True
    client.force_login(officer)
    assert client.put(lock, {"closed": False}, content_type="application/json").status_code == 400
    reopened = client.put(lock, {"closed": False, "reason": "Xã bổ sung"}, content_type="application/json").json()
    assert reopened["closed"] is False and reopened["reopen_reason"] == "Xã bổ sung"
    client.force_login(clerk)
    sent = client.put(put, {"values": {}, "submit": True}, content_type="application/json").json()
    assert sent["status"] == "submitted" and sent["values"]["01.KY_NAY"] == 12500.0
