"""The reporting system over the API: completeness and timeliness of a regime's reports for one
period, within the caller's scope (``monitoring.py``); a unit's report saved or submitted; a
period closed (khóa sổ) or reopened by the receiving unit's officer. Acts on a report of a closed
period answer 409 with the reason."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Router, Schema

from toancanh.accounts.roles import INDICATORS_ENTER, INDICATORS_VIEW
from toancanh.core.errors import NotFound
from toancanh.core.http import require
from toancanh.core.schemas import BoundedJSON, BoundedStr, ErrorRead
from toancanh.core.scoping import get_visible_or_404
from toancanh.reporting import services
from toancanh.reporting.models import PeriodLock, Regime
from toancanh.reporting.monitoring import monitor
from toancanh.units.models import Unit

router = Router(tags=["reporting"])


class UnitStateRead(Schema):
    unit: str
    unit_name: str
    level: str
    deadline: dt.date
    timeliness: str  # on_time, late, missing, not_due
    status: str  # "" (no report), draft, submitted, approved, returned
    submission: int | None
    submitted_at: dt.datetime | None


class MonitoringTotals(Schema):
    expected: int
    sent: int
    on_time: int
    late: int
    missing: int
    not_due: int
    waiting: int
    approved: int
    returned: int
    draft: int


class MonitoringRates(Schema):
    completeness: float | None
    timeliness: float | None


class PeriodLockRead(Schema):
    regime: str
    period: str
    closed: bool
    closed_at: dt.datetime | None
    closed_by: str
    note: str
    reopened_at: dt.datetime | None
    reopened_by: str
    reopen_reason: str


class MonitoringRead(Schema):
    regime: str
    period: str
    today: dt.date
    totals: MonitoringTotals
    rates: MonitoringRates
    units: list[UnitStateRead]
    lock: PeriodLockRead | None = None  # set while the period is closed


@router.get(
    "/reporting/monitoring", response=MonitoringRead,
    summary="Completeness and timeliness of a regime's reports for one period, per reporting unit",
)  # fmt: skip
def monitoring(request, regime: BoundedStr(40), period: BoundedStr(12)):
    p = require(request, INDICATORS_VIEW)
    r = _regime(regime)
    m = monitor(r, period, by=p)
    lock = services.lock_of(r, m.period)
    return {"regime": m.regime, "period": m.period, "today": m.today, "totals": m.totals, "rates": m.rates,
            "units": [vars(u) for u in m.units], "lock": _lock_read(lock, r) if lock else None}  # fmt: skip


class PeriodLockWrite(Schema):
    closed: bool
    reason: BoundedStr(500) = Field("", description="why (required to reopen a closed period)")


def _regime(code: str) -> Regime:
    r = Regime.objects.select_related("recipient").filter(code=code).first()  # catalogue data, not scoped
    if r is None:
        raise NotFound.of("regime", code)
    return r


def _lock_read(lock: PeriodLock, regime: Regime) -> dict:
    return {"regime": regime.code, **{f: getattr(lock, f) for f in PeriodLockRead.model_fields if f != "regime"}}


@router.put(
    "/reporting/periods/{regime}/{period}", response={200: PeriodLockRead},
    summary="Close a period of a regime (no report of it moves any more) or reopen it with a reason",
)  # fmt: skip
def set_period_lock(request, regime: BoundedStr(40), period: BoundedStr(12), body: PeriodLockWrite):
    p = require(request, INDICATORS_ENTER)
    r = _regime(regime)
    lock = services.set_period_closed(by=p, regime=r, period=period, closed=body.closed, reason=body.reason)
    return _lock_read(lock, r)


class SubmissionWrite(Schema):
    values: BoundedJSON(65536) = Field(default_factory=dict, description='cell → value, e.g. {"01.KY_NAY": 12500}')
    submit: bool = False


class SubmissionRead(Schema):
    id: int
    regime: str
    unit: str
    period: str
    status: str
    revision: int
    submitted_at: dt.datetime | None
    values: dict[str, float | str | None]


@router.put(
    "/reporting/submissions/{regime}/{unit}/{period}", response={200: SubmissionRead, 409: ErrorRead},
    summary="Save a unit's report for one period as a draft, or submit it (409 when the period is closed)",
)  # fmt: skip
def save_submission(
    request, regime: BoundedStr(40), unit: BoundedStr(40), period: BoundedStr(12), body: SubmissionWrite
):
    p = require(request, INDICATORS_ENTER)
    r = _regime(regime)
    u = get_visible_or_404(Unit, p, what="unit", key=unit)
    sub = services.save_submission(by=p, regime=r, unit=u, period=period, values=body.values, submit=body.submit)
    values = services.current_values(sub)
    return {"id": sub.pk, "regime": r.code, "unit": u.key, "period": sub.period, "status": sub.status,
            "revision": sub.revision, "submitted_at": sub.submitted_at,
            "values": {k: (v if isinstance(v, float | str) or v is None else str(v)) for k, v in values.items()}}  # fmt: skip
