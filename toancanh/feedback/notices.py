"""Who hears of a report, through the notification machinery of operations.

Staff: an in-app notification to the officers of the report's agency, and a delivery (a job row
with attempts, sent by ``notifications.deliver_due``) to every active subscription whose unit
covers the report's commune and whose sectors include ``feedback`` (or all sectors); escalations
reach the subscriptions kept for escalations too. Citizens who follow a report: an in-app
notification when they have an account, else a text message through the pluggable SMS sender.
No message carries the reporter's name or phone.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from toancanh.feedback.models import Follower, Report
from toancanh.units.models import Agency

log = logging.getLogger(__name__)

REASONS = {
    "assigned": "Phản ánh mới được giao",
    "transferred": "Phản ánh được chuyển đến",
    "reminder": "Sắp đến hạn trả lời phản ánh",
    "overdue": "Phản ánh đã quá hạn",
    "escalated": "Phản ánh quá hạn chưa được xử lý",
}


def _text(report: Report, reason: str) -> tuple[str, str, dict]:
    due = timezone.localtime(report.due_at).strftime("%H:%M %d/%m/%Y") if report.due_at else "—"
    subject = f"{REASONS.get(reason, 'Phản ánh')}: {report.code}"[:200]
    body = f"{report.title}\nLĩnh vực: {report.category.name}\nĐịa bàn: {report.unit.name}\nHạn trả lời: {due}"
    payload = {"report": report.code, "reason": reason, "unit": report.unit.key, "lat": report.lat,
               "lon": report.lon, "link": f"/feedback/reports/{report.code}/"}  # fmt: skip
    return subject, body, payload


def to_agency(report: Report, reason: str, agency: Agency | None = None) -> int:
    """Tell an agency's officers (``agency``, default the report's) and the subscribers of the place."""
    from toancanh.accounts.models import User
    from toancanh.operations.models import Delivery, InAppNotification, Subscription

    agency_id = agency.pk if agency is not None else report.agency_id
    subject, body, payload = _text(report, reason)
    made = 0
    if agency_id:
        officers = User.objects.filter(agency_id=agency_id, is_active=True, kind="staff")
        InAppNotification.objects.bulk_create(
            [InAppNotification(user=u, title=subject, body=body, link=payload["link"]) for u in officers]
        )
        made += len(officers)
    subs = Subscription.objects.filter(active=True, channel__active=True).select_related("unit")
    if reason != "escalated":
        subs = subs.filter(escalations_only=False)
    now = timezone.now()
    rows = [
        Delivery(subscription=s, alert=None, reason=f"feedback.{reason}"[:20], subject=subject, body=body,
                 payload=payload, next_attempt_at=now)
        for s in subs
        if report.unit.path.startswith(s.unit.path) and (not s.sectors or "feedback" in s.sectors)
    ]  # fmt: skip
    Delivery.objects.bulk_create(rows)
    return made + len(rows)


def to_followers(report: Report) -> int:
    """Every follower hears the answer (merged duplicates' reporters included)."""
    from toancanh.operations.models import InAppNotification

    now = timezone.now()
    title = f"Phản ánh {report.code} đã có kết quả xử lý"
    body = (report.answer or "")[:500]
    told = 0
    for f in Follower.objects.filter(report=report).filter(Q(notified_at__isnull=True) | Q(notified_at__lt=now)):
        if f.user_id:
            InAppNotification.objects.create(user_id=f.user_id, title=title, body=body,
                                             link=f"/phan-anh/tra-cuu/{report.code}/")  # fmt: skip
        elif f.phone:
            sms_sender().send(f.phone, f"{title}. Xem: /phan-anh/tra-cuu/{report.code}/")
        else:
            continue  # a device without an account sees it on the status page
        f.notified_at = now
        f.save(update_fields=["notified_at"])
        told += 1
    return told


class ConsoleSms:
    """The demo's SMS sender: writes each message to the log (and keeps the last ones)."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)
        self.sent.append((phone, text))
        del self.sent[:-100]


def sms_sender():
    """The configured SMS sender (``FEEDBACK_SMS_SENDER``: a dotted path to a class with ``send``)."""
    from django.utils.module_loading import import_string

    path = getattr(settings, "FEEDBACK_SMS_SENDER", "") or "toancanh.feedback.notices.ConsoleSms"
    return import_string(path)()
