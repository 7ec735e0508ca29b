"""The store's tables: on PostgreSQL the raw readings are partitioned by month; retention per kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from toancanh.telemetry import partitions
from toancanh.telemetry.models import HourlyRollup, Reading
from toancanh.telemetry.services import ingest_readings
from toancanh.telemetry.tasks import apply_retention, create_partitions
from toancanh.telemetry.tests.factories import station

pytestmark = pytest.mark.django_db


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_readings_land_in_the_partition_of_their_month():
    station("PART")
    now = timezone.now()
    assert partitions.partitioned()
    create_partitions()
    ingest_readings([{"station": "PART", "quantity": "t_level", "time": _iso(now), "value": 1.0},
                     {"station": "PART", "quantity": "t_level", "time": "2001-01-01T00:00:00+07:00", "value": 2.0}],
                    source="t")  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("SELECT tableoid::regclass::text, value FROM telemetry_reading ORDER BY t")
        rows = cur.fetchall()
    assert rows == [("telemetry_reading_default", 2.0), (f"telemetry_reading_{now:%Y%m}", 1.0)]


def test_elsewhere_there_is_one_table_and_nothing_to_partition():
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL partitions")
    assert partitions.ensure_months(dt.date(2026, 1, 1), dt.date(2026, 12, 1)) == []


def test_retention_deletes_old_raw_readings_of_each_kind_and_keeps_the_rollups():
    station("AIR", kind="air", quantities=("t_pm25",))
    station("RIVER", kind="river", quantities=("t_level",))
    old = _iso(timezone.now() - dt.timedelta(days=100))
    ingest_readings([{"station": "AIR", "quantity": "t_pm25", "time": old, "value": 30},
                     {"station": "RIVER", "quantity": "t_level", "time": old, "value": 3}], source="t")  # fmt: skip
    with override_settings(TOANCANH_TELEMETRY_RETENTION={"air": 30, "river": 365}):
        assert apply_retention()["air"] == 1
    assert Reading.objects.count() == 1
    assert HourlyRollup.objects.count() == 2
