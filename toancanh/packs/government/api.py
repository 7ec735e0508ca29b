"""The government pack's API, under ``/api/v1/government/``: pushed dossiers, the 766 index, overdue
dossiers, tasks (list, assign, progress, extension, Excel import)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from toancanh.packs.api import NotFound, ServiceError, push_records, require
from toancanh.packs.government import index, queries, tasks
from toancanh.packs.government.models import Task
from toancanh.packs.government.permissions import GOV_MANAGE, GOV_VIEW

router = Router(tags=["government"])
PUSH_PERMISSION = "events.submit"  # the core's: integrators send data in


class PushBody(Schema):
    records: list[dict[str, Any]] = Field(..., max_length=5000, description="at most 5,000 dossiers a request")


class PushRead(Schema):
    accepted: int
    refused: list[dict[str, str]]


@router.post(
    "/dossiers/push", response=PushRead, summary="One-stop-shop dossiers pushed by a source (national portal layout)"
)
def push_dossiers(request, source: str, body: PushBody):
    require(request, PUSH_PERMISSION)
    outcome = push_records(source[:120], body.records)
    return {"accepted": outcome.accepted, "refused": outcome.refused}


def _period(code: str | None) -> Any:
    try:
        return index.period_of(code)
    except ValueError as exc:
        raise ServiceError(f"not a month, quarter or year: {code}") from exc


@router.get("/index", summary="The Decision 766 index per agency or commune, each component with its inputs")
def get_index(request, period: str | None = None, by: str = "agency"):
    p = require(request, GOV_VIEW)
    if by not in ("agency", "unit"):
        raise ServiceError("by is 'agency' or 'unit'")
    scores = index.compute(by, _period(period), principal=p)
    return {"period": _period(period).code, "by": by, "items": [queries.score_dict(s) for s in scores]}


@router.get("/dossiers/overdue", summary="Dossiers in progress past their (extended) appointment")
def overdue_dossiers(request, limit: int = 100):
    p = require(request, GOV_VIEW)
    rows = queries.overdue_dossiers(p, timezone.now(), limit=max(1, min(limit, 500)))
    return [queries.dossier_dict(d) for d in rows]


class TaskIn(Schema):
    code: str = Field(..., max_length=60)
    title: str = Field(..., max_length=500)
    document: str = Field("", max_length=200)
    lead: str = Field(..., max_length=60, description="the lead agency's code")
    cooperating: list[str] = Field(default_factory=list, max_length=50)
    assigned_on: dt.date
    deadline: dt.date
    done_on: dt.date | None = None


@router.get("/tasks", summary="Tasks assigned by the leadership, with their official state today")
def list_tasks(request, state: str | None = None):
    p = require(request, GOV_VIEW)
    today = timezone.localdate()
    qs = Task.objects.visible_to(p).select_related("lead")
    if state:
        try:
            qs = qs.filter(tasks.state_filter(state, today))
        except ValueError as exc:
            raise ServiceError(f"unknown state {state}") from exc
    return [queries.task_dict(t, today) for t in qs[:1000]]


@router.post("/tasks", summary="Assign tasks (or update them by code); all or nothing")
def save_tasks(request, body: list[TaskIn]):
    p = require(request, GOV_MANAGE)
    return {"saved": tasks.save_tasks([t.model_dump() for t in body], by=p)}


@router.post("/tasks/import", summary="Tasks from an Excel file (first row: code, title, … or Mã, Nhiệm vụ, …)")
def import_tasks(request, file: File[UploadedFile]):
    p = require(request, GOV_MANAGE)
    return {"saved": tasks.import_excel(file.read(10_000_000), by=p)}


class ProgressIn(Schema):
    progress: int = Field(..., ge=0, le=100)
    note: str = Field("", max_length=2000)
    on: dt.date | None = None


def _task(request, p, code: str) -> Task:
    task = Task.objects.visible_to(p).filter(code=code).first()
    if task is None:
        raise NotFound(f"no task {code}")
    return task


@router.post("/tasks/{code}/reports", summary="Report a task's progress (100 % marks it done)")
def report_progress(request, code: str, body: ProgressIn):
    p = require(request, GOV_MANAGE)
    task = _task(request, p, code)
    tasks.report_progress(task, progress=body.progress, note=body.note, on=body.on, by=p)
    return queries.task_dict(get_object_or_404(Task, pk=task.pk), timezone.localdate())


class ExtensionIn(Schema):
    new_deadline: dt.date
    reason: str = Field(..., min_length=1, max_length=500)


@router.post("/tasks/{code}/extensions", summary="Extend a task's deadline")
def extend_task(request, code: str, body: ExtensionIn):
    p = require(request, GOV_MANAGE)
    task = _task(request, p, code)
    tasks.extend(task, new_deadline=body.new_deadline, reason=body.reason, by=p)
    return queries.task_dict(get_object_or_404(Task, pk=task.pk), timezone.localdate())
