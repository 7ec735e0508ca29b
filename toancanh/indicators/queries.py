"""Reads of indicator figures that need care: the overview, drill-downs, series and rankings.

A unit's figure at a native period is its entered value (``DataValue``) or, where it has none,
the value the roll-up engine computed (``RollupValue``); one indexed UNION reads both.
Quarters, half-years and years of plain indicators are aggregated over time here, from the
native figures (a year is at most 12 months or 365 days of one unit); derived indicators'
coarser periods are stored, because a ratio must be evaluated on aggregated inputs.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection

from toancanh.core.periods import Period, PeriodType
from toancanh.core.sql import marks
from toancanh.indicators.models import Direction, Indicator, RollupState, Target, TimeAggregation
from toancanh.units.models import Unit

Point = tuple[float | None, str]  # value, reason


def _order(p: Period) -> int:
    return p.ordinal_value


@dataclass
class Figure:
    """One indicator at one unit and period, with what leaders compare it to."""

    indicator: Indicator
    period: str | None = None
    value: float | None = None
    reason: str = ""
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


def status_of(indicator: Indicator, completion_pct: float | None) -> str:
    """Traffic light from the indicator's thresholds (set by an administrator)."""
    if completion_pct is None:
        return "none"
    if completion_pct >= float(indicator.green_at):
        return "green"
    if completion_pct >= float(indicator.amber_at):
        return "amber"
    return "red"


def completion(indicator: Indicator, actual: float | None, target: float | None) -> float | None:
    """Plan completion in percent; for lower-is-better indicators, target over actual."""
    if actual is None or target is None:
        return None
    if indicator.direction == Direction.LOWER_IS_BETTER:
        return None if actual == 0 else target / actual * 100
    return None if target == 0 else actual / target * 100


def pct_change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now / before - 1) * 100


def effective_rows(
    unit_ids: list[int], indicator_ids: list[int] | None, since: str, until: str, periods: list[str] | None = None
) -> list[tuple[int, int, str, float | None, str]]:
    """(unit, indicator, period, value, reason) of totals, entered or computed, for periods in [since, until)."""
    if not unit_ids or indicator_ids == [] or periods == []:
        return []  # nothing asked for (and an empty IN () is no SQL on PostgreSQL)
    where = f"unit_id IN ({marks(len(unit_ids))}) AND option = '' AND period >= %s AND period < %s"
    params: list[Any] = [*unit_ids, since, until]
    if indicator_ids is not None:
        where += f" AND indicator_id IN ({marks(len(indicator_ids))})"
        params += indicator_ids
    if periods is not None:
        where += f" AND period IN ({marks(len(periods))})"
        params += periods
    sql = (
        f"SELECT unit_id, indicator_id, period, value, '' FROM indicators_datavalue WHERE {where} "  # noqa: S608
        f"UNION ALL SELECT unit_id, indicator_id, period, value, reason FROM indicators_rollupvalue WHERE {where}"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params + params)
        rows = cur.fetchall()
    if connection.vendor == "sqlite":  # values come as floats already
        return rows
    return [(u, i, p, None if v is None else float(v), r) for u, i, p, v, r in rows]


def aggregate_over_time(how: str, values: list[float]) -> float | None:
    if not values:
        return None
    if how == TimeAggregation.SUM:
        return sum(values)
    if how == TimeAggregation.AVERAGE:
        return sum(values) / len(values)
    if how == TimeAggregation.MAX:
        return max(values)
    return values[-1]  # end of period: values come in period order


def coarse_value(indicator: Indicator, native: dict[str, Point], period: Period) -> tuple[float | None, bool]:
    """A plain indicator's value for a coarser period from its native figures, and whether complete."""
    subs = period.subperiods(indicator.period_type)
    present = [native[s.code][0] for s in subs if s.code in native and native[s.code][0] is not None]
    return aggregate_over_time(indicator.time_aggregation, present), len(present) == len(subs)


def value_at(indicator: Indicator, unit: Unit, period: str) -> Point:
    """The figure of one indicator, unit and period (any period type), with the reason if empty."""
    p = Period.parse(period)
    if indicator.is_derived or p.type == indicator.period_type:
        rows = effective_rows([unit.pk], [indicator.pk], p.code, p.code + "~", [p.code])
        return (rows[0][3], rows[0][4]) if rows else (None, "")
    if p.type.rank < PeriodType(indicator.period_type).rank:
        return None, f"{indicator.code} is reported by {indicator.period_type}"
    native = {r[2]: (r[3], r[4]) for r in effective_rows([unit.pk], [indicator.pk], str(p.year), str(p.year + 1))}
    return coarse_value(indicator, native, p)[0], ""


def figures(unit: Unit, indicators: list[Indicator], *, year: int | None = None, spark: int = 12) -> list[Figure]:
    """The latest figure of each indicator for a unit (in ``year`` when given), with year to date,
    the same period last year, the year's target, plan completion and status, and a sparkline."""
    if not indicators:
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT MAX(period) FROM (SELECT MAX(period) AS period FROM indicators_datavalue WHERE unit_id = %s "
            "AND period < %s UNION ALL SELECT MAX(period) FROM indicators_rollupvalue WHERE unit_id = %s "
            "AND period < %s) AS latest",
            [unit.pk, str((year or 9998) + 1), unit.pk, str((year or 9998) + 1)],
        )
        top = cur.fetchone()[0]
    if not top:
        return [Figure(i) for i in indicators]
    year = int(top[:4])
    # From the same month last year on: enough for the comparison and a year-long sparkline.
    # (Codes sort by year, then days and months, then half-years and quarters; the year itself
    # sorts first, so last year's annual figure is asked for by name.)
    since = f"{year - 1}-{top[5:7]}" if len(top) >= 7 and top[4] == "-" else str(year - 1)
    # A long list of indicators is cheaper to filter here than in the query.
    wanted = [i.pk for i in indicators] if len(indicators) <= 50 else None
    rows = effective_rows([unit.pk], wanted, since, str(year + 1))
    # Years, half-years and quarters further back, by name, so slower indicators get a sparkline too.
    older = [Period.of_year(y) for y in range(year - 8, year)]
    older += [q for y in range(year - 3, year - 1) for q in Period.of_year(y).subperiods(PeriodType.QUARTER)]
    older += [h for y in range(year - 6, year - 1) for h in Period.of_year(y).subperiods(PeriodType.HALF_YEAR)]
    codes = [p.code for p in older]
    rows += effective_rows([unit.pk], wanted, min(codes), max(codes) + "~", codes)
    by_ind: dict[int, dict[str, Point]] = defaultdict(dict)
    for _u, ind, period, value, reason in rows:
        by_ind[ind][period] = (value, reason)
    targets = {
        (ind, y): v
        for ind, y, v in Target.objects.filter(unit=unit, year__in=[year - 1, year]).values_list(
            "indicator_id", "year", "value"
        )
    }
    return [_figure(ind, by_ind.get(ind.pk, {}), targets, spark) for ind in indicators]


OVERVIEW_SECONDS = 600
_FIGURE_FIELDS = [f for f in Figure.__dataclass_fields__ if f != "indicator"]


def overview(unit: Unit, indicators: list[Indicator], *, year: int | None = None) -> list[Figure]:
    """:func:`figures`, cached until any figure changes (the roll-up state's version rises)."""
    ids = ",".join(str(i.pk) for i in indicators)
    digest = hashlib.blake2b(ids.encode(), digest_size=16).hexdigest()
    key = f"indicators:overview:{unit.pk}:{year}:{RollupState.current()}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return [
            Figure(ind, **dict(zip(_FIGURE_FIELDS, row, strict=True)))
            for ind, row in zip(indicators, cached, strict=True)
        ]
    result = figures(unit, indicators, year=year)
    cache.set(key, [tuple(getattr(f, name) for name in _FIGURE_FIELDS) for f in result], OVERVIEW_SECONDS)
    return result


def _figure(ind: Indicator, points: dict[str, Point], targets: dict, spark: int) -> Figure:
    fig = Figure(ind)
    parsed = [Period.parse(c) for c in points]
    native = sorted((p for p in parsed if p.type == ind.period_type), key=_order)
    if not native:
        return fig
    latest = native[-1]  # this year's latest, or last year's when this year has none yet (yearly figures)
    year = latest.year
    target = targets.get((ind.pk, year))
    fig.target = None if target is None else float(target)
    fig.period = latest.code
    fig.value, fig.reason = points[latest.code]
    before = points.get(latest.same_period_last_year().code)
    fig.last_year = before[0] if before else None
    fig.change_pct = pct_change(fig.value, fig.last_year)
    year_period = Period.of_year(year)
    if ind.is_derived:
        fig.year_to_date = points.get(year_period.code, (None, ""))[0]
        fig.year_to_date_complete = latest.end == year_period.end
    else:
        fig.year_to_date, fig.year_to_date_complete = coarse_value(ind, points, year_period)
    if ind.time_aggregation == TimeAggregation.SUM:
        # Plan completion is the share of the year's target reached so far ("đạt …% kế hoạch năm");
        # the traffic light judges the pace: that share against the share of the year gone by.
        fig.completion_pct = completion(ind, fig.year_to_date, fig.target)
        elapsed = (latest.end - year_period.start).days + 1
        pace = None if fig.completion_pct is None else fig.completion_pct * 365 / elapsed
        fig.status = status_of(ind, pace)
    else:
        fig.completion_pct = completion(ind, fig.value, fig.target)
        fig.status = status_of(ind, fig.completion_pct)
    fig.spark = [points[p.code][0] for p in native[-spark:]]
    return fig


def series(indicator: Indicator, unit: Unit, ptype: str | None = None) -> list[tuple[str, float | None, bool]]:
    """(period, value, complete) of one indicator for one unit, oldest first, at any period type."""
    ptype = PeriodType(ptype or indicator.period_type)
    points = {r[2]: (r[3], r[4]) for r in effective_rows([unit.pk], [indicator.pk], "0", "9")}
    own_type = [Period.parse(c) for c in points if Period.parse(c).type == ptype]
    if indicator.is_derived or ptype == indicator.period_type:
        return [(p.code, points[p.code][0], True) for p in sorted(own_type, key=_order)]
    if ptype.rank < PeriodType(indicator.period_type).rank:
        return []
    native = [Period.parse(c) for c in points if Period.parse(c).type == indicator.period_type]
    coarse = sorted({p.containing_period(ptype) for p in native}, key=_order)
    return [(c.code, *coarse_value(indicator, points, c)) for c in coarse]


def children_values(indicator: Indicator, unit: Unit, period: str) -> list[dict[str, Any]]:
    """Each child unit's figure for a period, ranked (best first by the indicator's direction)."""
    p = Period.parse(period)
    children = list(unit.children.valid_on(p.end).only("id", "key", "name", "code"))
    if not children:
        return []
    ids = [c.pk for c in children]
    if p.type.rank < PeriodType(indicator.period_type).rank:
        found = {}
    elif indicator.is_derived or p.type == indicator.period_type:
        found = {r[0]: r[3] for r in effective_rows(ids, [indicator.pk], p.code, p.code + "~", [p.code])}
    else:
        native: dict[int, dict[str, Point]] = defaultdict(dict)
        subs = [s.code for s in p.subperiods(indicator.period_type)]
        for u, _i, code, value, reason in effective_rows(ids, [indicator.pk], subs[0], subs[-1] + "~", subs):
            native[u][code] = (value, reason)
        found = {u: coarse_value(indicator, pts, p)[0] for u, pts in native.items()}
    rows = [{"unit": c, "value": found.get(c.pk)} for c in children]
    reverse = indicator.direction == Direction.HIGHER_IS_BETTER
    ranked = sorted((r for r in rows if r["value"] is not None), key=lambda r: r["value"], reverse=reverse)
    for rank, r in enumerate(ranked, start=1):
        r["rank"] = rank
    return ranked + [dict(r, rank=None) for r in sorted(rows, key=lambda r: r["unit"].name) if r["value"] is None]


def latest_period(indicator: Indicator, unit: Unit) -> str | None:
    points = effective_rows([unit.pk], [indicator.pk], "0", "9")
    native = [Period.parse(r[2]) for r in points if Period.parse(r[2]).type == indicator.period_type]
    return max(native, key=_order).code if native else None
