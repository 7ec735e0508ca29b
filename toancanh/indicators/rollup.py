"""The roll-up engine: from entered figures to the figures every page reads.

For each indicator and year it rebuilds :class:`RollupValue` rows:

1. **Over units**, bottom-up: a unit's value is its own entered value; failing that, the
   aggregate of its children's values (sum, average, weighted average, min, max — never for
   ``none``); failing that, what it inherits from the former units it succeeded (shares of a
   split unit weigh in). Former structures are resolved first, so history reported under
   former communes reaches their successors. A value entered for a unit wins over its children,
   so nothing is counted twice.
2. **Over time**: quarters, half-years and years from the native periods (sum, average, end of
   period, maximum), flagged incomplete while sub-periods are missing (year to date).
3. **Derived indicators**: formulas evaluated on the aggregated inputs (ratios are never summed).

Work is done with pandas on whole slices, and written with one bulk insert per slice.
Arithmetic is double precision, rounded to the indicator's decimals; entered figures are kept
exactly as entered.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection, transaction

from toancanh.core.periods import Period, PeriodType
from toancanh.core.sql import insert_many, marks
from toancanh.indicators import formulas, overview_store
from toancanh.indicators.models import Indicator, RollupState, Target, TimeAggregation, UnitAggregation
from toancanh.units.models import Succession, Unit

KEY = ["indicator", "unit", "period", "option"]
COLUMNS = ["indicator_id", "unit_id", "period", "period_type", "option", "value", "reason", "complete", "entered"]


@dataclass
class UnitGraph:
    parent: pd.Series  # unit id -> parent id (NaN for roots)
    stages: list[np.ndarray]  # unit ids, in the order they are resolved
    flows: pd.DataFrame  # old, new, share: where each unit inherits from


def unit_graph() -> UnitGraph:
    units = pd.DataFrame.from_records(
        Unit.objects.values_list("id", "parent_id", "edition", "path", "valid_to", "level"),
        columns=["id", "parent", "edition", "path", "valid_to", "level"],
    )
    if units.empty:
        return UnitGraph(pd.Series(dtype=float), [], pd.DataFrame(columns=["old", "new", "share"]))
    units["depth"] = units["path"].str.count("/") - 2
    # Older structures first (those that ended earliest), deepest units first within each.
    edition_end = units.groupby("edition")["valid_to"].apply(lambda s: s.max() if s.notna().all() else dt.date.max)
    stages = []
    for edition in edition_end.sort_values().index:
        in_edition = units[units["edition"] == edition]
        depths = sorted(in_edition["depth"].unique(), reverse=True)
        stages.extend(in_edition.loc[in_edition["depth"] == d, "id"].to_numpy() for d in depths)
    flows = pd.DataFrame.from_records(
        Succession.objects.values_list("old_id", "new_id", "share"), columns=["old", "new", "share"]
    )
    flows["share"] = flows["share"].astype(float)
    level = units.set_index("id")["level"]
    flows["same_level"] = flows["old"].map(level).to_numpy() == flows["new"].map(level).to_numpy()
    # A unit inherits from its same-level predecessors when it has any (a province from former
    # provinces, not also from their districts); otherwise from all of them (island districts).
    has_same = flows.groupby("new")["same_level"].transform("any")
    flows = flows[flows["same_level"] | ~has_same][["old", "new", "share"]]
    return UnitGraph(units.set_index("id")["parent"], stages, flows.reset_index(drop=True))


# --- aggregation over units ---------------------------------------------------------------------


def _aggregate(frame: pd.DataFrame, by: str, how: str, weight_col: str | None = None) -> pd.DataFrame:
    """Aggregate rows grouped by (indicator, ``by``, period, option) into one value each."""
    keys = ["indicator", by, "period", "option"]
    if frame.empty:
        return pd.DataFrame(columns=[*KEY, "value"])
    if how in (UnitAggregation.AVERAGE, UnitAggregation.WEIGHTED_AVERAGE) and weight_col:
        f = frame.assign(_vw=frame["value"] * frame[weight_col])
        g = f.groupby(keys, sort=False)
        wsum = g[weight_col].sum()
        out = (g["_vw"].sum() / wsum.where(wsum != 0)).dropna().rename("value")
    elif how in _GROUP_FUNCTIONS:
        out = frame.groupby(keys, sort=False)["value"].agg(_GROUP_FUNCTIONS[how])
    else:
        return pd.DataFrame(columns=[*KEY, "value"])
    return out.reset_index().rename(columns={by: "unit"})


_GROUP_FUNCTIONS = {
    UnitAggregation.SUM: "sum",
    UnitAggregation.AVERAGE: "mean",
    UnitAggregation.MIN: "min",
    UnitAggregation.MAX: "max",
}
_WEIGHT_KEY = ["indicator", "unit", "period"]


_AVERAGING = (UnitAggregation.AVERAGE, UnitAggregation.WEIGHTED_AVERAGE)


def _mean_by_mass(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Averages that carry their ``mass`` (how many leaf units, or how much weight, hold the data):
    a parent's average is over the leaves beneath it, not the mean of its children's averages, so
    the result is the same whatever the structure in between."""
    keys = ["indicator", by, "period", "option"]
    if frame.empty:
        return pd.DataFrame(columns=[*KEY, "value", "mass"])
    f = frame.assign(_vw=frame["value"] * frame["mass"])
    g = f.groupby(keys, sort=False)
    mass = g["mass"].sum(min_count=1)
    value = g["_vw"].sum(min_count=1) / mass.where(mass != 0)
    out = pd.DataFrame({"value": value, "mass": mass}).dropna(subset=["value"])
    return out.reset_index().rename(columns={by: "unit"})


def _apportion(inherited: pd.DataFrame, decimals: dict[int, int] | None) -> pd.Series:
    """Each former unit's figure split over its successors by share, rounded to the indicator's
    decimals by the largest-remainder method, so that the parts add up exactly to the rounded whole
    (rounding each part on its own loses or gains a unit in about a third of the months)."""
    exact = inherited["value"].to_numpy(dtype=float) * inherited["share"].to_numpy(dtype=float)
    if not decimals or inherited.empty:
        return pd.Series(exact, index=inherited.index)
    scale = 10.0 ** inherited["indicator"].map(decimals).fillna(6).to_numpy(dtype=float)
    scaled = exact * scale
    floor = np.floor(scaled + 1e-9)
    frame = pd.DataFrame(
        {"g_ind": inherited["indicator"].to_numpy(), "g_old": inherited["old"].to_numpy(),
         "g_period": inherited["period"].to_numpy(), "g_option": inherited["option"].to_numpy(),
         "exact": scaled, "floor": floor, "rem": scaled - floor},
        index=inherited.index,
    )  # fmt: skip
    groups = ["g_ind", "g_old", "g_period", "g_option"]
    whole = np.round(frame.groupby(groups, sort=False)["exact"].transform("sum").to_numpy() + 1e-9)
    short = whole - frame.groupby(groups, sort=False)["floor"].transform("sum").to_numpy()
    rank = frame.sort_values("rem", ascending=False, kind="stable").groupby(groups, sort=False).cumcount()
    bump = (rank.reindex(frame.index).to_numpy() < short).astype(float)
    return pd.Series((floor + bump) / scale, index=inherited.index)


def _inherited(
    done: pd.DataFrame, flows: pd.DataFrame, how: str, decimals: dict[int, int] | None = None
) -> pd.DataFrame:
    """What units inherit from the former units they succeeded, by share."""
    inherited = done.merge(flows, left_on="unit", right_on="old")
    if how == UnitAggregation.SUM:
        inherited["value"] = _apportion(inherited, decimals)
    elif how in _AVERAGING:
        inherited["mass"] = inherited["mass"] * inherited["share"]
        return _mean_by_mass(inherited, "new")
    return _aggregate(inherited, "new", how, None)


def resolve_units(
    raw: pd.DataFrame, graph: UnitGraph, how: str, weights: pd.DataFrame | None, decimals: dict[int, int] | None = None
) -> pd.DataFrame:
    """Native-period values of every unit, for indicators that aggregate the same way:
    own, else children, else predecessors. ``raw`` has columns indicator, unit, period, option, value.
    Averages are over the leaf units that hold data (weighted averages over their weights)."""
    resolved: list[pd.DataFrame] = []
    done = pd.DataFrame(columns=[*KEY, "value", "entered"])
    raw = raw.assign(entered=True)
    if how in _AVERAGING:
        if how == UnitAggregation.WEIGHTED_AVERAGE and weights is not None:
            raw = raw.merge(weights, on=_WEIGHT_KEY, how="left").rename(columns={"weight": "mass"})
        else:
            raw = raw.assign(mass=1.0)
    for stage in graph.stages:
        stage_set = set(stage.tolist())
        candidates = [raw[raw["unit"].isin(stage_set).to_numpy()].assign(priority=0)]
        if how != UnitAggregation.NONE and not done.empty:
            parents = done["unit"].map(graph.parent)
            mine = parents.isin(stage_set).to_numpy()
            children = done[mine].assign(parent=parents[mine].astype(int))
            if how in _AVERAGING:
                from_children = _mean_by_mass(children, "parent")
            else:
                from_children = _aggregate(children, "parent", how, None)
            candidates.append(from_children.assign(entered=False, priority=1))
            flows = graph.flows[graph.flows["new"].isin(stage_set)]
            if not flows.empty:
                candidates.append(_inherited(done, flows, how, decimals).assign(entered=False, priority=2))
        candidates = [c for c in candidates if not c.empty]
        if not candidates:
            continue
        stage_values = pd.concat(candidates, ignore_index=True)
        stage_values = stage_values.sort_values("priority", kind="stable").drop_duplicates(KEY, keep="first")
        stage_values = stage_values.drop(columns="priority")
        resolved.append(stage_values)
        done = pd.concat([done, stage_values], ignore_index=True) if not done.empty else stage_values
    if not resolved:
        return pd.DataFrame(columns=[*KEY, "value", "entered"])
    out = pd.concat(resolved, ignore_index=True)
    return out.drop(columns=["mass"], errors="ignore")


# --- aggregation over time ----------------------------------------------------------------------


def coarser_types(native: PeriodType) -> list[PeriodType]:
    coarse = (PeriodType.MONTH, PeriodType.QUARTER, PeriodType.HALF_YEAR, PeriodType.YEAR)
    return [t for t in coarse if t.rank > native.rank]


_TIME_FUNCTIONS = {TimeAggregation.SUM: "sum", TimeAggregation.AVERAGE: "mean", TimeAggregation.MAX: "max"}


def resolve_time(native_values: pd.DataFrame, native: PeriodType, how: str) -> pd.DataFrame:
    """Coarser periods from each unit's native-period values, with a completeness flag."""
    empty = pd.DataFrame(columns=[*KEY, "value", "period_type", "complete"])
    if native_values.empty:
        return empty
    parsed = {c: Period.parse(c) for c in native_values["period"].unique()}
    out = []
    for ptype in coarser_types(native):
        mapping = {c: p.containing_period(ptype) for c, p in parsed.items()}
        frame = native_values.assign(coarse=native_values["period"].map({c: p.code for c, p in mapping.items()}))
        keys = ["indicator", "unit", "coarse", "option"]
        if how in _TIME_FUNCTIONS:
            g = frame.groupby(keys, sort=False)["value"]
            res = g.agg([_TIME_FUNCTIONS[how], "size"])
        else:  # end of period: the latest sub-period's value
            frame["order"] = frame["period"].map({c: p.ordinal() for c, p in parsed.items()})
            g = frame.sort_values("order").groupby(keys, sort=False)["value"]
            res = g.agg(["last", "size"])
        res = res.reset_index().rename(columns={"coarse": "period", res.columns[0]: "value"})
        res.columns = [*keys[:2], "period", "option", "value", "size"]
        expected = {p.code: len(p.subperiods(native)) for p in set(mapping.values())}
        res["complete"] = res["size"].to_numpy() == res["period"].map(expected).to_numpy()
        res["period_type"] = ptype.value
        out.append(res.drop(columns="size"))
    return pd.concat(out, ignore_index=True) if out else empty


def resolve_year(raw: pd.DataFrame, indicators: list[Indicator], graph: UnitGraph) -> pd.DataFrame:
    """All roll-up rows of one year for plain (not derived) indicators."""
    by_how: dict[str, list[int]] = defaultdict(list)
    for ind in indicators:
        by_how[ind.unit_aggregation].append(ind.pk)
    parts = []
    decimals = {i.pk: i.decimals for i in indicators}
    for how, ids in by_how.items():
        if how != UnitAggregation.WEIGHTED_AVERAGE:
            parts.append(resolve_units(raw[raw["indicator"].isin(ids).to_numpy()], graph, how, None, decimals))
    native = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*KEY, "value", "entered"])
    weighted = by_how.get(UnitAggregation.WEIGHTED_AVERAGE, [])
    if weighted:
        weight_of = {i.pk: i.weight_id for i in indicators if i.pk in weighted}
        total = native[native["option"] == ""]
        weights = pd.concat(
            [total[total["indicator"] == w].assign(indicator=i) for i, w in weight_of.items()], ignore_index=True
        )[_WEIGHT_KEY + ["value"]].rename(columns={"value": "weight"})
        w_raw = raw[raw["indicator"].isin(weighted).to_numpy()]
        native = pd.concat([native, resolve_units(w_raw, graph, UnitAggregation.WEIGHTED_AVERAGE, weights)])
    native["period_type"] = native["indicator"].map({i.pk: i.period_type for i in indicators})
    native["complete"] = True
    return native


def with_coarse(native: pd.DataFrame, indicators: list[Indicator]) -> pd.DataFrame:
    """Add quarters, half-years and years, aggregated over time, to plain indicators' native values."""
    frames = [native]
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for ind in indicators:
        if not ind.is_derived:
            groups[(ind.period_type, ind.time_aggregation)].append(ind.pk)
    for (ptype, how), ids in groups.items():
        subset = native[native["indicator"].isin(ids).to_numpy() & (native["period_type"] == ptype).to_numpy()]
        coarse = resolve_time(subset[KEY + ["value"]], PeriodType(ptype), how)
        if not coarse.empty:
            frames.append(coarse.assign(entered=False))
    return pd.concat(frames, ignore_index=True)


def effective(indicator_ids: list[int], years: Iterable[int]) -> pd.DataFrame:
    """The figures readers see, at stored periods: entered values and computed ones together."""
    ptype_of = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("id", "period_type"))
    raw = pd.concat([_load_raw(indicator_ids, y) for y in years], ignore_index=True)
    raw["period_type"] = raw["indicator"].map(ptype_of)
    raw["entered"] = True
    computed = _load_rollup(indicator_ids, years)
    if computed.empty:
        return raw
    computed["entered"] = False
    return pd.concat([raw, computed], ignore_index=True)


# --- the engine ---------------------------------------------------------------------------------


@dataclass
class RollupStats:
    slices: int = 0
    rows_written: int = 0
    seconds: float = 0.0
    overview_rows: int = 0  # precomputed overview figures rebuilt (see overview_store)
    overview_seconds: float = 0.0


def _year_bounds(year: int) -> tuple[str, str]:
    return str(year), str(year + 1)


def _load_raw(indicator_ids: list[int], year: int) -> pd.DataFrame:
    if not indicator_ids:
        return pd.DataFrame(columns=["indicator", "unit", "period", "option", "value"])
    sql = (
        "SELECT indicator_id, unit_id, period, option, value FROM indicators_datavalue "  # noqa: S608
        f"WHERE indicator_id IN ({marks(len(indicator_ids))}) AND period >= %s AND period < %s"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*indicator_ids, *_year_bounds(year)])
        rows = cur.fetchall()
    frame = pd.DataFrame(rows, columns=["indicator", "unit", "period", "option", "value"])
    frame["value"] = frame["value"].astype(float)
    return frame


def _load_rollup(indicator_ids: list[int], years: Iterable[int]) -> pd.DataFrame:
    if not indicator_ids:
        return pd.DataFrame()
    frames = []
    with connection.cursor() as cur:
        for year in years:
            cur.execute(
                "SELECT indicator_id, unit_id, period, period_type, option, value FROM indicators_rollupvalue "  # noqa: S608
                f"WHERE indicator_id IN ({marks(len(indicator_ids))}) AND period >= %s AND period < %s",
                [*indicator_ids, *_year_bounds(year)],
            )
            columns = ["indicator", "unit", "period", "period_type", "option", "value"]
            frames.append(pd.DataFrame(cur.fetchall(), columns=columns))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if not frame.empty:
        frame["value"] = frame["value"].astype(float)
    return frame


def _write(indicators: list[Indicator], year: int, frame: pd.DataFrame) -> int:
    """Replace the computed rows of these indicators for one year (entered values stay where they are)."""
    if not indicators:
        return 0
    frame = frame[~frame["entered"].astype(bool).to_numpy()]
    # Stored in the order a unit's overview reads them (a unit's indicators, period by period), so
    # that read finds its rows side by side in the table rather than one page per row.
    frame = frame.sort_values(["unit", "period", "indicator", "option"], kind="stable")
    lo, hi = _year_bounds(year)
    ids = [i.pk for i in indicators]
    decimals = {i.pk: i.decimals + 2 if i.is_derived else i.decimals for i in indicators}
    scale = 10.0 ** frame["indicator"].map(decimals).to_numpy(dtype=float)
    values = np.round(frame["value"].to_numpy(dtype=float) * scale) / scale
    reasons = frame["reason"].fillna("").tolist() if "reason" in frame else [""] * len(frame)
    rows = list(
        zip(
            frame["indicator"].astype(int).tolist(),
            frame["unit"].astype(int).tolist(),
            frame["period"].tolist(),
            frame["period_type"].tolist(),
            frame["option"].tolist(),
            [None if np.isnan(v) else v for v in values.tolist()],
            reasons,
            frame["complete"].astype(bool).tolist(),
            frame["entered"].astype(bool).tolist(),
            strict=True,
        )
    )
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM indicators_rollupvalue WHERE indicator_id IN ({marks(len(ids))}) "  # noqa: S608
            "AND period >= %s AND period < %s",
            [*ids, lo, hi],
        )
    return insert_many("indicators_rollupvalue", COLUMNS, rows)


def _derived_year(ind: Indicator, year: int, codes: dict[int, str]) -> pd.DataFrame:
    refs = formulas.references(ind.formula)
    by_code = {i.code: i for i in Indicator.objects.filter(code__in={r.code for r in refs})}
    ids = [i.pk for i in by_code.values()]
    data = with_coarse(effective(ids, [year - 1, year]), list(by_code.values())) if ids else pd.DataFrame()
    if data.empty:
        return pd.DataFrame(columns=[*KEY, "value", "period_type", "complete", "entered", "reason"])
    data = data[data["option"] == ""]
    data["code"] = data["indicator"].map(codes)
    native = PeriodType(ind.period_type)
    types = {native.value, *(t.value for t in coarser_types(native))}
    this_year = data[data["period"].str.startswith(str(year)) & data["period_type"].isin(types)]
    plain = [r.code for r in refs if r.function is None] or [refs[0].code]
    rows = this_year[this_year["code"].isin(plain)][["unit", "period", "period_type"]].drop_duplicates()
    table = rows.set_index(["unit", "period"])
    complete = data["complete"] if "complete" in data else pd.Series(True, index=data.index)
    incomplete = data[~complete.fillna(True).astype(bool).to_numpy()].set_index(["unit", "period"]).index
    for ref in refs:
        series = data[data["code"] == ref.code].set_index(["unit", "period"])["value"]
        if ref.function is None:
            table[ref.column] = series.reindex(table.index).to_numpy()
        elif ref.function in ("prev_year", "prev"):
            shift = {
                p: (
                    Period.parse(p).same_period_last_year()
                    if ref.function == "prev_year"
                    else Period.parse(p).previous()
                ).code
                for p in table.index.get_level_values("period").unique()
            }
            keys = pd.MultiIndex.from_arrays(
                [table.index.get_level_values("unit"), table.index.get_level_values("period").map(shift)]
            )
            table[ref.column] = series.reindex(keys).to_numpy()
        else:  # target
            targets = dict(
                ((u, y), float(v))
                for u, y, v in Target.objects.filter(indicator=by_code[ref.code], year=year).values_list(
                    "unit_id", "year", "value"
                )
            )
            table[ref.column] = [targets.get((u, year), np.nan) for u in table.index.get_level_values("unit")]
    values, reasons = formulas.evaluate(ind.formula, table)
    # A quarter or year still running is not compared or divided: its inputs are partial.
    partial = table.index.isin(incomplete)
    values[partial] = np.nan
    reasons[partial] = "period not complete"
    out = table.reset_index()[["unit", "period", "period_type"]]
    out["value"] = values.to_numpy()
    out["reason"] = reasons.to_numpy()
    out["option"] = ""
    out["complete"] = True
    out["entered"] = False
    out["indicator"] = ind.pk
    return out


def derived_order(indicators: list[Indicator]) -> list[Indicator]:
    """Derived indicators ordered so that each comes after the derived indicators it uses."""
    by_code = {i.code: i for i in indicators}
    deps = formulas.dependencies((i.code, i.formula) for i in indicators)
    ordered, seen = [], set()

    def visit(code: str) -> None:
        if code in seen or code not in by_code:
            return
        seen.add(code)
        for d in deps.get(code, []):
            visit(d)
        ordered.append(by_code[code])

    for i in indicators:
        visit(i.code)
    return [i for i in ordered if i.is_derived]


def recompute(slices: Iterable[tuple[int, int]] | None = None) -> RollupStats:
    """Rebuild the roll-ups of (indicator id, year) slices — all of them when ``slices`` is None —
    and of every derived indicator that depends on them (that year and the next, for prev_year)."""
    started = time.perf_counter()
    stats = RollupStats()
    indicators = list(Indicator.objects.all())
    by_id = {i.pk: i for i in indicators}
    codes = {i.pk: i.code for i in indicators}
    if slices is None:
        slices = set(_all_slices())
    wanted: dict[int, set[int]] = defaultdict(set)
    for ind_id, year in slices:
        wanted[year].add(ind_id)
    # Weights must be resolved before the indicators they weigh.
    for ids in wanted.values():
        ids |= {by_id[i].weight_id for i in ids if by_id[i].weight_id}
    graph = unit_graph()
    users = defaultdict(set)  # code -> derived indicators that use it
    for i in indicators:
        if i.is_derived:
            for r in formulas.references(i.formula):
                users[r.code].add(i.pk)
    rebuilt: set[tuple[int, int]] = set()
    with transaction.atomic():
        for year in sorted(wanted):
            base = [by_id[i] for i in wanted[year] if not by_id[i].is_derived]
            if base:
                raw = _load_raw([i.pk for i in base], year)
                stats.rows_written += _write(base, year, resolve_year(raw, base, graph))
                stats.slices += len(base)
                rebuilt |= {(i.pk, year) for i in base}
            # Derived indicators touched by this year's changes, this year and the next.
            touched = set(wanted[year])
            frontier = {codes[i] for i in touched}
            derived_ids = set()
            while frontier:
                nxt = set()
                for code in frontier:
                    for d in users.get(code, ()):
                        if d not in derived_ids:
                            derived_ids.add(d)
                            nxt.add(codes[d])
                frontier = nxt
            derived_ids |= {i for i in touched if by_id[i].is_derived}
            for ind in derived_order([by_id[i] for i in derived_ids] + [i for i in indicators if not i.is_derived]):
                for y in (year, year + 1):
                    frame = _derived_year(ind, y, codes)
                    stats.rows_written += _write([ind], y, frame)
                    stats.slices += 1
                    rebuilt.add((ind.pk, y))
        # The overview's precomputed figures that read the rebuilt slices, in the same transaction.
        t = time.perf_counter()
        years = overview_store.years_to_rebuild(rebuilt, by_id, wanted)
        stats.overview_rows = overview_store.rebuild(years, by_id)
        stats.overview_seconds = time.perf_counter() - t
        RollupState.bump()
    stats.seconds = time.perf_counter() - started
    return stats


def _all_slices() -> Iterable[tuple[int, int]]:
    with connection.cursor() as cur:
        cur.execute("SELECT DISTINCT indicator_id, substr(period, 1, 4) FROM indicators_datavalue")
        for ind_id, year in cur.fetchall():
            yield ind_id, int(year)


def slices_of(pairs: Iterable[tuple[int, str]]) -> set[tuple[int, int]]:
    """(indicator id, period code) pairs -> the (indicator id, year) slices to rebuild."""
    return {(ind_id, int(period[:4])) for ind_id, period in pairs}
