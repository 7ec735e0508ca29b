"""Administrators define alert rules here, without code: the form for a rule's parameters is built
from the rule kind's own parameter model, so every kind is editable and checked the same way."""

from __future__ import annotations

import json
import typing
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from toancanh.accounts.roles import RULES_MANAGE
from toancanh.core.errors import ServiceError
from toancanh.core.models import Sector
from toancanh.operations import services
from toancanh.operations.models import AlertRule, RuleKind, Severity
from toancanh.operations.rules import PARAMS
from toancanh.units.models import Unit
from toancanh.web.views import staff_required

PARAM_LABELS = {
    "field": _("Measured field"), "op": _("Comparison"), "value": _("Threshold value"),
    "for_seconds": _("Must hold for (seconds)"), "change": _("Change that fires"), "within_seconds": _("Within (seconds)"),
    "direction": _("Direction"), "minutes": _("Silent for (minutes)"), "area": _("Area (GeoJSON polygon)"),
    "mode": _("When"), "dwell_seconds": _("Staying for (seconds)"), "window_seconds": _("Window (seconds)"),
    "more_than": _("More than (events)"), "group_by": _("Counted per"), "category_field": _("Category field"),
    "indicator": _("Indicator code"), "statuses": _("Statuses (red, amber)"), "z": _("Robust z-score"),
    "min_history": _("Values needed first"), "history": _("Values remembered"),
    "situation_type": _("Procedure of the situation it opens"),
}  # fmt: skip


def param_fields(kind: str) -> list[dict[str, Any]]:
    """The inputs a kind's parameters need: name, input type, choices, default, help."""
    out = []
    for name, f in PARAMS[kind].model_fields.items():
        annotation = f.annotation
        origin = typing.get_origin(annotation)
        entry = {"name": name, "label": PARAM_LABELS.get(name, name), "default": None if f.is_required() else f.default, "help": f.description or "",
                 "required": f.is_required(), "choices": None}  # fmt: skip
        if origin is typing.Literal:
            entry.update(input="select", choices=list(typing.get_args(annotation)))
        elif annotation in (int, float):
            entry["input"] = "number"
        elif origin is list:
            entry["input"] = "list"
        elif annotation is dict or origin is dict:
            entry["input"] = "json"
        else:
            entry["input"] = "text"
        out.append(entry)
    return out


def _params_from(post, kind: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for f in param_fields(kind):
        raw = post.get(f"p_{f['name']}", "").strip()
        if raw == "":
            continue
        if f["input"] == "number":
            try:
                params[f["name"]] = float(raw.replace(",", ".")) if "." in raw or "," in raw else int(raw)
            except ValueError as exc:
                raise ServiceError(f"{f['name']}: '{raw}' is not a number") from exc
        elif f["input"] == "json":
            try:
                params[f["name"]] = json.loads(raw)
            except ValueError as exc:
                raise ServiceError(f"{f['name']}: not valid JSON ({exc})") from exc
        elif f["input"] == "list":
            params[f["name"]] = [x.strip() for x in raw.split(",") if x.strip()]
        else:
            params[f["name"]] = raw
    return params


@staff_required
def rules_page(request: HttpRequest) -> HttpResponse:
    if not request.user.permits(RULES_MANAGE):
        return HttpResponse("your role does not allow managing alert rules", status=403)
    kind = request.POST.get("kind") or request.GET.get("kind") or RuleKind.THRESHOLD
    if kind not in PARAMS:
        kind = RuleKind.THRESHOLD
    if request.method == "POST":
        try:
            services.save_rule(
                by=request.user, scope=request.user.scope, name=request.POST.get("name", "").strip(), kind=kind,
                unit=request.POST.get("unit"), sector_id=request.POST.get("sector") or None,
                event_type=request.POST.get("event_type", "").strip(), params=_params_from(request.POST, kind),
                severity=request.POST.get("severity", "Moderate"),
                cooldown_seconds=int(request.POST.get("cooldown_minutes") or 15) * 60,
                escalate_after_seconds=int(request.POST.get("escalate_minutes") or 0) * 60,
                open_situation=bool(request.POST.get("open_situation")),
            )  # fmt: skip
            messages.success(request, "Đã lưu quy tắc cảnh báo.")
            return redirect("rules")
        except (ServiceError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
    scope_units = Unit.objects.visible_to(request.user).current().order_by("path")
    context = {
        "rules": AlertRule.objects.visible_to(request.user).select_related("unit").order_by("name"),
        "kind": kind,
        "kinds": RuleKind.choices,
        "fields": param_fields(kind),
        "units": scope_units.filter(level__in=["province", "commune"])[:400],
        "sectors": Sector.objects.all(),
        "severities": Severity.choices,
        "posted": request.POST if request.method == "POST" else {},
    }
    return render(request, "operations/rules.html", context)
