"""Reads of indicator figures that need care: the overview, drill-downs, series and rankings.

All read :class:`RollupValue`, which holds the figure of every unit and period already
aggregated, so a page is a handful of indexed lookups however large the store.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection

from toancanh.core.periods import Period, PeriodType
from toancanh.core.sql import marks
from toancanh.indicators.models import Direction, Indicator, RollupValue, Target, TimeAggregation
from toancanh.units.models import Unit


@dataclass
class Figure:
    """One indicator at one unit and period, with what leaders compare it to."""

    indicator: Indicator
    period: str | None = None
    value: float | None = None
    reason: str = ""
    complete: bool = True
    year_to_date: float | None = None
    year_to_date_complete: bool = False
    last_year: float | None = None
    change_pct: float | None = None
    target: float | None = None
    completion_pct: float | None = None
    status: str = "none"  # green, amber, red, none
    spark: list[float | None] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return Period.parse(self.period).label_vi if self.period else ""


def status_of(indicator: Indicator, completion: float | None) -> str:
    """Traffic light from the indicator's thresholds (set by an administrator)."""
    if completion is None:
        return "none"
    if completion >= float(indicator.green_at):
        return "green"
    if completion >= float(indicator.amber_at):
        return "amber"
    return "red"


def completion(indicator: Indicator, actual: float | None, target: float | None) -> float | None:
    """Plan completion in percent; for lower-is-better indicators, target over actual."""
    if actual is None or target is None:
        return None
    if indicator.direction == Direction.LOWER_IS_BETTER:
        return None if actual == 0 else target / actual * 100
    return None if target == 0 else actual / target * 100


def _pct_change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now / before - 1) * 100


def _rows(unit_ids: list[int], since: str, indicator_ids: list[int] | None = None) -> list[tuple]:
    sql = (
        "SELECT unit_id, indicator_id, period, period_type, value, reason, complete FROM indicators_rollupvalue "  # noqa: S608
        f"WHERE unit_id IN ({marks(len(unit_ids))}) AND option = '' AND period >= %s"
    )
    params: list[Any] = [*unit_ids, since]
    if indicator_ids is not None:
        sql += f" AND indicator_id IN ({marks(len(indicator_ids))})"
        params += indicator_ids
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def figures(unit: Unit, indicators: list[Indicator], *, year: int | None = None, spark: int = 12) -> list[Figure]:
    """The latest figure of each indicator for a unit (in ``year`` when given), with year to date,
    the same period last year, the year's target, completion and status, and a sparkline."""
    latest_year = year
    if latest_year is None:
        with connection.cursor() as cur:
            cur.execute("SELECT MAX(period) FROM indicators_rollupvalue WHERE unit_id = %s", [unit.pk])
            top = cur.fetchone()[0]
        latest_year = int(top[:4]) if top else None
    if latest_year is None:
        return [Figure(i) for i in indicators]
    rows = _rows([unit.pk], str(latest_year - 1), [i.pk for i in indicators])
    rows = [r for r in rows if r[2] < str(latest_year + 1)]
    by_ind: dict[int, dict[str, tuple]] = defaultdict(dict)
    for _u, ind, period, ptype, value, reason, complete in rows:
        by_ind[ind][period] = (ptype, None if value is None else float(value), reason, complete)
    targets = {
        ind: float(v)
        for ind, v in Target.objects.filter(unit=unit, year=latest_year, indicator__in=indicators).values_list(
            "indicator_id", "value"
        )
    }
    out = []
    for ind in indicators:
        periods = by_ind.get(ind.pk, {})
        native = [p for p, v in periods.items() if v[0] == ind.period_type and p.startswith(str(latest_year))]
        fig = Figure(ind, target=targets.get(ind.pk))
        if native:
            latest = max(native, key=lambda c: Period.parse(c).ordinal())
            _pt, fig.value, fig.reason, fig.complete = periods[latest]
            fig.period = latest
            before = periods.get(Period.parse(latest).same_period_last_year().code)
            fig.last_year = before[1] if before else None
            fig.change_pct = _pct_change(fig.value, fig.last_year)
            year_row = periods.get(str(latest_year))
            if year_row:
                fig.year_to_date, fig.year_to_date_complete = year_row[1], year_row[3]
            elif ind.period_type == PeriodType.YEAR:
                fig.year_to_date, fig.year_to_date_complete = fig.value, True
            # Completion compares what accumulates (year to date) for sums, the latest value otherwise.
            basis = fig.year_to_date if ind.time_aggregation == TimeAggregation.SUM else fig.value
            fig.completion_pct = completion(ind, basis, fig.target)
            fig.status = status_of(ind, fig.completion_pct)
            ordered = sorted(
                (p for p, v in periods.items() if v[0] == ind.period_type), key=lambda c: Period.parse(c).ordinal()
            )
            fig.spark = [periods[p][1] for p in ordered[-spark:]]
        out.append(fig)
    return out


def series(indicator: Indicator, unit: Unit, ptype: str | None = None) -> list[tuple[str, float | None, bool]]:
    """(period, value, complete) of one indicator for one unit, oldest first."""
    ptype = ptype or indicator.period_type
    rows = RollupValue.objects.filter(indicator=indicator, unit=unit, option="", period_type=ptype).values_list(
        "period", "value", "complete"
    )
    out = [(p, None if v is None else float(v), c) for p, v, c in rows]
    return sorted(out, key=lambda r: Period.parse(r[0]).ordinal())


def children_values(indicator: Indicator, unit: Unit, period: str) -> list[dict[str, Any]]:
    """The figure of each child unit for a period, ranked (best first by the indicator's direction)."""
    children = list(unit.children.valid_on(Period.parse(period).end).only("id", "key", "name", "code"))
    values = dict(
        RollupValue.objects.filter(indicator=indicator, period=period, option="", unit__in=children).values_list(
            "unit_id", "value"
        )
    )
    rows = [{"unit": c, "value": None if values.get(c.pk) is None else float(values[c.pk])} for c in children]
    reverse = indicator.direction == Direction.HIGHER_IS_BETTER
    ranked = sorted((r for r in rows if r["value"] is not None), key=lambda r: r["value"], reverse=reverse)
    for rank, r in enumerate(ranked, start=1):
        r["rank"] = rank
    return ranked + [dict(r, rank=None) for r in rows if r["value"] is None]


def value_at(indicator: Indicator, unit: Unit, period: str) -> Decimal | None:
    row = RollupValue.objects.filter(indicator=indicator, unit=unit, period=period, option="").values_list(
        "value", flat=True
    )
    return row[0] if row else None


def latest_period(indicator: Indicator, unit: Unit) -> str | None:
    periods = RollupValue.objects.filter(
        indicator=indicator, unit=unit, option="", period_type=indicator.period_type
    ).values_list("period", flat=True)
    return max(periods, key=lambda c: Period.parse(c).ordinal(), default=None)
