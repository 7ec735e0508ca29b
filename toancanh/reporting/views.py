"""Reporting pages: a unit's reports (and those waiting for the approver), the entry grid of one
report, and the approver's decision. The grid works without JavaScript (a plain form); with it,
``static/reporting/entry.js`` adds keyboard navigation, paste from Excel and live formula results
and checks (``formulas.js``, the same evaluator as the server's). Every write is one service call."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from toancanh.core.errors import NotFound, ServiceError
from toancanh.core.pages import staff_required
from toancanh.core.scoping import get_visible_or_404, scope_of
from toancanh.reporting import excel, services
from toancanh.reporting.forms import form_of
from toancanh.reporting.formulas import XLError, number_text
from toancanh.reporting.models import Regime, Status, Submission
from toancanh.reporting.queries import shift_periods, shifts_from, values_of
from toancanh.reporting.regimes import period_of
from toancanh.units.models import Unit


@staff_required
def submissions(request: HttpRequest) -> HttpResponse:
    """The reports a person may see: their unit's, and the ones waiting for their approval."""
    scope = scope_of(request.user)
    subs = list(
        Submission.objects.visible_to(request.user)
        .select_related("unit", "regime")
        .order_by("-period", "unit__name")[:200]
    )
    waiting = [s for s in subs if s.status == Status.SUBMITTED and services.may_approve(scope, s.unit, s.regime)]
    regimes = Regime.objects.visible_to(request.user).filter(active=True).order_by("name")
    unit = getattr(request.user, "unit", None)
    return render(
        request, "reporting/submissions.html",
        {"subs": subs, "waiting": waiting, "regimes": regimes, "unit": unit},
    )  # fmt: skip


def _plain(v: object) -> object:
    """A value as typed back into a cell: numbers without locale grouping (``12000``, ``91.5``)."""
    if isinstance(v, float):
        return number_text(v)
    if isinstance(v, XLError):
        return v.code
    return v


def _shown(v: object) -> object:
    """A value shown for comparison: a sum of decimals without its binary noise (2027.4, not
    2027.3999999999999)."""
    return _plain(float(f"{v:.12g}")) if isinstance(v, float) else _plain(v)


def _grid(form, version, values: dict, previous: dict) -> list[dict]:
    rows = []
    info = _rows(version)
    last_section = None
    for row in form.layout.rows:
        cells = []
        for col in form.layout.columns:
            key = f"{row}.{col}"
            spec = form.spec(key)
            cells.append(
                {"key": key, "spec": spec, "value": _plain(values.get(key)), "previous": _shown(previous.get(key))}
            )
        meta = info[row]
        heading = meta["section"] if meta["section_id"] != last_section else ""
        last_section = meta["section_id"]
        rows.append({"code": row, "cells": cells, "heading": heading, **meta})
    return rows


@staff_required
def entry(request: HttpRequest, regime: str, unit: str, period: str) -> HttpResponse:
    """The entry grid of one unit's report for one period (created as a draft on first save)."""
    regime_obj = Regime.objects.select_related("template").filter(code=regime).first()  # catalogue data
    if regime_obj is None:
        raise NotFound.of("regime", regime)
    unit_obj = get_visible_or_404(Unit, request.user, what="unit", key=unit)
    rp = period_of(regime_obj.frequency, period)
    sub = Submission.objects.filter(regime=regime_obj, unit=unit_obj, period=rp.code).select_related("version").first()
    version = sub.version if sub else regime_obj.template.versions.order_by("-number").first()
    form = form_of(version)
    problems: list[str] = []
    typed: dict[str, object] = {}
    meta = {"regime": regime_obj.code, "unit": unit_obj.key, "period": rp.code, "version": version.pk}
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        return _download(form, version, regime_obj, sub, meta)
    if request.method == "POST":
        typed = {k[2:]: v for k, v in request.POST.items() if k.startswith("c:")}
        action = request.POST.get("action", "save")
        try:
            if "workbook" in request.FILES:
                typed = excel.read_workbook(form, request.FILES["workbook"].read(), meta)
            if action in ("save", "submit"):
                services.save_submission(
                    by=request.user, regime=regime_obj, unit=unit_obj, period=rp.code, values=typed,
                    submit=action == "submit",
                )  # fmt: skip
                messages.success(request, _("The report was submitted.") if action == "submit" else _("Draft saved."))
            elif sub is not None and action == "approve":
                services.approve(by=request.user, submission=sub)
                messages.success(request, _("The report was approved."))
            elif sub is not None and action == "return":
                services.return_submission(by=request.user, submission=sub, comment=request.POST.get("comment", ""))
                messages.success(request, _("The report was returned to the unit."))
            elif sub is not None and action == "reopen":
                services.reopen(by=request.user, submission=sub, reason=request.POST.get("comment", ""))
                messages.success(request, _("The report was reopened."))
            return redirect(request.path)
        except services.Refused as exc:
            problems = exc.problems
        except ServiceError as exc:
            problems = [exc.message]
    values = values_of([sub.pk])[sub.pk] if sub else {}
    lookup = {}
    prev_code = rp.previous().code
    others = Submission.objects.filter(regime=regime_obj, unit=unit_obj, period__in=shift_periods(rp)).exclude(
        status__in=(Status.DRAFT, Status.RETURNED)
    )
    by_id = values_of([s.pk for s in others])
    for s in others:
        lookup[s.period] = by_id.get(s.pk, {})
    shifts = shifts_from(rp, lookup)
    scope = scope_of(request.user)
    status = sub.status if sub else Status.DRAFT
    lock = services.lock_of(regime_obj, rp.code)
    editable = (
        lock is None and status in (Status.DRAFT, Status.RETURNED) and services.may_edit(scope, unit_obj, regime_obj)
    )
    approver = lock is None and sub is not None and services.may_approve(scope, unit_obj, regime_obj)
    spec = {
        "rows": list(form.layout.rows),
        "columns": list(form.layout.columns),
        "cells": {
            k: {"type": c.type, "formula": c.formula, "required": c.required, "min": c.min_value, "max": c.max_value}
            for k, c in form.cells.items()
        },  # fmt: skip
        "rules": [{"expression": r.expression, "message": r.message, "blocking": r.blocking} for r in form.rules],
        "shifts": shifts,
    }
    context = {
        "regime": regime_obj, "unit": unit_obj, "period": rp, "sub": sub, "form": form, "version": version,
        "grid": _grid(form, version, {**values, **typed}, shifts["PREV"]),
        "columns": list(version.columns.all()), "problems": problems, "editable": editable, "approver": approver,
        "status": status, "status_label": Status(status).label, "spec_json": json.dumps(spec, ensure_ascii=False),
        "previous_period": prev_code, "history": list(sub.revisions.all()) if sub else [],
        "deadline": rp.deadline(unit_obj.level, regime_obj.deadline_days), "list_url": reverse("reporting"),
        "lock": lock, "lock_message": services.locked_message(lock) if lock else "",
    }  # fmt: skip
    return render(request, "reporting/entry.html", context, status=_status_of(problems, lock))


def _status_of(problems: list[str], lock) -> int:
    """400 for a refused report, 409 for an act refused because the period is closed."""
    if not problems:
        return 200
    return 409 if lock is not None else 400


def _download(form, version, regime, sub, meta) -> HttpResponse:
    values = values_of([sub.pk])[sub.pk] if sub else {}
    rows = _rows(version)
    data = excel.workbook(
        form, title=regime.name, rows=rows, columns=list(version.columns.all()), values=values, meta=meta
    )
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{regime.code}-{meta["unit"]}-{meta["period"]}.xlsx"'
    return response


def _rows(version) -> dict[str, dict]:
    """Row code → its name, measure, indent level and section."""
    out = {}
    for r in version.rows.select_related("section"):
        out[r.code] = {"name": r.name, "measure": r.measure, "level": r.level,
                       "section": r.section.name if r.section else "", "section_id": r.section_id}  # fmt: skip
    return out


@staff_required
def open_report(request: HttpRequest) -> HttpResponse:
    regime = request.GET.get("regime", "")
    unit = request.GET.get("unit", "")
    period = _period_code(request.GET.get("period", ""))
    return redirect("reporting-entry", regime=regime, unit=unit, period=period or "-")


def _period_code(typed: str) -> str:
    """The code of a period as a person types it ("06/2025", "Quý II/2025", "2025-06" …); what
    cannot be read is passed on as typed, for the service to refuse in words."""
    from toancanh.core.periods import Period, PeriodError

    try:
        return Period.from_text(typed).code if typed.strip() else ""
    except PeriodError:
        return typed.strip()


@staff_required
def monitoring(request: HttpRequest) -> HttpResponse:
    """Completeness and timeliness of one regime's reports for one period, unit by unit, within
    the person's scope (a commune clerk sees their own unit, a provincial officer every unit). The
    receiving unit's officer closes the period here (khóa sổ), or reopens it with a reason."""
    from django.utils import timezone

    from toancanh.reporting.monitoring import TIMELINESS, by_period, monitor, period_at

    regimes = list(
        Regime.objects.visible_to(request.user).filter(active=True).select_related("recipient").order_by("name")
    )
    source = request.POST if request.method == "POST" else request.GET
    chosen = next((r for r in regimes if r.code == source.get("regime")), regimes[0] if regimes else None)
    result, problem, period = None, "", _period_code(source.get("period", ""))
    if request.method == "POST" and chosen is not None:
        closing = request.POST.get("action") == "close"
        try:
            services.set_period_closed(
                by=request.user, regime=chosen, period=period, closed=closing, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The period was closed.") if closing else _("The period was reopened."))
            return redirect(f"{reverse('reporting-monitoring')}?regime={chosen.code}&period={period}")
        except ServiceError as exc:
            problem = exc.message
    if chosen is not None:
        if not period:
            rp = period_at(chosen.frequency, timezone.localdate())
            period = rp.previous().code if rp else ""
        try:
            result = monitor(chosen, period, by=request.user) if period else None
        except ServiceError as exc:
            problem = problem or exc.message
    lock = services.lock_of(chosen, result.period) if result else None
    shown = request.GET.get("state", "")
    units = [u for u in result.units if not shown or shown in (u.timeliness, u.status)] if result else []
    context = {
        "regimes": regimes, "regime": chosen, "period": period, "result": result, "problem": problem,
        "units": units, "state": shown, "states": list(TIMELINESS.items()),
        "totals": result.totals if result else {}, "rates": result.rates if result else {},
        "recent": by_period(chosen, by=request.user) if chosen is not None else [],
        "lock": lock, "lock_message": services.locked_message(lock) if lock else "",
        "may_close": chosen is not None and services.may_close(request.user, chosen),
    }  # fmt: skip
    return render(request, "reporting/monitoring.html", context, status=400 if problem else 200)
