"""Ingestion: each bad input refused with its reason and counted, duplicates stored once, late data
correcting exactly the buckets it falls in, quality flags, one event per station on commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from toancanh.core import bus
from toancanh.core.models import ConnectorInstance
from toancanh.telemetry.models import DailyRollup, HourlyRollup, Quality, Reading, RefusalCount, Sensor, Station
from toancanh.telemetry.services import ingest_readings
from toancanh.telemetry.store import day_start
from toancanh.telemetry.tests.factories import station

pytestmark = pytest.mark.django_db


def r(value, time="2026-10-12T07:00:00+07:00", station="AINGHIA", quantity="t_level", **more):
    return {"station": station, "quantity": quantity, "time": time, "value": value, **more}


@pytest.fixture
def ainghia(db):
    return station("AINGHIA")


def hourly(sensor):
    return {(h.start, h.count, round(h.mean, 6), h.min, h.max) for h in HourlyRollup.objects.filter(sensor=sensor)}


def test_a_good_batch_is_stored_with_its_hourly_and_daily_rollups(ainghia):
    rows = [
        r(8.0, "2026-10-12T07:00:00+07:00"),
        r(8.2, "2026-10-12T07:20:00+07:00"),
        r(8.4, "2026-10-12T08:00:00+07:00"),
    ]
    result = ingest_readings(rows, source="test")
    assert (result.accepted, result.duplicates, result.refused) == (3, 0, [])
    sensor = Sensor.objects.get(station=ainghia, quantity="t_level")
    seven = int(dt.datetime(2026, 10, 12, 0, tzinfo=dt.UTC).timestamp())
    assert hourly(sensor) == {(seven, 2, 8.1, 8.0, 8.2), (seven + 3600, 1, 8.4, 8.4, 8.4)}
    day = DailyRollup.objects.get(sensor=sensor)
    assert (day.start, day.count, day.min, day.max) == (day_start(seven), 3, 8.0, 8.4)
    assert day.start == int(dt.datetime(2026, 10, 12, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp())
    assert round(day.sum, 6) == 24.6


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("not an object", "malformed"),
        (r(1.0, station="NOWHERE"), "unknown_station"),
        (r(1.0, quantity="t_pm25"), "unknown_quantity"),
        (r(1.0, quantity="nothing_declared"), "unknown_quantity"),
        (r(1.0, unit="cm"), "wrong_unit"),
        (r("cao"), "not_a_number"),
        (r(True), "not_a_number"),
        (r(None), "not_a_number"),
        (r(float("nan")), "not_a_number"),
        (r(41.0), "out_of_range"),
        (r(-5.5), "out_of_range"),
        (r(1.0, time="hôm qua"), "bad_time"),
        (r(1.0, time=None), "bad_time"),
        (r(1.0, time="2999-01-01T00:00:00+07:00"), "future"),
    ],
)
def test_each_bad_reading_is_refused_with_its_reason_and_the_good_ones_kept(ainghia, row, reason):
    result = ingest_readings([row, r(3.0)], source="test")
    assert result.accepted == 1
    assert [x.reason for x in result.refused] == [reason]
    assert result.refused[0].row == 1
    assert Reading.objects.count() == 1


def test_a_reading_a_few_seconds_ahead_of_the_clock_is_accepted(ainghia):
    ahead = (timezone.now() + dt.timedelta(seconds=60)).isoformat()
    assert ingest_readings([r(1.0, time=ahead)], source="test").accepted == 1


def test_the_unit_may_be_given_and_must_then_be_the_quantitys(ainghia):
    result = ingest_readings([r(1.0, unit="m"), r(2.0, time="2026-10-12T08:00:00+07:00", unit="mm")], source="t")
    assert result.accepted == 1
    assert "mm" in result.refused[0].message


def test_a_reading_sent_twice_is_stored_once_and_counted_as_a_duplicate(ainghia):
    first = ingest_readings([r(8.0), r(8.0)], source="test")
    again = ingest_readings([r(8.0), r(9.0, time="2026-10-12T08:00:00+07:00")], source="test")
    assert (first.accepted, first.duplicates) == (1, 1)
    assert (again.accepted, again.duplicates) == (1, 1)
    assert Reading.objects.count() == 2
    assert HourlyRollup.objects.get(start=int(dt.datetime(2026, 10, 12, 0, tzinfo=dt.UTC).timestamp())).count == 1


def test_late_data_corrects_the_buckets_it_falls_in_and_no_other(ainghia):
    sensor = Sensor.objects.get(station=ainghia, quantity="t_level")
    ingest_readings([r(float(h), f"2026-10-12T{h:02d}:00:00+07:00") for h in range(6, 12)], source="test")
    before = {h.start: (h.pk, h.count, h.mean) for h in HourlyRollup.objects.filter(sensor=sensor)}
    # A reading that arrives late (and out of order) for 07:30, and one for the day before.
    ingest_readings([r(9.0, "2026-10-12T07:30:00+07:00"), r(1.0, "2026-10-11T23:30:00+07:00")], source="test")
    after = {h.start: (h.pk, h.count, h.mean) for h in HourlyRollup.objects.filter(sensor=sensor)}
    seven_local = int(dt.datetime(2026, 10, 12, 7, tzinfo=dt.timezone(dt.timedelta(hours=7))).timestamp())
    assert after[seven_local][1:] == (2, 8.0)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {seven_local, seven_local - 8 * 3600 + 1800 - 1800}
    days = {d.start: d.count for d in DailyRollup.objects.filter(sensor=sensor)}
    assert sorted(days.values()) == [1, 7]


def test_quality_checks_flag_spikes_flat_lines_and_values_outside_the_sensors_range(ainghia):
    sensor = Sensor.objects.get(station=ainghia, quantity="t_level")
    Sensor.objects.filter(pk=sensor.pk).update(expected_min=0, expected_max=20)
    values = [5.0, 5.1, 25.0, 5.2, 5.2, 5.2, 5.2, 5.2, 5.2, -1.0]
    with override_settings(TOANCANH_TELEMETRY_SPIKE={"t_level": 3.0}, TOANCANH_TELEMETRY_FLATLINE=5):
        result = ingest_readings([r(v, f"2026-10-12T{h:02d}:00:00+07:00") for h, v in enumerate(values)], source="t")
    flags = list(Reading.objects.filter(sensor=sensor).order_by("t").values_list("quality", flat=True))
    V, S = Quality.VALID, Quality.SUSPECT
    # 25.0: outside 0..20 and a spike; 5.2 after it: a spike back; the fifth 5.2 in a row: a flat line;
    # -1.0: outside the sensor's range (and a spike).
    assert flags == [V, V, S, S, V, V, V, S, S, S]
    assert result.suspect == 5


def test_checks_can_be_turned_off_and_readings_stay_raw(ainghia):
    with override_settings(TOANCANH_TELEMETRY_QC=False):
        ingest_readings([r(1.0)], source="t")
    assert Reading.objects.get().quality == Quality.RAW


def test_refusals_are_counted_per_station_and_reason_on_the_sources_health(ainghia):
    ConnectorInstance.objects.create(name="logger-ftp", kind="telemetry.file", config={"folder": "/tmp"})
    ingest_readings([r(99.0), r(98.0, time="2026-10-12T08:00:00+07:00"), r(1.0, station="GHOST"), r(1.0)],
                    source="logger-ftp")  # fmt: skip
    ingest_readings([r(97.0, time="2026-10-12T09:00:00+07:00")], source="logger-ftp")
    counts = {(c.station, c.reason): c.count for c in RefusalCount.objects.filter(source="logger-ftp")}
    assert counts == {("AINGHIA", "out_of_range"): 3, ("GHOST", "unknown_station"): 1}
    health = ConnectorInstance.objects.get(name="logger-ftp")
    assert (health.accepted_total, health.refused_total, health.last_refused) == (1, 4, 1)
    assert "plausible range" in health.last_refusals[0]["reason"] or "hợp lý" in health.last_refusals[0]["reason"]


def test_one_event_per_station_leaves_on_commit_with_its_latest_values(
    ainghia, monkeypatch, django_capture_on_commit_callbacks
):
    station("GIAOTHUY", quantities=("t_level",))
    sent = []
    monkeypatch.setattr(bus, "_send", lambda events: sent.extend(events))
    rows = [r(8.0, "2026-10-12T07:00:00+07:00"), r(8.5, "2026-10-12T08:00:00+07:00"),
            r(3.0, "2026-10-12T07:00:00+07:00", quantity="t_rain"), r(6.0, station="GIAOTHUY")]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        ingest_readings(rows, source="t")
    events = {e["station"]: e for e in sent if e["type"] == "telemetry.readings"}
    assert set(events) == {"AINGHIA", "GIAOTHUY"}
    assert events["AINGHIA"]["values"]["t_level"]["value"] == 8.5
    assert events["AINGHIA"]["values"]["t_level"]["time"] == "2026-10-12T08:00:00+07:00"
    assert events["AINGHIA"]["values"]["t_rain"]["value"] == 3.0
    assert events["AINGHIA"]["unit"] == "vn34-c20341"


def test_a_retired_station_takes_no_readings(ainghia):
    Station.objects.filter(pk=ainghia.pk).update(status="retired")
    assert [x.reason for x in ingest_readings([r(1.0)], source="t").refused] == ["station_retired"]


def test_the_station_remembers_its_last_reading_and_late_data_does_not_move_it_back(ainghia):
    ingest_readings([r(1.0, "2026-10-12T08:00:00+07:00")], source="t")
    ingest_readings([r(1.0, "2026-10-12T06:00:00+07:00")], source="t")
    ainghia.refresh_from_db()
    assert ainghia.last_reading_at == dt.datetime(2026, 10, 12, 1, tzinfo=dt.UTC)


def test_times_without_a_zone_are_local_time(ainghia):
    ingest_readings([r(1.0, "2026-10-12 07:00:00")], source="t")
    assert Reading.objects.get().t == int(dt.datetime(2026, 10, 12, 0, tzinfo=dt.UTC).timestamp())
