"""The demo's October flood on the Vu Gia – Thu Bồn gauges."""

import datetime as dt

from toancanh.packs.environment import floods, scenario, stations

ROWS = list(scenario.flood_readings())


def levels(code):
    return [r for r in ROWS if r["station"] == code and r["quantity"] == "water_level"]


def test_the_scenario_is_deterministic_and_in_the_wire_format():
    assert list(scenario.flood_readings()) == ROWS
    assert list(scenario.flood_readings(seed=1)) != ROWS
    first = ROWS[0]
    assert set(first) == {"station", "quantity", "time", "value", "unit"}
    assert {(r["quantity"], r["unit"]) for r in ROWS} == {("water_level", "m"), ("rainfall", "mm")}
    assert [r["time"] for r in ROWS] == sorted(r["time"] for r in ROWS)
    assert {r["station"] for r in ROWS} <= {s["code"] for s in stations.STATIONS}


def test_every_gauge_rises_through_alarm_three_and_recedes_below_alarm_one_without_passing_its_historic_peak():
    for code in stations.FLOOD_GAUGES:
        events = floods.level_crossings(stations.station(code), levels(code))
        assert [(e["alarm"], e["direction"]) for e in events] == [
            (1, "up"), (2, "up"), (3, "up"), (2, "down"), (1, "down"), (0, "down")], code  # fmt: skip
        peak = max(r["value"] for r in levels(code))
        assert peak < stations.station(code)["historic_peak_m"]


def test_the_flood_wave_reaches_each_gauge_after_the_one_upstream():
    peaks = scenario.peaks(ROWS)
    times = [peaks[code][1] for code in stations.FLOOD_GAUGES]
    assert times == sorted(times) and len(set(times)) == 4

    def third_alarm(code):
        events = floods.level_crossings(stations.station(code), levels(code))
        return next(e["time"] for e in events if e["alarm"] == 3)

    third = [third_alarm(code) for code in stations.FLOOD_GAUGES]
    assert third == sorted(third)


def test_the_rain_falls_upstream_first_and_is_very_heavy_before_the_downstream_peak():
    rain = [r for r in ROWS if r["station"] == "mua-tra-my"]
    events = floods.rain_crossings(stations.station("mua-tra-my"), rain)
    very_heavy = next(e for e in events if e["window_h"] == 24 and e["level"] == 2)
    assert very_heavy["time"] < scenario.peaks(ROWS)["hoi-an"][1]
    assert 300 < sum(r["value"] for r in rain) < 800  # a storm of several hundred millimetres, as in October 2020


def test_the_replay_compresses_the_story_into_a_few_minutes_of_wall_clock():
    start = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    pairs = list(scenario.replay(start, duration_s=180))
    offsets = [o for o, _r in pairs]
    assert offsets[0] == 0 and offsets[-1] == 180 and offsets == sorted(offsets)
    assert all(dt.datetime.fromisoformat(r["time"]) == start + dt.timedelta(seconds=o) for o, r in pairs)
    assert [r["value"] for _o, r in pairs] == [r["value"] for r in ROWS]  # the values stay real


def test_the_flood_ends_in_a_public_warning_for_the_communes_downstream():
    events = floods.level_crossings(stations.station("hoi-an"), levels("hoi-an"))
    warnings = [w for w in map(floods.public_warning, events) if w]
    assert len(warnings) == 1
    (w,) = warnings
    assert w["headline_vi"] == "Cảnh báo lũ: mực nước sông Thu Bồn tại Trạm thủy văn Hội An vượt báo động III"
    assert w["areas"] == stations.station("hoi-an")["downstream"] and w["severity"] == "Severe"
    assert "trên báo động III 0," in w["description_vi"] and "ngày 11/10/2020" in w["description_vi"]


def test_the_scenarios_crossings_come_in_time_order_and_warn_downstream_of_every_gauge():
    events = scenario.crossings(ROWS)
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    warned = [w["station"] for w in map(floods.public_warning, events) if w]
    assert warned == list(stations.FLOOD_GAUGES)  # upstream first, as the wave goes down the river
    assert {e["type"] for e in events} == {"water_level", "rainfall"}
