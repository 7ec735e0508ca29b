"""Test helpers: quantities declared for the tests (the registry is frozen at start-up, so they are
put in its table directly, under codes no pack uses) and stations with their sensors."""

from __future__ import annotations

from toancanh.core.registry import Quantity, registry

TEST_QUANTITIES = (
    Quantity("t_level", "Mực nước (thử)", "Water level (test)", "m", -5, 40, pack="tests"),
    Quantity("t_pm25", "Bụi PM2.5 (thử)", "PM2.5 (test)", "µg/m³", 0, 1000, pack="tests"),
    Quantity("t_rain", "Lượng mưa (thử)", "Rainfall (test)", "mm", 0, 500, pack="tests"),
)


def declare_test_quantities() -> None:
    items = registry._items[Quantity]
    for q in TEST_QUANTITIES:
        items.setdefault(q.code, q)


def station(code: str, unit: str = "vn34-c20341", *, kind: str = "river", quantities=("t_level", "t_rain"),
            agency=None, lat: float = 15.5581, lon: float = 108.479, **more):  # fmt: skip
    from toancanh.telemetry.models import Sensor, Station
    from toancanh.units.models import Unit

    declare_test_quantities()
    found = Station.objects.filter(code=code).first()
    if found is not None:
        return found
    s = Station.objects.create(code=code, name=f"Trạm {code}", kind=kind, lat=lat, lon=lon,
                               unit=Unit.objects.get(key=unit), agency=agency, **more)  # fmt: skip
    Sensor.objects.bulk_create([Sensor(station=s, quantity=q) for q in quantities])
    return s
