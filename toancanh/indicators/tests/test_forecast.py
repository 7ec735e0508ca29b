"""Forecasts to year end and anomaly flags."""

from __future__ import annotations

import math

import pytest

from toancanh.indicators.forecast import anomalies, year_end
from toancanh.indicators.tests.factories import indicator

pytestmark = pytest.mark.django_db


def _seasonal_history(years=4, last_months=9, spike=None):
    out = []
    for y in range(2022, 2022 + years):
        for m in range(1, 13):
            if y == 2022 + years - 1 and m > last_months:
                break
            value = 100 * 1.05 ** (y - 2022) * (1 + 0.3 * math.sin(m / 12 * 2 * math.pi)) + (m * 7919 % 13) / 10
            if spike and (y, m) == spike:
                value *= 3
            out.append((f"{y}-{m:02d}", value))
    return out


def test_a_year_end_forecast_gives_a_median_an_interval_and_the_chance_of_meeting_the_target():
    ind = indicator("REV")
    history = _seasonal_history()
    actual = sum(v for p, v in history if p.startswith("2025"))
    f = year_end(ind, history, 2025, target=actual * 1.2)
    assert f.known_periods == 9 and f.remaining_periods == 3
    assert f.low < f.median < f.high
    assert f.median > actual
    full_last_year = sum(v for p, v in history if p.startswith("2024"))
    assert abs(f.median / (full_last_year * 1.05) - 1) < 0.1
    assert 0 <= f.probability_of_target <= 1


def test_a_figure_far_outside_its_history_is_flagged():
    ind = indicator("REV")
    flagged = anomalies(ind, _seasonal_history(spike=(2024, 5)))
    assert list(flagged) == ["2024-05"]


def test_a_regular_series_has_no_anomalies():
    assert anomalies(indicator("REV"), _seasonal_history()) == {}


def test_too_short_a_history_is_said_so():
    f = year_end(indicator("REV"), [("2025-01", 1.0), ("2025-02", 2.0)], 2025, target=None)
    assert f.method == "not enough history" and f.median is None
