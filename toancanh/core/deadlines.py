"""A deadline (thời hạn) as a value: an amount and whether it runs in working time or calendar time.

Most deadlines of the administration count working days or working hours (Decision 960/QĐ-UBND
Đà Nẵng: urgent reports within 1 working day; Hà Nội's iHanoi: 8 working hours to accept), but
some run through nights and holidays: the 24 h / 48 h reports of infectious diseases
(../shared/reference/holidays-working-days.md §4.3). The rule that sets a deadline says which.

    >>> Deadline(3, Deadline.WORKING_DAYS).due(received_at)
    >>> Deadline(24, Deadline.HOURS).due(received_at)      # calendar time, through Tết
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from django.utils.translation import ngettext

from toancanh.core import workdays


@dataclass(frozen=True)
class Deadline:
    """``amount`` of ``unit``: working_days, working_hours (office time on working days) or
    days, hours (calendar time, running through nights, weekends and holidays)."""

    amount: float
    unit: str

    WORKING_DAYS: ClassVar[str] = "working_days"
    WORKING_HOURS: ClassVar[str] = "working_hours"
    DAYS: ClassVar[str] = "days"
    HOURS: ClassVar[str] = "hours"
    UNITS: ClassVar[tuple[str, ...]] = (WORKING_DAYS, WORKING_HOURS, DAYS, HOURS)

    def __post_init__(self) -> None:
        if self.unit not in self.UNITS:
            raise ValueError(f"unknown deadline unit {self.unit!r} (one of {', '.join(self.UNITS)})")
        if self.amount < 0:
            raise ValueError("a deadline cannot be negative")
        if self.unit in (self.WORKING_DAYS, self.DAYS) and self.amount != int(self.amount):
            raise ValueError("days are counted whole")

    @property
    def working_time(self) -> bool:
        """Whether the deadline skips days off and out-of-office hours."""
        return self.unit in (self.WORKING_DAYS, self.WORKING_HOURS)

    def due(self, start: dt.datetime) -> dt.datetime:
        """When the deadline falls for something received at ``start`` (an aware datetime)."""
        if start.tzinfo is None:
            raise ValueError("a timezone-aware datetime is required")
        if self.unit == self.WORKING_DAYS:
            return workdays.add_working_days(start, int(self.amount))
        if self.unit == self.WORKING_HOURS:
            return workdays.add_working_hours(start, self.amount)
        if self.unit == self.DAYS:
            return start.astimezone(workdays.LOCAL) + dt.timedelta(days=int(self.amount))
        return start.astimezone(workdays.LOCAL) + dt.timedelta(hours=self.amount)

    def used(self, start: dt.datetime, now: dt.datetime) -> float:
        """How much of the deadline has run between ``start`` and ``now``, in its own unit."""
        if self.unit == self.WORKING_DAYS:
            return float(workdays.working_days_between(start, now))
        if self.unit == self.WORKING_HOURS:
            return workdays.working_hours_between(start, now)
        hours = (now - start).total_seconds() / 3600
        return hours / 24 if self.unit == self.DAYS else hours

    def __str__(self) -> str:
        n = int(self.amount) if self.amount == int(self.amount) else self.amount
        count = int(self.amount)
        if self.unit == self.WORKING_DAYS:
            return ngettext("%(n)s working day", "%(n)s working days", count) % {"n": n}
        if self.unit == self.WORKING_HOURS:
            return ngettext("%(n)s working hour", "%(n)s working hours", count) % {"n": n}
        if self.unit == self.DAYS:
            return ngettext("%(n)s day", "%(n)s days", count) % {"n": n}
        return ngettext("%(n)s hour", "%(n)s hours", count) % {"n": n}
