"""Staff handling of reports: the state machine and its acts.

    received → accepted | refused (spam, out of scope, duplicate — with a reason)
    accepted → assigned → in_progress → answered → closed | closed_not_fixed
    answered / closed / closed_not_fixed → reopened (by a dissatisfied citizen) → assigned …

"Closed, not fixed" is an honest end of its own (FixMyStreet's users asked for it). Each act
checks the actor's permission and scope (an agency's officers act on their agency's reports),
runs in one transaction with its audit record and a history entry, and tells the platform.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from toancanh.core import audit
from toancanh.core.errors import Forbidden, NotFound, ServiceError
from toancanh.core.scoping import allows_object, scope_of
from toancanh.feedback import abuse, deadlines, notices, photos
from toancanh.feedback.models import (
    OPEN,
    Extension,
    ExtensionStatus,
    Follower,
    HandlingSettings,
    RefusalReason,
    Report,
    Status,
)
from toancanh.feedback.permissions import FEEDBACK_DISPATCH, FEEDBACK_HANDLE
from toancanh.feedback.services import add_entry, emit, store_photos
from toancanh.units.models import Agency

TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.ACCEPTED, Status.REFUSED),
    Status.ACCEPTED: (Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED, Status.REFUSED, Status.CLOSED_NOT_FIXED),
    Status.ASSIGNED: (Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED_NOT_FIXED),
    Status.IN_PROGRESS: (Status.ANSWERED, Status.CLOSED_NOT_FIXED),
    Status.ANSWERED: (Status.CLOSED, Status.CLOSED_NOT_FIXED, Status.REOPENED),
    Status.CLOSED: (Status.REOPENED,),
    Status.CLOSED_NOT_FIXED: (Status.REOPENED,),
    Status.REOPENED: (Status.ASSIGNED, Status.IN_PROGRESS, Status.ANSWERED, Status.CLOSED_NOT_FIXED),
    Status.REFUSED: (),
}


def can_move(frm: str, to: str) -> bool:
    return to in TRANSITIONS.get(frm, ())


def _label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


def _require_move(report: Report, to: str) -> None:
    if not can_move(report.status, to):
        raise ServiceError(
            gettext("a report that is “%(now)s” cannot become “%(to)s”")
            % {"now": gettext(_label(report.status)), "to": gettext(_label(to))}
        )


def _require(by: Any, permission: str, report: Report) -> None:
    """The actor may do this (its role) to this report (its scope); out of scope reads as absent."""
    if by is None:
        return  # the command line and the job runner
    if not allows_object(scope_of(by), report):
        raise NotFound.of("report", report.code)
    if not getattr(by, "permits", lambda _c: False)(permission):
        raise Forbidden(gettext("your role may not do this to a report"))


def _move(report: Report, to: str, *, by: Any, text: str = "", public: bool = True,
          now: dt.datetime | None = None, action: str = "") -> Report:  # fmt: skip
    now = now or timezone.now()
    before = report.status
    report.status, report.updated_at = to, now
    report.save()
    entry = add_entry(report, "status", by=by, status=to, text=text, public=public, at=now)
    audit.record(f"feedback.{action or to}", report, by=by, unit_path=report.unit.path,
                 before={"status": before}, after={"status": to, "text": text[:200]})  # fmt: skip
    emit(report, to, now)
    report._entry = entry  # the evidence photos of an answer hang on it
    return report


def accept(report: Report, *, by: Any, now: dt.datetime | None = None) -> Report:
    """Take the report in (tiếp nhận): it is real and within the agencies' competence."""
    _require(by, FEEDBACK_HANDLE, report)
    _require_move(report, Status.ACCEPTED)
    now = now or timezone.now()
    with transaction.atomic():
        report.accepted_at = now
        return _move(report, Status.ACCEPTED, by=by, now=now, text=gettext("Report accepted"))


def refuse(report: Report, *, by: Any, reason: str, text: str = "", duplicate_of: Report | None = None) -> Report:
    """Refuse the report (từ chối tiếp nhận): spam, out of scope or a duplicate, with a reason."""
    _require(by, FEEDBACK_DISPATCH, report)
    _require_move(report, Status.REFUSED)
    if reason not in RefusalReason.values:
        raise ServiceError(gettext("say why the report is refused: spam, out of scope or duplicate"))
    if reason == RefusalReason.DUPLICATE and duplicate_of is None:
        raise ServiceError(gettext("name the report this one duplicates"))
    with transaction.atomic():
        report.refusal_reason, report.duplicate_of = reason, duplicate_of
        reason_text = gettext(str(RefusalReason(reason).label))
        _move(report, Status.REFUSED, by=by, text=f"{reason_text}. {text}".strip(". "), action="refuse")
        abuse.after_refusal(report, by=by)  # spam too often from one account locks it
        return report


def mark_spam(report: Report, *, by: Any, reason: str, now: dt.datetime | None = None) -> Report:
    """An officer of the handling agency (or the IOC) marks a report as spam or abuse (đánh dấu spam) at any
    step before its end, within their scope, with a reason: the report is refused as spam, the reason
    is an internal entry and audited, and it counts toward its sender's lock (:mod:`abuse`). The
    citizen and the public read only a neutral "closed"."""
    _require(by, FEEDBACK_HANDLE, report)
    if report.status == Status.REFUSED:
        raise ServiceError(gettext("this report was already refused"))
    reason = (reason or "").strip()
    if len(reason) < 5 or len(reason) > 2000:
        raise ServiceError(gettext("say why the report is spam or abuse (5 to 2,000 characters)"))
    now = now or timezone.now()
    with transaction.atomic():
        before = report.status
        report.status, report.refusal_reason, report.updated_at = Status.REFUSED, RefusalReason.SPAM, now
        report.closed_at = report.closed_at or now
        report.save()
        add_entry(report, "note", by=by, text=gettext("Marked as spam or abuse: %(reason)s") % {"reason": reason},
                  at=now)  # fmt: skip
        add_entry(report, "status", by=by, status=Status.REFUSED, public=True, text=gettext("Report closed"), at=now)
        audit.record("feedback.mark_spam", report, by=by, unit_path=report.unit.path,
                     before={"status": before}, after={"status": Status.REFUSED, "reason": reason})  # fmt: skip
        emit(report, Status.REFUSED, now)
        abuse.after_refusal(report, by=by, now=now)
    return report


def assign(report: Report, *, by: Any, assignee: Any = None, agency: Agency | None = None) -> Report:
    """Give the report to an agency (re-route: dispatchers only) and, optionally, to an officer."""
    _require(by, FEEDBACK_DISPATCH if agency is not None else FEEDBACK_HANDLE, report)
    _require_move(report, Status.ASSIGNED)
    with transaction.atomic():
        if agency is not None:
            report.agency = agency
        if report.agency_id is None:
            raise ServiceError(gettext("choose the agency that handles this report"))
        if assignee is not None:
            if getattr(assignee, "agency_id", None) not in (None, report.agency_id):
                raise ServiceError(gettext("the officer belongs to another agency"))
            report.assignee = assignee
        _move(report, Status.ASSIGNED, by=by, text=gettext("Assigned to %(agency)s") % {"agency": report.agency.name})
        notices.to_agency(report, "assigned")
    return report


def start(report: Report, *, by: Any) -> Report:
    _require(by, FEEDBACK_HANDLE, report)
    _require_move(report, Status.IN_PROGRESS)
    with transaction.atomic():
        return _move(report, Status.IN_PROGRESS, by=by, text=gettext("Being handled"))


def answer(report: Report, *, by: Any, text: str, evidence: list | None = None,
           evidence_public: list[bool] | None = None, now: dt.datetime | None = None) -> Report:  # fmt: skip
    """The agency's public answer, with photos of the site as evidence; every follower hears it."""
    _require(by, FEEDBACK_HANDLE, report)
    _require_move(report, Status.ANSWERED)
    text = (text or "").strip()
    if len(text) < 5 or len(text) > 4000:
        raise ServiceError(gettext("write the answer the citizen will read (5 to 4,000 characters)"))
    cleaned = photos.clean_all(evidence or [], evidence_public)
    now = now or timezone.now()
    with transaction.atomic():
        report.answer, report.answered_at = text, now
        report.answered_on_time = report.due_at is None or now <= report.due_at
        _move(report, Status.ANSWERED, by=by, text=text, now=now, action="answer")
        store_photos(report, cleaned, entry=report._entry)
        report._entry.kind = "answer"
        report._entry.save(update_fields=["kind"])
        notices.to_followers(report)
    return report


def close(report: Report, *, by: Any, not_fixed: bool = False, text: str = "") -> Report:
    """Close the report; "closed, not fixed" says honestly that it could not be fixed."""
    _require(by, FEEDBACK_HANDLE, report)
    to = Status.CLOSED_NOT_FIXED if not_fixed else Status.CLOSED
    _require_move(report, to)
    if not_fixed and not text.strip():
        raise ServiceError(gettext("say why it cannot be fixed"))
    with transaction.atomic():
        report.closed_at = timezone.now()
        if not_fixed and report.answered_at is None:
            report.answer, report.answered_at = text.strip(), report.closed_at
            report.answered_on_time = report.due_at is None or report.closed_at <= report.due_at
        _move(report, to, by=by, text=text.strip() or gettext("Closed"))
        if not_fixed:
            notices.to_followers(report)
    return report


def transfer(report: Report, *, by: Any, to: Agency, reason: str, now: dt.datetime | None = None) -> Report:
    """An agency passes the report to another (chuyển đơn vị xử lý) with a reason; the handling
    deadline counts again from the transfer (the national PAKN rule)."""
    _require(by, FEEDBACK_HANDLE, report)
    if report.status not in OPEN:
        raise ServiceError(gettext("only an open report can be transferred"))
    reason = (reason or "").strip()
    if not reason or len(reason) > 2000:
        raise ServiceError(gettext("say why the report is transferred"))
    if to.pk == report.agency_id:
        raise ServiceError(gettext("the report is already with this agency"))
    now = now or timezone.now()
    with transaction.atomic():
        before = report.agency_id
        report.agency, report.assignee, report.updated_at = to, None, now
        report.due_at = deadlines.due(now, report.category.deadline_value, report.category.deadline_unit)
        report.overdue, report.reminded_at, report.escalated_at = False, None, None
        report.save()
        add_entry(report, "transfer", by=by, text=reason, at=now)
        add_entry(report, "status", by=by, public=True, status=report.status, at=now,
                  text=gettext("Transferred to %(agency)s") % {"agency": to.name})  # fmt: skip
        audit.record("feedback.transfer", report, by=by, unit_path=report.unit.path, before={"agency": before},
                     after={"agency": to.pk, "reason": reason})  # fmt: skip
        emit(report, "transferred", now)
        notices.to_agency(report, "transferred")
    return report


def note(report: Report, *, by: Any, text: str) -> None:
    """An internal note (ghi chú nội bộ): staff see it, the public never does."""
    _require(by, FEEDBACK_HANDLE, report)
    text = (text or "").strip()
    if not text or len(text) > 4000:
        raise ServiceError(gettext("write the note (at most 4,000 characters)"))
    with transaction.atomic():
        add_entry(report, "note", by=by, text=text)
        audit.record("feedback.note", report, by=by, unit_path=report.unit.path)


def request_extension(report: Report, *, by: Any, days: int, justification: str) -> Extension:
    """Ask for more time (gia hạn) with a justification; shown as such on the report."""
    _require(by, FEEDBACK_HANDLE, report)
    limit = HandlingSettings.current().extension_max_days
    if report.status not in OPEN:
        raise ServiceError(gettext("only an open report can be extended"))
    if not 1 <= int(days) <= limit:
        raise ServiceError(gettext("an extension is 1 to %(n)s working days") % {"n": limit})
    justification = (justification or "").strip()
    if len(justification) < 10 or len(justification) > 2000:
        raise ServiceError(gettext("justify the extension (at least a sentence)"))
    if report.extensions.filter(status=ExtensionStatus.PENDING).exists():
        raise ServiceError(gettext("an extension is already waiting for a decision"))
    now = timezone.now()
    with transaction.atomic():
        ext = Extension.objects.create(report=report, days=days, justification=justification,
                                       requested_by=audit.actor_fields(by)["actor_label"], requested_at=now)  # fmt: skip
        add_entry(report, "extension", by=by, text=justification, public=True,
                  status=report.status)  # fmt: skip
        audit.record("feedback.extension.request", report, by=by, unit_path=report.unit.path,
                     after={"days": days, "justification": justification})  # fmt: skip
    return ext


def decide_extension(ext: Extension, *, by: Any, grant: bool) -> Extension:
    """The IOC grants (the deadline moves by the working days asked) or refuses an extension."""
    report = ext.report
    _require(by, FEEDBACK_DISPATCH, report)
    if ext.status != ExtensionStatus.PENDING:
        raise ServiceError(gettext("this extension has already been decided"))
    now = timezone.now()
    with transaction.atomic():
        ext.status = ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED
        ext.decided_by, ext.decided_at = audit.actor_fields(by)["actor_label"], now
        ext.save()
        if grant:
            report.due_at = deadlines.after_working_days(report.due_at or now, ext.days)
            report.extended, report.updated_at = True, now
            report.overdue = report.due_at < now
            report.reminded_at = report.escalated_at = None
            report.save()
        text = gettext("Extension of %(n)s working days granted") if grant else gettext("Extension refused")
        add_entry(report, "extension", by=by, public=True, status=report.status, text=text % {"n": ext.days}
                  if grant else text)  # fmt: skip
        audit.record("feedback.extension.decide", report, by=by, unit_path=report.unit.path,
                     after={"granted": grant, "due_at": report.due_at})  # fmt: skip
    return ext


def merge(duplicate: Report, *, into: Report, by: Any) -> Report:
    """Merge a duplicate into the report it repeats: it is refused as a duplicate, and its
    reporter and followers follow the other and hear its answer."""
    _require(by, FEEDBACK_DISPATCH, duplicate)
    _require(by, FEEDBACK_DISPATCH, into)
    if duplicate.pk == into.pk or into.duplicate_of_id == duplicate.pk:
        raise ServiceError(gettext("a report cannot be merged into itself"))
    if into.status == Status.REFUSED:
        raise ServiceError(gettext("merge into a report that was not refused"))
    with transaction.atomic():
        for f in Follower.objects.filter(report=duplicate):
            if not Follower.objects.filter(report=into, user=f.user, phone=f.phone, device=f.device).exists():
                Follower.objects.create(report=into, user=f.user, phone=f.phone, device=f.device)
        if duplicate.status != Status.REFUSED:
            if duplicate.status != Status.RECEIVED and not can_move(duplicate.status, Status.REFUSED):
                duplicate.status = Status.RECEIVED  # an operator's merge overrides its progress
            refuse(duplicate, by=by, reason=RefusalReason.DUPLICATE, duplicate_of=into,
                   text=gettext("Merged into %(code)s") % {"code": into.code})  # fmt: skip
        Report.objects.filter(duplicate_of=duplicate).update(duplicate_of=into)
        add_entry(into, "follow", by=by, text=gettext("%(code)s merged into this report") % {"code": duplicate.code})
        audit.record("feedback.merge", into, by=by, unit_path=into.unit.path, after={"merged": duplicate.code})
    return into


def share_reporter(report: Report, *, by: Any) -> Report:
    """Let the handling agency see who reported (only an operator decides; Huế's rule)."""
    _require(by, FEEDBACK_DISPATCH, report)
    with transaction.atomic():
        report.reporter_shared = True
        report.save(update_fields=["reporter_shared"])
        audit.record("feedback.share_reporter", report, by=by, unit_path=report.unit.path)
    return report
