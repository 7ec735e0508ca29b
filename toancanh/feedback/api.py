"""Citizens' field reports over the API (staff side): the reports within the caller's scope, one
report with its history, and the steps officers take (accept, refuse, mark as spam, start, answer, close).
Citizens and integrators send reports through Open311 (``/open311/v2/``); the reporter's name and
phone never leave through this API."""

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from toancanh.core.http import Page, require
from toancanh.core.schemas import BoundedStr
from toancanh.core.scoping import get_visible_or_404
from toancanh.feedback import handling
from toancanh.feedback.models import Report, Status
from toancanh.feedback.permissions import FEEDBACK_DISPATCH, FEEDBACK_HANDLE, FEEDBACK_VIEW
from toancanh.units.queries import resolve_unit

router = Router(tags=["feedback"])


class ReportRead(Schema):
    code: str
    title: str
    category: str
    category_name: str
    status: str
    unit: str
    unit_name: str
    agency: str | None
    lat: float
    lon: float
    address: str
    received_at: dt.datetime
    accept_due_at: dt.datetime | None
    due_at: dt.datetime | None
    answered_at: dt.datetime | None
    overdue: bool
    extended: bool
    refusal_reason: str
    satisfied: bool | None


class EntryRead(Schema):
    kind: str
    status: str
    text: str
    public: bool
    by: str
    at: dt.datetime


class ReportDetail(ReportRead):
    description: str
    answer: str
    entries: list[EntryRead]


class ReportFilter(Schema):
    status: Literal[tuple(Status.values)] | None = None  # type: ignore[valid-type]
    category: BoundedStr(60) | None = None
    agency: BoundedStr(60) | None = None
    unit: BoundedStr(40) | None = None
    overdue: bool | None = None


class RefuseBody(Schema):
    reason: Literal["spam", "out_of_scope", "duplicate"]
    text: BoundedStr(2000) = ""
    duplicate_of: BoundedStr(16) | None = None


class SpamBody(Schema):
    reason: BoundedStr(2000, min_length=5)


class AnswerBody(Schema):
    text: BoundedStr(4000, min_length=1)


class CloseBody(Schema):
    not_fixed: bool = False
    text: BoundedStr(2000) = ""


def _reports():
    return Report.objects.select_related("category", "unit", "agency")


def _read(r: Report) -> dict:
    return {"code": r.code, "title": r.title, "category": r.category.code, "category_name": r.category.name,
            "status": r.status, "unit": r.unit.key, "unit_name": r.unit.name,
            "agency": r.agency.code if r.agency_id else None, "lat": r.lat, "lon": r.lon, "address": r.address,
            "received_at": r.received_at, "accept_due_at": r.accept_due_at, "due_at": r.due_at,
            "answered_at": r.answered_at, "overdue": r.overdue, "extended": r.extended,
            "refusal_reason": r.refusal_reason, "satisfied": r.satisfied}  # fmt: skip


def _detail(request, code: str) -> dict:
    r = get_visible_or_404(_reports(), request.auth, what="report", code=code)
    entries = [{"kind": e.kind, "status": e.status, "text": e.text, "public": e.public, "by": e.by, "at": e.at}
               for e in r.entries.all()]  # fmt: skip
    return _read(r) | {"description": r.description, "answer": r.answer, "entries": entries}


def _report_or_404(request, code: str) -> Report:
    return get_visible_or_404(_reports(), request.auth, what="report", code=code)


@router.get("/feedback/reports", response=list[ReportRead], summary="Citizens' reports within your scope, newest first")
@paginate(Page)
def list_reports(request, filters: Query[ReportFilter]):
    p = require(request, FEEDBACK_VIEW)
    qs = _reports().visible_to(p)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category__code__startswith=filters.category)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    if filters.unit:
        qs = qs.filter(unit__path__startswith=resolve_unit(filters.unit).path)
    if filters.overdue is not None:
        qs = qs.filter(overdue=filters.overdue)
    return [_read(r) for r in qs.order_by("-received_at", "-pk")]


@router.get("/feedback/reports/{code}", response=ReportDetail, summary="One report with its history")
def get_report(request, code: str):
    require(request, FEEDBACK_VIEW)
    return _detail(request, code)


@router.post("/feedback/reports/{code}/accept", response=ReportDetail, summary="Accept a report (tiếp nhận)")
def accept_report(request, code: str):
    p = require(request, FEEDBACK_HANDLE)
    handling.accept(_report_or_404(request, code), by=p)
    return _detail(request, code)


@router.post("/feedback/reports/{code}/refuse", response=ReportDetail,
             summary="Refuse a report as spam, out of scope or a duplicate")  # fmt: skip
def refuse_report(request, code: str, body: RefuseBody):
    p = require(request, FEEDBACK_DISPATCH)
    report = _report_or_404(request, code)
    duplicate_of = _report_or_404(request, body.duplicate_of) if body.duplicate_of else None
    handling.refuse(report, by=p, reason=body.reason, text=body.text, duplicate_of=duplicate_of)
    return _detail(request, code)


@router.post("/feedback/reports/{code}/spam", response=ReportDetail,
             summary="Mark a report as spam or abuse (agency officers too), with a reason")  # fmt: skip
def mark_spam(request, code: str, body: SpamBody):
    p = require(request, FEEDBACK_HANDLE)
    handling.mark_spam(_report_or_404(request, code), by=p, reason=body.reason)
    return _detail(request, code)


@router.post("/feedback/reports/{code}/start", response=ReportDetail, summary="Start handling a report")
def start_report(request, code: str):
    p = require(request, FEEDBACK_HANDLE)
    handling.start(_report_or_404(request, code), by=p)
    return _detail(request, code)


@router.post("/feedback/reports/{code}/answer", response=ReportDetail, summary="Answer a report publicly")
def answer_report(request, code: str, body: AnswerBody):
    p = require(request, FEEDBACK_HANDLE)
    handling.answer(_report_or_404(request, code), by=p, text=body.text)
    return _detail(request, code)


@router.post("/feedback/reports/{code}/close", response=ReportDetail, summary="Close a report (fixed or not)")
def close_report(request, code: str, body: CloseBody):
    p = require(request, FEEDBACK_HANDLE)
    handling.close(_report_or_404(request, code), by=p, not_fixed=body.not_fixed, text=body.text)
    return _detail(request, code)
