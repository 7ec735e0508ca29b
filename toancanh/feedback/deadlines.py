"""Deadlines on the core's working-day calendar (``toancanh.core.workdays``): weekends, public
holidays (Tết, the Hùng Kings' day), compensatory days and the Government's swapped Saturdays.

A deadline in working days ends at the close of that working day (17:00 in Vietnam); one in
working hours counts office hours only.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from toancanh.core import workdays

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CLOSE_OF_DAY = dt.time(17, 0)


def _local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(VN)


def after_working_days(start: dt.datetime, days: int) -> dt.datetime:
    """The close of the ``days``-th working day after ``start``."""
    day = workdays.add_working_days(_local(start).date(), days)
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    return dt.datetime.combine(day, CLOSE_OF_DAY, tzinfo=VN)


def after_working_hours(start: dt.datetime, hours: int) -> dt.datetime:
    return workdays.add_working_hours(_local(start), hours)


def due(start: dt.datetime, value: int, unit: str) -> dt.datetime:
    """The deadline ``value`` working days or hours (``unit``: "days" or "hours") after ``start``."""
    return after_working_hours(start, value) if unit == "hours" else after_working_days(start, value)


def working_hours_left(now: dt.datetime, deadline: dt.datetime) -> float:
    """Working hours from now to the deadline (negative once it has passed)."""
    if deadline <= now:
        return -float(workdays.working_hours_between(_local(deadline), _local(now)))
    return float(workdays.working_hours_between(_local(now), _local(deadline)))
