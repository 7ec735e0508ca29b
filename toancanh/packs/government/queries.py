"""Reads of the government pack that need care: overdue dossiers, rankings with their trend, the
shapes the API and the pages show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from toancanh.packs.government import index, tasks
from toancanh.packs.government.models import Dossier, Outcome, Status, Task


def overdue_q(now: dt.datetime) -> Q:
    """Dossiers in progress past their (extended) appointment, or after two supplement requests."""
    return Q(outcome=Outcome.OVERDUE) | Q(outcome=Outcome.PENDING, due_at__lt=now)


def overdue_dossiers(principal: Any, now: dt.datetime, *, limit: int = 100, agency: int | None = None):
    qs = Dossier.objects.visible_to(principal).filter(overdue_q(now))
    if agency is not None:
        qs = qs.filter(agency_id=agency)
    return qs.select_related("procedure", "agency", "unit").order_by("due_at")[:limit]


def overdue_count(principal: Any, now: dt.datetime) -> int:
    return Dossier.objects.visible_to(principal).filter(overdue_q(now)).count()


def dossier_dict(d: Dossier) -> dict:
    return {"code": d.code, "procedure": d.procedure.name, "agency": d.agency.name, "unit": d.unit.name,
            "status": d.status, "status_label": str(Status(d.status).label), "received_at": d.received_at,
            "appointment_at": d.appointment_at, "due_at": d.due_at, "supplements": d.supplement_count}  # fmt: skip


def task_dict(t: Task, today: dt.date) -> dict:
    state = t.state(today)
    return {"code": t.code, "title": t.title, "document": t.document, "lead": t.lead.code, "lead_name": t.lead.name,
            "assigned_on": t.assigned_on, "deadline": t.deadline, "done_on": t.done_on, "progress": t.progress,
            "state": state.value, "state_label": str(state.label)}  # fmt: skip


def score_dict(s: index.Score) -> dict:
    groups = []
    for g, (label, maximum) in index.GROUPS.items():
        score, out_of = s.group(g)
        groups.append({"group": g, "label": str(label), "max": maximum, "score": score, "out_of": out_of})
    comps = [{"id": c.spec.id, "group": c.spec.group, "label": str(c.spec.label), "points": c.spec.points,
              "threshold": c.spec.threshold, "confirmed": c.spec.confirmed, "numerator": str(c.spec.numerator),
              "denominator": str(c.spec.denominator), "num": None if c.num is None else round(c.num, 2),
              "den": c.den, "rate": c.rate, "score": c.score, "note": c.note} for c in s.components]  # fmt: skip
    return {"id": s.key, "name": s.name, "total": s.total, "out_of": s.out_of, "on_time_rate": s.on_time_rate,
            "groups": groups, "components": comps}  # fmt: skip


def ranking(by: str, period, principal: Any, now: dt.datetime) -> list[dict]:
    """Agencies or communes ranked on the index, with the previous period's total and rank (the trend)."""
    current = index.compute(by, period, now=now, principal=principal)
    before = {
        s.key: (i + 1, s.total)
        for i, s in enumerate(index.compute(by, period.previous(), now=now, principal=principal))
    }
    rows = []
    for i, s in enumerate(current, start=1):
        prev_rank, prev_total = before.get(s.key, (None, None))
        rows.append({"rank": i, "score": s, "previous_rank": prev_rank,
                     "delta": None if prev_total is None else round(s.total - prev_total, 2)})  # fmt: skip
    return rows


def task_counts(principal: Any, today: dt.date) -> dict:
    """The four states across every visible task (for the page and the wall)."""
    per_lead = tasks.counts(Task.objects.visible_to(principal), today)
    total = {
        k: sum(r[k] for r in per_lead.values())
        for k in ("done_on_time", "done_late", "open_on_time", "open_overdue", "due")
    }
    total["rate"] = round(100 * total["done_on_time"] / total["due"], 2) if total["due"] else None
    return {"total": total, "per_lead": per_lead}
