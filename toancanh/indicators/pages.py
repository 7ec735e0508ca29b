"""Administrators keep the indicator catalogue (danh mục chỉ tiêu) and the yearly targets per unit
(chỉ tiêu kế hoạch) here, on the page machinery: search without accents, filters, export; forms
with Vietnamese labels and choices, a derived indicator's formula checked as it is typed, errors
beside the field and nothing typed lost. Every write goes through ``services.define_indicator``
and ``services.set_target``; who may write is who may over the API (``indicators.manage``, over a
whole province)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.accounts.roles import INDICATORS_MANAGE, INDICATORS_VIEW
from toancanh.core.errors import ServiceError
from toancanh.core.models import Sector
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet, Picker, PickerField, permission_required
from toancanh.indicators import services
from toancanh.indicators.models import (
    Direction,
    Indicator,
    Target,
    TargetKind,
    TimeAggregation,
    UnitAggregation,
)
from toancanh.units.pages import unit_picker

PERIOD_CHOICES = [
    ("day", gettext_lazy("Day")), ("month", gettext_lazy("Month")), ("quarter", gettext_lazy("Quarter")),
    ("half_year", gettext_lazy("Half-year")), ("year", gettext_lazy("Year")),
]  # fmt: skip
KIND_CHOICES = [("plain", gettext_lazy("Entered figures")), ("derived", gettext_lazy("Computed by a formula"))]


def may_manage(user) -> bool:
    """The catalogue and the targets are the provincial administrator's (as over the API)."""
    if not user.permits(INDICATORS_MANAGE):
        return False
    unit = getattr(user, "unit", None)
    return user.scope.everywhere or (unit is not None and unit.level == "province")


class IndicatorPicker(Picker):
    """Indicators by name (or code), searched without accents."""

    url_name = "indicator-picker"
    search_fields = ["name_vi", "name_en", "code"]
    value_field = "code"
    placeholder = gettext_lazy("Type an indicator's name…")

    def queryset(self, request):
        return Indicator.objects.visible_to(request.user).filter(active=True).select_related("sector")

    def label(self, obj):
        return obj.localized

    def hint(self, obj):
        return f"{obj.code} · {obj.sector.localized}"


indicator_picker = IndicatorPicker()


class FormulaInput(forms.TextInput):
    """The formula box, with a line under it that says at once whether the formula holds."""

    template_name = "indicators/widgets/formula.html"
    check_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["check_url"] = self.check_url
        return context


class IndicatorForm(PageForm):
    code = forms.RegexField(
        label=gettext_lazy("Code"), max_length=40, regex=r"^[A-Z][A-Z0-9_]*$",
        error_messages={"invalid": gettext_lazy("Upper-case letters, digits and _, starting with a letter.")},
        help_text=gettext_lazy("Upper-case letters, digits and _, e.g. GRDP_PER_CAPITA; used in formulas."),
    )  # fmt: skip
    name_vi = forms.CharField(label=gettext_lazy("Name (Vietnamese)"), min_length=2, max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), min_length=2, max_length=200)
    sector = forms.ModelChoiceField(label=gettext_lazy("Sector"), queryset=Sector.objects.all(), to_field_name="code")
    measure = forms.CharField(label=gettext_lazy("Unit of measure"), max_length=40,
                              help_text=gettext_lazy("e.g. tỷ đồng, %, người, ca"))  # fmt: skip
    period_type = forms.ChoiceField(label=gettext_lazy("Reported by"), choices=PERIOD_CHOICES, initial="month")
    unit_aggregation = forms.ChoiceField(label=gettext_lazy("Over units"), choices=UnitAggregation.choices)
    weight = PickerField(indicator_picker, label=gettext_lazy("Weight indicator"), required=False,
                         help_text=gettext_lazy("Only for a weighted average, e.g. the population."))  # fmt: skip
    time_aggregation = forms.ChoiceField(label=gettext_lazy("Over time"), choices=TimeAggregation.choices)
    direction = forms.ChoiceField(label=gettext_lazy("Direction"), choices=Direction.choices)
    decimals = forms.IntegerField(label=gettext_lazy("Decimals shown"), min_value=0, max_value=6, initial=0)
    min_value = forms.DecimalField(label=gettext_lazy("Lowest valid figure"), required=False, localize=True,
                                   max_digits=24, decimal_places=6,
                                   help_text=gettext_lazy("Empty: 0 for entered figures; −100 for a growth rate."))  # fmt: skip
    max_value = forms.DecimalField(label=gettext_lazy("Highest valid figure"), required=False, localize=True,
                                   max_digits=24, decimal_places=6,
                                   help_text=gettext_lazy("e.g. 100 for a share in per cent."))  # fmt: skip
    formula = forms.CharField(
        label=gettext_lazy("Formula (computed indicators only)"), max_length=500, required=False,
        widget=FormulaInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=gettext_lazy("Indicator codes, numbers, + − × ÷ and prev_year(X), prev(X), target(X); "
                               "e.g. GRDP / POP * 1000. Empty for figures that are entered."),
    )  # fmt: skip
    green_at = forms.DecimalField(label=gettext_lazy("Green from (% of target)"), localize=True, initial=100,
                                  min_value=0, max_value=1000, max_digits=6, decimal_places=2)  # fmt: skip
    amber_at = forms.DecimalField(label=gettext_lazy("Amber from (% of target)"), localize=True, initial=90,
                                  min_value=0, max_value=1000, max_digits=6, decimal_places=2)  # fmt: skip
    source = forms.CharField(label=gettext_lazy("Source"), max_length=200, required=False)
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = self.request.user.scope
        if scope.sectors:
            self.fields["sector"].queryset = Sector.objects.filter(code__in=scope.sectors)
        self.fields["sector"].label_from_instance = lambda s: s.localized
        self.fields["formula"].widget.check_url = reverse("catalogue-check-formula")
        if self.instance is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False

    def clean_code(self):
        code = self.cleaned_data.get("code")
        if self.instance is None and code and Indicator.objects.filter(code=code).exists():
            raise forms.ValidationError(_("An indicator with this code already exists."))
        return code if self.instance is None else self.instance.code

    def clean_formula(self):
        formula = (self.cleaned_data.get("formula") or "").strip()
        if formula:
            code = self.instance.code if self.instance is not None else (self.data.get("code") or "").strip()
            try:
                services.check_formula(code or "NEW", formula)
            except ServiceError as exc:
                raise forms.ValidationError(exc.message) from exc
        return formula

    def clean(self):
        data = super().clean()
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The highest valid figure is below the lowest."))
        if data.get("unit_aggregation") == UnitAggregation.WEIGHTED_AVERAGE and not data.get("weight"):
            self.add_error("weight", _("A weighted average needs a weight indicator."))
        green, amber = data.get("green_at"), data.get("amber_at")
        if green is not None and amber is not None and amber > green:
            self.add_error("amber_at", _("Amber must start at or below green."))
        return data


def _kind_filter(qs, value):
    return qs.exclude(formula="") if value == "derived" else qs.filter(formula="")


class CataloguePages(PageSet):
    model = Indicator
    name = "catalogue"
    title = gettext_lazy("indicator")
    title_plural = gettext_lazy("Indicator catalogue")
    view_permission, manage_permission = INDICATORS_VIEW, INDICATORS_MANAGE
    search_fields = ["name_vi", "name_en", "code"]
    search_placeholder = gettext_lazy("Name or code, with or without accents…")
    ordering = ("sector__order", "order", "code")
    form_class = IndicatorForm
    intro = gettext_lazy("The indicators the province follows: how each is reported, added up over units and "
                         "time, judged against its target, or computed by a formula from others.")  # fmt: skip
    columns = [
        Column("code", gettext_lazy("Code"), order="code", link=True),
        Column("name_vi", gettext_lazy("Name"), order="name_vi", link=True),
        Column("sector", gettext_lazy("Sector"), value=lambda i: i.sector.localized, order="sector__order"),
        Column("measure", gettext_lazy("Unit of measure")),
        Column("period_type", gettext_lazy("Reported by"), value=lambda i: dict(PERIOD_CHOICES).get(i.period_type)),
        Column("direction", gettext_lazy("Direction"), value=lambda i: i.get_direction_display()),
        Column("formula", gettext_lazy("Formula")),
        Column("active", gettext_lazy("In use"), order="active"),
    ]
    detail_fields = [
        Column("code", gettext_lazy("Code")),
        Column("name_vi", gettext_lazy("Name (Vietnamese)")),
        Column("name_en", gettext_lazy("Name (English)")),
        Column("sector", gettext_lazy("Sector"), value=lambda i: i.sector.localized),
        Column("measure", gettext_lazy("Unit of measure")),
        Column("period_type", gettext_lazy("Reported by"), value=lambda i: dict(PERIOD_CHOICES).get(i.period_type)),
        Column("unit_aggregation", gettext_lazy("Over units"), value=lambda i: i.get_unit_aggregation_display()),
        Column("weight", gettext_lazy("Weight indicator"), value=lambda i: i.weight.localized if i.weight_id else ""),
        Column("time_aggregation", gettext_lazy("Over time"), value=lambda i: i.get_time_aggregation_display()),
        Column("direction", gettext_lazy("Direction"), value=lambda i: i.get_direction_display()),
        Column("decimals", gettext_lazy("Decimals shown")),
        Column("range", gettext_lazy("Valid range"), value=lambda i: _range(i)),
        Column("formula", gettext_lazy("Formula")),
        Column("lights", gettext_lazy("Traffic lights"), value=lambda i: _lights(i)),
        Column("source", gettext_lazy("Source")),
        Column("legal_basis", gettext_lazy("Legal basis")),
        Column("active", gettext_lazy("In use")),
    ]
    filters = [
        Filter("sector", gettext_lazy("Sector"), choices=lambda request: [(s.code, s.localized) for s in Sector.objects.all()],
               lookup="sector_id"),
        Filter("kind", gettext_lazy("Kind"), choices=KIND_CHOICES, apply=_kind_filter),
        Filter.yes_no("active"),
    ]  # fmt: skip
    acts = [
        Act("disable", gettext_lazy("Stop using"), danger=True,
            confirm=gettext_lazy("The indicator and its figures stay in the records, but it no longer shows on the "
                                 "overview and takes no new figures from forms."),
            available=lambda i: i.active, done=gettext_lazy("The indicator is no longer in use."),
            perform=lambda request, i, data: _define(request, i.code, {"active": False})),
        Act("enable", gettext_lazy("Use again"), available=lambda i: not i.active,
            perform=lambda request, i, data: _define(request, i.code, {"active": True})),
    ]  # fmt: skip

    def list_queryset(self, request):
        return self.queryset(request).select_related("sector")

    def can_create(self, request):
        return super().can_create(request) and may_manage(request.user)

    def can_edit(self, request, obj):
        return super().can_edit(request, obj) and may_manage(request.user)

    def label(self, obj):
        return obj.localized

    def error_field(self, form, exc):
        return getattr(exc, "field", None)

    def _fields(self, data: dict) -> dict[str, Any]:
        names = ["name_vi", "name_en", "measure", "period_type", "unit_aggregation", "time_aggregation",
                 "direction", "decimals", "min_value", "max_value", "formula", "green_at", "amber_at", "source",
                 "legal_basis"]  # fmt: skip
        return {n: data[n] for n in names} | {"sector": data["sector"].code,
                                              "weight": data["weight"].code if data["weight"] else ""}  # fmt: skip

    def create(self, request, data):
        return _define(request, data["code"], self._fields(data))

    def update(self, request, obj, data):
        return _define(request, obj.code, self._fields(data))

    def initial(self, request, obj):
        names = ["code", "name_vi", "name_en", "measure", "period_type", "unit_aggregation", "time_aggregation",
                 "direction", "decimals", "min_value", "max_value", "formula", "green_at", "amber_at", "source",
                 "legal_basis"]  # fmt: skip
        return {n: getattr(obj, n) for n in names} | {"sector": obj.sector_id,
                                                      "weight": obj.weight.code if obj.weight_id else None}  # fmt: skip

    detail_template = "indicators/catalogue_detail.html"

    def detail_context(self, request, obj):
        targets = reverse("target-list") + f"?indicator={obj.code}&year={timezone.localdate().year}"
        return {"extra_links": [(targets, _("Yearly targets"))]}


def _define(request: HttpRequest, code: str, fields: dict) -> Indicator:
    if not may_manage(request.user):
        raise PermissionDenied(_("Only a provincial administrator manages the indicator catalogue and targets."))
    return services.define_indicator(by=request.user, code=code, scope=request.user.scope, **fields)


def _num(value, decimals: int | None = None) -> str:
    """A number as Vietnamese readers write it (7,5; 1.234,5), without trailing zeros."""
    if value is None:
        return "—"
    number = Decimal(value).normalize()
    places = max(0, -number.as_tuple().exponent) if decimals is None else decimals  # type: ignore[operator]
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def _range(i: Indicator) -> str:
    if i.min_value is None and i.max_value is None:
        return ""
    return f"{_num(i.min_value)} … {_num(i.max_value)}"


def _lights(i: Indicator) -> str:
    return _("green from %(g)s %%, amber from %(a)s %% of the target") % {"g": _num(i.green_at), "a": _num(i.amber_at)}


@permission_required(INDICATORS_VIEW)
def check_formula(request: HttpRequest) -> HttpResponse:
    """The line under the formula box (htmx): "Công thức hợp lệ" or what is wrong, in Vietnamese."""
    formula = request.GET.get("formula", "").strip()[:500]
    code = request.GET.get("code", "").strip()[:40] or "NEW"
    context: dict[str, Any] = {"formula": formula}
    if formula:
        try:
            refs = services.check_formula(code, formula)
        except ServiceError as exc:
            context["error"] = exc.message
        else:
            context["refs"] = sorted({r.code for r in refs})
    return render(request, "indicators/_formula_check.html", context)


# --- yearly targets ---------------------------------------------------------------------------


def _year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this + 1, this - 6, -1)]


class TargetForm(PageForm):
    indicator = PickerField(indicator_picker, label=gettext_lazy("Indicator"))
    unit = PickerField(unit_picker, label=gettext_lazy("Administrative unit"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of target"), choices=TargetKind.choices,
                             help_text=gettext_lazy("At least: a floor (“đạt ít nhất”); at most: a ceiling "
                                                    "(“không vượt quá”); range: from the value to the upper end."))  # fmt: skip
    value = forms.DecimalField(label=gettext_lazy("Value"), localize=True, max_digits=24, decimal_places=6)
    upper = forms.DecimalField(label=gettext_lazy("Upper end (range only)"), localize=True, required=False,
                               max_digits=24, decimal_places=6)  # fmt: skip
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False,
                           help_text=gettext_lazy("e.g. the resolution that sets it: NQ 43/NQ-HĐND"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            for name in ("indicator", "unit", "year"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        if self.instance is not None:
            data |= {"indicator": self.instance.indicator, "unit": self.instance.unit, "year": self.instance.year}
        kind, value, upper = data.get("kind"), data.get("value"), data.get("upper")
        if kind == TargetKind.RANGE and value is not None and upper is None:
            self.add_error("upper", _("A range target needs its upper end."))
        elif kind != TargetKind.RANGE and upper is not None:
            self.add_error("upper", _("Only a range target has an upper end."))
        elif upper is not None and value is not None and upper < value:
            self.add_error("upper", _("The upper end is below the value."))
        return data


class TargetPages(PageSet):
    model = Target
    name = "target"
    title = gettext_lazy("target")
    title_plural = gettext_lazy("Yearly targets")
    view_permission, manage_permission = INDICATORS_VIEW, INDICATORS_MANAGE
    search_fields = ["indicator__name_vi", "indicator__code", "unit__name"]
    search_placeholder = gettext_lazy("Indicator or unit…")
    ordering = ("-year", "indicator__sector__order", "indicator__order", "unit__path")
    form_class = TargetForm
    intro = gettext_lazy("The yearly targets (chỉ tiêu kế hoạch) of each unit, as the People's Council's "
                         "resolutions set them; the traffic lights judge the figures against them.")  # fmt: skip
    columns = [
        Column("indicator", gettext_lazy("Indicator"), value=lambda t: t.indicator.localized, link=True,
               order="indicator__name_vi"),
        Column("unit", gettext_lazy("Unit"), value=lambda t: t.unit.name, order="unit__path"),
        Column("year", gettext_lazy("Year"), value=lambda t: str(t.year), order="year"),
        Column("kind", gettext_lazy("Kind of target"), value=lambda t: t.get_kind_display()),
        Column("value", gettext_lazy("Value"), value=lambda t: _num(t.value)),
        Column("upper", gettext_lazy("Upper end"), value=lambda t: None if t.upper is None else _num(t.upper)),
        Column("measure", gettext_lazy("Unit of measure"), value=lambda t: t.indicator.measure),
        Column("set_by", gettext_lazy("Set by")),
    ]  # fmt: skip
    detail_fields = [*columns, Column("note", gettext_lazy("Note")), Column("set_at", gettext_lazy("Set at"))]
    filters = [
        Filter("indicator", gettext_lazy("Indicator"), picker=indicator_picker),
        Filter("year", gettext_lazy("Year"), choices=lambda request: _year_choices()),
        Filter.within(unit_picker),
    ]  # fmt: skip

    list_template = "indicators/targets_list.html"

    def queryset(self, request):
        visible = Indicator.objects.visible_to(request.user)
        return Target.objects.visible_to(request.user).filter(indicator__in=visible)

    def list_context(self, request):
        """With an indicator and a year chosen: the units in scope that have no target yet, each
        with a link that opens the form filled in for it."""
        code = request.GET.get("indicator", "")[:40]
        year = request.GET.get("year", "")[:4] or str(timezone.localdate().year)
        found = indicator_picker.lookup(request, [code]) if code else []
        if not found or not year.isdigit() or not may_manage(request.user):
            return {}
        ind = found[0]
        roots = unit_picker.roots(request, unit_picker.queryset(request))
        units = list(roots) + [u for r in roots for u in unit_picker.queryset(request).filter(parent=r)]
        has = set(Target.objects.filter(indicator=ind, year=int(year)).values_list("unit_id", flat=True))
        missing = [u for u in units if u.pk not in has]
        create = reverse("target-create")
        return {"without_target": {"indicator": ind, "year": year, "total": len(missing),
                                   "units": [(u, f"{create}?indicator={ind.code}&unit={u.key}&year={year}")
                                             for u in missing[:60]]}}  # fmt: skip

    def list_queryset(self, request):
        return self.queryset(request).select_related("indicator", "unit")

    def can_create(self, request):
        return super().can_create(request) and may_manage(request.user)

    def can_edit(self, request, obj):
        return super().can_edit(request, obj) and may_manage(request.user)

    def label(self, obj):
        return f"{obj.indicator.localized} · {obj.unit.name} · {obj.year}"

    def error_field(self, form, exc):
        return getattr(exc, "field", None)

    def create_initial(self, request):
        initial: dict[str, Any] = {"year": timezone.localdate().year}
        for name in ("indicator", "unit", "year"):
            if request.GET.get(name):
                initial[name] = request.GET[name][:40]
        return initial

    def initial(self, request, obj):
        return {"indicator": obj.indicator.code, "unit": obj.unit.key, "year": obj.year, "kind": obj.kind,
                "value": obj.value.normalize(), "upper": None if obj.upper is None else obj.upper.normalize(),
                "note": obj.note}  # fmt: skip

    def _set(self, request, data: dict) -> Target:
        if not may_manage(request.user):
            raise PermissionDenied(_("Only a provincial administrator manages the indicator catalogue and targets."))
        return services.set_target(
            by=request.user, scope=request.user.scope, indicator=data["indicator"].code, unit=data["unit"].key,
            year=int(data["year"]), value=data["value"], upper=data.get("upper"), kind=data["kind"],
            note=data.get("note", ""),
        )  # fmt: skip

    def create(self, request, data):
        return self._set(request, data)

    def update(self, request, obj, data):
        return self._set(request, data)


catalogue_pages, target_pages = CataloguePages(), TargetPages()
