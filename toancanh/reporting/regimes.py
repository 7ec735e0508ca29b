"""Periods of a reporting regime: their codes, data cut-off windows and deadlines.

Cut-off windows (thời gian chốt số liệu) as the provincial rules implementing Decree 09/2019/NĐ-CP
set them (Khánh Hòa QĐ 01/2023; see ``shared/reference/reporting.md``): monthly, the 15th of the
previous month to the 14th; quarterly, the 15th of the month before the quarter to the 14th of its
last month; 6-monthly 15/12 to 14/6; 9-monthly 15/12 to 14/9; yearly 15/12 to 14/12. The day is the
setting ``REPORTING_CUTOFF_DAY`` (15) until the decree's text is confirmed. A deadline is counted in
working days on the core calendar (``core.workdays``) after the window closes, one level at a time;
the decree asks for at least one working day.

Period codes: weekly ``2025-W23`` (ISO week), monthly ``2025-06``, quarterly ``2025Q2``, 6-monthly
``2025H1``, 9-monthly ``2025M9``, yearly ``2025``; ad hoc reports name their own code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from toancanh.core.errors import ServiceError
from toancanh.core.periods import Period, PeriodError
from toancanh.core.workdays import add_working_days
from toancanh.reporting.models import Frequency

DEFAULT_DEADLINE_DAYS = {"commune": 1, "district": 2, "province": 3, "national": 5}
WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
NINE = re.compile(r"^(\d{4})M9$")


def cutoff_day() -> int:
    return int(getattr(settings, "REPORTING_CUTOFF_DAY", 15))


@dataclass(frozen=True)
class ReportPeriod:
    """One period of a regime: its code, its data window and (for shifts) its place in the year."""

    frequency: str
    code: str
    year: int
    index: int  # the week, month, quarter, half; 1 for 9-monthly and yearly

    @property
    def window(self) -> tuple[dt.date, dt.date]:
        """The first and last day of the data cut-off window."""
        day = cutoff_day()
        f, y, i = self.frequency, self.year, self.index
        if f == Frequency.WEEKLY:
            monday = dt.date.fromisocalendar(y, i, 1)
            return monday, monday + dt.timedelta(days=6)
        last_month = {
            Frequency.MONTHLY: i, Frequency.QUARTERLY: 3 * i, Frequency.HALF_YEARLY: 6 * i,
            Frequency.NINE_MONTHS: 9, Frequency.YEARLY: 12,
        }[f]  # fmt: skip
        first_month = {
            Frequency.MONTHLY: i, Frequency.QUARTERLY: 3 * i - 2, Frequency.HALF_YEARLY: 6 * i - 5,
        }.get(f, 1)  # fmt: skip
        start = _month_before(y, first_month, day)
        return start, dt.date(y, last_month, day - 1)

    def deadline(self, level: str, days: dict[str, int] | None = None) -> dt.date:
        """The last day a unit of ``level`` may send its report: the window's end plus working days."""
        table = {**DEFAULT_DEADLINE_DAYS, **(days or {})}
        return add_working_days(self.window[1], max(1, int(table.get(level, 1))))

    def previous(self) -> ReportPeriod:
        if self.frequency == Frequency.WEEKLY:
            monday = dt.date.fromisocalendar(self.year, self.index, 1) - dt.timedelta(days=7)
            y, w, _d = monday.isocalendar()
            return period_of(self.frequency, f"{y}-W{w:02d}")
        per_year = _PER_YEAR.get(self.frequency, 1)
        if self.index > 1:
            return _make(self.frequency, self.year, self.index - 1)
        return _make(self.frequency, self.year - 1, per_year)

    def last_year(self) -> ReportPeriod:
        return _make(self.frequency, self.year - 1, self.index)

    def earlier_in_year(self) -> list[ReportPeriod]:
        """The year's periods before this one (for year to date)."""
        return [_make(self.frequency, self.year, i) for i in range(1, self.index)]


_PER_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.HALF_YEARLY: 2, Frequency.WEEKLY: 52}


def _month_before(year: int, month: int, day: int) -> dt.date:
    return dt.date(year - 1, 12, day) if month == 1 else dt.date(year, month - 1, day)


def _make(frequency: str, year: int, index: int) -> ReportPeriod:
    code = {
        Frequency.WEEKLY: f"{year}-W{index:02d}", Frequency.MONTHLY: f"{year}-{index:02d}",
        Frequency.QUARTERLY: f"{year}Q{index}", Frequency.HALF_YEARLY: f"{year}H{index}",
        Frequency.NINE_MONTHS: f"{year}M9", Frequency.YEARLY: f"{year}",
    }.get(frequency, f"{year}-{index}")  # fmt: skip
    return ReportPeriod(frequency, code, year, index)


def period_of(frequency: str, code: str) -> ReportPeriod:
    """The period a code names for a regime of this frequency; a clear error otherwise."""
    code = (code or "").strip()
    try:
        if frequency == Frequency.WEEKLY and (m := WEEK.match(code)):
            dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            return ReportPeriod(frequency, code, int(m.group(1)), int(m.group(2)))
        if frequency == Frequency.NINE_MONTHS and (m := NINE.match(code)):
            return ReportPeriod(frequency, code, int(m.group(1)), 1)
        if frequency == Frequency.AD_HOC and code:
            return ReportPeriod(frequency, code, int(code[:4]) if code[:4].isdigit() else 0, 1)
        p = Period.parse(code)
        expected = {
            Frequency.MONTHLY: "month", Frequency.QUARTERLY: "quarter",
            Frequency.HALF_YEARLY: "half_year", Frequency.YEARLY: "year",
        }.get(frequency)  # fmt: skip
        if expected and p.type == expected:
            return ReportPeriod(frequency, p.code, p.year, p.index)
    except (PeriodError, ValueError):
        pass
    raise ServiceError(
        _("“%(code)s” is not a period of a %(frequency)s report.")
        % {
            "code": code,
            "frequency": Frequency(frequency).label.lower() if frequency in Frequency.values else frequency,
        }
    )
