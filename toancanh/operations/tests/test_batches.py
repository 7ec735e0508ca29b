"""A batch of events is decided and written together: the same alerts, refusals and live messages
as one event at a time, with one statement per kind of write."""

from __future__ import annotations

import pytest

from toancanh.core import bus
from toancanh.core.models import BusMessage
from toancanh.operations import engine
from toancanh.operations.models import AlertState, RuleState
from toancanh.operations.tests.test_rules import alerts, event, fresh_engine, rule, send  # noqa: F401

pytestmark = pytest.mark.django_db


def test_one_batch_fires_repeats_clears_and_fires_again_as_single_events_would(django_capture_on_commit_callbacks):
    rule("threshold", {"field": "pm25", "op": ">", "value": 55.4}, cooldown_seconds=0)
    with django_capture_on_commit_callbacks(execute=True):
        send(event(0, subject="old", pm25=80))  # a live alert from an earlier batch
    heard = []
    unsubscribe = bus.subscribe(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = send(
                event(1, subject="old", pm25=90), event(2, subject="old", pm25=20),  # repeats, then clears
                event(1, subject="new", pm25=80), event(2, subject="new", pm25=85), event(3, subject="new", pm25=10),
                event(4, subject="new", pm25=99),  # raised, repeated, cleared and raised again
            )  # fmt: skip
    finally:
        unsubscribe()
    assert (report.alerts_raised, report.alerts_cleared) == (2, 2)
    by_key = sorted((a.key, a.state, a.count) for a in alerts())
    assert by_key == [("new", AlertState.CLEARED, 2), ("new", AlertState.OPEN, 1), ("old", AlertState.CLEARED, 2)]
    old = next(a for a in alerts() if a.key == "old")
    assert old.message == "pm25 90, vượt ngưỡng 55,4" and old.cleared_at is not None
    told = [(m["type"], m["id"]) for m in heard if m["type"].startswith("alert.")]
    new_first, new_again = sorted((a for a in alerts() if a.key == "new"), key=lambda a: a.pk)
    assert sorted(told) == sorted(
        [("alert.cleared", old.pk), ("alert.raised", new_first.pk), ("alert.cleared", new_first.pk),
         ("alert.raised", new_again.pk)]
    )  # fmt: skip


def test_refusals_keep_their_rows_and_messages_when_the_batch_is_checked_at_once():
    rule("threshold", {"field": "pm25", "op": ">", "value": 55.4})
    bad_place = event(0, pm25=1) | {"lat": 91.0}
    no_id = {k: v for k, v in event(0, pm25=1).items() if k != "source_id"}
    report = send(event(0, pm25=80), "not an event", bad_place, event(1, pm25=90) | {"unit": "nowhere"}, no_id,
                  event(2, pm25=95))  # fmt: skip
    assert report.stored == 2 and alerts()[0].count == 2
    rows = [r["row"] for r in report.refused]
    assert rows == [2, 3, 4, 5]
    alone = [send(row).refused[0]["error"] for row in ("not an event", bad_place, no_id)]
    assert [report.refused[i]["error"] for i in (0, 1, 3)] == alone
    assert "nowhere" in report.refused[2]["error"]


def test_unchanged_states_are_not_written_again_and_a_restart_reads_them_back():
    r = rule("geofence", {"area": {"type": "Polygon", "coordinates": [[[108, 15], [109, 15], [109, 16], [108, 16],
                                                                       [108, 15]]]}, "mode": "enter"})  # fmt: skip
    send(event(0, subject="boat", lat=14.5, lon=108.5))
    [state] = RuleState.objects.filter(rule=r)
    send(event(1, subject="boat", lat=14.6, lon=108.5))  # still outside: nothing to store
    assert RuleState.objects.get(pk=state.pk).updated_at == state.updated_at
    engine.reset()
    send(event(2, subject="boat", lat=15.5, lon=108.5))
    [alert] = alerts(AlertState.OPEN)
    assert alert.message == "đi vào vùng giám sát"


def test_the_live_bus_writes_one_row_for_a_pack_of_events():
    got = []
    bus.DatabaseTransport().send_many([{"type": "x", "id": i} for i in range(3)])
    [row] = BusMessage.objects.all()
    unsubscribe = bus.subscribe(got.append)
    try:
        bus.deliver_message(row.body)
        bus.deliver_message({"type": "y", "id": 9})
    finally:
        unsubscribe()
    assert [e["id"] for e in got] == [0, 1, 2, 9]
