"""The pack on telemetry: its quantities declared, the demo's stations with readings, the map layer's
GeoJSON coloured by state, the wall panel of alarms, the overview page."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from toancanh.packs.api import TelemetryStation as Station
from toancanh.packs.environment import demo, state

NOW = dt.datetime(2026, 11, 23, 8, 5, tzinfo=dt.UTC)


@pytest.fixture
def built(world, settings):
    settings.ENVIRONMENT_DEMO_FLOOD_HOURS = 30
    from django.utils import timezone

    # readings must not lie in the future of the clock: build the demo at the real now
    world.built_at = timezone.now()
    demo.build(world.built_at)
    return world


def test_the_flood_rows_end_at_now_on_a_ten_minute_step_with_telemetry_codes():
    rows = demo.flood_rows(NOW, 30)
    assert rows[-1]["time"] == "2026-11-23T08:00:00+00:00"
    assert {r["station"] for r in rows} >= {"AI-NGHIA", "CAU-LAU", "MUA-TRA-MY"}


def test_the_demo_registers_the_seed_stations_with_their_agency_and_readings_fast(built):
    t0 = time.perf_counter()
    again = demo.build(built.built_at)  # at the same moment: a later one shifts the flood to its own "now"
    assert time.perf_counter() - t0 < 10
    assert again.startswith("0 stations registered, 0 readings")  # idempotent
    ai_nghia = Station.objects.get(code="AI-NGHIA")
    assert ai_nghia.kind == "river" and ai_nghia.last_reading_at is not None
    assert set(ai_nghia.sensors.values_list("quantity", flat=True)) == {"water_level", "rainfall"}
    assert Station.objects.filter(code__in=[c.upper() for c in ("kk-hai-chau", "nm-song-han")]).count() == 2


def test_after_thirty_hours_of_the_flood_the_upper_gauges_are_in_alarm_three_and_rising_or_at_peak(built):
    states = {r["code"]: r for r in state.station_states(built.users["operator"])}
    ai = states["AI-NGHIA"]
    assert ai["alarm"] == 3 and ai["level_m"] >= 9.0 and ai["colour"] == "#ff0000"
    assert ai["trend_m"] is not None and abs(ai["trend_m"]) < 0.3  # at its peak (hour 30)
    assert states["CAU-LAU"]["trend_m"] > 0  # Câu Lâu peaks at hour 34: still rising
    assert states["TAM-KY"]["alarm"] is None and states["TAM-KY"]["colour"] == state.GREY  # no readings


def test_an_air_station_is_coloured_by_its_hourly_vn_aqi(built):
    states = {r["code"]: r for r in state.station_states(built.users["operator"])}
    air = states["KK-HOA-KHANH"]
    assert air["aqi"] is not None and air["aqi"] > 0
    assert air["state"].startswith(f"VN_AQI {air['aqi']} – ")
    assert state.worst_air(list(states.values()))["code"] == "KK-HOA-KHANH"  # the dustiest


def test_the_geojson_shows_the_stations_within_ones_scope_with_colour_and_state(built):
    answer = built.client("operator").get("/environment/stations.geojson")
    assert answer.status_code == 200
    features = {f["properties"]["code"]: f for f in answer.json()["features"]}
    ai = features["AI-NGHIA"]
    assert ai["geometry"]["coordinates"] == [108.1171, 15.8838]
    assert ai["properties"]["alarm"] == 3 and ai["properties"]["url"].startswith("/telemetry/stations/")
    assert built.client("citizen").get("/environment/stations.geojson").status_code in (302, 403)


def test_the_wall_panel_lists_the_gauges_in_alarm_highest_first_and_the_worst_air(built):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from toancanh.packs.environment.panels import alarms_now

    ctx = alarms_now(RequestFactory().get("/"), built.users["operator"])
    assert [r["alarm"] for r in ctx["in_alarm"]] == sorted((r["alarm"] for r in ctx["in_alarm"]), reverse=True)
    assert ctx["in_alarm"][0]["alarm"] == 3
    html = render_to_string("environment/panel.html", ctx)
    assert 'data-testid="env-alarm-AI-NGHIA"' in html and 'data-testid="env-worst-aqi"' in html
    assert 'fill="#ff0000"' in html and "style=" not in html  # colours without inline styles (the CSP forbids them)


def test_the_panel_hides_itself_where_no_station_of_the_pack_is_in_scope(world):
    from toancanh.packs.environment.panels import alarms_now

    assert alarms_now(None, world.users["operator"]) is None


def test_the_overview_page_lists_every_station_with_its_state_and_a_link(built):
    page = built.client("operator").get("/environment/").content.decode()
    assert 'data-testid="env-station-AI-NGHIA"' in page and "/telemetry/stations/" in page
    assert 'data-testid="env-station-NM-SONG-HAN"' in page
    assert "Trạm quan trắc tài nguyên – môi trường" in page and "Báo động III" in page  # in Vietnamese


def test_the_states_read_in_the_readers_language(built):
    from django.utils import translation

    with translation.override("en"):
        states = {r["code"]: r for r in state.station_states(built.users["operator"])}
    assert states["AI-NGHIA"]["state"] == "Alarm III"
    assert " – " in states["KK-HOA-KHANH"]["state"] and "Trung bình" not in states["KK-HOA-KHANH"]["state"]
    with translation.override("vi"):
        states = {r["code"]: r for r in state.station_states(built.users["operator"])}
    assert states["AI-NGHIA"]["state"] == "Báo động III"
