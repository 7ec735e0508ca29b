"""Working days and working hours (ngày làm việc, giờ hành chính) on the calendar kept as data.

Every deadline of the IOC counts here: citizen reports (feedback), reports of the reporting
system, one-stop-shop dossiers. A day is a working day when its weekday is in the normal week
(setting ``TOANCANH_WORK_WEEK``, default Monday–Friday: QĐ 188/1999/QĐ-TTg [U]) and it is not a day
off of the calendar (holiday, compensatory, swapped or local day off), or when it is a swapped
working day (e.g. Saturdays 26/04/2025 and 10/01/2026). Days are local days of Asia/Ho_Chi_Minh.

Conventions (in the style of Decree 61/2018/NĐ-CP on one-stop shops and FixMyStreet's
working-day deadlines; the exact rule of each procedure may differ [U]):

- ``add_working_days(start, n)``: the n-th working day after ``start``; ``start`` itself is
  day 0. Something received on a day off counts as received on the next working day — a date
  becomes that day; a datetime becomes that day at the opening of office hours (07:30). A
  datetime received on a working day keeps its time of day (received Mon 10:00 + 1 → Tue 10:00).
  ``n`` may be negative (reminders before a deadline).
- ``working_days_between(a, b)``: the working days in (a', b] where a' is ``a`` moved like above,
  so that ``working_days_between(a, add_working_days(a, n)) == n``.
- ``add_working_hours`` / ``working_hours_between`` count only office hours of working days
  (setting ``TOANCANH_OFFICE_HOURS``).

Years are loaded once per process and kept until the calendar changes: a version counter in the
database (``CalendarState``) rises with every edit, and each process compares it at most once
every ``TOANCANH_CALENDAR_RECHECK_SECONDS`` (default 1 s); an edit made in this process is seen
at once. For long loops, :func:`is_working_day` costs a dictionary look-up.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import overload
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
_ONE_DAY = dt.timedelta(days=1)
_MAX_SPAN_DAYS = 366 * 20  # no deadline runs longer; guards a week without working days


@dataclass(frozen=True)
class YearDays:
    """The days of one year that differ from the normal week, as the counting needs them."""

    year: int
    off: frozenset[dt.date]
    working: frozenset[dt.date]


class _Cache:
    lock = threading.Lock()
    years: dict[int, YearDays] = {}  # noqa: RUF012 - one per process, replaced as a whole
    version: int | None = None
    checked: float = float("-inf")


def invalidate() -> None:
    """Forget the loaded years (this process): the next call reads the database again."""
    with _Cache.lock:
        _Cache.years = {}
        _Cache.version = None
        _Cache.checked = float("-inf")


def _fresh() -> dict[int, YearDays]:
    now = time.monotonic()
    if now - _Cache.checked >= float(getattr(settings, "TOANCANH_CALENDAR_RECHECK_SECONDS", 1.0)):
        from toancanh.core.models import CalendarState

        version = CalendarState.current()
        with _Cache.lock:
            if version != _Cache.version:
                _Cache.years, _Cache.version = {}, version
            _Cache.checked = now
    return _Cache.years


def year_days(year: int) -> YearDays:
    """The year's days off and swapped working days: the database's days over the defaults of a year
    never seeded (so an unseeded year still knows its statutory holidays)."""
    years = _fresh()
    found = years.get(year)
    if found is None:
        found = _load(year)
        years[year] = found
    return found


def _load(year: int) -> YearDays:
    from toancanh.core.calendar_defaults import MAX_YEAR, MIN_YEAR, defaults_for
    from toancanh.core.models import CalendarDay, CalendarYear, DayKind

    kinds: dict[dt.date, str | None] = {}
    if MIN_YEAR <= year <= MAX_YEAR and not CalendarYear.objects.filter(year=year).exists():
        kinds.update((d.date, d.kind) for d in defaults_for(year)[0])
    rows = CalendarDay.objects.filter(date__year=year).values_list("date", "kind", "withdrawn")
    kinds.update((day, None if withdrawn else kind) for day, kind, withdrawn in rows)
    off = frozenset(d for d, k in kinds.items() if k in DayKind.off())
    working = frozenset(d for d, k in kinds.items() if k == DayKind.SWAPPED_WORKING)
    return YearDays(year, off, working)


@cache
def _week(spec: str) -> frozenset[int]:
    try:
        days = frozenset(int(p) for p in spec.split(",") if p.strip())
    except ValueError:
        days = frozenset({0})
    if not days or not days <= set(range(1, 8)):
        raise ImproperlyConfigured(f"TOANCANH_WORK_WEEK must list ISO weekdays 1–7, e.g. 1,2,3,4,5 (not {spec!r})")
    return days


def work_week() -> frozenset[int]:
    """The ISO weekdays (1 = Monday) of the normal working week."""
    return _week(str(getattr(settings, "TOANCANH_WORK_WEEK", "1,2,3,4,5")))


@cache
def _periods(spec: str) -> tuple[tuple[dt.time, dt.time], ...]:
    periods = []
    try:
        for part in spec.split(","):
            start, end = (dt.time.fromisoformat(t.strip()) for t in part.split("-"))
            periods.append((start, end))
    except ValueError:
        periods = []
    ordered = all(s < e for s, e in periods) and all(a[1] <= b[0] for a, b in zip(periods, periods[1:], strict=False))
    if not periods or not ordered:
        raise ImproperlyConfigured(f"TOANCANH_OFFICE_HOURS must read like 07:30-11:30,13:30-17:00 (not {spec!r})")
    return tuple(periods)


def office_hours() -> tuple[tuple[dt.time, dt.time], ...]:
    """The office hours of a working day, in order: by default 07:30–11:30 and 13:30–17:00."""
    return _periods(str(getattr(settings, "TOANCANH_OFFICE_HOURS", "07:30-11:30,13:30-17:00")))


class _Days:
    """One call's view of the calendar: the cache checked once, the normal week read once."""

    __slots__ = ("week", "years")

    def __init__(self) -> None:
        self.years = _fresh()
        self.week = work_week()

    def working(self, d: dt.date) -> bool:
        days = self.years.get(d.year)
        if days is None:
            days = self.years[d.year] = _load(d.year)
        if d in days.working:
            return True
        return d.isoweekday() in self.week and d not in days.off

    def next_working(self, d: dt.date, include: bool = True) -> dt.date:
        day = d if include else d + _ONE_DAY
        for _ in range(_MAX_SPAN_DAYS):
            if self.working(day):
                return day
            day += _ONE_DAY
        raise ImproperlyConfigured("the calendar has no working day in twenty years")

    def step(self, day: dt.date, n: int) -> dt.date:
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        left = abs(n)
        for _ in range(_MAX_SPAN_DAYS * max(1, left // 200 + 1)):
            if not left:
                return day
            day += step
            if self.working(day):
                left -= 1
        raise ImproperlyConfigured("the calendar has too few working days for this deadline")


def is_working_day(d: dt.date) -> bool:
    """Whether ``d`` (a local date) is a working day."""
    if isinstance(d, dt.datetime):
        d = _local(d).date()
    return _Days().working(d)


def next_working_day(d: dt.date, *, include: bool = True) -> dt.date:
    """The first working day from ``d`` (``d`` itself when it is one and ``include``)."""
    return _Days().next_working(d, include)


def _local(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(LOCAL)


@overload
def add_working_days(start: dt.datetime, n: int) -> dt.datetime: ...
@overload
def add_working_days(start: dt.date, n: int) -> dt.date: ...
def add_working_days(start: dt.date | dt.datetime, n: int) -> dt.date | dt.datetime:
    """``start`` plus ``n`` working days (see the conventions above); a datetime answer is local."""
    days = _Days()
    if isinstance(start, dt.datetime):
        local = _local(start)
        day = local.date()
        if days.working(day):
            at = local.time()
        else:
            day, at = days.next_working(day), office_hours()[0][0]
        return dt.datetime.combine(days.step(day, n), at, tzinfo=LOCAL)
    return days.step(days.next_working(start), n)


def _day_of(value: dt.date | dt.datetime) -> dt.date:
    return _local(value).date() if isinstance(value, dt.datetime) else value


def working_days_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
    """The working days from ``a`` (moved to a working day) to ``b``; negative when ``b`` is earlier."""
    first, last = _day_of(a), _day_of(b)
    if last < first:
        return -working_days_between(b, a)
    days = _Days()
    day, count = days.next_working(first), 0
    while day < last:
        day += _ONE_DAY
        count += days.working(day)
    return count


def _windows(days: _Days, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    if not days.working(day):
        return []
    return [
        (dt.datetime.combine(day, s, tzinfo=LOCAL), dt.datetime.combine(day, e, tzinfo=LOCAL))
        for s, e in office_hours()
    ]


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """``start`` plus ``hours`` of office time (lunch, nights, weekends and days off do not count).
    Starting outside office hours counts from the next opening; an answer that ends a period
    exactly is that period's end (17:00), not the next opening. Local time."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    moment, left, days = _local(start), dt.timedelta(hours=hours), _Days()
    day = moment.date()
    for _ in range(_MAX_SPAN_DAYS):
        for opens, closes in _windows(days, day):
            if moment >= closes:
                continue
            moment = max(moment, opens)
            if left <= closes - moment:
                return moment + left
            left -= closes - moment
            moment = closes
        day += _ONE_DAY
    raise ImproperlyConfigured("the calendar has too few office hours for this deadline")


def working_hours_between(a: dt.datetime, b: dt.datetime) -> float:
    """The office hours between two moments; negative when ``b`` is earlier."""
    first, last = _local(a), _local(b)
    if last < first:
        return -working_hours_between(b, a)
    total, days = dt.timedelta(), _Days()
    day = first.date()
    while day <= last.date():
        for opens, closes in _windows(days, day):
            lo, hi = max(opens, first), min(closes, last)
            if hi > lo:
                total += hi - lo
        day += _ONE_DAY
    return total.total_seconds() / 3600
