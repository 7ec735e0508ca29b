"""The app shell's pages: home (the province map), unit pages, sector pages, the video wall."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toancanh.core.collation import order_by_name
from toancanh.core.models import Sector
from toancanh.core.pages import staff_required
from toancanh.core.pages.access import is_staff
from toancanh.core.scoping import get_visible_or_404
from toancanh.units import queries
from toancanh.units.models import Agency, Unit
from toancanh.web import leader


def _home_unit(request: HttpRequest) -> Unit | None:
    unit = request.user.unit
    if unit is None:  # a system administrator: the first province in force
        unit = Unit.objects.current().filter(level="province").order_by("code").first()
    return unit


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.user):
        return citizen_home(request)
    unit = _home_unit(request)
    if unit is None:
        return render(request, "web/home_empty.html")
    if request.user.role == "leader":
        return _glance_page(request, unit)
    return _unit_page(request, unit, home=True)


def citizen_home(request: HttpRequest) -> HttpResponse:
    """A citizen's start page: the public warnings in force where they live, in plain words."""
    from toancanh.operations.warnings import current_warnings

    warnings = sorted(current_warnings(), key=lambda w: w.sent_at or w.created_at, reverse=True)
    return render(request, "web/citizen_home.html", {"warnings": warnings})


def _glance_unit(request: HttpRequest) -> Unit | None:
    """The unit asked for (``?unit=``, within the user's scope), else the user's own."""
    key = request.GET.get("unit")
    if key:
        return get_visible_or_404(Unit, request.user, what="unit", key=key[:40])
    return _home_unit(request)


@staff_required
def glance(request: HttpRequest) -> HttpResponse:
    """The leader's overview of any unit in scope, for every staff member (``/overview/``)."""
    unit = _glance_unit(request)
    if unit is None:
        return render(request, "web/home_empty.html")
    return _glance_page(request, unit)


def _glance_page(request: HttpRequest, unit: Unit) -> HttpResponse:
    period = leader.chosen_period(request.GET.get("period"))
    g = leader.glance(request.user, unit, period)
    context = {
        "unit": unit,
        "g": g,
        "groups": [(None, g.figures)],
        "period": period,
        "periods": leader.period_choices(),
        "day": queries.display_day(unit),
        "home": True,
    }
    return render(request, "web/glance.html", context)


@staff_required
def brief_pdf(request: HttpRequest) -> HttpResponse:
    """The one-page brief of a unit and period as PDF (for a meeting)."""
    from toancanh.web import brief

    unit = _glance_unit(request)
    if unit is None:
        raise Http404(_("No unit to brief on."))
    period = leader.chosen_period(request.GET.get("period"))
    content = brief.render(leader.glance(request.user, unit, period))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"ban-tin-{unit.key}-{period.code}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def unit_page(request: HttpRequest, key: str) -> HttpResponse:
    unit = Unit.objects.filter(key=key).first()
    if unit is None:
        raise Http404("unit not found")
    return _unit_page(request, unit, home=False)


def _unit_page(request: HttpRequest, unit: Unit, *, home: bool) -> HttpResponse:
    day = queries.display_day(unit)
    children = order_by_name(unit.children.valid_on(day))
    q = request.GET.get("q", "").strip()
    if q:
        children = queries.text_filter(children, q)
    page = Paginator(children, 60).get_page(request.GET.get("page"))
    went, came = queries.successions_of(unit)
    agencies = order_by_name(Agency.objects.visible_to(request.user).filter(unit=unit).prefetch_related("sectors"))
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
    agencies = order_by_name(Agency.objects.visible_to(request.user).filter(sectors=sector).select_related("unit"))
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
    """The video wall: a kiosk layout (no application bar), the map, the live alerts and situations
    drawn from the first second (then kept current by the event stream), a clock in Vietnamese time."""
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
    from toancanh.operations.queries import live_picture

    figures = [f for f in overview(unit, headline) if f.period][:6]
    context = {
        "unit": unit,
        "theme": "dark",
        "sectors": Sector.objects.all(),
        "figures": figures,
        "live": live_picture(request.user) | {"at": timezone.now().isoformat()},
    }
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
