"""The deadline watch, run by the job runner every few minutes (``feedback.deadlines``):
reminders before the deadline, overdue marks, escalation to the level above, and answered
reports nobody rated closed after a while. Each step claims its rows with a conditional update,
so two workers never send the same reminder twice."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from toancanh.core import audit
from toancanh.feedback import deadlines, notices
from toancanh.feedback.models import OPEN, HandlingSettings, Report, Status
from toancanh.feedback.services import add_entry, emit
from toancanh.units.models import Agency


def escalation_target(report: Report) -> Agency | None:
    """The level above the handling agency: its parent agency, else the province's People's Committee."""
    if report.agency_id and report.agency.parent_id:
        return report.agency.parent
    province = "/" + report.unit.path.strip("/").split("/")[0] + "/"
    return Agency.objects.filter(kind="ubnd", unit__path=province, active=True).order_by("pk").first()


def check_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    rules = HandlingSettings.current()
    out = {"reminded": 0, "overdue": 0, "escalated": 0, "closed": 0}
    live = Report.objects.filter(status__in=OPEN, due_at__isnull=False).select_related("category", "unit", "agency")
    for r in live.filter(reminded_at__isnull=True, overdue=False, due_at__gt=now):
        if deadlines.working_hours_left(now, r.due_at) > rules.remind_hours_before:
            continue
        with transaction.atomic():
            if Report.objects.filter(pk=r.pk, reminded_at__isnull=True).update(reminded_at=now):
                notices.to_agency(r, "reminder")
                out["reminded"] += 1
    for r in live.filter(overdue=False, due_at__lte=now):
        with transaction.atomic():
            if Report.objects.filter(pk=r.pk, overdue=False).update(overdue=True):
                r.overdue = True
                add_entry(r, "status", by=None, status=r.status, text="Quá hạn xử lý", at=now)
                audit.record("feedback.overdue", r, by="watch", unit_path=r.unit.path)
                notices.to_agency(r, "overdue")
                emit(r, "overdue", now)
                out["overdue"] += 1
    for r in live.filter(overdue=True, escalated_at__isnull=True):
        if now < deadlines.after_working_days(r.due_at, rules.escalate_after_days):
            continue
        target = escalation_target(r)
        with transaction.atomic():
            if Report.objects.filter(pk=r.pk, escalated_at__isnull=True).update(escalated_at=now):
                name = target.name if target else "cấp trên"
                add_entry(r, "status", by=None, status=r.status, text=f"Chuyển cấp trên đôn đốc: {name}", at=now)
                audit.record("feedback.escalate", r, by="watch", unit_path=r.unit.path,
                             after={"to": target.pk if target else None})  # fmt: skip
                notices.to_agency(r, "escalated", agency=target)
                emit(r, "escalated", now)
                out["escalated"] += 1
    quiet = Report.objects.filter(status=Status.ANSWERED, rated_at__isnull=True, answered_at__isnull=False)
    for r in quiet.select_related("category", "unit"):
        if now < deadlines.after_working_days(r.answered_at, rules.close_unrated_after_days):
            continue
        with transaction.atomic():
            if Report.objects.filter(pk=r.pk, status=Status.ANSWERED).update(status=Status.CLOSED, closed_at=now,
                                                                               updated_at=now):  # fmt: skip
                add_entry(r, "status", by=None, status=Status.CLOSED, public=True, at=now,
                          text="Tự động đóng: người phản ánh không đánh giá")  # fmt: skip
                out["closed"] += 1
    return out
