"""Forecasts to year end and anomaly flags, with statsmodels (BSD-3-Clause).

* Forecast: an exponential-smoothing state-space model (ETS: additive error and trend, additive
  seasonality when there are two full years of history) fitted on the unit's native-period
  series; 1,000 simulated futures (bootstrapped from the model's own errors) give the year-end
  value's median and 80 % interval, and the share of futures that meet the target.
* Anomalies: a robust STL decomposition (seasonal-trend by LOESS); a value whose remainder lies
  more than 3.5 robust standard deviations (1.4826 × median absolute deviation, at least 5 % of
  the series' level) from the median remainder is flagged. 3.5 is the usual cut-off for the modified z-score
  (Iglewicz & Hoaglin, 1993).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from toancanh.core.periods import Period, PeriodType
from toancanh.indicators.models import Direction, Indicator, TimeAggregation

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


def _time_agg(how: str, values: np.ndarray, axis: int = 0) -> np.ndarray:
    if how == TimeAggregation.SUM:
        return values.sum(axis=axis)
    if how == TimeAggregation.AVERAGE:
        return values.mean(axis=axis)
    if how == TimeAggregation.MAX:
        return values.max(axis=axis)
    return np.take(values, -1, axis=axis)


def year_end(
    indicator: Indicator, history: list[tuple[str, float | None]], year: int, target: float | None
) -> YearEndForecast:
    """Forecast the year's value of an indicator from its native-period history."""
    native = PeriodType(indicator.period_type)
    points = [(Period.parse(p), v) for p, v in history if v is not None]
    points = [(p, v) for p, v in points if p.year <= year]
    points.sort(key=lambda pv: pv[0].ordinal())
    in_year = [v for p, v in points if p.year == year]
    per_year = native.per_year if native is not PeriodType.DAY else 365
    remaining = max(per_year - len(in_year), 0) if native is not PeriodType.YEAR else (0 if in_year else 1)
    actual = float(_time_agg(indicator.time_aggregation, np.array(in_year))) if in_year else None
    result = YearEndForecast(year, len(in_year), remaining, actual, actual, actual, actual, target, None, "actual")
    if remaining == 0 or len(points) < 4:
        if remaining and len(points) < 4:
            result.method = "not enough history"
            result.median = result.low = result.high = None
        return _with_probability(indicator, result, None)
    values = np.array([v for _p, v in points], dtype=float)
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
    paths = np.asarray(paths).reshape(remaining, SIMULATIONS)
    known = np.repeat(np.array(in_year, dtype=float).reshape(-1, 1), SIMULATIONS, axis=1)
    totals = _time_agg(indicator.time_aggregation, np.vstack([known, paths]) if len(in_year) else paths)
    result.median = float(np.median(totals))
    result.low, result.high = (float(x) for x in np.percentile(totals, [10, 90]))
    result.method = "ETS with seasonality" if seasonal else "ETS"
    return _with_probability(indicator, result, totals)


def _with_probability(indicator: Indicator, result: YearEndForecast, totals: np.ndarray | None) -> YearEndForecast:
    if result.target is None:
        return result
    if totals is None:
        if result.median is None:
            return result
        totals = np.array([result.median])
    met = totals >= result.target if indicator.direction == Direction.HIGHER_IS_BETTER else totals <= result.target
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
