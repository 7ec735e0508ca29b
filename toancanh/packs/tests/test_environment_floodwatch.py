"""The floods watch on the live path: the scenario's readings stored through telemetry (as the MQTT
subscriber and the HTTP API store them) raise crossing events in operations, the default rule opens
the flood alert and situation, and the first rise to alarm III drafts one public warning per gauge for
the communes downstream; readings sent again or late raise nothing new."""

from __future__ import annotations

import pytest

from toancanh.operations import demo as operations_demo
from toancanh.operations import engine
from toancanh.operations.models import Alert, Event, PublicWarning, Situation
from toancanh.packs.environment import demo, floodwatch, scenario
from toancanh.packs.environment.models import GaugeState
from toancanh.telemetry.services import ingest_readings

GAUGES = ("AI-NGHIA", "GIAO-THUY", "CAU-LAU", "HOI-AN")


@pytest.fixture
def watched(world):
    engine.reset()
    operations_demo.build(unit="vn34-p48")
    demo.register_stations()
    yield
    engine.reset()


def _levels(hours: int = 60) -> list[dict]:
    return [{**r, "station": demo.code(r["station"])} for r in scenario.flood_readings(hours=hours)
            if r["quantity"] == "water_level"]  # fmt: skip


def _ingest_in_batches(rows: list[dict], n: int = 12) -> None:
    size = len(rows) // n + 1
    for i in range(0, len(rows), size):
        result = ingest_readings(rows[i : i + size], source="test-floods", health=False)
        assert not result.refused, result.refused[:3]


@pytest.mark.django_db
def test_the_flood_stored_through_telemetry_opens_the_alert_and_drafts_one_warning_per_gauge(watched):
    _ingest_in_batches(_levels())
    events = Event.objects.filter(type="water_level")
    assert {e.payload["station"] for e in events} == {g.lower() for g in GAUGES}
    at_three = [e for e in events if e.payload["direction"] == "up" and e.payload["alarm"] >= 3]
    assert {e.payload["station"] for e in at_three} == {g.lower() for g in GAUGES}
    assert Alert.objects.filter(rule__event_type="water_level").exists()  # raised (and cleared as the water fell)
    assert Situation.objects.filter(type__code="flood").exists()
    drafts = PublicWarning.objects.filter(status="draft", event="Lũ")
    assert drafts.count() == len(GAUGES)  # one per gauge's rise, not one per reading above III
    ai_nghia = drafts.get(headline__contains="Ái Nghĩa")
    assert "báo động III" in ai_nghia.headline and ai_nghia.units.exists()
    assert ai_nghia.created_by == "Hệ thống theo dõi lũ"
    names = set(ai_nghia.units.values_list("short_name", flat=True))
    assert names and names <= {"Đại Lộc", "Điện Bàn", "Hòa Vang"}
    gauge = GaugeState.objects.get(station="AI-NGHIA")  # 60 h in, the water has fallen below alarm I again
    assert gauge.state["alarm"] == 0 and gauge.state["at"] and gauge.warning_id is None


@pytest.mark.django_db
def test_readings_sent_again_or_late_raise_nothing_new(watched):
    rows = _levels(40)
    _ingest_in_batches(rows)
    before = (Event.objects.count(), PublicWarning.objects.count())
    _ingest_in_batches(rows, n=3)  # the same again: duplicates
    late = [{**r, "time": r["time"].replace("2020-10-10", "2020-10-09"), "value": 0.1} for r in rows[:8]]
    ingest_readings(late, source="test-floods", health=False)  # older than the last taken: history
    assert (Event.objects.count(), PublicWarning.objects.count()) == before


@pytest.mark.django_db
def test_a_gauge_state_is_kept_between_batches_and_a_new_rise_after_the_fall_drafts_again(watched):
    rows = [r for r in _levels(96) if r["station"] == "HOI-AN"]
    _ingest_in_batches(rows)
    assert PublicWarning.objects.filter(event="Lũ").count() == 1
    state = GaugeState.objects.get(station="HOI-AN")
    assert state.state["alarm"] < 3 and state.warning_id is None  # the flood went down below III
    floodwatch.handle([("HOI-AN", "water_level", 1760000000, 5.0)])  # a new rise (2025-10-09), far above III
    assert PublicWarning.objects.filter(event="Lũ").count() == 2


@pytest.mark.django_db
def test_the_storms_rain_stored_through_telemetry_raises_the_very_heavy_rain_alert(watched):
    rows = [{**r, "station": demo.code(r["station"])} for r in scenario.flood_readings(hours=40)
            if r["quantity"] == "rainfall"]  # fmt: skip
    _ingest_in_batches(rows)
    ups = [e.payload for e in Event.objects.filter(type="rainfall") if e.payload["direction"] == "up"]
    assert {e["station"] for e in ups} >= {"mua-tra-my", "mua-hiep-duc"}
    assert any(e["window_h"] == 24 and e["level"] == 2 for e in ups if e["station"] == "mua-tra-my")
    assert Alert.objects.filter(rule__name__startswith="Mưa rất to").exists()
    assert GaugeState.objects.get(station="MUA-TRA-MY").state["rain"]["levels"]
