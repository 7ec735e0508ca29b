"""The stations' pages: list and detail within one's scope, the chart's series address, the forms."""

from __future__ import annotations

import pytest

from toancanh.telemetry.models import Station
from toancanh.telemetry.services import ingest_readings
from toancanh.telemetry.tests.factories import declare_test_quantities, station
from toancanh.tests.cast import HIEP_DUC, TAM_KY


@pytest.fixture
def stations(world):
    tam_ky = station("TAMKY", TAM_KY)
    ingest_readings([{"station": "TAMKY", "quantity": "t_level", "time": "2026-10-12T07:00:00+07:00", "value": 8.42}],
                    source="t")  # fmt: skip
    return {"TAMKY": tam_ky, "HIEPDUC": station("HIEPDUC", HIEP_DUC)}


def test_the_list_shows_the_stations_within_ones_scope(world, stations):
    c = world.client("admin_hiep_duc")
    page = c.get("/telemetry/stations/").content.decode()
    assert "HIEPDUC" in page and "TAMKY" not in page
    assert world.client("citizen").get("/telemetry/stations/").status_code in (302, 403)


def test_a_stations_page_shows_its_latest_values_and_a_chart_of_each_quantity(world, stations):
    page = world.client("operator").get(f"/telemetry/stations/{stations['TAMKY'].pk}/").content.decode()
    assert "8,42" in page or "8.42" in page
    assert 'data-testid="chart-t_level"' in page
    assert "/api/v1/telemetry/stations/TAMKY/series?quantity=t_level" in page
    assert world.client("admin_hiep_duc").get(f"/telemetry/stations/{stations['TAMKY'].pk}/").status_code == 404


def test_an_administrator_registers_a_station_from_the_form(world):
    declare_test_quantities()
    c = world.client("admin")
    answer = c.post("/telemetry/stations/new/", {
        "code": "CAULAU", "name": "Trạm Câu Lâu", "kind": "river", "lat": "15.5581", "lon": "108.479",
        "interval_seconds": "600", "status": "active", "quantities": ["t_level"],
    })  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    s = Station.objects.get(code="CAULAU")
    assert s.unit.key == TAM_KY
    assert list(s.sensors.values_list("quantity", flat=True)) == ["t_level"]
