"""The app shell's pages: home (the province map), unit pages, sector pages, the video wall."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from toancanh.core.models import Sector
from toancanh.units import queries
from toancanh.units.models import Agency, Unit


def staff_required(view):
    """Pages for staff; citizens are sent to the citizens' pages (not yet built), anonymous to login."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs):
        if request.user.kind != "staff":
            return render(request, "web/citizen_home.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _home_unit(request: HttpRequest) -> Unit | None:
    unit = request.user.unit
    if unit is None:  # a system administrator: the first province in force
        unit = Unit.objects.current().filter(level="province").order_by("code").first()
    return unit


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    unit = _home_unit(request)
    if unit is None:
        return render(request, "web/home_empty.html")
    return _unit_page(request, unit, home=True)


@staff_required
def unit_page(request: HttpRequest, key: str) -> HttpResponse:
    unit = Unit.objects.filter(key=key).first()
    if unit is None:
        raise Http404("unit not found")
    return _unit_page(request, unit, home=False)


def _unit_page(request: HttpRequest, unit: Unit, *, home: bool) -> HttpResponse:
    day = queries.display_day(unit)
    children = unit.children.valid_on(day).order_by("name")
    q = request.GET.get("q", "").strip()
    if q:
        children = queries.text_filter(children, q)
    page = Paginator(children, 60).get_page(request.GET.get("page"))
    went, came = queries.successions_of(unit)
    agencies = Agency.objects.visible_to(request.user).filter(unit=unit).prefetch_related("sectors").order_by("name")
    context = {
        "unit": unit,
        "home": home,
        "ancestors": queries.ancestors(unit),
        "children_page": page,
        "children_total": unit.children.valid_on(day).count(),
        "q": q,
        "successors": went,
        "predecessors": [s for s in came if s.old.level == unit.level],
        "lower_predecessors": sum(1 for s in came if s.old.level != unit.level),
        "agencies": agencies,
        "in_scope": request.user.scope.covers_path(unit.path),
        "day": day,
        "former": unit.valid_to is not None and unit.valid_to < queries.today(),
    }
    template = "web/_children.html" if request.headers.get("HX-Request") else "web/unit.html"
    return render(request, template, context)


@staff_required
def sector_page(request: HttpRequest, code: str) -> HttpResponse:
    sector = Sector.objects.filter(code=code).first()
    if sector is None:
        raise Http404("sector not found")
    agencies = Agency.objects.visible_to(request.user).filter(sectors=sector).select_related("unit").order_by("name")
    unit = _home_unit(request)
    from toancanh.indicators.models import Indicator
    from toancanh.indicators.queries import overview

    indicators = list(Indicator.objects.visible_to(request.user).filter(active=True, sector=sector))
    figures = overview(unit, indicators) if unit and indicators else []
    groups = [(sector, figures)] if figures else []
    context = {"sector": sector, "agencies": agencies, "unit": unit, "groups": groups}
    return render(request, "web/sector.html", context)


@staff_required
def wall(request: HttpRequest) -> HttpResponse:
    """The video-wall layout: the map fills the screen, dark, large type."""
    unit = _home_unit(request)
    if unit is None:
        return render(request, "web/home_empty.html")
    from toancanh.indicators.models import Indicator
    from toancanh.indicators.queries import overview

    # Headline figures: the first indicator of each sector, as the catalogue orders them.
    headline, seen = [], set()
    for ind in Indicator.objects.visible_to(request.user).filter(active=True).select_related("sector"):
        if ind.sector_id not in seen:
            seen.add(ind.sector_id)
            headline.append(ind)
    figures = [f for f in overview(unit, headline) if f.period][:8]
    context = {"unit": unit, "theme": "dark", "sectors": Sector.objects.all(), "figures": figures}
    return render(request, "web/wall.html", context)


@require_POST
def set_theme(request: HttpRequest) -> HttpResponse:
    theme = request.POST.get("theme", "light")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    response.set_cookie("theme", "dark" if theme == "dark" else "light", max_age=365 * 24 * 3600, samesite="Lax")
    return response
