"""Every write of the reporting context: template versions, regimes and the submission workflow.

Workflow (Decree 09/2019: who reports, who receives)::

    draft ──submit──▶ submitted ──approve──▶ approved ──reopen (approver, reason)──▶ returned
      ▲                   │                                                           │
      └───── save ────────┴──return (comment)──▶ returned ──save / submit─────────────┘

A clerk edits and submits the reports of units inside their scope; the approving unit (a unit
above the reporting one: the principal's scope covers the reporting unit's parent) approves,
returns and reopens. Approval locks the figures; the cells mapped to indicators feed the indicator
store (``indicators.services.record_values``) as official figures. Every act keeps a revision with
the values, who and when, writes the audit record and publishes its event on commit; nothing
partial is ever saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toancanh.core import audit, bus
from toancanh.core.errors import Conflict, Forbidden, ServiceError
from toancanh.core.scoping import Scope, get_visible_or_404, scope_of
from toancanh.reporting.forms import CellSpec, Form, RuleSpec, check, clean_values, form_of
from toancanh.reporting.formulas import FormulaError
from toancanh.reporting.models import (
    Cell,
    Column,
    PeriodLock,
    Regime,
    Row,
    Rule,
    Section,
    Status,
    Submission,
    SubmissionRevision,
    SubmissionValue,
    Template,
    TemplateVersion,
)
from toancanh.reporting.regimes import period_of
from toancanh.reporting.sheet import Layout


class Refused(ServiceError):
    """A report refused as a whole: every problem names its cell or the reason (nothing saved)."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# --- templates ------------------------------------------------------------------------------------


def create_template_version(*, by: Any, code: str, name: str, spec: dict[str, Any], note: str = "") -> TemplateVersion:
    """A new version of a form (the template is created with its first version).

    ``spec``: ``{"sections": [{"code", "name", "rows": [{"code", "name", "level", "measure"}]}],
    "columns": [{"code", "name", "kind"}], "cells": {"ROW.COL": {"type", "formula", "required",
    "min_value", "max_value", "choices", "aggregation", "weight", "indicator_code"}},
    "rules": [{"expression", "message", "blocking"}]}``. The whole form is checked first
    (formulas, references, cycles, rules); nothing is written if anything is wrong.
    """
    rows = [(s, r) for s in spec.get("sections", []) for r in s.get("rows", [])]
    layout = Layout(tuple(str(r["code"]) for _s, r in rows), tuple(str(c["code"]) for c in spec.get("columns", [])))
    _check_codes(layout)
    cells = {k: CellSpec(k, **v) for k, v in spec.get("cells", {}).items()}
    rules = [RuleSpec(r["expression"], r["message"], r.get("blocking", True)) for r in spec.get("rules", [])]
    unknown = [k for k in cells if k not in set(layout.cells())]
    if unknown:
        raise FormulaError(_("There is no cell %(cell)s on the form.") % {"cell": f"[{unknown[0]}]"})
    Form(None, layout, cells, rules)  # formulas, cycles and rules checked here
    with transaction.atomic():
        template, _created = Template.objects.get_or_create(code=code, defaults={"name": name})
        last = template.versions.order_by("-number").first()
        version = TemplateVersion.objects.create(template=template, number=(last.number + 1) if last else 1, note=note)
        order = 0
        for s_order, s in enumerate(spec.get("sections", [])):
            section = Section.objects.create(
                version=version, code=str(s.get("code", s_order)), name=s.get("name", ""), order=s_order
            )
            for r in s.get("rows", []):
                order += 1
                Row.objects.create(
                    version=version, section=section, code=str(r["code"]), name=r.get("name", ""),
                    level=int(r.get("level", 0)), measure=r.get("measure", ""), order=order,
                )  # fmt: skip
        Column.objects.bulk_create(
            Column(
                version=version, code=str(c["code"]), name=c.get("name", ""), kind=c.get("kind", "this_period"), order=i
            )
            for i, c in enumerate(spec.get("columns", []))
        )
        Cell.objects.bulk_create(Cell(version=version, **vars(c)) for c in cells.values())
        Rule.objects.bulk_create(Rule(version=version, order=i, **vars(r)) for i, r in enumerate(rules))
        audit.record("reporting.template_version", version, by=by, after={"code": code, "number": version.number})
    return version


def _check_codes(layout: Layout) -> None:
    for kind, codes in ((_("row"), layout.rows), (_("column"), layout.columns)):
        seen: set[str] = set()
        for c in codes:
            if not c or c in seen:
                raise ServiceError(_("The %(kind)s code “%(code)s” is empty or repeated.") % {"kind": kind, "code": c})
            seen.add(c)
    if not layout.rows or not layout.columns:
        raise ServiceError(_("A form needs at least one row and one column."))


def ensure_editable(version: TemplateVersion) -> None:
    """A version used by a submission never changes: make a new version instead."""
    if version.locked or version.submissions.exists():
        raise ServiceError(
            _("Version %(n)s of form %(code)s is already used by reports and cannot change; create a new version.")
            % {"n": version.number, "code": version.template.code}
        )


# --- submissions ----------------------------------------------------------------------------------


def may_edit(scope: Scope, submission_unit, regime: Regime) -> bool:
    """The unit's own filers, of the regime's sector (any sector for a general regime: then a
    sector-limited officer, the health department's, does not file it)."""
    return scope.allows(submission_unit.path, sector=regime.sector_id)


def _not_your_sector(regime: Regime) -> str:
    if regime.sector_id is None:
        return _("This is a general regime, filed and approved by the units' general offices, not by an officer "
                 "limited to some sectors.")  # fmt: skip
    return _("This regime is filed and approved by the officers of the sector %(sector)s.") % {
        "sector": regime.sector.localized
    }


def may_approve(scope: Scope, unit, regime: Regime) -> bool:
    """The approving unit sits above the reporting one: its scope covers the unit's parent, for the
    regime's sector."""
    parent = unit.parent
    return parent is not None and scope.allows(parent.path, sector=regime.sector_id)


def _revise(sub: Submission, action: str, values: dict[str, object], *, by: Any, comment: str = "") -> None:
    sub.revision += 1
    sub.save()
    SubmissionRevision.objects.create(
        submission=sub, number=sub.revision, action=action, status=sub.status, values=values, comment=comment,
        by=audit.actor_fields(by)["actor_label"],
    )  # fmt: skip
    audit.record(
        f"reporting.{action}", sub, by=by, unit_path=sub.unit.path, after={"status": sub.status, "comment": comment}
    )
    bus.publish({"type": f"reporting.{action}", "id": sub.pk, "unit": sub.unit.path, "regime": sub.regime.code,
                 "period": sub.period, "status": sub.status})  # fmt: skip


def current_values(sub: Submission) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, number, text in sub.cell_values.values_list("key", "number", "text"):
        out[key] = number if number is not None else (text or None)
    return out


def _store(sub: Submission, computed: dict[str, object]) -> None:
    sub.cell_values.all().delete()
    SubmissionValue.objects.bulk_create(
        SubmissionValue(
            submission=sub, key=k,
            number=v if isinstance(v, float) else None,
            text="" if isinstance(v, float) or v is None or not isinstance(v, str | bool) else str(v),
        )
        for k, v in computed.items()
        if v is not None and not (hasattr(v, "code") and not isinstance(v, str))
    )  # fmt: skip


def _jsonable(values: dict[str, object]) -> dict[str, object]:
    return {k: (v.code if hasattr(v, "code") and not isinstance(v, str) else v) for k, v in values.items()}


def save_submission(
    *,
    by: Any,
    regime: Regime,
    unit,
    period: str,
    values: dict[str, object],
    submit: bool = False,
    now: dt.datetime | None = None,
) -> Submission:
    """Save a draft (or submit it): values checked against the form, formulas recomputed; refused
    as a whole with every problem named, and refused (409) while the period is closed. ``now`` is the
    moment of the act (the demo files past periods; default: now)."""
    from toancanh.reporting.queries import shifts_for

    scope = scope_of(by)
    if not may_edit(scope, unit, regime):
        if scope.allows(unit.path):
            raise Forbidden(_not_your_sector(regime))
        raise Forbidden(_("You may only enter reports of your own unit."))
    rp = period_of(regime.frequency, period)
    with transaction.atomic():
        ensure_open(regime, rp.code)
        sub = Submission.objects.select_for_update().filter(regime=regime, unit=unit, period=rp.code).first()
        if sub is None:
            version = regime.template.versions.order_by("-number").first()
            if version is None:
                raise ServiceError(_("The form of this regime has no version yet."))
            sub = Submission(regime=regime, version=version, unit=unit, period=rp.code)
        if sub.status in (Status.SUBMITTED, Status.APPROVED):
            raise ServiceError(
                _("This report is %(status)s and cannot be changed.") % {"status": Status(sub.status).label.lower()}
            )
        form = form_of(sub.version)
        cleaned, problems = clean_values(form, values)
        merged = {**(current_values(sub) if sub.pk else {}), **cleaned}
        merged = {k: v for k, v in merged.items() if not form.spec(k).formula}
        computed, blocking, _warnings = check(form, merged, shifts_for(sub), complete=submit)
        problems += blocking
        if problems:
            raise Refused(problems)
        if not sub.version.locked:
            TemplateVersion.objects.filter(pk=sub.version.pk).update(locked=True)
            sub.version.locked = True
        if submit:
            sub.status, sub.submitted_at = Status.SUBMITTED, now or timezone.now()
        elif sub.status != Status.RETURNED:
            sub.status = Status.DRAFT
        sub.save()
        _store(sub, computed)
        _revise(sub, "submit" if submit else "save", _jsonable(computed), by=by)
    return sub


def submit(*, by: Any, submission: Submission, now: dt.datetime | None = None) -> Submission:
    return save_submission(
        by=by,
        regime=submission.regime,
        unit=submission.unit,
        period=submission.period,
        values={},
        submit=True,
        now=now,
    )


def _decide(
    by: Any,
    submission: Submission,
    *,
    want: tuple[str, ...],
    to: str,
    action: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Submission:
    scope = scope_of(by)
    sub = get_visible_or_404(Submission.objects.select_related("unit", "regime"), by, what="report", pk=submission.pk)
    if not may_approve(scope, sub.unit, sub.regime):
        if sub.unit.parent is not None and scope.allows(sub.unit.parent.path):
            raise Forbidden(_not_your_sector(sub.regime))
        raise Forbidden(_("Only the approving unit above %(unit)s may do this.") % {"unit": sub.unit.name})
    with transaction.atomic():
        sub = Submission.objects.select_for_update().select_related("unit", "regime").get(pk=sub.pk)
        ensure_open(sub.regime, sub.period)
        if sub.status not in want:
            raise ServiceError(
                _("A report that is %(status)s cannot be %(act)s.")
                % {"status": Status(sub.status).label.lower(), "act": _ACTS[action]()}
            )
        sub.status, sub.decided_at = to, now or timezone.now()
        sub.decided_by = audit.actor_fields(by)["actor_label"]
        sub.comment = comment
        sub.save()
        values = current_values(sub)
        _revise(sub, action, values, by=by, comment=comment)
        if action == "approve":
            _feed_indicators(sub, values, by=by)
    return sub


_ACTS = {"approve": lambda: _("approved"), "return": lambda: _("returned"), "reopen": lambda: _("reopened")}


def approve(*, by: Any, submission: Submission, now: dt.datetime | None = None) -> Submission:
    return _decide(by, submission, want=(Status.SUBMITTED,), to=Status.APPROVED, action="approve", now=now)


def return_submission(*, by: Any, submission: Submission, comment: str, now: dt.datetime | None = None) -> Submission:
    if not (comment or "").strip():
        raise ServiceError(_("Say why the report is returned."))
    return _decide(
        by,
        submission,
        want=(Status.SUBMITTED,),
        to=Status.RETURNED,
        action="return",
        comment=comment.strip(),
        now=now,
    )


def reopen(*, by: Any, submission: Submission, reason: str) -> Submission:
    """An approved report reopened by its approver, with a reason: it goes back to the unit."""
    if not (reason or "").strip():
        raise ServiceError(_("Give the reason for reopening an approved report."))
    return _decide(by, submission, want=(Status.APPROVED,), to=Status.RETURNED, action="reopen", comment=reason.strip())


def _feed_indicators(sub: Submission, values: dict[str, object], *, by: Any) -> None:
    """Approved cells mapped to indicators become official figures of the indicator store."""
    form = form_of(sub.version)
    mapped = [(k, c.indicator_code) for k, c in form.cells.items() if c.indicator_code]
    if not mapped:
        return
    from toancanh.indicators.models import ValueStatus
    from toancanh.indicators.services import ValueRow, record_values

    rows = [
        ValueRow(indicator=code, unit=sub.unit.key, period=sub.period, value=values[k], status=ValueStatus.OFFICIAL,
                 source=f"reporting:{sub.regime.code}", row=f"[{k}]")
        for k, code in mapped
        if isinstance(values.get(k), float)
    ]  # fmt: skip
    if rows:
        report = record_values(rows, by=by, scope=Scope(everywhere=True), source=f"reporting:{sub.regime.code}")
        if report.refused:
            raise Refused([f"{r.get('row', '')}: {r.get('error', '')}" for r in report.refused])


# --- closing a period -----------------------------------------------------------------------------


def lock_of(regime: Regime, period: str) -> PeriodLock | None:
    """The period's closing, if it is closed now."""
    return PeriodLock.objects.filter(regime=regime, period=period, closed=True).first()


def ensure_open(regime: Regime, period: str) -> None:
    """Refuse (409) any act on a report of a closed period, saying who closed it and when."""
    lock = lock_of(regime, period)
    if lock is not None:
        raise Conflict(locked_message(lock))


def locked_message(lock: PeriodLock) -> str:
    from toancanh.core.periods import Period, PeriodError

    when = timezone.localtime(lock.closed_at).strftime("%H:%M %d/%m/%Y") if lock.closed_at else ""
    try:
        period = Period.parse(lock.period).label
    except (PeriodError, ValueError):
        period = lock.period
    return _(
        "Period %(period)s of this regime was closed on %(when)s by %(by)s: its reports can no longer be "
        "edited, submitted, approved or returned. Ask the receiving unit to reopen the period."
    ) % {"period": period, "when": when, "by": lock.closed_by or "—"}


def may_close(by: Any, regime: Regime) -> bool:
    """The officer responsible for the regime: a person of the receiving unit (their scope covers the
    recipient, for the regime's sector) whose role files figures."""
    from toancanh.accounts.roles import INDICATORS_ENTER

    permits = getattr(by, "permits", None)
    # a general regime has no sector: a sector-limited officer (the health department's) does not close it
    return bool(permits and permits(INDICATORS_ENTER)) and scope_of(by).allows(
        regime.recipient.path, sector=regime.sector_id
    )


WAITING_NAMED = 5  # units named in the refusal to close a period with reports still waiting


def _refuse_closing_with_waiting(regime: Regime, period: str) -> None:
    """A period is closed once every report sent is decided: a report still waiting for approval
    would otherwise be stranded (nothing of a closed period can be approved or returned)."""
    waiting = list(
        Submission.objects.filter(regime=regime, period=period, status=Status.SUBMITTED)
        .order_by("unit__name")
        .values_list("unit__name", flat=True)
    )
    if waiting:
        names = ", ".join(waiting[:WAITING_NAMED]) + (" …" if len(waiting) > WAITING_NAMED else "")
        raise Conflict(
            _(
                "%(n)s report(s) of this period still wait for approval (%(units)s): approve or return them "
                "before closing the period."
            )
            % {"n": len(waiting), "units": names}
        )


def _person(by: Any) -> str:
    """The name a person reads for who acted: the account's full name, else its audit label."""
    return getattr(by, "display_name", "") or audit.actor_fields(by)["actor_label"]


def set_period_closed(
    *, by: Any, regime: Regime, period: str, closed: bool, reason: str = "", now: dt.datetime | None = None
) -> PeriodLock:
    """Close a period (khóa sổ) or reopen it; reopening needs a reason. Setting the state a period
    already has changes nothing (and writes nothing)."""
    if not may_close(by, regime):
        raise Forbidden(
            _("Only the officer of %(unit)s, which receives this regime's reports, may close or reopen its periods.")
            % {"unit": regime.recipient.name}
        )
    rp = period_of(regime.frequency, period)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ServiceError(_("The reason is longer than 500 characters."))
    label = _person(by)
    with transaction.atomic():
        lock, _created = PeriodLock.objects.select_for_update().get_or_create(
            regime=regime, period=rp.code, defaults={"closed": False}
        )
        if lock.closed == closed and not _created:
            return lock
        if not closed and not lock.closed:
            return lock
        if not closed and not reason:
            raise ServiceError(_("Give the reason for reopening a closed period."))
        before = {"closed": lock.closed}
        if closed:
            _refuse_closing_with_waiting(regime, rp.code)
            lock.closed, lock.closed_at, lock.closed_by, lock.note = True, now or timezone.now(), label, reason
        else:
            lock.closed, lock.reopened_at, lock.reopened_by, lock.reopen_reason = (
                False,
                now or timezone.now(),
                label,
                reason,
            )
        lock.save()
        action = "close_period" if closed else "reopen_period"
        audit.record(
            f"reporting.{action}", lock, by=by, unit_path=regime.recipient.path, before=before,
            after={"closed": lock.closed, "regime": regime.code, "period": rp.code, "reason": reason},
        )  # fmt: skip
        bus.publish({"type": f"reporting.{action}", "regime": regime.code, "period": rp.code,
                     "unit": regime.recipient.path})  # fmt: skip
    return lock
