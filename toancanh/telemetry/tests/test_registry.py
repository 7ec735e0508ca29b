"""The registry of stations: quantities declared by packs, stations registered within one's scope,
the unit found from the position."""

from __future__ import annotations

import pytest

from toancanh.core.errors import ServiceError
from toancanh.core.registry import Quantity, RegistryError
from toancanh.telemetry import services
from toancanh.telemetry.models import Sensor, Station
from toancanh.telemetry.tests.factories import declare_test_quantities
from toancanh.tests.cast import HIEP_DUC, TAM_KY

pytestmark = pytest.mark.django_db


def test_a_quantity_needs_a_plausible_range():
    with pytest.raises(RegistryError):
        Quantity("bad", "Sai", "Bad", "m", 5, 5)


def test_packs_may_declare_quantities_through_their_api():
    from toancanh.packs import api

    assert api.Quantity is Quantity


def _register(by, **more):
    declare_test_quantities()
    data = {"code": "cau-lau", "name": "Trạm Câu Lâu", "kind": "river", "lat": 15.5581, "lon": 108.479,
            "quantities": ["t_level", "t_rain"]} | more  # fmt: skip
    return services.register_station(by=by, **data)


def test_a_station_is_registered_with_its_quantities_and_the_commune_at_its_position(world):
    s = _register(world.users["admin"])
    assert s.code == "CAU-LAU"
    assert s.unit.key == TAM_KY
    assert sorted(Sensor.objects.filter(station=s).values_list("quantity", flat=True)) == ["t_level", "t_rain"]


def test_a_station_outside_ones_scope_cannot_be_registered(world):
    with pytest.raises(ServiceError):
        _register(world.users["admin_hiep_duc"], unit=TAM_KY)
    assert _register(world.users["admin_hiep_duc"], unit=HIEP_DUC).unit.key == HIEP_DUC


def test_an_undeclared_quantity_is_refused(world):
    with pytest.raises(ServiceError, match="nothing"):
        _register(world.users["admin"], quantities=["nothing"])
    assert not Station.objects.exists()


def test_editing_a_station_replaces_what_it_measures(world):
    s = _register(world.users["admin"])
    services.update_station(s, by=world.users["admin"], status="maintenance", quantities=["t_level"])
    s.refresh_from_db()
    assert s.status == "maintenance"
    assert list(s.sensors.values_list("quantity", flat=True)) == ["t_level"]


def test_stations_are_visible_to_those_whose_scope_holds_them(world):
    _register(world.users["admin"])
    assert Station.objects.visible_to(world.users["admin_hiep_duc"]).count() == 0
    assert Station.objects.visible_to(world.users["leader"]).count() == 1
