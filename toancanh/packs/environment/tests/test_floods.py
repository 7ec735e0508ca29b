"""River levels against the alarm levels of Decision 05/2020/QĐ-TTg, rain accumulations and the
crossings that become operations events."""

import datetime as dt

import pytest

from toancanh.packs.environment import floods, stations

T0 = dt.datetime(2020, 10, 11, 0, 0, tzinfo=dt.UTC)
CAU_LAU = stations.station("cau-lau")  # alarms 2.00 / 3.00 / 4.00 m
NONG_SON = stations.station("nong-son")  # no alarm I; II 13.0, III 15.0


def at(minutes):
    return T0 + dt.timedelta(minutes=minutes)


def test_the_four_flood_gauges_carry_the_alarm_levels_of_the_reference():
    levels = {s: stations.station(s)["alarm_m"] for s in stations.FLOOD_GAUGES}
    assert levels == {"ai-nghia": [6.5, 8.0, 9.0], "giao-thuy": [6.5, 7.5, 8.8], "cau-lau": [2.0, 3.0, 4.0],
                      "hoi-an": [1.0, 1.5, 2.0]}  # fmt: skip
    assert stations.station("tam-ky")["alarm_m"] == [1.7, 2.2, 2.7]
    for s in stations.RIVER_GAUGES:
        assert s["historic_peak_m"] > max(v for v in s["alarm_m"] if v) and s["marks"]["historic_peak_m"] == "U"


def test_an_administrator_overrides_a_stations_unconfirmed_values(settings):
    settings.ENVIRONMENT_STATIONS = {"cau-lau": {"historic_peak_m": 5.2}}
    assert stations.station("cau-lau")["historic_peak_m"] == 5.2
    assert stations.STATIONS[2]["historic_peak_m"] == 5.6  # the seed itself is untouched


@pytest.mark.parametrize(("level", "cls"), [(1.99, 0), (2.0, 1), (2.99, 1), (3.0, 2), (4.0, 3), (5.6, 3), (5.61, 4)])
def test_a_level_is_classed_against_its_stations_alarms_and_historic_peak(level, cls):
    assert floods.classify(level, CAU_LAU) == cls


def test_each_class_has_a_name_and_a_map_colour():
    assert set(floods.COLOURS) == set(floods.LEVEL_NAMES) == {0, 1, 2, 3, 4}
    assert floods.COLOURS[floods.ALARM_3] == (255, 0, 0) and floods.LEVEL_NAMES[3][0] == "Báo động III"


def test_a_station_without_alarm_one_starts_at_alarm_two():
    assert [floods.classify(v, NONG_SON) for v in (12.9, 13.0, 15.0)] == [0, 2, 3]


def test_a_rising_river_raises_one_event_per_class_and_a_jump_raises_one_event():
    events = floods.level_crossings(CAU_LAU, [(at(0), 1.5), (at(10), 2.1), (at(20), 2.2), (at(30), 3.5), (at(40), 4.2)])
    assert [(e["alarm"], e["previous_alarm"], e["direction"], e["threshold_m"]) for e in events] == [
        (1, 0, "up", 2.0), (2, 1, "up", 3.0), (3, 2, "up", 4.0)]  # fmt: skip
    jump = floods.level_crossings(CAU_LAU, [(at(0), 1.0), (at(10), 4.5)])
    assert [(e["alarm"], e["previous_alarm"]) for e in jump] == [(3, 0)]


def test_the_event_is_shaped_for_operations():
    (e,) = floods.level_crossings(CAU_LAU, [{"time": "2020-10-11T00:00:00+00:00", "value": 4.1}])
    assert e["type"] == "water_level" and e["station"] == "cau-lau" and e["level_m"] == 4.1 and e["alarm"] == 3
    assert e["class_vi"] == "Báo động III" and e["time"] == "2020-10-11T00:00:00+00:00" and e["lat"] and e["downstream"]
    row = floods.operations_event(e, unit="vn34-x")
    assert (row["type"], row["sector"], row["severity"], row["unit"]) == (
        "water_level",
        "environment",
        "Severe",
        "vn34-x",
    )
    assert row["payload"]["alarm"] == 3 and row["occurred_at"] == e["time"] and row["subject"] == CAU_LAU["name_vi"]


def test_a_level_hovering_on_an_alarm_raises_it_once_and_falls_back_only_past_the_hysteresis():
    series = [(at(0), 2.95), (at(10), 3.01), (at(20), 2.97), (at(30), 3.02), (at(40), 2.92), (at(50), 2.89)]
    events = floods.level_crossings(CAU_LAU, series, hysteresis=0.10)
    assert [(e["alarm"], e["direction"], e["level_m"]) for e in events] == [(1, "up", 2.95), (2, "up", 3.01),
                                                                           (1, "down", 2.89)]  # fmt: skip
    assert events[-1]["threshold_m"] == 3.0


def test_the_hysteresis_is_a_setting(settings):
    settings.ENVIRONMENT_ALARM_HYSTERESIS_M = 0.0
    events = floods.level_crossings(CAU_LAU, [(at(0), 3.01), (at(10), 2.99), (at(20), 3.01)])
    assert [e["alarm"] for e in events] == [2, 1, 2]


def test_a_falling_river_steps_down_and_can_drop_several_classes_at_once():
    state = {}
    floods.level_crossings(CAU_LAU, [(at(0), 4.5)], state)
    events = floods.level_crossings(CAU_LAU, [(at(10), 3.5), (at(20), 1.0)], state)
    assert [(e["alarm"], e["previous_alarm"], e["direction"]) for e in events] == [(2, 3, "down"), (0, 2, "down")]


def test_passing_the_historic_peak_is_its_own_event_and_still_alarm_three():
    events = floods.level_crossings(CAU_LAU, [(at(0), 4.5), (at(10), 5.7)])
    assert (events[-1]["alarm"], events[-1]["class"], events[-1]["above_historic"]) == (3, 4, True)
    assert floods.operations_event(events[-1])["severity"] == "Extreme"


def test_the_state_survives_a_round_trip_through_json_and_late_readings_change_nothing():
    import json

    state = {}
    floods.level_crossings(CAU_LAU, [(at(0), 3.2)], state)
    state = json.loads(json.dumps(state))
    assert floods.level_crossings(CAU_LAU, [(at(-10), 4.5), (at(0), 4.5)], state) == []  # older or the same time
    assert [e["alarm"] for e in floods.level_crossings(CAU_LAU, [(at(5), 4.5)], state)] == [3]


def test_rain_accumulates_over_1_3_and_24_hours_from_the_rain_since_each_reading():
    readings = [(at(-60 * 25), 40.0), (at(-60 * 5), 30.0), (at(-60 * 2), 20.0), (at(-30), 10.0), (at(0), 5.0)]
    assert floods.accumulations(readings, at(0)) == {1: 15.0, 3: 35.0, 24: 65.0}
    assert floods.accumulations([{"time": at(-60).isoformat(), "value": 3}], at(0)) == {1: 0.0, 3: 3.0, 24: 3.0}


def test_rain_levels_follow_the_thresholds_which_are_settings(settings):
    assert [floods.rain_level(v, 24) for v in (50, 50.1, 100, 100.5)] == [0, 1, 1, 2]
    settings.ENVIRONMENT_RAIN_THRESHOLDS_MM = {24: (20, 40)}
    assert floods.rain_level(45, 24) == 2 and floods.rain_level(45, 1) == 1


def test_heavy_rain_raises_events_per_window_with_all_three_accumulations():
    gauge = stations.station("mua-tra-my")
    readings = [(at(10 * n), 6.0) for n in range(1, 37)]  # 36 mm an hour for six hours
    events = floods.rain_crossings(gauge, readings)
    seen = [(e["window_h"], e["level"]) for e in events]
    assert seen == [(1, 1), (3, 1), (24, 1), (3, 2), (24, 2)]
    last = events[-1]
    assert last["type"] == "rainfall" and last["rain_24h_mm"] > 100 and last["rain_1h_mm"] == 36.0
    assert floods.operations_event(last)["payload"]["rain_24h_mm"] == last["rain_24h_mm"]


def test_rain_levels_fall_back_when_the_rain_stops_and_the_state_carries_over():
    gauge = stations.station("mua-tra-my")
    state = {}
    floods.rain_crossings(gauge, [(at(10 * n), 6.0) for n in range(1, 7)], state)  # 36 mm in an hour
    after = floods.rain_crossings(gauge, [(at(60 + 10 * n), 0.0) for n in range(1, 7)], state)
    assert [(e["window_h"], e["level"], e["direction"]) for e in after] == [(1, 0, "down")]


def test_only_a_rise_to_alarm_three_or_past_the_peak_warns_the_public():
    events = floods.level_crossings(CAU_LAU, [(at(0), 3.5), (at(10), 4.2), (at(20), 5.8), (at(30), 3.0)])
    warnings = [floods.public_warning(e) for e in events]
    assert warnings[0] is None and warnings[-1] is None
    assert warnings[1]["headline_vi"].endswith("vượt báo động III") and warnings[1]["areas"] == CAU_LAU["downstream"]
    assert "vượt đỉnh lũ lịch sử" in warnings[2]["headline_vi"] and warnings[2]["severity"] == "Extreme"
    assert "là 4,20 m, trên báo động III 0,20 m" in warnings[1]["description_vi"]
    assert "Lúc 07:10 ngày 11/10/2020" in warnings[1]["description_vi"]  # shown in Vietnam's time
