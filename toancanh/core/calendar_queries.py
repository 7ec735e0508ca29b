"""Reads of the working-day calendar for people: a year's special days and its twelve month grids."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from dataclasses import dataclass

from toancanh.core import workdays
from toancanh.core.calendar_defaults import MAX_YEAR, MIN_YEAR, defaults_for
from toancanh.core.models import CalendarDay, CalendarYear, DayKind


@dataclass(frozen=True)
class ListedDay:
    """A day that differs from the normal week; ``pk`` is None for a default of an unseeded year."""

    date: dt.date
    kind: str
    name: str
    source: str
    pk: int | None = None
    edited: bool = False

    @property
    def kind_label(self) -> str:
        return str(DayKind(self.kind).label)


def year_listing(year: int) -> list[ListedDay]:
    """The year's days as the counting sees them: stored days, over the defaults of an unseeded year."""
    days: dict[dt.date, ListedDay | None] = {}
    if MIN_YEAR <= year <= MAX_YEAR and not CalendarYear.objects.filter(year=year).exists():
        days.update((d.date, ListedDay(d.date, d.kind, d.name, d.source)) for d in defaults_for(year)[0])
    for row in CalendarDay.objects.filter(date__year=year):
        days[row.date] = (
            None if row.withdrawn else ListedDay(row.date, row.kind, row.name, row.source, row.pk, row.edited)
        )
    return sorted((d for d in days.values() if d is not None), key=lambda d: d.date)


@dataclass(frozen=True)
class Cell:
    date: dt.date
    state: str  # working, weekend, off (a day off of the calendar), swapped (a swapped working day)
    title: str


def year_grid(year: int) -> list[dict]:
    """Twelve months, each a list of weeks (Monday first) of cells or None (days of other months)."""
    listed = {d.date: d for d in year_listing(year)}
    months = []
    for month in range(1, 13):
        weeks = []
        for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[Cell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                special = listed.get(day)
                working = workdays.is_working_day(day)
                if special is not None and special.kind == DayKind.SWAPPED_WORKING:
                    state = "swapped"
                elif working:
                    state = "working"
                else:
                    state = "off" if special is not None else "weekend"
                row.append(Cell(day, state, special.name if special else ""))
            weeks.append(row)
        months.append({"month": month, "weeks": weeks})
    return months


def year_counts(year: int) -> dict[str, int]:
    """Working days and days off of the year."""
    start, working = dt.date(year, 1, 1), 0
    total = (dt.date(year + 1, 1, 1) - start).days
    for i in range(total):
        working += workdays.is_working_day(start + dt.timedelta(days=i))
    return {"working": working, "off": total - working}
