"""The reporting deadline watch, run by the job runner (``reporting.deadlines``): for each open
period of every active regime, the clerks of a reporting unit that has not sent its report are
reminded ``REPORTING_REMIND_DAYS`` working days before its deadline (an in-app notification, as
citizen reports do), and once the deadline has passed the platform hears an operations event
``reporting.submission.overdue`` — one per unit, regime and period — for rules to alert on.

Each notice is claimed by inserting its :class:`~toancanh.reporting.models.Notice` row (unique per
unit, regime, period and kind), so two runs or two workers never give it twice; the event's
source id is unique as well (``operations.Event``: source + source id).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from toancanh.core.scoping import Scope
from toancanh.core.workdays import working_days_between
from toancanh.reporting.models import Frequency, Notice, Regime
from toancanh.reporting.monitoring import MISSING, NOT_DUE, UnitState, monitor_paths, recent_periods

OVERDUE_EVENT = "reporting.submission.overdue"


def remind_days() -> int:
    return int(getattr(settings, "REPORTING_REMIND_DAYS", 2))


def _claim(regime: Regime, state: UnitState, period: str, kind: str) -> bool:
    try:
        with transaction.atomic():
            Notice.objects.create(regime=regime, unit_id=state.unit_id, period=period, kind=kind)
        return True
    except IntegrityError:
        return False


def _tell_clerks(regime: Regime, state: UnitState, period: str, kind: str) -> int:
    from toancanh.accounts.models import User
    from toancanh.operations.models import InAppNotification

    when = state.deadline.strftime("%d/%m/%Y")
    if kind == Notice.REMINDER:
        title = f"Sắp đến hạn gửi báo cáo: {regime.name} kỳ {period}"
    else:
        title = f"Báo cáo đã quá hạn: {regime.name} kỳ {period}"
    body = f"Đơn vị: {state.unit_name}\nHạn gửi: {when}"
    link = f"/reporting/{regime.code}/{state.unit}/{period}/"
    clerks = User.objects.filter(unit_id=state.unit_id, role="reporting_clerk", is_active=True, kind="staff")
    rows = [InAppNotification(user=u, title=title[:200], body=body, link=link) for u in clerks]
    InAppNotification.objects.bulk_create(rows)
    return len(rows)


def event_row(regime: Regime, state: UnitState, period: str, now: dt.datetime) -> dict:
    return {
        "source": "reporting",
        "source_id": f"{regime.code}:{state.unit}:{period}:overdue",
        "sector": "reporting",
        "type": OVERDUE_EVENT,
        "subject": regime.code,
        "severity": "Minor",
        "unit": state.unit,
        "occurred_at": now,
        "payload": {"regime": regime.code, "period": period, "deadline": state.deadline.isoformat(),
                    "status": state.status, "link": f"/reporting/{regime.code}/{state.unit}/{period}/"},
    }  # fmt: skip


def check_deadlines(now: dt.datetime | None = None) -> dict[str, int]:
    """Remind and mark overdue across the open periods (the one whose window holds today and the two
    before it) of every active periodic regime."""
    from toancanh.operations.services import submit_events

    now = now or timezone.now()
    today = timezone.localdate(now)
    ahead = remind_days()
    out = {"reminded": 0, "notified": 0, "overdue": 0}
    events: list[dict] = []
    for regime in Regime.objects.filter(active=True).exclude(frequency=Frequency.AD_HOC).order_by("code"):
        for rp in recent_periods(regime, today):
            m = monitor_paths(regime, rp.code, paths=None, today=today)
            done = set(Notice.objects.filter(regime=regime, period=rp.code).values_list("unit_id", "kind"))
            for u in m.units:
                if u.timeliness == NOT_DUE:
                    if (u.unit_id, Notice.REMINDER) in done or working_days_between(today, u.deadline) > ahead:
                        continue
                    if _claim(regime, u, rp.code, Notice.REMINDER):
                        out["reminded"] += 1
                        out["notified"] += _tell_clerks(regime, u, rp.code, Notice.REMINDER)
                elif (
                    u.timeliness == MISSING
                    and (u.unit_id, Notice.OVERDUE) not in done
                    and _claim(regime, u, rp.code, Notice.OVERDUE)
                ):
                    out["overdue"] += 1
                    out["notified"] += _tell_clerks(regime, u, rp.code, Notice.OVERDUE)
                    events.append(event_row(regime, u, rp.code, now))
    if events:
        submit_events(events, scope=Scope(everywhere=True))
    return out
