"""The HTTP batch API and the reads: JSON and CSV batches, 4xx answers in Vietnamese, keys that push
only their own stations, series and unit roll-ups, lists without N+1."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from toancanh.accounts.tests.factories import api_key
from toancanh.telemetry.models import Reading
from toancanh.telemetry.tests.factories import station
from toancanh.tests.cast import HIEP_DUC, PROVINCE, TAM_KY

URL = "/api/v1/telemetry/readings"


@pytest.fixture
def stations(world):
    return {
        "TAMKY": station("TAMKY", TAM_KY),
        "HIEPDUC": station("HIEPDUC", HIEP_DUC),
        "AGENCY": station("AGENCY", HIEP_DUC, agency=world.agencies["hiep_duc"]),
    }


def rows(*codes, time="2026-10-12T07:00:00+07:00", value=8.42):
    return [{"station": c, "quantity": "t_level", "time": time, "value": value, "unit": "m"} for c in codes]


def post(client, body, **kw):
    return client.post(URL, body, content_type=kw.pop("content_type", "application/json"), **kw)


def test_a_json_batch_is_stored_and_answered_with_what_became_of_each_row(world, stations):
    answer = post(world.client("admin"), rows("TAMKY", "HIEPDUC", "NOWHERE"))
    assert answer.status_code == 200
    body = answer.json()
    assert (body["accepted"], body["duplicates"], body["refused"]) == (2, 0, 1)
    assert body["reasons"] == {"unknown_station": 1}
    assert body["refusals"][0]["row"] == 3
    assert "không rõ" in body["refusals"][0]["message"].lower() or "unknown" in body["refusals"][0]["message"]
    assert post(world.client("admin"), rows("TAMKY")).json()["duplicates"] == 1


def test_a_csv_batch_with_the_same_columns_is_stored(world, stations):
    csv = "station,quantity,time,value,unit\nTAMKY,t_level,2026-10-12T07:00:00+07:00,8.42,m\nTAMKY,t_level,2026-10-12T08:00:00+07:00,abc,m\n"
    body = post(world.client("admin"), csv, content_type="text/csv").json()
    assert (body["accepted"], body["reasons"]) == (1, {"not_a_number": 1})


def test_a_wide_csv_export_of_a_logger_is_read_as_readings(stations):
    from toancanh.telemetry.files import read_table

    table = read_table("TAMKY_2026-10.csv", b"time;t_level;t_rain\n2026-10-12 07:00;8,42;3\n2026-10-12 08:00;8,6;\n")
    assert table == [
        {"station": "TAMKY", "quantity": "t_level", "time": "2026-10-12 07:00", "value": "8,42"},
        {"station": "TAMKY", "quantity": "t_rain", "time": "2026-10-12 07:00", "value": "3"},
        {"station": "TAMKY", "quantity": "t_level", "time": "2026-10-12 08:00", "value": "8,6"},
    ]


@pytest.mark.parametrize(
    ("body", "kind", "status"),
    [
        ("{not json", "application/json", 400),
        ('{"station": "TAMKY"}', "application/json", 400),
        ("[]", "application/json", 400),
        ("\xff\xfe", "text/csv", 400),
    ],
)
def test_a_malformed_batch_is_refused_with_a_reason_in_vietnamese(world, stations, body, kind, status):
    answer = world.client("admin").post(URL, body.encode("latin-1"), content_type=kind, HTTP_ACCEPT_LANGUAGE="vi")
    assert answer.status_code == status
    assert answer.json()["detail"]
    assert Reading.objects.count() == 0


def test_a_key_scoped_to_a_unit_pushes_only_the_stations_of_its_unit(world, stations):
    body = post(world.client("key_tam_ky"), rows("TAMKY", "HIEPDUC")).json()
    assert body["accepted"] == 1
    # A station outside the key's scope is refused as unknown: its existence is not revealed.
    assert [(r["station"], r["reason"]) for r in body["refusals"]] == [("HIEPDUC", "unknown_station")]


def test_a_key_bound_to_an_agency_pushes_only_that_agencys_stations(world, stations):
    _key, secret = api_key("hiep-duc-agency", "operator", HIEP_DUC, agency="ubnd-hiep-duc")
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {secret}"})
    body = post(client, rows("AGENCY", "HIEPDUC")).json()
    assert body["accepted"] == 1
    assert [r["station"] for r in body["refusals"]] == ["HIEPDUC"]


def test_pushing_needs_a_role_that_submits_data(world, stations):
    assert post(world.client("leader"), rows("TAMKY")).status_code == 403
    assert post(world.client("anonymous"), rows("TAMKY")).status_code == 401


def test_a_stations_series_and_a_units_rollup_are_read_back(world, stations):
    readings = rows("TAMKY", "HIEPDUC", time="2026-10-12T07:00:00+07:00", value=2.0) + rows(
        "TAMKY", time="2026-10-12T07:30:00+07:00", value=4.0
    )
    post(world.client("admin"), readings)
    c = world.client("admin")
    window = "start=2026-10-12T00:00:00%2B07:00&end=2026-10-13T00:00:00%2B07:00"
    raw = c.get(f"/api/v1/telemetry/stations/TAMKY/series?quantity=t_level&{window}").json()
    assert raw["resolution"] == "raw"
    assert [p["value"] for p in raw["points"]] == [2.0, 4.0]
    hourly = c.get(f"/api/v1/telemetry/stations/TAMKY/series?quantity=t_level&{window}&resolution=hourly").json()
    assert [(p["value"], p["min"], p["max"], p["count"]) for p in hourly["points"]] == [(3.0, 2.0, 4.0, 2)]
    rollup = c.get(f"/api/v1/telemetry/rollup?unit={PROVINCE}&quantity=t_level&{window}").json()
    assert [(round(p["value"], 6), p["count"]) for p in rollup["points"]] == [(round(8 / 3, 6), 3)]
    mine = world.client("key_tam_ky").get(f"/api/v1/telemetry/rollup?unit={TAM_KY}&quantity=t_level&{window}").json()
    assert [p["count"] for p in mine["points"]] == [2]
    assert (
        world.client("key_tam_ky").get("/api/v1/telemetry/stations/HIEPDUC/series?quantity=t_level").status_code == 404
    )


def test_the_station_list_holds_only_what_is_in_scope_without_a_query_per_station(world, stations):
    for n in range(5):
        station(f"EXTRA{n}", TAM_KY)
    client = world.client("key_tam_ky")
    client.get("/api/v1/telemetry/stations")
    with CaptureQueriesContext(connection) as few:
        items = client.get("/api/v1/telemetry/stations?limit=100").json()["items"]
    assert {s["code"] for s in items} == {"TAMKY", *(f"EXTRA{n}" for n in range(5))}
    assert items[0]["quantities"] == ["t_level", "t_rain"]
    assert len(few) <= 8
