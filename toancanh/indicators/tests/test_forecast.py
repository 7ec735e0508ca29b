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


# --- each kind of indicator forecast its own way --------------------------------------------------


def _months(values, first_year=2023):
    return [(f"{first_year + i // 12}-{i % 12 + 1:02d}", v) for i, v in enumerate(values)]


def test_a_falling_count_is_never_forecast_below_zero_nor_below_the_year_to_date():
    ind = indicator("CRIMES", measure="vụ", decimals=0, direction="down")
    falling = [max(0.0, 30 - 1.2 * i + (i * 7919 % 5) - 2) for i in range(33)]  # reaches zero in 2025
    f = year_end(ind, _months(falling), 2025, target=None)
    ytd = sum(falling[24:])
    assert f.actual_to_date == pytest.approx(ytd)
    assert f.low >= ytd and f.median >= ytd


def test_a_stock_is_forecast_as_its_year_end_level_not_a_sum():
    ind = indicator("POP_Q", measure="người", period_type="quarter", time_aggregation="last", decimals=0)
    history = [(f"{2022 + i // 4}Q{i % 4 + 1}", 1000 + 10 * i) for i in range(14)]  # to 2025-Q2
    f = year_end(ind, history, 2025, target=None)
    assert 1120 < f.median < 1180  # about two quarters on from 1130, not four quarters summed


def test_an_averaged_share_stays_within_zero_and_a_hundred_and_is_never_summed():
    ind = indicator("COVERAGE", measure="%", unit_aggregation="avg", time_aggregation="avg", decimals=1,
                    max_value=100)  # fmt: skip
    rising = [min(100.0, 96 + 0.15 * i + (i * 13 % 3) / 10) for i in range(34)]
    f = year_end(ind, _months(rising), 2025, target=None)
    assert f.high <= 100 and f.median > 90


def test_a_rate_is_forecast_from_its_components_not_by_adding_up_its_monthly_rates():
    from toancanh.indicators import forecast
    from toancanh.indicators.tests.factories import values
    from toancanh.units.models import Unit

    indicator("RECEIVED", measure="hồ sơ", decimals=0)
    indicator("ON_TIME", measure="hồ sơ", decimals=0)
    rate = indicator("ON_TIME_RATE", measure="%", unit_aggregation="none", decimals=1,
                     formula="ON_TIME / RECEIVED * 100", min_value=0, max_value=100)  # fmt: skip
    rows = []
    for i, (p, _v) in enumerate(_months([0] * 34)):
        received = 1000 + 50 * (i % 12) + 7 * i
        rows += [("RECEIVED", "vn34-p48", p, received), ("ON_TIME", "vn34-p48", p, round(received * 0.93))]
    values(*rows)
    f = forecast.for_unit(rate, Unit.objects.get(key="vn34-p48"), 2025)
    assert f.method == "from components"
    assert 90 < f.low <= f.median <= f.high <= 100  # not 1,100 % (twelve months of 93 % added up)
    assert f.actual_to_date == pytest.approx(93, abs=0.2)
    from django.utils import translation

    with translation.override("vi"):
        assert "thành phần" in forecast.describe(rate, f.method)


def test_a_growth_rate_is_forecast_from_the_year_of_its_component_against_last_year():
    from toancanh.indicators import forecast
    from toancanh.indicators.tests.factories import values
    from toancanh.units.models import Unit

    indicator("GRDP", period_type="quarter", decimals=0)
    growth = indicator("GRDP_GROWTH", measure="%", period_type="quarter", unit_aggregation="none", decimals=2,
                       formula="(GRDP / prev_year(GRDP) - 1) * 100", min_value=-100)  # fmt: skip
    history = [(f"{2022 + i // 4}Q{i % 4 + 1}", 1000 * 1.08 ** (i / 4) * (1.1 if i % 4 == 3 else 1)) for i in range(14)]
    values(*[("GRDP", "vn34-p48", p, round(v)) for p, v in history])
    f = forecast.for_unit(growth, Unit.objects.get(key="vn34-p48"), 2025)
    assert 4 < f.median < 12  # about 8 %, not four quarters' growth summed (≈ 32 %)
