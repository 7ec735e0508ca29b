"""The working-day calendar on the page machinery (``/calendar/``): a year view of twelve month
grids (working days, days off, swapped working Saturdays), the list of special days with filters
by year and kind, create / edit / delete with confirmation, and "seed this year's defaults".
Every staff member may look; only administrators (``calendar.manage``) write, through
``core.calendar_services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from toancanh.core import calendar_services
from toancanh.core.calendar_defaults import MAX_YEAR, MIN_YEAR, official_years
from toancanh.core.calendar_queries import year_counts, year_grid
from toancanh.core.errors import ServiceError
from toancanh.core.models import CalendarDay, CalendarYear, DayKind
from toancanh.core.pages import Act, Column, DateField, Filter, PageForm, PageSet
from toancanh.core.pages.access import permission_required, permits
from toancanh.core.pages.viewset import FRAME
from toancanh.core.permissions import CALENDAR_MANAGE

WEEKDAYS = [gettext_lazy("Mon"), gettext_lazy("Tue"), gettext_lazy("Wed"), gettext_lazy("Thu"),
            gettext_lazy("Fri"), gettext_lazy("Sat"), gettext_lazy("Sun")]  # fmt: skip
GRID_DAYS = [pgettext_lazy("calendar grid", "Mo"), pgettext_lazy("calendar grid", "Tu"),
             pgettext_lazy("calendar grid", "We"), pgettext_lazy("calendar grid", "Th"),
             pgettext_lazy("calendar grid", "Fr"), pgettext_lazy("calendar grid", "Sa"),
             pgettext_lazy("calendar grid", "Su")]  # fmt: skip


def _this_year() -> int:
    return timezone.localdate().year


def _year_of(request: HttpRequest) -> int:
    raw = request.GET.get("year", "") or request.POST.get("year", "")
    return int(raw) if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR else _this_year()


def _year_choices(request: HttpRequest) -> list[tuple[str, str]]:
    now = _this_year()
    years = set(range(now - 2, now + 3)) | set(official_years())
    years |= set(CalendarYear.objects.values_list("year", flat=True))
    years.add(_year_of(request))
    return [(str(y), str(y)) for y in sorted(years)]


class CalendarDayForm(PageForm):
    date = DateField(label=gettext_lazy("Date"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=calendar_services.NAME_MAX,
                           help_text=gettext_lazy("In Vietnamese, e.g. “Lễ hội Cầu Ngư”."))  # fmt: skip
    source = forms.CharField(label=gettext_lazy("Source"), max_length=calendar_services.SOURCE_MAX, required=False,
                             help_text=gettext_lazy("The decision or notice, e.g. “Thông báo 9441/TB-BNV”."))  # fmt: skip

    def clean_date(self) -> dt.date:
        value = self.cleaned_data["date"]
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("the year must be between %(min)s and %(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR}
            )
        return value


def _delete(request: HttpRequest, day: CalendarDay, data: dict) -> HttpResponse:
    calendar_services.delete_day(day, by=request.user)
    messages.success(request, _("The day was removed; it counts as a normal day of the week again."))
    return redirect(reverse("calendar-list") + f"?year={day.date.year}")


class CalendarPages(PageSet):
    model = CalendarDay
    name = "calendar"
    title = gettext_lazy("calendar day")
    title_plural = gettext_lazy("Working-day calendar")
    view_permission = None  # every staff member may look
    manage_permission = CALENDAR_MANAGE
    form_class = CalendarDayForm
    ordering = ("date",)
    page_size = 50
    list_template = "core/calendar.html"
    search_fields = ["name", "source"]
    intro = gettext_lazy(
        "Deadlines are counted in working days on this calendar: Monday to Friday, except the days off "
        "below; a swapped working Saturday counts as a working day."
    )
    columns = [
        Column("date", gettext_lazy("Date"), order="date", link=True),
        Column("weekday", gettext_lazy("Day of the week"), value=lambda d: WEEKDAYS[d.date.weekday()]),
        Column("name", gettext_lazy("Name"), order="name", link=True),
        Column("kind", gettext_lazy("Kind"), order="kind", css=lambda d: f"day-kind day-{d.kind}"),
        Column("source", gettext_lazy("Source")),
        Column("edited", gettext_lazy("Changed by an administrator")),
    ]
    filters = [
        Filter("year", gettext_lazy("Year"), choices=_year_choices, apply=lambda qs, v: qs.filter(date__year=int(v))),
        Filter("kind", gettext_lazy("Kind"), choices=DayKind.choices),
    ]
    acts = [
        Act("delete", gettext_lazy("Delete"), _delete, danger=True,
            confirm=gettext_lazy("Remove this day from the calendar? It will count as a normal day of the week, "
                                 "and deadlines that cross it will be counted again.")),
    ]  # fmt: skip

    def queryset(self, request: HttpRequest):
        return CalendarDay.objects.filter(withdrawn=False)

    def filtered(self, request: HttpRequest):
        raw = request.GET.get("year")
        if raw is None or (raw and str(_year_of(request)) != raw):  # none or out of range: this year
            request.GET = request.GET.copy()
            request.GET["year"] = str(_year_of(request))
        return super().filtered(request)

    def create(self, request: HttpRequest, data: dict) -> Any:
        return calendar_services.create_day(**data, by=request.user)

    def update(self, request: HttpRequest, obj: Any, data: dict) -> Any:
        return calendar_services.update_day(obj, **data, by=request.user)

    def initial(self, request: HttpRequest, obj: Any) -> dict:
        return {"date": obj.date, "kind": obj.kind, "name": obj.name, "source": obj.source}

    def create_initial(self, request: HttpRequest) -> dict:
        raw = request.GET.get("date", "")
        try:
            return {"date": dt.date.fromisoformat(raw), "kind": DayKind.LOCAL_OFF}
        except ValueError:
            return {"kind": DayKind.LOCAL_OFF}

    def created(self, request: HttpRequest, obj: Any, form: PageForm) -> HttpResponse:
        messages.success(request, _("Saved."))
        return redirect(reverse("calendar-list") + f"?year={obj.date.year}")

    def error_field(self, form: PageForm, exc: ServiceError) -> str | None:
        return "date" if "/" in exc.message else None

    def list_context(self, request: HttpRequest) -> dict:
        year = _year_of(request)
        seeded = CalendarYear.objects.filter(year=year).first()
        return {
            "grid": year_grid(year), "year": str(year), "counts": year_counts(year), "weekdays": GRID_DAYS,
            "seeded": seeded, "official": year in official_years(),
            "can_seed": permits(request.user, CALENDAR_MANAGE), "seed_url": reverse("calendar-seed") + f"?year={year}",
            "prev_year": str(year - 1) if year > MIN_YEAR else None,
            "next_year": str(year + 1) if year < MAX_YEAR else None,
        }  # fmt: skip


calendar_pages = CalendarPages()


@permission_required(CALENDAR_MANAGE)
def seed_view(request: HttpRequest) -> HttpResponse:
    """Confirm, then write the year's defaults (an administrator's days stay as they are)."""
    raw = (request.POST.get("year") if request.method == "POST" else request.GET.get("year")) or str(_this_year())
    if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
        error = _("the year must be between %(min)s and %(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR}
        context = {"frame": FRAME, "year": raw[:10], "error": error, "list_url": reverse("calendar-list")}
        return render(request, "core/calendar_seed.html", context, status=400)
    year = int(raw)
    if request.method == "POST":
        try:
            counts = calendar_services.seed_year(year, by=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Defaults of %(year)s written: %(created)s days added, %(updated)s updated, "
                                        "%(kept)s kept as an administrator left them.") % {"year": year, **counts})  # fmt: skip
        return redirect(reverse("calendar-list") + f"?year={year}")
    context = {"frame": FRAME, "year": str(year), "official": year in official_years(),
               "list_url": reverse("calendar-list") + f"?year={year}",
               "seeded": CalendarYear.objects.filter(year=year).first()}  # fmt: skip
    return render(request, "core/calendar_seed.html", context)


def urls() -> list:
    return [path("seed/", seed_view, name="calendar-seed"), *calendar_pages.urls()]
