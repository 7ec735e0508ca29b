"""Forecasts to year end and anomaly flags, with statsmodels (BSD-3-Clause).

* Forecast: an exponential-smoothing state-space model (ETS: additive error and trend, additive
  seasonality when there are two full years of history) fitted on the unit's native-period
  series; 1,000 simulated futures (bootstrapped from the model's own errors) give the year-end
  value's median and 80 % interval, and the share of futures that meet the target.
  Each kind of indicator its own way: every simulated period stays within the indicator's valid
  range (counts and sums never negative, shares within 0–100 %), so a count's year total is never
  below what the year has reached; a stock's year-end is its level at year end; an average is the
  mean of the year's periods, never a sum; a derived indicator (a rate, a share, a growth) is
  evaluated by its formula on its components' simulated years, never by adding up its own rates.
* Anomalies: a robust STL decomposition (seasonal-trend by LOESS); a value whose remainder lies
  more than 3.5 robust standard deviations (1.4826 × median absolute deviation, at least 5 % of
  the series' level) from the median remainder is flagged. 3.5 is the usual cut-off for the modified z-score
  (Iglewicz & Hoaglin, 1993).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext_lazy as _

from toancanh.core.periods import Period, PeriodType
from toancanh.indicators import formulas
from toancanh.indicators.models import Direction, Indicator, TargetKind, TimeAggregation

ANOMALY_Z = 3.5
MIN_SPREAD = 0.05
SIMULATIONS = 1000


@dataclass
class YearEndForecast:
    year: int
    known_periods: int
    remaining_periods: int
    actual_to_date: float | None
    median: float | None
    low: float | None  # 10th percentile
    high: float | None  # 90th percentile
    target: float | None
    probability_of_target: float | None
    method: str
    target_kind: str = ""
    target_upper: float | None = None


METHODS = {
    "actual": _("The year is complete: its figure, not a forecast."),
    "not enough history": _("Not enough history for a forecast (at least four periods are needed)."),
    "ETS": _("Exponential smoothing of the figures by period; the remaining periods simulated 1,000 times."),
    "ETS with seasonality": _(
        "Exponential smoothing with the seasonal pattern of the past years; the remaining periods simulated 1,000 times."
    ),
    "from components": _(
        "Derived by its formula from the forecasts of its components (e.g. on-time ÷ received dossiers), "
        "never by adding up its own rates."
    ),
}
BOUNDS_NOTE = _("Each simulated period stays within the indicator's valid range (%(range)s).")


def describe(indicator: Indicator, method: str) -> str:
    """The forecast method in words, for the indicator's page."""
    text = str(METHODS.get(method.split(";")[0], method))
    if method in ("actual", "not enough history"):
        return text
    low, high = indicator.valid_range
    if low is None and high is None:
        return text
    bounds = f"{'−∞' if low is None else _num(low)} … {'∞' if high is None else _num(high)}"
    return f"{text} {BOUNDS_NOTE % {'range': bounds}}"


def _num(x: float) -> str:
    from django.utils.formats import number_format

    return number_format(x, decimal_pos=0 if float(x).is_integer() else 2, use_l10n=True)


def _time_agg(how: str, values: np.ndarray, axis: int = 0) -> np.ndarray:
    if how == TimeAggregation.SUM:
        return values.sum(axis=axis)
    if how == TimeAggregation.AVERAGE:
        return values.mean(axis=axis)
    if how == TimeAggregation.MAX:
        return values.max(axis=axis)
    return np.take(values, -1, axis=axis)


def _clip(indicator: Indicator, values: np.ndarray) -> np.ndarray:
    low, high = indicator.valid_range
    return np.clip(values, -np.inf if low is None else low, np.inf if high is None else high)


@dataclass
class _Simulation:
    in_year: list[float]
    remaining: int
    totals: np.ndarray | None  # the year's value in each simulated future (None: not enough history)
    method: str


def _simulate(indicator: Indicator, history: list[tuple[str, float | None]], year: int) -> _Simulation:
    """The year's value of a plain indicator in 1,000 simulated futures: the known periods of the
    year and simulated remaining ones (each within the valid range), aggregated by the indicator's
    own time aggregation: a count's total is never below what the year has already reached, a
    stock's is its year-end level, an average's the mean of the year's periods."""
    native = PeriodType(indicator.period_type)
    points = [(Period.parse(p), v) for p, v in history if v is not None]
    points = [(p, v) for p, v in points if p.year <= year]
    points.sort(key=lambda pv: pv[0].ordinal())
    in_year = [v for p, v in points if p.year == year]
    per_year = native.per_year if native is not PeriodType.DAY else 365
    remaining = max(per_year - len(in_year), 0) if native is not PeriodType.YEAR else (0 if in_year else 1)
    if remaining == 0:
        known = np.array(in_year, dtype=float).reshape(-1, 1)
        return _Simulation(in_year, 0, _time_agg(indicator.time_aggregation, known), "actual")
    if len(points) < 4:
        return _Simulation(in_year, remaining, None, "not enough history")
    values = _clip(indicator, np.array([v for _p, v in points], dtype=float))
    seasonal = per_year if native in (PeriodType.MONTH, PeriodType.QUARTER) and len(values) >= 2 * per_year else None
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ETSModel(values, error="add", trend="add", damped_trend=True, seasonal="add" if seasonal else None,
                         seasonal_periods=seasonal)  # fmt: skip
        fit = model.fit(disp=False)
        paths = fit.simulate(
            nsimulations=remaining, repetitions=SIMULATIONS, anchor="end", random_errors="bootstrap",
            rng=np.random.default_rng(7),
        )  # fmt: skip
    paths = _clip(indicator, np.asarray(paths, dtype=float).reshape(remaining, SIMULATIONS))
    known = np.repeat(np.array(in_year, dtype=float).reshape(-1, 1), SIMULATIONS, axis=1)
    totals = _time_agg(indicator.time_aggregation, np.vstack([known, paths]) if len(in_year) else paths)
    return _Simulation(in_year, remaining, totals, "ETS with seasonality" if seasonal else "ETS")


def year_end(
    indicator: Indicator, history: list[tuple[str, float | None]], year: int, target: float | None
) -> YearEndForecast:
    """Forecast the year's value of a plain indicator from its native-period history."""
    sim = _simulate(indicator, history, year)
    actual = float(_time_agg(indicator.time_aggregation, np.array(sim.in_year))) if sim.in_year else None
    result = YearEndForecast(year, len(sim.in_year), sim.remaining, actual, None, None, None, target, None, sim.method)
    return _summarise(indicator, result, sim.totals)


def year_end_derived(
    indicator: Indicator,
    components: dict[str, tuple[Indicator, list[tuple[str, float | None]]]],
    year: int,
    target: float | None,
    component_targets: dict[str, float] | None = None,
) -> YearEndForecast:
    """Forecast a derived indicator (a rate, a share, a growth) from its components' forecasts:
    each component's year value is simulated as above, the formula is evaluated in every
    simulated future, and the result is kept within the indicator's valid range."""
    import pandas as pd

    refs = formulas.references(indicator.formula)
    columns: dict[str, np.ndarray] = {}
    to_date: dict[str, float] = {}
    known = remaining = 0
    methods = set()
    for ref in refs:
        comp, history = components[ref.code]
        if ref.function is None:
            sim = _simulate(comp, history, year)
            if sim.totals is None:
                return YearEndForecast(year, 0, sim.remaining, None, None, None, None, target, None, sim.method)
            columns[ref.column] = np.broadcast_to(sim.totals, (SIMULATIONS,)).astype(float)
            to_date[ref.column] = (
                float(_time_agg(comp.time_aggregation, np.array(sim.in_year))) if sim.in_year else np.nan
            )
            known, remaining = max(known, len(sim.in_year)), max(remaining, sim.remaining)
            methods.add(sim.method)
        elif ref.function == "prev_year":
            last = [v for p, v in history if v is not None and Period.parse(p).year == year - 1]
            value = float(_time_agg(comp.time_aggregation, np.array(last))) if last else np.nan
            columns[ref.column] = np.full(SIMULATIONS, value)
            to_date[ref.column] = value
        elif ref.function == "target":
            value = (component_targets or {}).get(ref.code, np.nan)
            columns[ref.column] = np.full(SIMULATIONS, value)
            to_date[ref.column] = value
        else:  # prev(): the previous period of a forecast period is itself a forecast; not offered
            return YearEndForecast(year, 0, 0, None, None, None, None, target, None, "not enough history")
    values, _reasons = formulas.evaluate(indicator.formula, pd.DataFrame(columns))
    totals = _clip(indicator, values.to_numpy(dtype=float))
    totals = totals[~np.isnan(totals)]
    actual = None
    if remaining and to_date:  # the year to date as far as its components go (a ratio of sums so far)
        v = formulas.evaluate(indicator.formula, pd.DataFrame([to_date]))[0].iloc[0]
        actual = None if pd.isna(v) else float(v)
    method = "actual" if methods == {"actual"} else "from components"
    result = YearEndForecast(year, known, remaining, actual, None, None, None, target, None, method)
    return _summarise(indicator, result, totals if len(totals) else None)


def _summarise(indicator: Indicator, result: YearEndForecast, totals: np.ndarray | None) -> YearEndForecast:
    if totals is None:
        return result
    totals = np.atleast_1d(totals)
    result._totals = totals  # type: ignore[attr-defined]  # for the chance of meeting a target set later
    result.median = float(np.median(totals))
    result.low, result.high = (float(x) for x in np.percentile(totals, [10, 90]))
    if result.method == "actual" and result.actual_to_date is None:
        result.actual_to_date = result.median
    return _with_probability(indicator, result, totals)


def for_unit(indicator: Indicator, unit, year: int | None = None) -> YearEndForecast | None:
    """The year-end forecast of an indicator for a unit, each kind its own way (see above);
    None when the unit has no figures of it."""
    from toancanh.indicators import queries
    from toancanh.indicators.models import Target

    history = [(p, v) for p, v, _c in queries.series(indicator, unit)]
    if not history:
        return None
    year = year or Period.parse(history[-1][0]).year
    rows = Target.objects.filter(unit=unit, year=year).values_list("indicator__code", "kind", "value", "upper")
    targets = {code: (kind, float(v), None if hi is None else float(hi)) for code, kind, v, hi in rows}
    kind, target, upper = targets.get(indicator.code, ("", None, None))
    if not indicator.is_derived:
        result = year_end(indicator, history, year, None)
    else:
        refs = formulas.references(indicator.formula)
        comps = {i.code: i for i in Indicator.objects.filter(code__in={r.code for r in refs})}
        components = {code: (c, [(p, v) for p, v, _c in queries.series(c, unit)]) for code, c in comps.items()}
        result = year_end_derived(indicator, components, year, None, {k: t[1] for k, t in targets.items()})
    result.target, result.target_kind, result.target_upper = target, kind, upper
    return _with_probability(indicator, result, None) if target is not None else result


def _with_probability(indicator: Indicator, result: YearEndForecast, totals: np.ndarray | None) -> YearEndForecast:
    if result.target is None:
        return result
    if totals is None:
        totals = getattr(result, "_totals", None)
    if totals is None:
        if result.median is None:
            return result
        totals = np.array([result.median])
    kind = result.target_kind or (
        TargetKind.AT_MOST if indicator.direction == Direction.LOWER_IS_BETTER else TargetKind.AT_LEAST
    )
    if kind == TargetKind.RANGE and result.target_upper is not None:
        met = (totals >= result.target) & (totals <= result.target_upper)
    else:
        met = totals <= result.target if kind == TargetKind.AT_MOST else totals >= result.target
    result.probability_of_target = float(met.mean())
    return result


def anomalies(indicator: Indicator, history: list[tuple[str, float | None]], z: float = ANOMALY_Z) -> dict[str, float]:
    """Periods whose value lies far outside the series' own seasonal pattern: period -> robust z."""
    native = PeriodType(indicator.period_type)
    points = sorted(((Period.parse(p), v) for p, v in history if v is not None), key=lambda pv: pv[0].ordinal())
    period = native.per_year if native in (PeriodType.MONTH, PeriodType.QUARTER) else None
    if len(points) < 8 or (period and len(points) < 2 * period + 1):
        return {}
    values = np.array([v for _p, v in points], dtype=float)
    if period:
        from statsmodels.tsa.seasonal import STL

        remainder = STL(values, period=period, robust=True).fit().resid
    else:
        remainder = values - np.median(values)
    centre = np.median(remainder)
    # The robust spread, but never under 5 % of the series' level: month-to-month wobble of a few
    # per cent is ordinary in local figures, however regular the rest of the series.
    scale = max(np.median(np.abs(remainder - centre)) * 1.4826, MIN_SPREAD * float(np.median(np.abs(values))))
    if scale == 0:
        return {}
    scores = (remainder - centre) / scale
    return {p.code: float(s) for (p, _v), s in zip(points, scores, strict=True) if abs(s) > z}
