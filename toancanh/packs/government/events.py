"""Overdue items become events (types ``gov_dossier_overdue``, ``gov_task_overdue``,
``gov_agency_status``) handed to the rules through ``submit_events``. :func:`sweep` is run after
each dossier import and by the demo; each item gives one event a day (``source_id`` carries the
day, so a second sweep the same day is a duplicate the event store ignores)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from toancanh.packs.api import Agency, Scope, submit_events
from toancanh.packs.government import index, queries, tasks
from toancanh.packs.government.models import Dossier, Task, TaskState

MAX_EVENTS = 2000


def sweep(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    stamp = now.isoformat()
    events = []
    overdue = (Dossier.objects.filter(queries.overdue_q(now)).select_related("unit")
               .order_by("due_at").values_list("code", "unit__key", "due_at", "agency__code")[:MAX_EVENTS])  # fmt: skip
    for code, unit, due, agency in overdue:
        days = max((now - due).total_seconds() / 86400, 0)
        events.append({"source": "government", "source_id": f"dossier:{code}:{today}", "sector": "government",
                       "type": "gov_dossier_overdue", "subject": code, "unit": unit, "occurred_at": stamp,
                       "payload": {"days_overdue": round(days, 1), "agency": agency}})  # fmt: skip
    late_tasks = (Task.objects.filter(tasks.state_filter(TaskState.OPEN_OVERDUE, today))
                  .values_list("code", "lead__unit__key", "deadline", "lead__code")[:MAX_EVENTS])  # fmt: skip
    for code, unit, deadline, lead in late_tasks:
        events.append({"source": "government", "source_id": f"task:{code}:{today}", "sector": "government",
                       "type": "gov_task_overdue", "subject": code, "unit": unit, "occurred_at": stamp,
                       "payload": {"days_overdue": (today - deadline).days, "lead": lead}})  # fmt: skip
    month = index.period_of(f"{today:%Y-%m}")
    units = dict(Agency.objects.values_list("id", "unit__key"))
    for key, c in index.dossier_counts("agency", month, now).items():
        if c["total"]:
            events.append({"source": "government", "source_id": f"agency:{key}:{today}", "sector": "government",
                           "type": "gov_agency_status", "subject": f"agency-{key}", "unit": units.get(key),
                           "occurred_at": stamp, "payload": {"on_time_rate": round(100 * c["within"] / c["total"], 2),
                                                             "overdue": c["overdue"], "received": c["total"]}})  # fmt: skip
    if not events:
        return {"events": 0}
    report = submit_events(events, scope=Scope(everywhere=True))
    return {"events": len(events), "refused": len(getattr(report, "refused", []))}
