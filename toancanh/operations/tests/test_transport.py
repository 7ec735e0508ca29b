"""At-least-once delivery through the machine's NATS JetStream: a worker killed mid-stream loses
nothing, and nothing is handled twice in effect.

The workers are real processes on a database of their own (a temporary SQLite file, or a fresh
PostgreSQL database when the suite runs on PostgreSQL), as in production.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
import uuid

import dj_database_url
import pytest

from toancanh.tests.browser import _database_url

N_EVENTS = 600
SUBJECTS = 5


def _nats_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 4222), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def nats_server():
    if not _nats_up():
        subprocess.run(
            ["start-stop-daemon", "--start", "--oknodo", "--background", "--exec", "/usr/sbin/nats-server", "--",
             "-a", "127.0.0.1", "-p", "4222", "-js", "-sd", "/var/lib/nats-server"],
            check=False,
        )  # fmt: skip
        for _ in range(50):
            if _nats_up():
                break
            time.sleep(0.1)
    if not _nats_up():
        pytest.fail("NATS is not running on 127.0.0.1:4222 and could not be started")


def _count(url: str, sql: str) -> int:
    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        import sqlite3

        with sqlite3.connect(cfg["NAME"], timeout=30) as con:
            return con.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], dbname=cfg["NAME"]) as con:
        return con.execute(sql).fetchone()[0]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_server():
    if not _redis_up():
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--port", "6379", "--save", "",
                        "--appendonly", "no"], check=False)  # fmt: skip
        for _ in range(50):
            if _redis_up():
                break
            time.sleep(0.1)
    if not _redis_up():
        pytest.fail("Redis is not running on 127.0.0.1:6379 and could not be started")


# Each worker's job runner ticks as it starts, beside its first batch; both compile the rules. Once
# (issue 7) they compiled the new rule twice, and every batch after the first counted each reading
# twice (760 for 600): test_rule_state.py::test_an_event_is_counted_once_when_two_threads_load_a_new_rule_at_once.
@pytest.mark.parametrize("bus", ["nats", "redis"])
def test_a_worker_killed_mid_stream_loses_nothing_and_counts_nothing_twice(tmp_path, bus, request):
    request.getfixturevalue("nats_server" if bus == "nats" else "redis_server")
    stream = f"TEST_{uuid.uuid4().hex[:10].upper()}"
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp_path), DATABASE_URL=_database_url(tmp_path, f"worker_{bus}"),
               TOANCANH_EVENTS_BUS=bus, REDIS_URL="redis://127.0.0.1:6379/0", TOANCANH_EVENTS_STREAM=stream, TOANCANH_EVENTS_SUBJECT=f"test.{stream}", TOANCANH_EVENTS_ACK_WAIT="3", TOANCANH_EVENTS_LEASE_SECONDS="4")  # fmt: skip
    cli = [sys.executable, "-m", "toancanh.cli"]
    subprocess.run([*cli, "migrate"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([*cli, "units", "load", "--province", "48", "--edition", "current"], env=env, check=True,
                   capture_output=True, timeout=300)  # fmt: skip
    setup = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup();"
        "from toancanh.core.scoping import Scope; from toancanh.operations import services;"
        "services.save_rule(by=None, scope=Scope(everywhere=True), name='PM2.5', kind='threshold', unit='vn34-p48',"
        " sector_id='environment', params={'field': 'pm25', 'op': '>', 'value': 55.4})"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, capture_output=True, timeout=120)

    t0 = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
    events = [
        {"source": "aqi", "source_id": f"e{i}", "sector": "environment", "type": "air_quality", "subject": f"s{i % SUBJECTS}",
         "unit": "vn34-c20779", "occurred_at": (t0 + dt.timedelta(seconds=i)).isoformat(), "payload": {"pm25": 80 + i % 7}}
        for i in range(N_EVENTS)
    ]  # fmt: skip
    publish = (
        "import django, os, json, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup();"
        "from toancanh.operations import transport; rows = json.load(sys.stdin);"
        "print(transport.publish(rows))"
    )
    import json

    payload = json.dumps(events + events[:50])  # 50 sent twice, as a retrying sender would
    subprocess.run([sys.executable, "-c", publish], env=env, input=payload.encode(), check=True, capture_output=True,
                   timeout=120)  # fmt: skip

    first = subprocess.Popen(
        [*cli, "worker", "--batch", "40"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while _count(env["DATABASE_URL"], "SELECT COUNT(*) FROM operations_event") < N_EVENTS // 3:
        assert time.monotonic() < deadline, "the first worker handled nothing"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)  # mid-stream, without a chance to acknowledge
    first.wait(timeout=10)
    handled_before = _count(env["DATABASE_URL"], "SELECT COUNT(*) FROM operations_event")
    assert handled_before < N_EVENTS, "the first worker finished before it could be killed"

    second = subprocess.run([*cli, "worker", "--batch", "40", "--stop-after-idle", "8"], env=env, capture_output=True,
                            timeout=ACK_WAIT_LIMIT)  # fmt: skip
    assert second.returncode == 0, second.stderr.decode()[-2000:]

    url = env["DATABASE_URL"]
    assert _count(url, "SELECT COUNT(*) FROM operations_event") == N_EVENTS
    assert _count(url, "SELECT COUNT(DISTINCT source_id) FROM operations_event") == N_EVENTS
    assert _count(url, "SELECT COUNT(*) FROM operations_alert") == SUBJECTS
    assert _count(url, "SELECT SUM(count) FROM operations_alert") == N_EVENTS  # every event counted exactly once


ACK_WAIT_LIMIT = 120  # the killed worker's unacknowledged batch comes back after the ack wait (3 s here)
