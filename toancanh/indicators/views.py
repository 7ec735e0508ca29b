"""Indicator pages: the overview of a unit, and one indicator's page (chart, map, ranking)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from toancanh.core.collation import order_by_name
from toancanh.core.models import Sector
from toancanh.core.pages import staff_required
from toancanh.core.periods import Period
from toancanh.core.scoping import get_visible_or_404
from toancanh.indicators import forecast, queries
from toancanh.indicators.models import Indicator
from toancanh.units import queries as unit_queries
from toancanh.units.models import Unit


def _unit_in_scope(request: HttpRequest) -> Unit:
    key = request.GET.get("unit")
    if not key:
        unit = request.user.unit or Unit.objects.current().filter(level="province").order_by("code").first()
        if unit is None:
            raise Http404("no unit")
        return unit
    return get_visible_or_404(Unit, request.user, what="unit", key=key)


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
        "children": order_by_name(unit.children.valid_on(day)),
        "groups": list(groups.items()),
        "sector": sector,
        "counts": {s: sum(1 for f in figures if f.status == s) for s in ("green", "amber", "red")},
        "has_figures": any(f.period for f in figures),
    }
    return render(request, "indicators/overview.html", context)


@staff_required
def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator for one unit: its series, its children's figures on a map and ranked, the forecast."""
    indicator = get_visible_or_404(
        Indicator.objects.select_related("sector", "weight"), request.user, what="indicator", code=code
    )
    unit = _unit_in_scope(request)
    series = queries.series(indicator, unit)
    period = request.GET.get("period") or (series[-1][0] if series else None)
    if period:
        try:
            period = Period.parse(period).code
        except ValueError as exc:
            raise Http404(str(exc)) from exc
    structure = "former" if request.GET.get("structure") == "former" else "current"
    ranking = queries.children_values(indicator, unit, period, structure) if period else []
    # Before the unit existed (a merged province before July 2025) the former structure is offered too.
    before_unit = bool(period and unit.valid_from and Period.parse(period).end < unit.valid_from)
    figure = queries.figures(unit, [indicator])[0]
    year = Period.parse(period).year if period else None
    outlook = forecast.for_unit(indicator, unit, year) if series else None
    anomalies = forecast.anomalies(indicator, [(p, v) for p, v, _c in series]) if series else {}
    context = {
        "indicator": indicator,
        "unit": unit,
        "ancestors": unit_queries.ancestors(unit),
        "period": period,
        "period_label": Period.parse(period).label if period else "",
        "figure": figure,
        "ranking": ranking,
        "structure": structure,
        "before_unit": before_unit,
        "outlook": outlook,
        "forecast_method": forecast.describe(indicator, outlook.method) if outlook else "",
        "anomalies": sorted(anomalies.items()),
        "periods": [p for p, _v, _c in series][::-1][:36],
    }
    return render(request, "indicators/indicator.html", context)
