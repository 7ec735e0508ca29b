"""Indicator pages: the overview of a unit, and one indicator's page (chart, map, ranking)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from toancanh.core.models import Sector
from toancanh.core.periods import Period
from toancanh.indicators import forecast, queries
from toancanh.indicators.models import Indicator, Target
from toancanh.units import queries as unit_queries
from toancanh.units.models import Unit
from toancanh.web.views import staff_required


def _unit_in_scope(request: HttpRequest) -> Unit:
    key = request.GET.get("unit")
    if not key:
        unit = request.user.unit or Unit.objects.current().filter(level="province").order_by("code").first()
        if unit is None:
            raise Http404("no unit")
        return unit
    unit = Unit.objects.visible_to(request.user).filter(key=key).first()
    if unit is None:
        raise Http404("unit not found")
    return unit


@staff_required
def overview(request: HttpRequest) -> HttpResponse:
    """KPI tiles by sector for a unit: the latest figure, its change, plan completion, a sparkline."""
    unit = _unit_in_scope(request)
    indicators = Indicator.objects.visible_to(request.user).filter(active=True).select_related("sector")
    sector = None
    if request.GET.get("sector"):
        sector = Sector.objects.filter(code=request.GET["sector"]).first()
        indicators = indicators.filter(sector=sector)
    figures = queries.overview(unit, list(indicators))
    groups: dict[Sector, list] = {}
    for f in figures:
        groups.setdefault(f.indicator.sector, []).append(f)
    day = unit_queries.display_day(unit)
    context = {
        "unit": unit,
        "ancestors": unit_queries.ancestors(unit),
        "children": unit.children.valid_on(day).order_by("name"),
        "groups": list(groups.items()),
        "sector": sector,
        "counts": {s: sum(1 for f in figures if f.status == s) for s in ("green", "amber", "red")},
        "has_figures": any(f.period for f in figures),
    }
    return render(request, "indicators/overview.html", context)


@staff_required
def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator for one unit: its series, its children's figures on a map and ranked, the forecast."""
    indicator = Indicator.objects.visible_to(request.user).filter(code=code).select_related("sector", "weight").first()
    if indicator is None:
        raise Http404("indicator not found")
    unit = _unit_in_scope(request)
    series = queries.series(indicator, unit)
    period = request.GET.get("period") or (series[-1][0] if series else None)
    if period:
        try:
            period = Period.parse(period).code
        except ValueError as exc:
            raise Http404(str(exc)) from exc
    ranking = queries.children_values(indicator, unit, period) if period else []
    figure = queries.figures(unit, [indicator])[0]
    year = Period.parse(period).year if period else None
    target = Target.objects.filter(indicator=indicator, unit=unit, year=year).values_list("value", flat=True).first()
    outlook = None
    if series and not indicator.is_derived:
        outlook = forecast.year_end(
            indicator, [(p, v) for p, v, _c in series], year, None if target is None else float(target)
        )
    anomalies = forecast.anomalies(indicator, [(p, v) for p, v, _c in series]) if series else {}
    context = {
        "indicator": indicator,
        "unit": unit,
        "ancestors": unit_queries.ancestors(unit),
        "period": period,
        "period_label": Period.parse(period).label_vi if period else "",
        "figure": figure,
        "ranking": ranking,
        "outlook": outlook,
        "anomalies": sorted(anomalies.items()),
        "periods": [p for p, _v, _c in series][::-1][:36],
    }
    return render(request, "indicators/indicator.html", context)
