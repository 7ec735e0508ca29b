"""Agency officers mark a report as spam or abuse at any step before its end, within their scope, from the
report's page and the staff API: with a reason, audited, counted toward the sender's lock; the citizen
reads only a neutral "closed"."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from toancanh.core.errors import NotFound, ServiceError
from toancanh.core.models import AuditEntry
from toancanh.feedback import handling, services
from toancanh.feedback.models import AccountLock, RefusalReason, Status
from toancanh.feedback.tests.conftest import HAI_CHAU, submission

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def sent(n=1, **kw):
    return services.submit_report(submission(at=HAI_CHAU, device=f"spammer-{kw.pop('dev', 'a')}", ip=f"10.5.0.{n}",
                                             phone="", name="", **kw))  # fmt: skip


def test_an_agency_officer_marks_an_accepted_report_as_spam_from_its_page_and_the_citizen_reads_closed(agencies, staff):
    report = sent()
    handling.accept(report, by=staff["operator"])
    handling.start(report, by=staff["hai_chau"])
    officer = signed_in(staff["hai_chau"])
    page = officer.get(f"/feedback/reports/{report.pk}/").content.decode()
    assert "Đánh dấu spam" in page
    r = officer.post(
        f"/feedback/reports/{report.pk}/spam/", {"reason": "Quảng cáo khoan cắt bê tông, không phải phản ánh."}
    )
    assert r.status_code == 302, r.content.decode()[-1500:]
    report.refresh_from_db()
    assert report.status == Status.REFUSED and report.refusal_reason == RefusalReason.SPAM
    audit = AuditEntry.objects.get(action="feedback.mark_spam", object_id=str(report.pk))
    assert "Quảng cáo khoan" in json.dumps(audit.after, ensure_ascii=False)
    staff_page = officer.get(f"/feedback/reports/{report.pk}/").content.decode()
    assert "Quảng cáo khoan" in staff_page  # the reason, for staff
    citizen = Client().get(f"/phan-anh/tra-cuu/{report.code}/").content.decode()
    assert "Đã đóng" in citizen or "Hoàn thành" in citizen
    assert "spam" not in citizen.lower() and "Quảng cáo khoan" not in citizen and "Từ chối" not in citizen
    assert report.code not in Client().get("/phan-anh/ban-do.json").content.decode()


def test_an_officer_may_not_mark_another_agencys_report_and_a_reason_is_required(agencies, staff):
    report = sent()
    with pytest.raises(NotFound):
        handling.mark_spam(report, by=staff["tam_ky"], reason="Không phải phản ánh thật.")
    with pytest.raises(ServiceError, match="(?i)spam"):
        handling.mark_spam(report, by=staff["hai_chau"], reason="  ")
    assert signed_in(staff["tam_ky"]).post(f"/feedback/reports/{report.pk}/spam/", {"reason": "Không phải phản ánh thật."}
                                           ).status_code == 404  # fmt: skip
    report.refresh_from_db()
    assert report.status == Status.RECEIVED
    handling.mark_spam(report, by=staff["hai_chau"], reason="Không phải phản ánh thật.")
    with pytest.raises(ServiceError):
        handling.mark_spam(report, by=staff["hai_chau"], reason="Lần hai.")


def test_spam_marked_by_officers_through_the_api_counts_toward_the_senders_lock(agencies, staff):
    from toancanh.accounts.tests.factories import api_key

    key = api_key("hai-chau-app", "agency_officer", "vn34-c20242", agency="ubnd-phuong-hai-chau")[1]
    api = Client(headers={"Authorization": f"Bearer {key}"})
    for n in range(3):
        report = sent(n)
        r = api.post(
            f"/api/v1/feedback/reports/{report.code}/spam",
            data=json.dumps({"reason": "Tin rác lặp lại nhiều lần."}),
            content_type="application/json",
        )
        assert r.status_code == 200, r.content
        assert r.json()["status"] == "refused" and r.json()["refusal_reason"] == "spam"
    lock = AccountLock.objects.active().get()
    assert lock.device == services.hash_device("spammer-a")
    short = api.post(f"/api/v1/feedback/reports/{sent(9, dev='b').code}/spam", data=json.dumps({"reason": "x"}),
                     content_type="application/json")  # fmt: skip
    assert short.status_code in (400, 422)
