"""The sectors that ship with Toàn Cảnh are packs: each brings its sector, its part of the demo
catalogue and its default rules and procedures through ``toancanh.packs.api`` alone, and the demo
assembles them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from toancanh.core.models import Sector
from toancanh.core.registry import (
    DefaultRule,
    Registry,
    RegistryError,
    RuleKind,
    SectorDecl,
    SituationTypeDecl,
    registry,
)  # fmt: skip
from toancanh.indicators import demo as indicators_demo
from toancanh.operations import demo as operations_demo
from toancanh.operations.models import AlertRule, SituationType

PACKS = Path(__file__).resolve().parent.parent
SECTOR_PACKS = [p.rsplit(".", 1)[1] for p in settings.BUILT_IN_PACKS]


def test_each_sector_pack_imports_nothing_of_the_core_but_the_pack_api():
    assert {"economy", "environment", "fisheries", "government", "health"} <= set(SECTOR_PACKS)
    for name in SECTOR_PACKS:
        for path in (PACKS / name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                module = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
                own = module == f"toancanh.packs.{name}" or module.startswith(f"toancanh.packs.{name}.")
                if module.startswith("toancanh") and not own:  # its own modules, and of the core only the API
                    assert module == "toancanh.packs.api", f"{path.name} imports {module}"


@pytest.mark.django_db
def test_every_sector_of_the_packs_exists_and_is_declared_by_its_pack():
    packs = {s.code: s.pack for s in registry.all(SectorDecl)}
    assert packs["environment"] == "environment" and packs["public-order"] == "public_order"
    assert packs["feedback"] == "core"  # citizen reports are a context of the core
    assert set(packs) <= set(Sector.objects.values_list("code", flat=True))


def test_the_demo_catalogue_is_assembled_from_every_pack_in_their_order():
    rows = indicators_demo.catalogue()
    by_pack = {}
    for d in rows:
        by_pack.setdefault(d["pack"], []).append(d["code"])
    assert list(by_pack) == [p for p in SECTOR_PACKS if p in by_pack]  # in the packs' order
    assert "GRDP" in by_pack["economy"] and "DOSSIERS" in by_pack["government"]
    assert {"WASTE_COLLECTED", "FOREST_COVER"} == set(by_pack["environment"])
    assert len(rows) == 41
    # A formula of one pack uses another's indicator (health's beds per 10,000 people: economy's POP).
    beds = next(d for d in rows if d["code"] == "BEDS_PER_10K")
    assert beds["pack"] == "health" and "POP" in beds["formula"]


def test_a_row_of_the_catalogue_comes_after_what_it_refers_to_whatever_the_packs_order():
    rows = [
        {"code": "RATE", "formula": "PART / WHOLE * 100", "weight": "", "part_of": ""},
        {"code": "PART", "formula": "", "weight": "", "part_of": "WHOLE"},
        {"code": "OTHER", "formula": "", "weight": "", "part_of": ""},
        {"code": "WHOLE", "formula": "", "weight": "", "part_of": ""},
    ]
    assert [d["code"] for d in indicators_demo._after_what_they_need(rows)] == ["OTHER", "WHOLE", "PART", "RATE"]
    circle = [{"code": "A", "formula": "B", "weight": "", "part_of": ""}, {"code": "B", "formula": "A", "weight": "", "part_of": ""}]  # fmt: skip
    with pytest.raises(ValueError, match="circle"):
        indicators_demo._after_what_they_need(circle)


def test_an_indicator_declared_by_two_packs_stops_the_start():
    r = Registry()
    r.add_indicators([{"code": "GRDP"}], "economy")
    with pytest.raises(RegistryError, match="GRDP"):
        r.add_indicators([{"code": "GRDP"}], "tourism")


def test_the_default_rules_are_valid_rules_of_their_kind_and_name_declared_situation_types():
    types = {t.code for t in registry.all(SituationTypeDecl)}
    rules = {r.code: r for r in registry.all(DefaultRule)}
    assert rules["water-level-alarm-3"].pack == "environment" and rules["pm25-poor"].pack == "environment"
    assert rules["vessel-boundary"].pack == "fisheries" and rules["budget-revenue-off-target"].pack == "economy"
    for r in rules.values():
        kind = registry.get(RuleKind, r.kind)
        assert kind is not None, r.code
        params = kind.params.model_validate(r.params)
        assert getattr(params, "situation_type", None) in (None, "", *types), r.code


@pytest.mark.django_db
def test_the_demo_installs_the_packs_situation_types_and_default_rules(world):
    made = operations_demo.build(unit="vn34-p48")
    assert made == len(registry.all(DefaultRule))
    flood = SituationType.objects.get(code="flood")
    assert flood.sector_id == "environment" and len(flood.steps) == 3
    rule = AlertRule.objects.get(name="Mực nước vượt báo động 3")
    assert (rule.sector_id, rule.event_type, rule.params["field"], rule.params["value"]) == (
        "environment",
        "water_level",
        "alarm",
        3,
    )  # each station's own alarm levels, not one height
    assert AlertRule.objects.filter(sector_id="fisheries", kind="geofence").count() == 1
    assert operations_demo.build(unit="vn34-p48") == 0  # once only
