"""The reporting system over the API: completeness and timeliness of a regime's reports for one
period, within the caller's scope (``monitoring.py``)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from toancanh.accounts.roles import INDICATORS_VIEW
from toancanh.core.errors import NotFound
from toancanh.core.http import require
from toancanh.core.schemas import BoundedStr
from toancanh.reporting.models import Regime
from toancanh.reporting.monitoring import monitor

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


class MonitoringRead(Schema):
    regime: str
    period: str
    today: dt.date
    totals: MonitoringTotals
    rates: MonitoringRates
    units: list[UnitStateRead]


@router.get(
    "/reporting/monitoring", response=MonitoringRead,
    summary="Completeness and timeliness of a regime's reports for one period, per reporting unit",
)  # fmt: skip
def monitoring(request, regime: BoundedStr(40), period: BoundedStr(12)):
    p = require(request, INDICATORS_VIEW)
    r = Regime.objects.filter(code=regime).first()  # catalogue data, not scoped
    if r is None:
        raise NotFound.of("regime", regime)
    m = monitor(r, period, by=p)
    return {"regime": m.regime, "period": m.period, "today": m.today, "totals": m.totals, "rates": m.rates,
            "units": [vars(u) for u in m.units]}  # fmt: skip
