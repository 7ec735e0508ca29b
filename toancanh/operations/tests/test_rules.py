"""Each rule kind: firing, de-duplication, cool-down and clearing; rules that cannot be evaluated."""

from __future__ import annotations

import datetime as dt

import pytest

from toancanh.core.errors import ServiceError
from toancanh.core.scoping import Scope
from toancanh.operations import engine, services
from toancanh.operations.models import Alert, AlertState, Situation

pytestmark = pytest.mark.django_db
EVERYWHERE = Scope(everywhere=True)
T0 = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
HIEP_DUC, TAM_KY = "vn34-c20779", "vn34-c20341"
_seq = iter(range(1, 10**9))


@pytest.fixture(autouse=True)
def fresh_engine():
    engine.reset()
    yield
    engine.reset()


def rule(kind, params, **kw):
    fields = {"name": f"{kind} rule", "kind": kind, "params": params, "unit": "vn34-p48", "sector_id": "environment",
              "severity": "Moderate", "cooldown_seconds": 600} | kw  # fmt: skip
    return services.save_rule(by=None, scope=EVERYWHERE, **fields)


def event(minutes=0, subject="station-1", unit=HIEP_DUC, type="reading", lat=None, lon=None, **payload):
    return {"source": "test", "source_id": str(next(_seq)), "sector": "environment", "type": type, "subject": subject,
            "unit": unit, "lat": lat, "lon": lon, "occurred_at": (T0 + dt.timedelta(minutes=minutes)).isoformat(),
            "payload": payload}  # fmt: skip


def send(*events):
    return services.ingest_events(list(events), by=None, scope=EVERYWHERE)


def alerts(state=None):
    qs = Alert.objects.all()
    return list(qs.filter(state=state) if state else qs)


def test_a_threshold_fires_once_for_repeated_readings_and_clears_when_back_to_normal():
    rule("threshold", {"field": "pm25", "op": ">", "value": 55.4})
    send(event(0, pm25=40), event(1, pm25=80), event(2, pm25=90), event(3, pm25=95))
    [alert] = alerts()
    assert alert.state == AlertState.OPEN and alert.count == 3 and alert.key == "station-1"
    send(event(4, pm25=30))
    alert.refresh_from_db()
    assert alert.state == AlertState.CLEARED


def test_a_late_reading_still_counts():
    rule("threshold", {"field": "pm25", "op": ">", "value": 55.4})
    send(event(10, pm25=80))
    send(event(5, pm25=90))  # delivered late, as a retrying sender or a redelivering bus may
    assert alerts()[0].count == 2


def test_a_threshold_with_a_duration_waits_until_the_condition_has_held():
    rule("threshold", {"field": "level", "op": ">=", "value": 3.0, "for_seconds": 600})
    send(event(0, level=3.2), event(5, level=3.3))
    assert alerts() == []
    send(event(10, level=3.4))
    assert len(alerts(AlertState.OPEN)) == 1


def test_after_clearing_the_same_problem_stays_quiet_during_the_cool_down():
    rule("threshold", {"field": "pm25", "op": ">", "value": 55.4}, cooldown_seconds=3600)
    send(event(0, pm25=80), event(1, pm25=20), event(2, pm25=85))
    assert len(alerts()) == 1 and alerts()[0].state == AlertState.CLEARED


def test_two_subjects_make_two_alerts():
    rule("threshold", {"field": "pm25", "op": ">", "value": 55.4})
    send(event(0, subject="a", pm25=80), event(0, subject="b", pm25=80))
    assert sorted(a.key for a in alerts()) == ["a", "b"]


def test_a_rate_of_change_fires_on_a_fast_rise():
    rule("rate_of_change", {"field": "level", "change": 0.5, "within_seconds": 1800})
    send(event(0, level=1.0), event(10, level=1.2))
    assert alerts() == []
    send(event(20, level=1.6))
    assert len(alerts(AlertState.OPEN)) == 1


def test_absence_fires_when_a_station_falls_silent_and_clears_when_it_speaks():
    rule("absence", {"minutes": 30})
    send(event(0, level=1.0))
    services.tick(T0 + dt.timedelta(minutes=20))
    assert alerts() == []
    services.tick(T0 + dt.timedelta(minutes=31))
    assert [a.message for a in alerts(AlertState.OPEN)] == ["không có dữ liệu trong 30 phút"]
    send(event(40, level=1.1))
    assert alerts(AlertState.OPEN) == []


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[108.0, 15.5], [108.2, 15.5], [108.2, 15.7], [108.0, 15.7], [108.0, 15.5]]],
}


def test_a_geofence_fires_when_a_vessel_enters_and_clears_when_it_leaves():
    rule("geofence", {"area": SQUARE, "mode": "enter"}, sector_id="fisheries")
    v = lambda m, lon: event(m, subject="mmsi-574001234", lat=15.6, lon=lon) | {"sector": "fisheries"}  # noqa: E731
    send(v(0, 107.9), v(5, 108.1))
    assert [a.key for a in alerts(AlertState.OPEN)] == ["mmsi-574001234"]
    send(v(10, 108.3))
    assert alerts(AlertState.OPEN) == []


def test_a_geofence_dwell_fires_after_staying_long_enough():
    rule("geofence", {"area": SQUARE, "mode": "dwell", "dwell_seconds": 1800}, sector_id="fisheries")
    v = lambda m: event(m, subject="v1", lat=15.6, lon=108.1) | {"sector": "fisheries"}  # noqa: E731
    send(v(0), v(20))
    assert alerts() == []
    send(v(31))
    assert len(alerts(AlertState.OPEN)) == 1


def test_more_than_ten_reports_of_one_category_in_a_commune_in_a_day_raise_one_alert():
    rule("count", {"window_seconds": 86400, "more_than": 10, "group_by": "unit_and_category"}, sector_id="feedback")

    def rep(m, unit=HIEP_DUC, cat="rac-thai"):
        return event(m, unit=unit, type="report", category=cat) | {"sector": "feedback"}  # noqa: E731

    send(*[rep(i) for i in range(10)], rep(1, unit=TAM_KY), rep(2, cat="den-duong"))
    assert alerts() == []
    send(rep(11), rep(12))
    [alert] = alerts()
    assert alert.key == f"{HIEP_DUC}:rac-thai" and alert.count == 2
    services.tick(T0 + dt.timedelta(days=2))
    alert.refresh_from_db()
    assert alert.state == AlertState.CLEARED


def test_an_anomaly_is_a_value_far_outside_the_subjects_history():
    rule("anomaly", {"field": "flow", "z": 4, "min_history": 10})
    send(*[event(i, flow=100 + (i % 5)) for i in range(12)])
    assert alerts() == []
    send(event(13, flow=400))
    assert "bất thường" in alerts(AlertState.OPEN)[0].message


def test_an_indicator_off_target_raises_an_alert_on_the_tick():
    from toancanh.indicators.models import Target
    from toancanh.indicators.tests.factories import indicator, values
    from toancanh.units.models import Unit

    ind = indicator("REV", period_type="year")
    values(("REV", "vn34-p48", "2026", 50))
    Target.objects.create(indicator=ind, unit=Unit.objects.get(key="vn34-p48"), year=2026, value=100)
    rule("indicator_off_target", {"indicator": "REV"}, sector_id="economy")
    services.tick()
    assert [a.key for a in alerts(AlertState.OPEN)] == ["REV@vn34-p48"]


def test_a_severe_alert_opens_a_situation_with_its_procedure():
    from toancanh.operations.models import SituationType

    SituationType.objects.create(code="flood", name="Ngập lụt", steps=[
        {"title": "Xác minh hiện trường", "owner": "UBND xã", "due_minutes": 30},
        {"title": "Thông báo người dân", "owner": "Đài truyền thanh", "due_minutes": 60},
    ])  # fmt: skip
    rule("threshold", {"field": "level", "op": ">", "value": 3, "situation_type": "flood"}, severity="Severe")
    send(event(0, level=3.5))
    [situation] = Situation.objects.all()
    assert [s.title for s in situation.steps.all()] == ["Xác minh hiện trường", "Thông báo người dân"]
    assert alerts()[0].situation == situation


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("threshold", {"field": "pm25", "op": "≈", "value": 1}, "op"),
        ("threshold", {"field": "pm25", "op": ">", "value": 1, "colour": "red"}, "colour"),
        (
            "geofence",
            {"area": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}},
            "valid Polygon",
        ),
        ("geofence", {"area": {"type": "Point", "coordinates": [108, 16]}}, "Polygon"),
        ("count", {"window_seconds": 0, "more_than": 1}, "window_seconds"),
        ("crystal_ball", {}, "không có loại quy tắc"),
    ],
)
def test_a_rule_that_cannot_be_evaluated_is_refused_with_the_reason(kind, params, message):
    with pytest.raises(ServiceError) as exc:
        rule(kind, params)
    assert message in exc.value.message


def test_bad_events_are_refused_row_by_row_and_the_rest_stored():
    report = send(
        event(0, pm25=1),
        event(0) | {"sector": "astrology"},
        event(0) | {"occurred_at": "2026-11-21T08:00:00"},
        event(0) | {"unit": "vn34-c99999"},
        {"source": "x"},
    )
    assert report.stored == 1
    errors = {r["row"]: r["error"] for r in report.refused}
    assert errors[2] == "lĩnh vực 'astrology' không có"  # in Vietnamese, the code kept
    assert "occurred_at" in errors[3] and "múi giờ" in errors[3]  # needs a time zone, in Vietnamese
    assert errors[4] == "unit 'vn34-c99999' not found (or outside your scope)"
    assert "source_id" in errors[5]


def test_sending_the_same_event_twice_stores_it_once():
    e = event(0, pm25=1)
    send(e)
    assert send(e).duplicates == 1


def test_an_event_with_only_a_place_lands_in_the_commune_whose_boundary_holds_it():
    import datetime as _dt

    from toancanh.units.geometry import import_boundaries

    square = {
        "type": "Polygon",
        "coordinates": [[[107.0, 14.0], [107.01, 14.0], [107.01, 14.01], [107.0, 14.01], [107.0, 14.0]]],
    }
    import_boundaries({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ma_xa": "20341"},
                                                                  "geometry": square}]},
                      by=None, level="commune", on=_dt.date(2025, 7, 1))  # fmt: skip
    rule("threshold", {"field": "pm25", "op": ">", "value": 55.4})
    send(event(0, unit=None, lat=14.005, lon=107.005, pm25=90))  # far from every centre, inside Tam Kỳ's square
    assert alerts()[0].unit.key == TAM_KY
