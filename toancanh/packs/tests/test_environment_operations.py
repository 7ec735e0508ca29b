"""The environment pack's crossing events go into operations, where its default rules take over:
a river reaching alarm III opens a flood situation, falling back clears the alert, heavy rain alerts."""

from __future__ import annotations

import pytest

from toancanh.core.scoping import Scope
from toancanh.operations import demo as operations_demo
from toancanh.operations import engine, services
from toancanh.operations.models import Alert, Situation
from toancanh.packs.environment import floods, scenario, stations

HIEP_DUC = "vn34-c20779"


@pytest.fixture
def rules(world):
    engine.reset()
    operations_demo.build(unit="vn34-p48")
    yield
    engine.reset()


def _submit(events):
    rows = [floods.operations_event(e, unit=HIEP_DUC) for e in events]
    return services.ingest_events(rows, by=None, scope=Scope(everywhere=True))


@pytest.mark.django_db
def test_the_scenarios_rise_at_hoi_an_raises_alarm_alerts_and_opens_a_flood_situation_and_its_fall_clears_them(rules):
    gauge = stations.station("hoi-an")
    rows = [r for r in scenario.flood_readings() if r["station"] == "hoi-an" and r["quantity"] == "water_level"]
    events = floods.level_crossings(gauge, rows)
    peak = next(n for n, e in enumerate(events) if e["direction"] == "down")
    report = _submit(events[:peak])
    assert report.stored == 3 and report.refused == []
    open_alerts = Alert.objects.filter(state="open")
    assert [a.rule.name for a in open_alerts] == ["Mực nước vượt báo động 3"]  # one alert, not one per class
    assert Situation.objects.filter(type__code="flood").count() == 1
    _submit(events[peak:])
    assert not Alert.objects.filter(state="open", rule__event_type="water_level").exists()


@pytest.mark.django_db
def test_a_level_under_another_stations_alarm_three_raises_nothing_here(rules):
    # 4.5 m was once the one flood line for every river: at Ái Nghĩa it is below alarm I (6.50 m).
    events = floods.level_crossings(stations.station("ai-nghia"), [("2020-10-10T00:00:00+07:00", 4.5)])
    assert events == []
    events = floods.level_crossings(stations.station("cau-lau"), [("2020-10-10T00:00:00+07:00", 4.5)])
    _submit(events)
    assert Alert.objects.filter(state="open", rule__name="Mực nước vượt báo động 3").count() == 1


@pytest.mark.django_db
def test_very_heavy_rain_upstream_raises_the_rain_alert(rules):
    rows = [r for r in scenario.flood_readings() if r["station"] == "mua-tra-my"]
    events = floods.rain_crossings(stations.station("mua-tra-my"), rows)
    _submit([e for e in events if e["direction"] == "up"])
    assert Alert.objects.filter(state="open", rule__name__startswith="Mưa rất to").count() == 1
