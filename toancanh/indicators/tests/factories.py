"""Factories for indicators: catalogue entries defined the way an administrator defines them."""

from __future__ import annotations

from toancanh.core.scoping import Scope
from toancanh.indicators import services
from toancanh.indicators.services import ValueRow

EVERYWHERE = Scope(everywhere=True)


def indicator(code: str, **fields):
    defaults = {
        "name_vi": code, "name_en": code, "measure": "tỷ đồng", "sector": "economy", "period_type": "month",
        "unit_aggregation": "sum", "time_aggregation": "sum", "decimals": 2,
    }  # fmt: skip
    return services.define_indicator(by=None, code=code, **(defaults | fields))


def values(*rows: tuple, scope: Scope = EVERYWHERE):
    """Store figures given as (indicator, unit, period, value[, option]), and run the roll-up job
    they queue (as a running worker would)."""
    from toancanh.core import jobs

    batch = [ValueRow(r[0], r[1], r[2], r[3], option=r[4] if len(r) > 4 else "", row=i) for i, r in enumerate(rows, 1)]
    report = services.record_values(batch, by=None, scope=scope)
    jobs.run_pending()
    return report
