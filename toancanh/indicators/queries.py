"""Reads of indicator figures that need care: the overview, drill-downs, series and rankings.

A unit's figure at a native period is its entered value (``DataValue``) or, where it has none,
the value the roll-up engine computed (``RollupValue``); one indexed UNION reads both.
Quarters, half-years and years of plain indicators are aggregated over time here, from the
native figures (a year is at most 12 months or 365 days of one unit); derived indicators'
coarser periods are stored, because a ratio must be evaluated on aggregated inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.cache import cache
from django.db import connection

from toancanh.core.collation import sorted_by_name
from toancanh.core.periods import Period, PeriodType
from toancanh.core.sql import marks
from toancanh.indicators import formulas, judgement
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
    target_kind: str = ""  # at_least, at_most, range ('' = none)
    target_upper: float | None = None  # a range's high end
    completion_pct: float | None = None  # year to date ÷ target: share reached, or share of a cap used
    pace_pct: float | None = None  # sums over time: completion ÷ share of the year gone by
    status: str = "none"  # green, amber, red, none
    spark: list[float | None] = field(default_factory=list)

    @property
    def period_label(self) -> str:
        return Period.parse(self.period).label if self.period else ""

    @property
    def change(self) -> float | None:
        """The change on the same period last year: in percentage points for a rate, else in per cent."""
        if judgement.is_rate(self.indicator):
            return None if self.value is None or self.last_year is None else self.value - self.last_year
        return self.change_pct

    @property
    def change_text(self) -> str:
        return judgement.change_text(self.change, judgement.is_rate(self.indicator))

    @property
    def reason_text(self) -> str:
        return judgement.reason_text(self.reason)

    @property
    def verdict(self) -> str:
        """What the light means, in the reader's language ("đã dùng 87,8 % hạn mức, đúng tiến độ")."""
        return judgement.verdict(
            self.indicator, self.target_kind, self.completion_pct, self.pace_pct, self.status,
            self.target_upper, self.year_to_date,
        )  # fmt: skip


def pct_change(now: float | None, before: float | None) -> float | None:
    if now is None or before is None or before == 0:
        return None
    return (now / before - 1) * 100


def effective_rows(
    unit_ids: list[int] | None,
    indicator_ids: list[int] | None,
    since: str,
    until: str,
    periods: list[str] | None = None,
) -> list[tuple[int, int, str, float | None, str]]:
    """(unit, indicator, period, value, reason) of totals, entered or computed, for periods in [since, until),
    of the given units (every unit when None: then the indicators must be given)."""
    if unit_ids == [] or indicator_ids == [] or periods == [] or (unit_ids is None and indicator_ids is None):
        return []  # nothing asked for (and an empty IN () is no SQL on PostgreSQL)
    # Named periods are looked up one by one in the index; a range would scan what lies between.
    where = "option = ''"
    params: list[Any] = []
    if unit_ids is not None:
        where += f" AND unit_id IN ({marks(len(unit_ids))})"
        params += unit_ids
    if periods is None:
        where += " AND period >= %s AND period < %s"
        params += [since, until]
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


SPARK = 12  # points in a sparkline
REACH = 8  # years back a slower or derived indicator's overview reads (its sparkline)


def figures(
    unit: Unit, indicators: list[Indicator], *, year: int | None = None, spark: int = SPARK,
    until: dt.date | None = None,
) -> list[Figure]:  # fmt: skip
    """The latest figure of each indicator for a unit (in ``year`` when given; as known at the end of
    ``until`` when given: a leader looking back at October), with year to date, the same period
    last year, the year's target, plan completion and status, and a sparkline.

    The figures of the overview (no ``until``) are read from their precomputed rows
    (:mod:`overview_store`), each indicator whose roll-up slices are marked dirty worked out here
    from the figures as they are now; targets and judgements are applied as they are read."""
    if not indicators:
        return []
    if until is not None:
        year = until.year if year is None else min(year, until.year)
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
    targets = targets_of([unit.pk], year).get(unit.pk, {})
    found: dict[int, Figure | None] = {}
    if until is None and spark == SPARK:
        found = stored_figures(unit, indicators, year)
    live = [i for i in indicators if i.pk not in found]
    if live:
        by_unit, refs, components = points_of([unit.pk], live, year, until)
        by_ind = by_unit.get(unit.pk, {})
        for ind in live:
            found[ind.pk] = data_figure(ind, by_ind, refs, components, targets, spark)
    out = []
    for ind in indicators:
        fig = found.get(ind.pk)
        out.append(Figure(ind) if fig is None else judged(fig, targets))
    return out


# --- the overview's precomputed figures (see overview_store) ---------------------------------


def reach(ind: Indicator) -> int:
    """How many years before its year an indicator's overview figure reads."""
    return REACH if ind.is_derived or ind.period_type != PeriodType.MONTH else 1


def stored_figures(unit: Unit, indicators: list[Indicator], year: int) -> dict:
    """The stored overview figures of ``year`` for a unit: indicator id -> figure without its
    target (None: no figure), for each indicator whose stored figures are current; the others
    (marked dirty, or never built) are left out, to be worked out live."""
    ids = [i.pk for i in indicators]
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT indicator_id FROM indicators_overviewyear WHERE year = %s AND indicator_id IN ({marks(len(ids))})",  # noqa: S608
            [year, *ids],
        )
        built = {r[0] for r in cur.fetchall()}
        cur.execute(
            "SELECT indicator_id, year FROM indicators_dirtyslice WHERE year >= %s AND year <= %s",
            [year - REACH, year],
        )
        dirty = cur.fetchall()
        cur.execute(
            "SELECT indicator_id, period, value, reason, year_to_date, year_to_date_complete, last_year, spark "
            "FROM indicators_overviewfigure WHERE unit_id = %s AND year = %s",
            [unit.pk, year],
        )
        rows = cur.fetchall()
    fresh = [i for i in indicators if i.pk in built]
    if dirty:
        stale = _stale(fresh, year, dirty)
        fresh = [i for i in fresh if i.pk not in stale]
    out: dict[int, Figure | None] = {i.pk: None for i in fresh}
    by_id = {i.pk: i for i in fresh}
    for ind_id, period, value, reason, ytd, complete, last_year, spark in rows:
        ind = by_id.get(ind_id)
        if ind is not None:
            out[ind_id] = Figure(
                ind, period=period, value=value, reason=reason, year_to_date=ytd,
                year_to_date_complete=bool(complete), last_year=last_year, spark=json.loads(spark),
            )  # fmt: skip
    return out


def _stale(indicators: list[Indicator], year: int, dirty: list[tuple[int, int]]) -> set[int]:
    """The indicators whose overview of ``year`` reads a dirty slice: their own, their weight's or,
    for derived ones, their components' (through other derived indicators too)."""
    dirty_years: dict[int, list[int]] = defaultdict(list)
    for ind_id, y in dirty:
        dirty_years[ind_id].append(y)
    deps = _dependencies() if any(i.is_derived for i in indicators) else {}
    stale = set()
    for ind in indicators:
        since = year - reach(ind)
        for dep in {ind.pk, ind.weight_id, *deps.get(ind.pk, ())}:
            if any(since <= y <= year for y in dirty_years.get(dep, ())):
                stale.add(ind.pk)
                break
    return stale


def _dependencies() -> dict[int, set[int]]:
    """Derived indicator id -> the ids of every indicator its formula reads, directly or not."""
    catalogue = list(Indicator.objects.values_list("id", "code", "formula", "weight_id"))
    ids = {code: pk for pk, code, _f, _w in catalogue}
    direct = {
        pk: {ids[r.code] for r in formulas.references(f) if r.code in ids} | ({w} if w else set())
        for pk, _c, f, w in catalogue
        if f
    }
    out = {}
    for pk in direct:
        seen, todo = set(), list(direct[pk])
        while todo:
            d = todo.pop()
            if d not in seen:
                seen.add(d)
                todo += direct.get(d, ())
        out[pk] = seen
    return out


def targets_of(
    unit_ids: list[int] | None, year: int
) -> dict[int, dict[tuple[int, int], tuple[str, float, float | None]]]:
    """Each unit's targets of ``year`` and the year before: (indicator id, year) -> (kind, value, upper)."""
    qs = Target.objects.filter(year__in=[year - 1, year])
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    out: dict[int, dict] = defaultdict(dict)
    for u, ind, y, kind, v, hi in qs.values_list("unit_id", "indicator_id", "year", "kind", "value", "upper"):
        out[u][(ind, y)] = (kind, float(v), None if hi is None else float(hi))
    return out


def points_of(
    unit_ids: list[int] | None, indicators: list[Indicator], year: int, until: dt.date | None = None
) -> tuple[dict[int, dict[int, dict[str, Point]]], dict[int, list[formulas.Reference]], dict[str, Indicator]]:
    """The figures an overview of ``year`` reads, unit -> indicator -> period -> point: from
    1 January of the year before (the same period last year, a year-long sparkline, growth rates
    on the same span last year), and older years, half-years and quarters of slower and derived
    indicators, for their sparklines; with the derived indicators' references and components."""
    derived = [i for i in indicators if i.is_derived]
    refs = {i.pk: formulas.references(i.formula) for i in derived}
    components = _components(refs)
    # A long list of indicators is cheaper to filter here than in the query (for one unit).
    wanted = sorted({i.pk for i in indicators} | {c.pk for c in components.values()})
    rows = effective_rows(unit_ids, wanted if unit_ids is None or len(indicators) <= 50 else None,
                          str(year - 1), str(year + 1))  # fmt: skip
    # Years, half-years and quarters further back, by name, so slower indicators get a sparkline too.
    older = [Period.of_year(y) for y in range(year - 8, year)]
    older += [q for y in range(year - 3, year - 1) for q in Period.of_year(y).subperiods(PeriodType.QUARTER)]
    older += [h for y in range(year - 6, year - 1) for h in Period.of_year(y).subperiods(PeriodType.HALF_YEAR)]
    codes = [p.code for p in older]
    # Only derived indicators (stored coarse figures) and slower ones have figures at these periods.
    slower = [i.pk for i in indicators if i.is_derived or i.period_type != PeriodType.MONTH]
    if slower:
        rows += effective_rows(unit_ids, slower, min(codes), max(codes) + "~", codes)
    if until is not None:  # nothing after the period looked at
        rows = [r for r in rows if Period.parse(r[2]).end <= until]
    by_unit: dict[int, dict[int, dict[str, Point]]] = defaultdict(lambda: defaultdict(dict))
    for u, ind, period, value, reason in rows:
        by_unit[u][ind][period] = (value, reason)
    return by_unit, refs, components


def data_figure(ind: Indicator, by_ind: dict[int, dict[str, Point]], refs, components, targets, spark: int = SPARK):
    """One indicator's figure from a unit's points, before its target is applied (None: no figure)."""
    ytd = None
    if ind.is_derived:
        ytd = lambda y, until, i=ind: _derived_to_date(i, refs[i.pk], components, by_ind, targets, y, until)  # noqa: E731
    return _figure(ind, by_ind.get(ind.pk, {}), spark, ytd)


def _components(refs: dict[int, list[formulas.Reference]]) -> dict[str, Indicator]:
    codes = {r.code for rs in refs.values() for r in rs}
    return {i.code: i for i in Indicator.objects.filter(code__in=codes)} if codes else {}


def to_date(indicator: Indicator, points: dict[str, Point], year: int, until: dt.date) -> float | None:
    """A plain indicator's value from 1 January of ``year`` to ``until``, by its time aggregation."""
    native = sorted(
        (
            p
            for c in points
            if (p := Period.parse(c)).type == indicator.period_type and p.year == year and p.end <= until
        ),
        key=_order,
    )
    present = [points[p.code][0] for p in native if points[p.code][0] is not None]
    return aggregate_over_time(indicator.time_aggregation, present)


def _derived_to_date(ind, refs, components, by_ind, targets, year: int, until: dt.date) -> float | None:
    """A derived indicator evaluated on its components' year to date (a ratio of the year's sums,
    a growth on the same span last year), never a sum or average of its monthly ratios."""
    import pandas as pd

    row: dict[str, float] = {}
    for r in refs:
        comp = components.get(r.code)
        if comp is None:
            return None
        if r.function is None:
            v = to_date(comp, by_ind.get(comp.pk, {}), year, until)
        elif r.function == "prev_year":
            try:
                last_until = until.replace(year=until.year - 1)
            except ValueError:  # 29 February
                last_until = until.replace(year=until.year - 1, day=28)
            v = to_date(comp, by_ind.get(comp.pk, {}), year - 1, last_until)
        elif r.function == "target":
            t = targets.get((comp.pk, year))
            v = None if t is None else t[1]
        else:
            return None
        if v is None:
            return None
        row[r.column] = v
    values, _reasons = formulas.evaluate(ind.formula, pd.DataFrame([row]))
    value = values.iloc[0]
    return None if pd.isna(value) else float(value)


OVERVIEW_SECONDS = 600
_FIGURE_FIELDS = [f for f in Figure.__dataclass_fields__ if f != "indicator"]


def overview(
    unit: Unit, indicators: list[Indicator], *, year: int | None = None, until: dt.date | None = None
) -> list[Figure]:
    """:func:`figures`, cached until any figure changes (the roll-up state's version rises)."""
    ids = ",".join(str(i.pk) for i in indicators)
    digest = hashlib.blake2b(ids.encode(), digest_size=16).hexdigest()
    key = f"indicators:overview:{unit.pk}:{year}:{until}:{RollupState.current()}:{digest}"
    cached = cache.get(key)
    if cached is not None:
        return [
            Figure(ind, **dict(zip(_FIGURE_FIELDS, row, strict=True)))
            for ind, row in zip(indicators, cached, strict=True)
        ]
    result = figures(unit, indicators, year=year, until=until)
    cache.set(key, [tuple(getattr(f, name) for name in _FIGURE_FIELDS) for f in result], OVERVIEW_SECONDS)
    return result


@lru_cache(maxsize=8192)
def _code(code: str) -> tuple[str, int, dt.date, str]:
    """(type, year, last day, the same period last year's code) of a period code, worked out once."""
    p = Period.parse(code)
    return p.type, p.year, p.end, p.same_period_last_year().code


@lru_cache(maxsize=1024)
def _codes_of_year(year: int, ptype: str) -> tuple[str, ...]:
    return tuple(p.code for p in Period.of_year(year).subperiods(ptype))


@lru_cache(maxsize=1024)
def _elapsed(year: int, until: dt.date) -> float:
    return judgement.elapsed_share(year, until)


def _figure(ind: Indicator, points: dict[str, Point], spark: int, derived_ytd=None) -> Figure | None:
    """The figure's data (no target yet: see :func:`judged`); None when the indicator has no figure."""
    ptype = ind.period_type
    # Codes of one period type sort as their periods do (2025-09 < 2025-10, 2025Q1 < 2025Q2).
    native = sorted(c for c in points if _code(c)[0] == ptype)
    if not native:
        return None
    fig = Figure(ind)
    latest = native[-1]  # this year's latest, or last year's when this year has none yet (yearly figures)
    _type, year, latest_end, last_year_code = _code(latest)
    fig.period = latest
    fig.value, fig.reason = points[latest]
    before = points.get(last_year_code)
    fig.last_year = before[0] if before else None
    year_code = str(year)
    fig.year_to_date_complete = latest_end.month == 12 and latest_end.day == 31
    if ind.is_derived:
        fig.year_to_date = points.get(year_code, (None, ""))[0]
        if fig.year_to_date is None and derived_ytd is not None:
            fig.year_to_date = derived_ytd(year, latest_end)
    else:  # as coarse_value() does, from the codes of the year
        subs = _codes_of_year(year, ptype)
        present = [v for c in subs if (pt := points.get(c)) is not None and (v := pt[0]) is not None]
        fig.year_to_date = aggregate_over_time(ind.time_aggregation, present)
        fig.year_to_date_complete = len(present) == len(subs)
    fig.spark = [points[c][0] for c in native[-spark:]]
    return fig


def judged(fig: Figure, targets: dict) -> Figure:
    """A figure with its change, its year's target, plan completion, pace and status."""
    ind = fig.indicator
    _type, year, latest_end, _last = _code(fig.period)
    fig.change_pct = pct_change(fig.value, fig.last_year)
    target = targets.get((ind.pk, year))
    if target is not None:
        fig.target_kind, fig.target, fig.target_upper = target
    # Judged on the year to date by the indicator's own time aggregation (see judgement).
    goal = judgement.Goal.of(ind, fig.target_kind, fig.target, fig.target_upper)
    j = judgement.judge(ind, goal, fig.year_to_date, _elapsed(year, latest_end))
    fig.completion_pct, fig.pace_pct, fig.status = j.completion_pct, j.pace_pct, j.status
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


def units_below(unit: Unit, period: Period, structure: str = "current") -> list[Unit]:
    """The units to drill down to for a period. For a unit created after the period (a province
    formed in the 2025 reform, looking at March 2025): its current units, which inherit the former
    units' figures, or with ``structure="former"`` the units it succeeded as they were then."""
    fields = ("id", "key", "name", "code")
    existed = unit.valid_from is None or unit.valid_from <= period.end
    if structure == "former":
        if existed:
            return list(unit.children.valid_on(period.end).only(*fields))
        return list(
            Unit.objects.filter(successors__new=unit, level=unit.level).valid_on(period.end).distinct().only(*fields)
        )
    if existed:
        return list(unit.children.valid_on(period.end).only(*fields))
    return list(unit.children.valid_on(unit.valid_from).only(*fields))


def children_values(indicator: Indicator, unit: Unit, period: str, structure: str = "current") -> list[dict[str, Any]]:
    """Each child unit's figure for a period, ranked (best first by the indicator's direction);
    before a unit existed, its current units' inherited figures (or the former structure)."""
    p = Period.parse(period)
    children = units_below(unit, p, structure)
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
    # Ties keep the Vietnamese order of names.
    rows = sorted_by_name(rows, name=lambda r: r["unit"].name)
    ranked = sorted((r for r in rows if r["value"] is not None), key=lambda r: r["value"], reverse=reverse)
    for rank, r in enumerate(ranked, start=1):
        r["rank"] = rank
    return ranked + [dict(r, rank=None) for r in rows if r["value"] is None]


def latest_period(indicator: Indicator, unit: Unit) -> str | None:
    points = effective_rows([unit.pk], [indicator.pk], "0", "9")
    native = [Period.parse(r[2]) for r in points if Period.parse(r[2]).type == indicator.period_type]
    return max(native, key=_order).code if native else None
