"""Readings over MQTT, against real Mosquitto brokers and a subscriber in a process of its own
(``toancanh telemetry mqtt``), on a database of its own: good readings stored, bad ones refused with
their reasons and counted, one station's flood capped, and — across a broker restart and a subscriber
killed mid-stream — every reading the broker acknowledged stored exactly once.

The restart test runs a Mosquitto of its own (a free port, persistence in the test's folder), so the
machine's shared broker is never stopped; the first test uses the shared one, started if it is down."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from toancanh.telemetry.publisher import publish_rows
from toancanh.tests.browser import _database_url

pytestmark = pytest.mark.skipif(shutil.which("mosquitto") is None, reason="Mosquitto is not installed")

SETUP = "import django, os, json, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup();"
STATIONS = ("AINGHIA", "GIAOTHUY", "CAULAU")
VN = dt.timezone(dt.timedelta(hours=7))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_port(port: int, up: bool = True, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while _listening(port) != up:
        assert time.monotonic() < deadline, f"port {port} never went {'up' if up else 'down'}"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def shared_broker():
    if not _listening(1883):
        subprocess.run(["mosquitto", "-d", "-c", "/etc/mosquitto/mosquitto.conf"], check=True)
        _wait_port(1883)
    return 1883


class Broker:
    """A Mosquitto of the test's own, with persistence, that the test may stop and start again."""

    def __init__(self, folder: Path):
        self.port = _free_port()
        folder.mkdir(parents=True, exist_ok=True)
        self.conf = folder / "mosquitto.conf"
        self.conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence true\n"
            f"persistence_location {folder}/\nmax_queued_messages 0\nmax_inflight_messages 0\n"
            f"user {getpass.getuser()}\n"  # not Mosquitto's own user, which cannot write in the test's folder
        )
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(["mosquitto", "-c", str(self.conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)  # fmt: skip
        _wait_port(self.port)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)  # Mosquitto writes its persistence file on the way out
            self.proc.wait(timeout=15)
            self.proc = None
        _wait_port(self.port, up=False)


def _py(env: dict, code: str, timeout: float = 120) -> str:
    done = subprocess.run([sys.executable, "-c", SETUP + code], env=env, capture_output=True, timeout=timeout)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout.decode()


def _cli(env: dict, *args: str, timeout: float = 300) -> str:
    done = subprocess.run([sys.executable, "-m", "toancanh.cli", *args], env=env, capture_output=True,
                          timeout=timeout)  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout.decode()


@pytest.fixture
def env(tmp_path):
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp_path), DATABASE_URL=_database_url(tmp_path, "mqtt"))
    _cli(env, "migrate")
    _py(
        env,
        f"""
from toancanh.units.models import Unit
from toancanh.telemetry.models import Sensor, Station
u = Unit.objects.create(key='t-p1', edition='2025', code='99', level='province', type='province', name='Tỉnh thử',
                        short_name='Thử', path='/t-p1/')
for code in {list(STATIONS)!r}:
    s = Station.objects.create(code=code, name='Trạm ' + code, kind='river', lat=15.8, lon=108.2, unit=u)
    Sensor.objects.create(station=s, quantity='water_level')
""",
    )
    return env


def _source(env: dict, name: str, port: int, **config) -> None:
    cfg = {"port": port, "flush_ms": 50, **config}
    _cli(env, "connector", "add", name, "telemetry.mqtt", "--config", json.dumps(cfg))


def _subscriber(env: dict, source: str, idle_exit: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "toancanh.cli", "telemetry", "mqtt", "--source", source, "--idle-exit", str(idle_exit)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def _wait_subscribed(proc: subprocess.Popen, port: int, client_id: str) -> None:
    """Until the subscriber's session holds its subscription: a retained-free probe on the broker is
    not possible, so wait for the 'subscribed' line and give the network thread a moment."""
    line = proc.stdout.readline().decode()
    assert "subscribed" in line, (line, proc.stderr.read().decode()[-2000:] if proc.poll() is not None else "")
    time.sleep(1.0)


def _stored(env: dict) -> dict:
    return json.loads(
        _py(
            env,
            """
from toancanh.telemetry.models import Reading, RefusalCount
from toancanh.core.models import ConnectorInstance
print(json.dumps({
  'readings': Reading.objects.count(),
  'keys': sorted(f"{r.sensor.station.code}:{r.t}" for r in Reading.objects.select_related('sensor__station')),
  'refusals': sorted([r.station, r.reason, r.count] for r in RefusalCount.objects.all()),
  'health': {c.name: [c.accepted_total, c.refused_total] for c in ConnectorInstance.objects.all()},
}))""",
        )
    )


def _level(station: str, minute: int, value: float = 3.5) -> dict:
    at = dt.datetime(2026, 10, 12, 7, 0, tzinfo=VN) + dt.timedelta(minutes=minute)
    return {"station": station, "quantity": "water_level", "time": at.isoformat(), "value": value, "unit": "m"}


def test_readings_over_mqtt_are_stored_and_bad_payloads_refused_with_reasons(env, shared_broker):
    from paho.mqtt import client as mqtt

    prefix = f"tc-test/{os.getpid()}-{time.time_ns()}"
    _source(env, "mqtt-test", shared_broker, prefix=prefix, station_cap_per_minute=10,
            client_id=f"tc-test-{time.time_ns()}")  # fmt: skip
    sub = _subscriber(env, "mqtt-test", idle_exit=4)
    try:
        _wait_subscribed(sub, shared_broker, "")
        good = [_level("AINGHIA", m) for m in range(5)] + [_level("GIAOTHUY", m) for m in range(3)]
        done = publish_rows(good, port=shared_broker, prefix=prefix)
        assert done["acknowledged_readings"] == 8
        flood = [_level("CAULAU", m) for m in range(12)]  # one message of 12: over the cap of 10 a minute
        publish_rows(flood, port=shared_broker, prefix=prefix, per_message=12)
        raw = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        raw.connect("127.0.0.1", shared_broker)
        raw.loop_start()
        future = (dt.datetime.now(VN) + dt.timedelta(hours=2)).isoformat()
        bad = [
            ("AINGHIA", b"{not json"),
            ("AINGHIA", json.dumps({"station": "GIAOTHUY", "quantity": "water_level", "time": future, "value": 1})),
            ("NOWHERE", json.dumps({"quantity": "water_level", "time": "2026-10-12T07:00:00+07:00", "value": 1})),
            ("GIAOTHUY", json.dumps({"quantity": "water_level", "time": "2026-10-12T09:00:00+07:00", "value": 1,
                                     "unit": "cm"})),
            ("GIAOTHUY", json.dumps({"quantity": "water_level", "time": future, "value": 1})),
        ]  # fmt: skip
        for station, payload in bad:
            raw.publish(f"{prefix}/{station}/readings", payload, qos=1).wait_for_publish(10)
        raw.disconnect()
        raw.loop_stop()
        out, err = sub.communicate(timeout=60)
        assert sub.returncode == 0, err.decode()[-3000:]
    finally:
        if sub.poll() is None:
            sub.kill()
    seen = _stored(env)
    assert seen["readings"] == 8 + 10
    assert seen["refusals"] == sorted([
        ["AINGHIA", "malformed", 2], ["NOWHERE", "unknown_station", 1], ["GIAOTHUY", "wrong_unit", 1],
        ["GIAOTHUY", "future", 1], ["CAULAU", "rate_limited", 2],
    ])  # fmt: skip
    assert seen["health"]["mqtt-test"] == [18, 7]


def _publish_in_thread(rows, port, prefix, result: dict) -> threading.Thread:
    def go():
        result.update(publish_rows(rows, port=port, prefix=prefix, timeout=90, client_id=f"tc-pub-{time.time_ns()}"))

    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t


def test_a_broker_restart_and_a_killed_subscriber_lose_nothing_acknowledged(env, tmp_path):
    broker = Broker(tmp_path / "broker")
    broker.start()
    prefix = "tc-restart"
    _source(env, "mqtt-restart", broker.port, prefix=prefix, client_id="tc-restart-subscriber")
    n = 300  # per station; 900 readings paced over ~9 s
    rows = [(m * 0.03, _level(s, m, 3 + m / 1000)) for m in range(n) for s in STATIONS]
    rows.sort(key=lambda p: p[0])
    published: dict = {}
    sub = _subscriber(env, "mqtt-restart", idle_exit=8)
    try:
        _wait_subscribed(sub, broker.port, "tc-restart-subscriber")
        pub = _publish_in_thread(rows, broker.port, prefix, published)
        time.sleep(2.5)
        broker.stop()  # the broker goes away mid-stream …
        time.sleep(1.0)
        broker.start()  # … and comes back: publisher and subscriber reconnect by themselves
        time.sleep(2.0)
        sub.send_signal(signal.SIGKILL)  # the subscriber dies mid-stream, whatever it had not committed
        sub.wait(timeout=10)
        sub = _subscriber(env, "mqtt-restart", idle_exit=6)  # same session: the broker sends the rest
        pub.join(timeout=150)
        out, err = sub.communicate(timeout=120)
        assert sub.returncode == 0, err.decode()[-3000:]
    finally:
        if sub.poll() is None:
            sub.kill()
        broker.stop()
    assert published["acknowledged_readings"] == published["readings"] == 3 * n, published
    assert published["unrouted_messages"] == 0, published  # the subscriber's session outlived the restart
    seen = _stored(env)
    expected = sorted(f"{r['station']}:{int(dt.datetime.fromisoformat(r['time']).timestamp())}" for _t, r in rows)
    assert seen["keys"] == expected, (published, sorted(set(expected) - set(seen["keys"])))  # each once
    assert seen["refusals"] == []
