"""Rule state survives: a restart, an edit of another rule and a second worker neither lose nor split it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid

import pytest

from toancanh.operations import engine, services
from toancanh.operations.models import AlertState, RuleState
from toancanh.operations.tests.test_rules import EVERYWHERE, alerts, event, fresh_engine, rule, send  # noqa: F401
from toancanh.operations.tests.test_transport import _count, nats_server  # noqa: F401
from toancanh.tests.browser import _database_url


@pytest.mark.django_db
def test_a_worker_restarted_inside_a_thresholds_duration_fires_on_time():
    rule("threshold", {"field": "level_m", "op": ">=", "value": 3.5, "for_seconds": 600})
    send(event(0, level_m=3.8))
    engine.reset()  # the process restarts: nothing of the rule's state is kept in memory
    send(event(5, level_m=3.9))
    assert alerts() == []
    engine.reset()
    send(event(10, level_m=4.0))
    [alert] = alerts(AlertState.OPEN)
    assert alert.message == "level_m 4, vượt ngưỡng 3,5"


@pytest.mark.django_db
def test_editing_one_rule_leaves_another_rules_firing_alert_intact_and_clearable():
    a = rule("threshold", {"field": "pm25", "op": ">", "value": 55.4}, name="A")
    b = rule("threshold", {"field": "level_m", "op": ">=", "value": 3.5, "label": "Mực nước", "measure": "m"}, name="B")
    send(event(0, level_m=3.8))
    [alert] = alerts(AlertState.OPEN)
    assert alert.rule == b and alert.message == "Mực nước 3,8 m, vượt ngưỡng 3,5 m"
    services.save_rule(by=None, scope=EVERYWHERE, rule=a, params={"field": "pm25", "op": ">", "value": 80})
    send(event(1, level_m=3.9))
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN and alert.count == 2
    send(event(2, level_m=2.0))
    alert.refresh_from_db()
    assert alert.state == AlertState.CLEARED


@pytest.mark.django_db
def test_state_per_key_stays_bounded():
    r = rule("count", {"window_seconds": 3600, "more_than": 3, "group_by": "unit"})
    send(*[event(i) for i in range(50)])
    [state] = RuleState.objects.filter(rule=r)
    assert len(state.state["w"]) == 4  # only the latest more_than + 1 times are needed to decide


@pytest.mark.django_db
def test_changing_a_rules_kind_forgets_what_it_remembered():
    r = rule("threshold", {"field": "pm25", "op": ">", "value": 55.4})
    send(event(0, pm25=80))
    assert RuleState.objects.filter(rule=r).exists()
    services.save_rule(by=None, scope=EVERYWHERE, rule=r, kind="absence", params={"minutes": 30})
    assert not RuleState.objects.filter(rule=r).exists()


# --- two threads of one worker process ----------------------------------------------------------


@pytest.mark.django_db
def test_an_event_is_counted_once_when_two_threads_load_a_new_rule_at_once(monkeypatch):
    """A worker process decides events in one thread while its job runner ticks in another; both
    ask the engine for the rules. Here both have read that a rule is new while a batch holds the
    engine (as ``process`` does), then take turns: the rule must be compiled once, or every event
    after that batch meets it twice and its alert counts each reading twice (issue 7)."""
    from django.db import connections

    r = rule("threshold", {"field": "pm25", "op": ">", "value": 55.4})
    eng = engine.RuleEngine()  # a process that has not compiled the rule yet
    monkeypatch.setattr(engine, "_engine", eng)
    shared = connections["default"]  # the threads use this test's connection (and see its uncommitted rule)
    read = {name: threading.Event() for name in ("events", "jobs-runner")}

    def noticing(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "operations_alertrule" in sql and threading.current_thread().name in read:
            read[threading.current_thread().name].set()
        return result

    def refresh() -> None:
        connections["default"] = shared
        eng.refresh()

    threads = [threading.Thread(target=refresh, name=name) for name in read]
    shared.inc_thread_sharing()
    try:
        with shared.execute_wrapper(noticing), eng.lock:  # a batch is being decided
            for t in threads:
                t.start()
                assert read[t.name].wait(20), f"{t.name} did not read the rules"
        for t in threads:
            t.join(20)
    finally:
        shared.dec_thread_sharing()
    assert [rt.rule_id for rt in eng.rules.values()] == [r.pk]
    send(event(0, pm25=80))
    [alert] = alerts()
    assert alert.count == 1, "one reading, counted once"
    send(event(1, pm25=81), event(2, pm25=82))
    alert.refresh_from_db()
    assert alert.count == 3


# --- two worker processes on one stream ------------------------------------------------------------

SETUP = """
import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup()
from toancanh.core.scoping import Scope; from toancanh.operations import services
s = Scope(everywhere=True)
services.save_rule(by=None, scope=s, name='hold', kind='threshold', unit='vn34-p48', sector_id='environment',
                   params={'field': 'level_m', 'op': '>=', 'value': 3.0, 'for_seconds': 120})
services.save_rule(by=None, scope=s, name='rise', kind='rate_of_change', unit='vn34-p48', sector_id='environment',
                   params={'field': 'level_m', 'change': 0.8, 'within_seconds': 600})
services.save_rule(by=None, scope=s, name='busy', kind='count', unit='vn34-p48', sector_id='environment',
                   params={'window_seconds': 86400, 'more_than': 12, 'group_by': 'unit'})
"""
PUBLISH = """
import django, os, json, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup()
from toancanh.operations import transport; print(transport.publish(json.load(sys.stdin)))
"""
ALERTS = "SELECT r.name || '/' || a.key || '/' || a.count || '/' || a.state FROM operations_alert a JOIN operations_alertrule r ON r.id = a.rule_id"


def _events() -> list[dict]:
    """Water levels of 12 stations in 3 communes: some rise slowly, some jump, some stay high."""
    import datetime as dt

    # Recent times, and windows longer than the run: the runner's minute tick (which the workers
    # run too) must find nothing to clear while the two runs are compared.
    t0 = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    communes = ["vn34-c20779", "vn34-c20341", "vn34-c20194"]
    out = []
    for i in range(480):
        station = i % 12
        level = 2.0 + (i // 12) * (0.03 if station % 3 == 0 else 0.005) + (1.0 if station == 5 and i > 240 else 0)
        out.append({"source": "wl", "source_id": f"e{i}", "sector": "environment", "type": "water",
                    "subject": f"wl-{station}", "unit": communes[station % 3],
                    "occurred_at": (t0 + dt.timedelta(seconds=5 * i)).isoformat(), "payload": {"level_m": round(level, 3)}})  # fmt: skip
    return out


def _run(tmp_path, name: str, workers: int) -> set[str]:
    stream = f"TEST_{uuid.uuid4().hex[:10].upper()}"
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp_path / name), DATABASE_URL=_database_url(tmp_path, f"state_{name}"),
               TOANCANH_EVENTS_BUS="nats", TOANCANH_EVENTS_STREAM=stream, TOANCANH_EVENTS_SUBJECT=f"test.{stream}",
               TOANCANH_EVENTS_ACK_WAIT="5", TOANCANH_EVENTS_LEASE_SECONDS="3")  # fmt: skip
    (tmp_path / name).mkdir()
    cli = [sys.executable, "-m", "toancanh.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([*cli, "units", "load", "--province", "48", "--edition", "current"], env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True, timeout=120)
    procs = [subprocess.Popen([*cli, "worker", "--batch", "25", "--stop-after-idle", "8"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(workers)]  # fmt: skip
    time.sleep(4 if workers > 1 else 1)  # let the workers share out the partitions
    subprocess.run([sys.executable, "-c", PUBLISH], env=env, input=json.dumps(_events()).encode(), check=True,
                   capture_output=True, timeout=120)  # fmt: skip
    handled = []
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err.decode()[-2000:]
        handled.append(int(re.search(r"worker stopped after (\d+) events", out.decode()).group(1)))
    url = env["DATABASE_URL"]
    assert _count(url, "SELECT COUNT(*) FROM operations_event") == 480
    assert all(handled) and sum(handled) == 480, f"each worker should have handled its share: {handled}"
    import dj_database_url

    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        import sqlite3

        with sqlite3.connect(cfg["NAME"]) as con:
            return {row[0] for row in con.execute(ALERTS)}
    import psycopg

    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], dbname=cfg["NAME"]) as con:
        return {row[0] for row in con.execute(ALERTS)}


def test_two_workers_on_one_stream_raise_exactly_the_alerts_one_worker_raises(tmp_path, nats_server):  # noqa: F811
    one = _run(tmp_path, "one", 1)
    two = _run(tmp_path, "two", 2)
    assert one, "the events should raise alerts"
    assert {a.split("/")[0] for a in one} == {"hold", "rise", "busy"}
    assert two == one
