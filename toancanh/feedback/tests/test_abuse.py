"""Abusive citizen accounts: reports refused as spam lock the account from sending for a while; the
citizen is told why in Vietnamese; an administrator sees the locks, lifts one, and changes the limits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from toancanh.core.models import AuditEntry
from toancanh.feedback import abuse, handling, services
from toancanh.feedback.models import AccountLock, HandlingSettings
from toancanh.feedback.tests.conftest import HAI_CHAU, submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db):
    from toancanh.accounts.tests.factories import CitizenFactory

    return CitizenFactory(phone="0905222333")


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def send(citizen, n, now=None):
    sub = submission(phone="", device=f"dev-{n}", ip=f"10.2.0.{n}")
    return services.submit_report(sub, user=citizen, by=citizen, now=now)


def spam(citizen, staff, n, reason="spam", now=None):
    report = send(citizen, n, now)
    return handling.refuse(report, by=staff["operator"], reason=reason)


def test_three_reports_refused_as_spam_lock_the_account_and_the_citizen_is_told_why(agencies, staff, citizen):
    spam(citizen, staff, 1)
    spam(citizen, staff, 2)
    assert not AccountLock.objects.exists()
    spam(citizen, staff, 3)
    (lock,) = AccountLock.objects.all()
    assert lock.user == citizen and lock.abusive_reports == 3 and lock.lifted_at is None
    assert dt.timedelta(days=6, hours=23) < lock.until - lock.locked_at <= dt.timedelta(days=7)
    assert AuditEntry.objects.filter(action="feedback.account_lock", object_id=str(lock.pk)).exists()
    with pytest.raises(abuse.Locked) as refused:
        send(citizen, 4)
    assert refused.value.status == 403
    client = signed_in(citizen)
    r = client.post("/phan-anh/gui/", {"category": "urban_order.sidewalk", "lat": HAI_CHAU[0], "lon": HAI_CHAU[1],
                                       "description": "Lấn chiếm vỉa hè nghiêm trọng ở đường Trần Phú."})  # fmt: skip
    assert r.status_code == 403 and r.json()["code"] == "locked"
    assert "tạm khóa" in r.json()["error"] and "spam" in r.json()["error"]
    page = client.get("/phan-anh/").content.decode()
    assert 'data-testid="locked"' in page and "tạm khóa" in page
    assert 'data-testid="locked"' not in Client().get("/phan-anh/").content.decode()


def test_other_refusals_old_spam_and_an_ended_lock_do_not_stop_a_citizen(agencies, staff, citizen):
    spam(citizen, staff, 1, reason="out_of_scope")
    spam(citizen, staff, 2, now=timezone.now() - dt.timedelta(days=40))  # outside the 30 days counted
    spam(citizen, staff, 3)
    spam(citizen, staff, 4)
    assert not AccountLock.objects.exists()
    spam(citizen, staff, 5)
    lock = AccountLock.objects.get()
    assert abuse.active_lock(citizen, now=lock.until + dt.timedelta(minutes=1)) is None  # it ends by itself
    send(citizen, 6, now=lock.until + dt.timedelta(minutes=1))


def test_an_administrator_changes_the_limit_sees_the_lock_and_lifts_it(agencies, staff, citizen):
    admin, operator = signed_in(staff["admin"]), signed_in(staff["operator"])
    rules = HandlingSettings.current()
    data = {"max_reports_per_hour": 5, "abuse_reports_to_lock": 2, "abuse_window_days": 30, "abuse_lock_days": 3}
    assert operator.post(f"/feedback/settings/{rules.pk}/edit/", data).status_code in (403, 404)
    r = admin.post(f"/feedback/settings/{rules.pk}/edit/", data)
    assert r.status_code == 302, r.content.decode()[-1500:]
    assert HandlingSettings.current().abuse_reports_to_lock == 2
    assert AuditEntry.objects.filter(action="feedback.settings").exists()
    spam(citizen, staff, 1)
    spam(citizen, staff, 2)
    lock = AccountLock.objects.get()
    assert lock.until - lock.locked_at == dt.timedelta(days=3)
    listing = admin.get("/feedback/locks/").content.decode()
    assert citizen.username in listing or citizen.phone in listing
    assert operator.post(f"/feedback/locks/{lock.pk}/lift/", {"reason": "x"}).status_code in (403, 404)
    r = admin.post(f"/feedback/locks/{lock.pk}/lift/", {"reason": "Nhầm lẫn, đã xác minh"})
    assert r.status_code == 302, r.content.decode()[-1500:]
    lock.refresh_from_db()
    assert lock.lifted_at is not None and lock.lift_reason == "Nhầm lẫn, đã xác minh"
    assert AuditEntry.objects.filter(action="feedback.account_unlock", object_id=str(lock.pk)).exists()
    send(citizen, 3)  # may send again
    spam(citizen, staff, 4)  # the refusals before the lift were forgiven: one more does not lock again
    assert not AccountLock.objects.active().exists()
    spam(citizen, staff, 5)  # two since the lift: the limit
    assert AccountLock.objects.active().count() == 1
    with pytest.raises(Exception, match="already lifted|đã được gỡ"):
        abuse.lift(lock, by=staff["admin"])


def test_bad_settings_are_refused_beside_the_field(agencies, staff):
    admin = signed_in(staff["admin"])
    rules = HandlingSettings.current()
    r = admin.post(f"/feedback/settings/{rules.pk}/edit/", {"max_reports_per_hour": 5, "abuse_reports_to_lock": 0,
                                                             "abuse_window_days": 30, "abuse_lock_days": 9999})  # fmt: skip
    assert r.status_code == 200
    assert HandlingSettings.current().abuse_reports_to_lock == 3


def anonymous(n, *, phone="", device="", now=None):
    sub = submission(phone=phone, name="", device=device, ip=f"10.3.0.{n}")
    return services.submit_report(sub, now=now)


def verify(phone):
    from toancanh.feedback.models import PhoneCode

    now = timezone.now()
    PhoneCode.objects.create(phone=phone, code_hash="x", created_at=now, expires_at=now, used_at=now)


def test_reports_without_an_account_refused_as_spam_lock_the_verified_phone_however_it_is_written(agencies, staff):
    verify("0905111222")
    for n, written in enumerate(["0905111222", "+84 905 111 222", "0905.111.222"], 1):
        handling.refuse(anonymous(n, phone=written, device=f"other-{n}"), by=staff["operator"], reason="spam")
    (lock,) = AccountLock.objects.all()
    assert lock.user is None and lock.phone == "0905111222" and lock.device == "" and lock.abusive_reports == 3
    assert AuditEntry.objects.filter(action="feedback.account_lock", object_id=str(lock.pk)).exists()
    with pytest.raises(abuse.Locked, match="(?i)số điện thoại này"):
        anonymous(4, phone="84905111222", device="a-new-phone")
    anonymous(5, phone="0905999888", device="a-new-phone")  # another number may send
    r = Client().post("/phan-anh/gui/", {"category": "urban_order.sidewalk", "lat": HAI_CHAU[0], "lon": HAI_CHAU[1],
                                         "phone": "0905111222", "device": "web-1",
                                         "description": "Lấn chiếm vỉa hè nghiêm trọng ở đường Trần Phú."})  # fmt: skip
    assert r.status_code == 403 and r.json()["code"] == "locked"


def test_an_unverified_phone_is_not_locked_but_the_device_key_the_app_sends_is(agencies, staff):
    for n in range(1, 4):  # someone types another's number: the number is not held to account
        handling.refuse(anonymous(n, phone="0905333444", device="spam-phone"), by=staff["operator"], reason="spam")
    (lock,) = AccountLock.objects.all()
    assert lock.phone == "" and lock.device == services.hash_device("spam-phone") and lock.user is None
    anonymous(4, phone="0905333444", device="the-real-owner")  # the number's owner still sends
    with pytest.raises(abuse.Locked, match="(?i)thiết bị này"):
        anonymous(5, phone="", device="spam-phone")
    listing = Client()
    listing.force_login(staff["admin"])
    page = listing.get("/feedback/locks/").content.decode()
    assert "Thiết bị" in page and "spam-phone" not in page  # the key itself is never shown
    r = listing.post(f"/feedback/locks/{lock.pk}/lift/", {"reason": "Thiết bị của người khác"})
    assert r.status_code == 302
    anonymous(6, phone="", device="spam-phone")


def test_a_report_with_nothing_to_know_its_sender_by_locks_nobody(agencies, staff):
    for n in range(1, 5):
        handling.refuse(anonymous(n), by=staff["operator"], reason="spam")
    assert not AccountLock.objects.exists()


def test_a_citizen_who_signs_in_with_a_locked_number_is_still_locked(agencies, staff, citizen):
    verify("0905222333")  # the citizen's own number
    for n in range(1, 4):
        handling.refuse(anonymous(n, phone="0905222333", device=f"x{n}"), by=staff["operator"], reason="spam")
    assert AccountLock.objects.active().get().phone == "0905222333"
    with pytest.raises(abuse.Locked):
        send(citizen, 9)  # signed in, the number left out of the form: the account's number is locked
