"""Completeness and timeliness of reporting (theo dõi tình hình báo cáo): for one regime and
period, every reporting unit in the caller's scope with the state of its report, and the totals
and rates (DHIS2's reporting rates: completeness = reports sent / reports expected, timeliness =
reports sent on time / reports expected).

A unit's deadline is its level's (``ReportPeriod.deadline``: working days on the core calendar
after the data window closes, Decree 09/2019/NĐ-CP). A report is *sent* when it is submitted or
approved; it is *on time* when it was last sent on or before the deadline (a local date), *late*
after it. A unit that has not sent its report (none, a draft, or a returned one) is *missing*
once the deadline has passed and *not due* before. The workflow state is kept apart: waiting for
approval (submitted), approved, returned, draft, none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toancanh.core.scoping import scope_of
from toancanh.reporting.models import Frequency, Regime, Status, Submission
from toancanh.reporting.queries import reporting_units
from toancanh.reporting.regimes import _PER_YEAR, ReportPeriod, _make, period_of

ON_TIME, LATE, MISSING, NOT_DUE = "on_time", "late", "missing", "not_due"
TIMELINESS = {ON_TIME: _("On time"), LATE: _("Late"), MISSING: _("Missing"), NOT_DUE: _("Not due yet")}
SENT = (Status.SUBMITTED, Status.APPROVED)


@dataclass
class UnitState:
    unit: str  # unit key
    unit_name: str
    level: str
    deadline: dt.date
    timeliness: str  # on_time, late, missing, not_due
    status: str  # "" (no report), draft, submitted, approved, returned
    submission: int | None = None
    submitted_at: dt.datetime | None = None
    unit_id: int | None = None

    @property
    def timeliness_label(self) -> str:
        return str(TIMELINESS[self.timeliness])

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status else str(_("No report"))


@dataclass
class Monitoring:
    regime: str
    period: str
    today: dt.date
    units: list[UnitState] = field(default_factory=list)

    def count(self, *, timeliness: str | None = None, status: str | None = None) -> int:
        return sum(
            1
            for u in self.units
            if (timeliness is None or u.timeliness == timeliness) and (status is None or u.status == status)
        )

    @property
    def totals(self) -> dict[str, int]:
        return {
            "expected": len(self.units),
            "sent": self.count(timeliness=ON_TIME) + self.count(timeliness=LATE),
            ON_TIME: self.count(timeliness=ON_TIME),
            LATE: self.count(timeliness=LATE),
            MISSING: self.count(timeliness=MISSING),
            NOT_DUE: self.count(timeliness=NOT_DUE),
            "waiting": self.count(status=Status.SUBMITTED),
            "approved": self.count(status=Status.APPROVED),
            "returned": self.count(status=Status.RETURNED),
            "draft": self.count(status=Status.DRAFT),
        }

    @property
    def rates(self) -> dict[str, float | None]:
        """Completeness and timeliness in percent of the expected reports (None when none is expected)."""
        t = self.totals
        if not t["expected"]:
            return {"completeness": None, "timeliness": None}
        return {
            "completeness": round(100 * t["sent"] / t["expected"], 1),
            "timeliness": round(100 * t[ON_TIME] / t["expected"], 1),
        }


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def monitor(regime: Regime, period: str, *, by, today: dt.date | None = None) -> Monitoring:
    """The state of every reporting unit of the regime inside ``by``'s scope for one period."""
    scope = scope_of(by)
    return monitor_paths(regime, period, paths=None if scope.everywhere else tuple(scope.unit_paths), today=today)


def monitor_paths(
    regime: Regime, period: str, *, paths: tuple[str, ...] | None, today: dt.date | None = None
) -> Monitoring:
    """The same for the units under ``paths`` (None: everywhere)."""
    rp = period_of(regime.frequency, period)
    today = today or timezone.localdate()
    start, end = rp.window
    if paths is None:
        units = list(reporting_units(regime, (), start, end))  # no path condition: everywhere
    else:
        units = list(reporting_units(regime, paths, start, end)) if paths else []
    subs = {
        s.unit_id: s
        for s in Submission.objects.filter(regime=regime, period=rp.code, unit__in=[u.pk for u in units]).only(
            "id", "unit_id", "status", "submitted_at"
        )
    }
    out = Monitoring(regime.code, rp.code, today)
    deadlines: dict[str, dt.date] = {}
    for u in units:
        deadline = deadlines.get(u.level) or deadlines.setdefault(u.level, rp.deadline(u.level, regime.deadline_days))
        s = subs.get(u.pk)
        if s is not None and s.status in SENT and s.submitted_at is not None:
            timeliness = ON_TIME if _local_date(s.submitted_at) <= deadline else LATE
        else:
            timeliness = MISSING if today > deadline else NOT_DUE
        out.units.append(
            UnitState(
                u.key,
                u.name,
                u.level,
                deadline,
                timeliness,
                s.status if s else "",
                s.pk if s else None,
                s.submitted_at if s else None,
                u.pk,
            )  # fmt: skip
        )
    return out


def period_at(frequency: str, day: dt.date) -> ReportPeriod | None:
    """The period of a regime's frequency whose data window holds ``day`` (None for ad hoc reports)."""
    if frequency == Frequency.AD_HOC:
        return None
    if frequency == Frequency.WEEKLY:
        y, w, _d = day.isocalendar()
        return period_of(frequency, f"{y}-W{w:02d}")
    per_year = _PER_YEAR.get(frequency, 1)
    for year in (day.year, day.year + 1):
        for index in range(1, per_year + 1):
            rp = _make(frequency, year, index)
            if rp.window[1] >= day:
                return rp
    return None  # pragma: no cover - a window always closes within a year


def recent_periods(regime: Regime, today: dt.date, back: int = 2) -> list[ReportPeriod]:
    """The period whose window holds ``today`` and the ``back`` before it (oldest first)."""
    rp = period_at(regime.frequency, today)
    if rp is None:
        return []
    out = [rp]
    for _n in range(back):
        out.append(out[-1].previous())
    return out[::-1]


def by_period(regime: Regime, *, by, today: dt.date | None = None, back: int = 5) -> list[Monitoring]:
    """Totals and rates of the regime's recent periods (the open one and ``back`` before it), newest
    first, within ``by``'s scope."""
    today = today or timezone.localdate()
    rp = period_at(regime.frequency, today)
    if rp is None:
        return []
    periods = [rp]
    for _n in range(back):
        periods.append(periods[-1].previous())
    return [monitor(regime, p.code, by=by, today=today) for p in periods]
