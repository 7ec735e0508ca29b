"""The environment pack's declarations in the registry (here, outside the pack: a pack's own tests
import nothing of the core but toancanh.packs.api)."""

from __future__ import annotations

from toancanh.core.registry import DemoBuilder, MapLayer, Panel, Quantity, registry
from toancanh.packs.environment.quantities import QUANTITIES


def test_the_pack_declares_every_quantity_of_quantities_py_to_the_registry():
    declared = {q.code: q for q in registry.all(Quantity) if q.pack == "environment"}
    assert set(declared) == {q["code"] for q in QUANTITIES}
    assert declared["water_level"].unit == "m" and declared["pm25"].unit == "µg/m³"


def test_the_pack_has_a_demo_builder_a_map_layer_and_a_wall_panel():
    assert registry.get(DemoBuilder, "environment").pack == "environment"
    layer = registry.get(MapLayer, "environment-stations")
    assert layer.url == "/environment/stations.geojson" and len(layer.legend) >= 6
    assert "wall" in registry.get(Panel, "environment-alarms").places


def test_the_overview_page_has_an_entry_in_the_navigation():
    from toancanh.core.registry import NavEntry

    assert registry.get(NavEntry, "environment-stations").url == "/environment/"
