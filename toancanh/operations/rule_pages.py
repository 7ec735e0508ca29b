"""Administrators define alert rules here, without code, on the page machinery: a form per rule kind
with Vietnamese labels and choices, the place and the area picked from the unit tree (no internal
codes, no raw GeoJSON needed), indicators by name, event types and fields from what the system has
seen; errors beside the field and nothing typed lost; rules switched off, on, or deleted."""

from __future__ import annotations

import json
import typing
from typing import Any

from django import forms
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core.errors import ServiceError
from toancanh.core.models import Sector
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet, PickerField
from toancanh.operations import rules as rule_kinds
from toancanh.operations import services
from toancanh.operations.models import AlertRule, Event, Severity, SituationType
from toancanh.units.pages import unit_picker

OPERATIONS_VIEW, RULES_MANAGE = "operations.view", "rules.manage"

# The parameters each kind asks for, in the order the form shows them.


def _indicators(request) -> list[tuple[str, str]]:
    from toancanh.indicators.models import Indicator

    return [(i.code, i.localized) for i in Indicator.objects.visible_to(request.user).filter(active=True)]


def _param_field(name: str, request) -> forms.Field:
    """The input of one parameter, with the same limits as the kind's parameter model."""
    fields = {
        "field": lambda: forms.CharField(label=gettext_lazy("Measured field"), max_length=80,
                                         widget=forms.TextInput(attrs={"list": "seen-fields"}),
                                         help_text=gettext_lazy("The reading in the event's data, e.g. pm25 or level_m.")),
        "op": lambda: forms.ChoiceField(label=gettext_lazy("Comparison"), choices=[(">", gettext_lazy("above")), (">=", gettext_lazy("at or above")),
                                                                        ("<", gettext_lazy("below")), ("<=", gettext_lazy("at or below"))]),
        "value": lambda: forms.FloatField(label=gettext_lazy("Threshold value"), localize=True),
        "for_seconds": lambda: forms.IntegerField(label=gettext_lazy("Must hold for (seconds)"), min_value=0, initial=0,
                                                  required=False),
        "change": lambda: forms.FloatField(label=gettext_lazy("Change that fires"), localize=True, min_value=0.000001),
        "within_seconds": lambda: forms.IntegerField(label=gettext_lazy("Within (seconds)"), min_value=1),
        "direction": lambda: forms.ChoiceField(label=gettext_lazy("Direction"), initial="up", choices=[
            ("up", gettext_lazy("rising")), ("down", gettext_lazy("falling")), ("any", gettext_lazy("either way"))]),
        "label": lambda: forms.CharField(label=gettext_lazy("What the field measures"), max_length=80, required=False,
                                         help_text=gettext_lazy("As the alert will say it, e.g. “Mực nước”.")),
        "measure": lambda: forms.CharField(label=gettext_lazy("Unit of measure"), max_length=20, required=False,
                                           help_text=gettext_lazy("e.g. m, µg/m³")),
        "minutes": lambda: forms.IntegerField(label=gettext_lazy("Silent for (minutes)"), min_value=1, max_value=7 * 24 * 60),
        "area_units": lambda: PickerField(unit_picker, multiple=True, required=False, label=gettext_lazy("Area: these units"),
                                          help_text=gettext_lazy("The area is the land of the units picked.")),
        "area": lambda: forms.CharField(label=gettext_lazy("…or an area drawn elsewhere (GeoJSON)"), required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}),
                                        help_text=gettext_lazy("Only if the area is not a set of units: a Polygon exported "
                                                    "from a map tool.")),
        "mode": lambda: forms.ChoiceField(label=gettext_lazy("When"), choices=[
            ("enter", gettext_lazy("entering the area")), ("leave", gettext_lazy("leaving the area")), ("dwell", gettext_lazy("staying in the area"))]),
        "dwell_seconds": lambda: forms.IntegerField(label=gettext_lazy("Staying for (seconds)"), min_value=0, initial=0,
                                                    required=False),
        "window_seconds": lambda: forms.IntegerField(label=gettext_lazy("Window (seconds)"), min_value=1,
                                                     max_value=31 * 24 * 3600),
        "more_than": lambda: forms.IntegerField(label=gettext_lazy("More than (events)"), min_value=0),
        "group_by": lambda: forms.ChoiceField(label=gettext_lazy("Counted per"), choices=[
            ("unit", gettext_lazy("commune")), ("unit_and_category", gettext_lazy("commune and category")), ("subject", gettext_lazy("subject"))]),
        "category_field": lambda: forms.CharField(label=gettext_lazy("Category field"), max_length=80, initial="category",
                                                  required=False),
        "indicator": lambda: forms.ChoiceField(label=gettext_lazy("Indicator"), choices=[("", "—"), *_indicators(request)]),
        "statuses": lambda: forms.MultipleChoiceField(label=gettext_lazy("Fires when the indicator is"), initial=["red"],
                                                      widget=forms.CheckboxSelectMultiple,
                                                      choices=[("red", gettext_lazy("red (off track)")),
                                                               ("amber", gettext_lazy("amber (at risk)"))]),
        "z": lambda: forms.FloatField(label=gettext_lazy("Robust z-score"), localize=True, min_value=0.1, initial=3.5),
        "min_history": lambda: forms.IntegerField(label=gettext_lazy("Values needed first"), min_value=5, initial=20),
        "history": lambda: forms.IntegerField(label=gettext_lazy("Values remembered"), min_value=10, max_value=5000, initial=200),
    }  # fmt: skip
    return fields[name]()


def _kind_fields(kind: str) -> list[str]:
    """The parameters a kind asks for, in its parameter model's order: the model is the one source
    (the core's kinds and packs' alike). An area may also be given as units picked from the tree."""
    names = [n for n in rule_kinds.kind_of(kind).params.model_fields if n != "situation_type"]
    return [m for n in names for m in (("area_units", "area") if n == "area" else (n,))]


def _core_kind(kind: str) -> bool:
    """The core's own kinds have inputs made for each parameter; a pack's are built from its model."""
    return rule_kinds.kind_of(kind).params.__module__ == rule_kinds.__name__


def _model_field(kind: str, name: str) -> forms.Field:
    """The input of a pack kind's parameter, built from its pydantic field (type, limits, choices)."""
    info = rule_kinds.kind_of(kind).params.model_fields[name]
    annotation, origin = info.annotation, typing.get_origin(info.annotation)
    limits = {
        k: getattr(m, k) for m in info.metadata for k in ("ge", "le", "gt", "lt") if getattr(m, k, None) is not None
    }
    opts = {"label": info.description or name, "required": info.is_required(),
            "initial": None if info.is_required() else info.default}  # fmt: skip
    if origin is typing.Literal:
        return forms.ChoiceField(choices=[(v, v) for v in typing.get_args(annotation)], **opts)
    if annotation is int:
        return forms.IntegerField(
            min_value=limits.get("ge", limits.get("gt")), max_value=limits.get("le", limits.get("lt")), **opts
        )
    if annotation is float:
        return forms.FloatField(min_value=limits.get("ge"), max_value=limits.get("le"), **opts)
    return forms.CharField(max_length=200, **opts)


def _kind_choices() -> list[tuple[str, Any]]:
    from toancanh.core.registry import RuleKind as Declared
    from toancanh.core.registry import registry

    return [(k.code, k.label) for k in registry.all(Declared)]


class RuleForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200,
                           help_text=gettext_lazy("As operators will read it, e.g. “Mực nước sông Vu Gia vượt báo động 2”."))  # fmt: skip
    unit = PickerField(unit_picker, label=gettext_lazy("Where it applies"),
                       help_text=gettext_lazy("Events from this unit and everything within it."))  # fmt: skip
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    event_type = forms.CharField(label=gettext_lazy("Only events of type"), max_length=80, required=False,
                                 widget=forms.TextInput(attrs={"list": "seen-types"}),
                                 help_text=gettext_lazy("Empty: every type. Suggestions come from events received."))  # fmt: skip
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Severity.choices, initial=Severity.MODERATE)
    situation_type = forms.ChoiceField(label=gettext_lazy("Procedure of the situation it opens"), required=False)
    cooldown_minutes = forms.IntegerField(label=gettext_lazy("Quiet after clearing (minutes)"), min_value=0,
                                          max_value=7 * 24 * 60, initial=15)  # fmt: skip
    escalate_minutes = forms.IntegerField(label=gettext_lazy("Escalate if nobody acknowledges within (minutes, 0 = never)"),
                                          min_value=0, max_value=7 * 24 * 60, initial=0)  # fmt: skip
    open_situation = forms.BooleanField(label=gettext_lazy("Open a situation automatically"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.request
        if self.instance is not None:
            kind = self.instance.kind
        else:
            kind = (self.data.get("kind") if self.is_bound else None) or request.GET.get("kind") or "threshold"
        self.kind = kind if kind in rule_kinds.PARAMS else "threshold"
        self.fields["kind"] = forms.CharField(widget=forms.HiddenInput, initial=self.kind, required=False)
        self.fields["sector"].choices = [("", "—"), *[(s.code, s.localized) for s in Sector.objects.all()]]
        self.fields["situation_type"].choices = [
            ("", _("None")),
            *SituationType.objects.filter(active=True).values_list("code", "name"),
        ]
        for name in _kind_fields(self.kind):
            field = _param_field(name, request) if _core_kind(self.kind) else _model_field(self.kind, name)
            if isinstance(field, PickerField):
                field.bind(request)
            self.fields[f"p_{name}"] = field
        order = ["name", "unit", "sector", "event_type", *[f"p_{n}" for n in _kind_fields(self.kind)]]
        self.order_fields(order)

    def clean_p_area(self):
        raw = (self.cleaned_data.get("p_area") or "").strip()
        if not raw:
            return None
        try:
            area = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("This is not GeoJSON: check the brackets and quotes.")) from exc
        from shapely.geometry import shape

        try:
            geom = shape(area.get("geometry", area) if isinstance(area, dict) else area)
        except Exception as exc:  # noqa: BLE001 - any malformed geometry is one clear error
            raise forms.ValidationError(_("This is not a GeoJSON geometry.")) from exc
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
            raise forms.ValidationError(_("The area must be a valid polygon (a closed outline)."))
        return area.get("geometry", area)

    def clean(self):
        data = super().clean()
        params: dict[str, Any] = {}
        for name in _kind_fields(self.kind):
            value = data.get(f"p_{name}")
            if name in ("area_units", "area"):
                continue
            if value not in (None, "", []):
                params[name] = value
        if "area" in rule_kinds.kind_of(self.kind).params.model_fields:
            area = data.get("p_area")
            if data.get("p_area_units"):
                from toancanh.units.geometry import area_of_units

                area = area_of_units(list(data["p_area_units"]))
                if area is None:
                    self.add_error("p_area_units", _("These units have no outline to draw an area from."))
            if area is None and not self.has_error("p_area") and not self.has_error("p_area_units"):
                if self.instance is not None and self.instance.kind == self.kind:
                    area = self.instance.params.get("area")  # unchanged
                else:
                    self.add_error("p_area_units", _("Pick the units of the area (or give a drawn area)."))
            if area is not None:
                params["area"] = area
        if data.get("situation_type"):
            params["situation_type"] = data["situation_type"]
        if not self.errors:
            try:
                rule_kinds.validate_params(self.kind, params)
            except ServiceError as exc:
                raise forms.ValidationError(
                    _("These settings cannot be evaluated: %(why)s") % {"why": exc.message}
                ) from exc
        data["params"], data["kind"] = params, self.kind
        return data


class RulePages(PageSet):
    model = AlertRule
    name = "rule"
    title = gettext_lazy("alert rule")
    title_plural = gettext_lazy("Alert rules")
    intro = gettext_lazy("Rules turn events into alerts. Each applies to a unit and everything within it.")
    view_permission, manage_permission = RULES_MANAGE, RULES_MANAGE
    search_fields = ["name", "event_type"]
    ordering = ("name",)
    form_class = RuleForm
    form_template = "operations/rule_form.html"
    columns = [
        Column("name", gettext_lazy("Rule"), order="name", link=True),
        Column("kind", gettext_lazy("Kind"), order="kind"),
        Column("unit.name", gettext_lazy("Where it applies"), order="unit__path"),
        Column("sector", gettext_lazy("Sector"), value=lambda r: r.sector.localized if r.sector_id else ""),
        Column("severity", gettext_lazy("Severity"), css=lambda r: f"sev-{r.severity}"),
        Column("active", gettext_lazy("In use"), order="active"),
    ]
    detail_fields = [
        *columns[1:],
        Column("event_type", gettext_lazy("Only events of type")),
        Column("params", gettext_lazy("Settings"), value=lambda r: _describe_params(r)),
        Column("cooldown_seconds", gettext_lazy("Quiet after clearing (minutes)"),
               value=lambda r: r.cooldown_seconds // 60),
        Column("escalate_after_seconds", gettext_lazy("Escalate if nobody acknowledges within (minutes, 0 = never)"),
               value=lambda r: r.escalate_after_seconds // 60),
        Column("open_situation", gettext_lazy("Open a situation automatically")),
        Column("updated_at", gettext_lazy("Changed")),
    ]  # fmt: skip
    filters = [
        Filter("kind", gettext_lazy("Kind"), choices=lambda r: _kind_choices()),
        Filter("sector", gettext_lazy("Sector"), choices=lambda r: [(s.code, s.localized) for s in Sector.objects.all()]),
        Filter("severity", gettext_lazy("Severity"), choices=Severity.choices),
        Filter.yes_no("active"),
    ]  # fmt: skip

    def list_queryset(self, request):
        return self.queryset(request).select_related("unit", "sector")

    def _fields(self, data, form) -> dict:
        return {"name": data["name"], "unit": data["unit"].key, "sector_id": data["sector"] or None,
                "event_type": data["event_type"].strip(), "params": data["params"], "severity": data["severity"],
                "cooldown_seconds": data["cooldown_minutes"] * 60,
                "escalate_after_seconds": data["escalate_minutes"] * 60,
                "open_situation": data["open_situation"]}  # fmt: skip

    def create(self, request, data):
        return services.save_rule(by=request.user, scope=request.user.scope, kind=data["kind"],
                                  **self._fields(data, None))  # fmt: skip

    def update(self, request, obj, data):
        return services.save_rule(by=request.user, scope=request.user.scope, rule=obj, **self._fields(data, None))

    def error_field(self, form, exc):
        return "unit" if "unit" in exc.message else None

    def initial(self, request, obj):
        out = {"name": obj.name, "unit": obj.unit.key, "sector": obj.sector_id or "", "event_type": obj.event_type,
               "severity": obj.severity, "situation_type": obj.params.get("situation_type") or "",
               "cooldown_minutes": obj.cooldown_seconds // 60, "escalate_minutes": obj.escalate_after_seconds // 60,
               "open_situation": obj.open_situation}  # fmt: skip
        for name, value in obj.params.items():
            out[f"p_{name}"] = json.dumps(value, ensure_ascii=False) if name == "area" else value
        return out

    def form_context(self, request, obj):
        types, fields = seen_event_vocabulary(request)
        kind = obj.kind if obj is not None else request.POST.get("kind") or request.GET.get("kind") or "threshold"
        return {"kinds": _kind_choices(), "kind": kind, "seen_types": types, "seen_fields": fields}

    acts = [
        Act("disable", gettext_lazy("Switch off"), available=lambda r: r.active, danger=True,
            confirm=gettext_lazy("It raises no new alerts; the alerts it raised stay. You can switch it on again."),
            done=gettext_lazy("The rule is switched off."),
            perform=lambda request, r, data: services.set_rule_active(r, False, by=request.user)),
        Act("enable", gettext_lazy("Switch on"), available=lambda r: not r.active,
            done=gettext_lazy("The rule is switched on."),
            perform=lambda request, r, data: services.set_rule_active(r, True, by=request.user)),
        Act("delete", gettext_lazy("Delete"), danger=True, available=lambda r: not r.alerts.exists(),
            confirm=gettext_lazy("The rule is removed for good. Only a rule that never raised an alert can be deleted."),
            done=gettext_lazy("The rule is deleted."),
            perform=lambda request, r, data: (services.delete_rule(r, by=request.user), redirect("rule-list"))[1]),
    ]  # fmt: skip


def _describe_params(rule: AlertRule) -> str:
    """A rule's settings as a person reads them: "Measured field: pm25; Comparison: above; …"."""
    from django.utils.formats import number_format

    parts = []
    for name, value in rule.params.items():
        if name == "situation_type":
            continue
        if name == "area":
            parts.append(f"{_('Area: these units')}: {_('an area')}")
            continue
        if name == "indicator":
            parts.append(f"{_('Indicator')}: {value}")
            continue
        try:
            field = _param_field(name, None)
        except KeyError:
            parts.append(f"{name}: {value}")
            continue
        choices = {str(k): v for k, v in getattr(field, "choices", []) or []}
        values = value if isinstance(value, list) else [value]
        text = ", ".join(str(choices.get(str(v), number_format(v) if isinstance(v, float) else v)) for v in values)
        parts.append(f"{field.label}: {text}")
    return "; ".join(parts)


rule_pages = RulePages()


def seen_event_vocabulary(request) -> tuple[list[str], list[str]]:
    """Event types and data fields the system has received within the user's scope (for suggestions)."""
    events = Event.objects.visible_to(request.user)
    types = sorted(set(events.order_by().values_list("type", flat=True).distinct()[:100]))
    fields: set[str] = set()
    for payload in events.order_by("-id").values_list("payload", flat=True)[:300]:
        if isinstance(payload, dict):
            fields |= {k for k, v in payload.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    return types, sorted(fields)
