"""VN_AQI (Decision 1459/QĐ-TCMT) against cases worked by hand from shared/reference/environment.md.

The reference gives the breakpoints and the rules but no numeric worked example, so each case below
states its arithmetic."""

import pytest

from toancanh.packs.environment import aqi


@pytest.mark.parametrize(
    ("parameter", "c", "expected"),
    [
        ("pm25", 0, 0),
        ("pm25", 25, 50),  # on a breakpoint
        ("pm25", 35, 70),  # 50 + (100-50)/(50-25) × (35-25)
        ("pm25", 25.25, 51),  # 50.5 rounds half up, not to even
        ("pm25", 500, 500),
        ("pm25", 900, 500),  # past the table: the top of the scale
        ("pm10", 100, 75),  # 50 + 50/100 × 50
        ("co", 20000, 75),  # 50 + 50/20000 × 10000
        ("no2", 450, 125),  # 100 + 50/500 × 250
        ("so2", 1600, 300),
        ("o3_1h", 250, 125),  # 100 + 50/100 × 50
        ("o3_8h", 250, 221),  # 200 + 100/190 × 40 = 221.05
        ("o3_8h", 401, None),  # the 8-hour row ends at 400: dropped
        ("pm25", None, None),
        ("pm25", -1, None),
    ],
)
def test_a_sub_index_interpolates_linearly_between_the_breakpoints_of_the_decision(parameter, c, expected):
    assert aqi.sub_index(parameter, c) == expected


def test_the_nowcast_weighs_hours_by_half_when_the_dust_varies_a_lot():
    # w* = 20/40 = 0.5 → w = 0.5: (40 + 0.5×30 + 0.25×20) / (1 + 0.5 + 0.25) = 60/1.75
    assert aqi.nowcast([40, 30, 20]) == pytest.approx(60 / 1.75)


def test_the_nowcast_weighs_hours_by_min_over_max_when_the_dust_is_steady():
    hours = [30, 25, 20, 24]
    w = 20 / 30
    expected = sum(w**i * c for i, c in enumerate(hours)) / sum(w**i for i in range(4))
    assert aqi.nowcast(hours) == pytest.approx(expected)
    assert aqi.nowcast([12.0] * 12) == pytest.approx(12.0)


def test_the_nowcast_skips_missing_hours_but_needs_two_of_the_three_latest():
    assert aqi.nowcast([None, None, 50, 50]) is None
    assert aqi.nowcast([50, None, None, 50]) is None
    # c1 = 40, c3 = 20 present (i = 0 and 2): w = 0.5 → (40 + 0.25×20) / (1 + 0.25)
    assert aqi.nowcast([40, None, 20]) == pytest.approx(45 / 1.25)
    assert aqi.nowcast([0, 0, 0]) == 0


def test_the_hourly_index_is_the_largest_sub_index_and_names_its_parameter():
    r = aqi.hourly_aqi({"pm25": [35] * 12, "pm10": [100] * 12, "no2": 450, "co": 20000})
    assert r.sub_indices == {"pm25": 70, "pm10": 75, "no2": 125, "co": 75}
    assert (r.aqi, r.dominant) == (125, "no2")
    assert (r.cls.name_vi, r.cls.rgb) == ("Kém", (255, 126, 0))


def test_the_hourly_dust_uses_the_nowcast_not_the_last_hour():
    r = aqi.hourly_aqi({"pm25": [40, 30, 20]})
    # NowCast 34.2857 → 50 + 2 × 9.2857 = 68.57 → 69 (the last hour alone, 40, would give 80)
    assert r.aqi == 69 and r.concentrations["pm25"] == pytest.approx(60 / 1.75)


def test_without_dust_there_is_no_index_however_many_gases_are_measured():
    r = aqi.hourly_aqi({"o3": 250, "no2": 450, "so2": 100, "co": 5000, "pm25": [None, None, 30]})
    assert r.aqi is None and r.cls is None and r.sub_indices["no2"] == 125
    assert aqi.hourly_aqi({"pm25": 30}).aqi is None  # one hour of dust is not a NowCast (2 of the 3 latest)


def test_the_daily_dust_uses_the_24_hour_mean_when_enough_hours_are_present():
    assert aqi.daily_aqi({"pm25": [30, 40] * 12}).aqi == 70
    assert aqi.daily_aqi({"pm25": [35] * 10 + [None] * 14}).aqi is None  # 10 of 24 hours: too few
    assert aqi.daily_mean([35] * 10, min_hours=6) == 35


def test_the_daily_ozone_takes_the_larger_of_its_1_hour_and_8_hour_sub_indices():
    r = aqi.daily_aqi({"pm25": [10] * 24, "o3": [250] * 24})
    # 1 hour: 250 → 125; 8 hours: 250 → 221
    assert (r.sub_indices["o3"], r.dominant, r.aqi) == (221, "o3", 221)
    assert r.cls.name_vi == "Rất xấu" and r.cls.rgb == (143, 63, 151)


def test_the_daily_ozone_drops_its_8_hour_part_past_400():
    r = aqi.daily_aqi({"pm25": [10] * 24, "o3": [450] * 24})
    assert r.sub_indices["o3"] == 213  # 1 hour only: 200 + 100/400 × 50 = 212.5 → 213


def test_the_8_hour_means_count_the_hours_before_the_day_and_need_six_of_eight():
    before = [100] * 7
    day = [20] * 24
    assert aqi.max_8h_mean(day, min_hours=6) == 20
    assert aqi.max_8h_mean([*before, *day], min_hours=6) == pytest.approx((7 * 100 + 20) / 8)
    assert aqi.max_8h_mean([None] * 3 + [50] * 5, min_hours=6) is None


def test_the_daily_gases_use_the_largest_hour_of_the_day():
    r = aqi.daily_aqi({"pm10": [50] * 24, "so2": [100] * 23 + [1600], "co": [None] * 24})
    assert r.sub_indices == {"pm10": 50, "so2": 300} and r.aqi == 300


@pytest.mark.parametrize(
    ("value", "name", "rgb"),
    [(0, "Tốt", (0, 228, 0)), (50, "Tốt", (0, 228, 0)), (51, "Trung bình", (255, 255, 0)),
     (150, "Kém", (255, 126, 0)), (151, "Xấu", (255, 0, 0)), (300, "Rất xấu", (143, 63, 151)),
     (301, "Nguy hại", (126, 0, 35)), (500, "Nguy hại", (126, 0, 35))],
)  # fmt: skip
def test_the_classes_have_the_official_names_and_colours(value, name, rgb):
    c = aqi.aqi_class(value)
    assert (c.name_vi, c.rgb) == (name, rgb) and c.advice_vi and c.advice_sensitive_vi and c.effect_vi


def test_the_classes_cover_the_whole_scale_without_gaps():
    assert [c.low for c in aqi.CLASSES][1:] == [c.high + 1 for c in aqi.CLASSES][:-1]
    assert aqi.aqi_class(None) is None and aqi.aqi_class(0).hex == "#00e400"


def test_a_units_index_is_its_worst_stations():
    a, b = aqi.hourly_aqi({"pm25": [35] * 3}), aqi.hourly_aqi({"pm25": [60] * 3})
    assert aqi.unit_aqi([a, b, aqi.hourly_aqi({})]).aqi == b.aqi == 117
    assert aqi.unit_aqi([]) is None


def test_a_stations_indices_come_from_its_hourly_means_keyed_by_hour():
    import datetime as dt

    vn = dt.timezone(dt.timedelta(hours=7))
    day = dt.datetime(2026, 11, 20, tzinfo=vn)
    hours = [day + dt.timedelta(hours=h) for h in range(24)]
    means = {"pm25": {h: 35.0 for h in hours}, "no2": {h: 450.0 if h.hour == 9 else 50.0 for h in hours}}
    del means["pm25"][hours[9]]  # a missing hour: skipped by the NowCast
    r = aqi.hourly_aqi_at(means, hours[10] + dt.timedelta(minutes=40))
    assert r.sub_indices == {"pm25": 70, "no2": 25}  # the current hour is 10:00; NO₂ peaked at 9:00
    assert aqi.hourly_aqi_at(means, hours[9]).sub_indices["no2"] == 125
    assert aqi.latest_first(means["pm25"], hours[10], 3) == [35.0, None, 35.0]
    daily = aqi.daily_aqi_on(means, day)
    assert daily.sub_indices == {"pm25": 70, "no2": 125} and daily.aqi == 125
