"""Writes to the working-day calendar (lịch ngày làm việc): an administrator's days and the
seeding of a year's defaults. Each act runs in one transaction, writes its audit record and
raises the calendar's version so that every process recounts its deadlines (``core.workdays``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from toancanh.core import audit, workdays
from toancanh.core.calendar_defaults import MAX_YEAR, MIN_YEAR, defaults_for
from toancanh.core.errors import NotFound, ServiceError
from toancanh.core.models import CalendarDay, CalendarState, CalendarYear, DayKind

NAME_MAX, SOURCE_MAX = 200, 200
_FIELDS = ("date", "kind", "name", "source", "edited", "withdrawn")


def _changed() -> None:
    CalendarState.bump()
    workdays.invalidate()  # this process at once (its own transaction sees the change) …
    transaction.on_commit(workdays.invalidate)  # … and again once others can see it too


def _check_year(year: int) -> int:
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError(gettext("the year must be between %(min)s and %(max)s") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return year


def _clean(date: Any, kind: str, name: str, source: str) -> tuple[dt.date, str, str, str]:
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise ServiceError(gettext("the date must be a date (e.g. 2026-11-21)"))
    _check_year(date.year)
    if kind not in DayKind.values:
        labels = ", ".join(str(label) for label in DayKind.labels)
        raise ServiceError(
            gettext("unknown kind of day “%(kind)s” (one of: %(kinds)s)") % {"kind": kind, "kinds": labels}
        )
    name, source = (name or "").strip(), (source or "").strip()
    if not name:
        raise ServiceError(gettext("the name of the day is required"))
    if len(name) > NAME_MAX or len(source) > SOURCE_MAX:
        raise ServiceError(gettext("the name and the source take at most %(n)s characters") % {"n": NAME_MAX})
    return date, kind, name, source


def _snap(day: CalendarDay | None) -> dict[str, Any] | None:
    return audit.snapshot(day)


def create_day(*, date: dt.date, kind: str, name: str, source: str = "", by: Any) -> CalendarDay:
    """Add a day that differs from the normal week. A date already on the calendar is refused
    (edit that day instead); a default day an administrator had removed comes back as this one."""
    date, kind, name, source = _clean(date, kind, name, source)
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        if day is not None and not day.withdrawn:
            raise ServiceError(
                gettext("%(date)s is already on the calendar (%(name)s); edit that day instead")
                % {"date": f"{date:%d/%m/%Y}", "name": day.name}
            )
        before = _snap(day)
        day = day or CalendarDay(date=date)
        day.kind, day.name, day.source, day.edited, day.withdrawn = kind, name, source, True, False
        day.save()
        audit.record("calendar.create", day, by=by, before=before, after=_snap(day))
        _changed()
    return day


def update_day(day: CalendarDay, *, date: dt.date, kind: str, name: str, source: str = "", by: Any) -> CalendarDay:
    """Change a day; it becomes the administrator's own (seeding keeps it from then on)."""
    date, kind, name, source = _clean(date, kind, name, source)
    with transaction.atomic():
        current = CalendarDay.objects.select_for_update().filter(pk=day.pk, withdrawn=False).first()
        if current is None:
            raise NotFound.of("calendar day", f"{day.date:%d/%m/%Y}")
        clash = CalendarDay.objects.filter(date=date).exclude(pk=current.pk).first()
        if clash is not None:
            if not clash.withdrawn:
                raise ServiceError(
                    gettext("%(date)s is already on the calendar (%(name)s); edit that day instead")
                    % {"date": f"{date:%d/%m/%Y}", "name": clash.name}
                )
            clash.delete()  # the removed default of that date gives way to this day
        before = _snap(current)
        moved_from = current.date if current.date != date and _is_default(current) else None
        current.date, current.kind, current.name, current.source, current.edited = date, kind, name, source, True
        current.save()
        if moved_from is not None:  # the default left its date: seeding must not put it back there
            CalendarDay.objects.create(date=moved_from, kind=before["kind"], name=before["name"],
                                       source=before["source"], edited=True, withdrawn=True)  # fmt: skip
        audit.record("calendar.update", current, by=by, before=before, after=_snap(current))
        _changed()
    return current


def delete_day(day: CalendarDay, *, by: Any) -> None:
    """Remove a day: it counts as a normal day of the week again. A default day stays as a
    withdrawn mark, so seeding the year again does not bring it back."""
    with transaction.atomic():
        current = CalendarDay.objects.select_for_update().filter(pk=day.pk, withdrawn=False).first()
        if current is None:
            raise NotFound.of("calendar day", f"{day.date:%d/%m/%Y}")
        before = _snap(current)
        if _is_default(current):
            current.withdrawn, current.edited = True, True
            current.save()
        else:
            current.delete()
        audit.record("calendar.delete", object_type="core.calendarday", object_id=str(day.pk),
                     object_repr=str(day), by=by, before=before)  # fmt: skip
        _changed()


def _is_default(day: CalendarDay) -> bool:
    return any(d.date == day.date for d in defaults_for(day.date.year)[0])


def seed_year(year: int, *, by: Any) -> dict[str, int]:
    """Write ``year``'s default days (the official schedule shipped for 2025–2026, otherwise the
    Labour Code's holidays with their compensatory days); days an administrator created, changed
    or removed stay as they are. Returns how many days were created, updated and kept."""
    _check_year(year)
    days, origin = defaults_for(year)
    counts = {"created": 0, "updated": 0, "kept": 0}
    with transaction.atomic():
        existing = {d.date: d for d in CalendarDay.objects.select_for_update().filter(date__year=year)}
        for default in days:
            row = existing.get(default.date)
            if row is not None and row.edited:
                counts["kept"] += 1
            elif row is None:
                CalendarDay.objects.create(
                    date=default.date, kind=default.kind, name=default.name, source=default.source
                )
                counts["created"] += 1
            elif (row.kind, row.name, row.source) != (default.kind, default.name, default.source):
                row.kind, row.name, row.source = default.kind, default.name, default.source
                row.save()
                counts["updated"] += 1
        CalendarYear.objects.update_or_create(year=year, defaults={"seeded_at": timezone.now(), "origin": origin})
        audit.record("calendar.seed", object_type="core.calendaryear", object_id=str(year), object_repr=str(year),
                     by=by, after={"origin": origin, **counts})  # fmt: skip
        _changed()
    return counts
