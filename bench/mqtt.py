"""Benchmark: readings over MQTT — our subscriber against a bare subscriber on the same Mosquitto.

    python bench/mqtt.py [--quick] [--messages N] [--per-message N]

Builds its own database (SQLite in a temporary folder, or DATABASE_URL if set to PostgreSQL) with a
province and stations, and starts a Mosquitto of its own (a free port, no limit on queued messages:
the Debian default keeps 1,000 a session, which a backlog test would overflow). Both subscribers hold
persistent sessions (QoS 1, the same receive maximum); the readings are published once while both are
away, so each session has the same backlog queued, and each subscriber then drains it alone:

* **bare**: a paho client that counts the messages it receives (automatic acknowledgement, no parsing,
  no storing) — the broker's own rate to one subscriber;
* **ours**: ``toancanh.telemetry.mqtt.Subscription`` — parses, checks, stores (idempotent insert,
  quality flags, roll-ups, events), commits, then acknowledges.

Both with one reading a message (a logger's way) and with ``--per-message`` readings a message (a
gateway's). The last line is one JSON object with the figures and ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(folder: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o777)
    conf = folder / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 0\n"
                    "max_inflight_messages 0\n")  # fmt: skip
    proc = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return proc, port
        time.sleep(0.05)
    raise SystemExit("mosquitto did not start")


def bare_session(port: int, client_id: str, receive_maximum: int, on_message=None):
    from paho.mqtt import client as mqtt
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    c.on_message = on_message
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = 3600
    props.ReceiveMaximum = receive_maximum
    c.connect("127.0.0.1", port, clean_start=False, properties=props)
    return c


def main() -> None:  # noqa: PLR0915 - one linear script
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--messages", type=int, help="messages of one reading each")
    ap.add_argument("--per-message", type=int, default=100, help="readings a message in the gateway variant")
    ap.add_argument("--stations", type=int, default=200)
    args = ap.parse_args()
    n_messages = args.messages or (20_000 if args.quick else 100_000)

    tmp = Path(tempfile.mkdtemp(prefix="tc-bench-mqtt-"))
    os.environ.setdefault("TOANCANH_DATA_DIR", str(tmp))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from _telemetry_store import bench_province, empty_store

    from toancanh.telemetry.models import Sensor, Station
    from toancanh.telemetry.mqtt import MqttConfig, Subscription
    from toancanh.telemetry.publisher import publish_rows

    vendor = empty_store()
    unit = bench_province()
    codes = [f"ST{i:04d}" for i in range(args.stations)]
    stations = Station.objects.bulk_create(
        [Station(code=c, name=f"Trạm {c}", kind="river", lat=15.8, lon=108.2, unit=unit) for c in codes]
    )
    Sensor.objects.bulk_create([Sensor(station=s, quantity="water_level") for s in stations])
    broker, port = start_broker(tmp / "broker")
    receive_maximum = 1000
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def rows(n: int, offset_days: int) -> list[dict]:
        out = []
        for k in range(n):
            station = codes[k % len(codes)]
            t = start + dt.timedelta(days=offset_days, minutes=5 * (k // len(codes)))
            out.append({"station": station, "quantity": "water_level", "time": t.isoformat(), "value": 3.0 + (k % 7) / 10,
                        "unit": "m"})  # fmt: skip
        return out

    def run_variant(name: str, readings: list[dict], per_message: int) -> dict:
        prefix = f"bench/{name}"
        bare_id, ours_id = f"bare-{name}", f"ours-{name}"
        # Both sessions subscribe, then go away: the publication is queued for each.
        for cid in (bare_id, ours_id):
            c = bare_session(port, cid, receive_maximum)
            c.loop_start()
            c.subscribe(f"{prefix}/+/readings", qos=1)
            time.sleep(0.3)
            c.disconnect()
            c.loop_stop()
        # One station's readings together, as a gateway batches them.
        ordered = sorted(readings, key=lambda r: r["station"]) if per_message > 1 else readings
        sent = publish_rows(ordered, port=port, prefix=prefix, per_message=per_message, timeout=600)
        assert sent["acknowledged_readings"] == len(readings), sent
        n_msgs = sent["messages"]

        got = {"n": 0, "first": 0.0, "last": 0.0}
        done = threading.Event()

        def on_message(_c, _u, _m):
            now = time.perf_counter()
            if got["n"] == 0:
                got["first"] = now
            got["n"] += 1
            got["last"] = now
            if got["n"] >= n_msgs:
                done.set()

        t0 = time.perf_counter()
        c = bare_session(port, bare_id, receive_maximum, on_message)
        c.loop_start()
        done.wait(600)
        bare_s = time.perf_counter() - t0
        c.disconnect()
        c.loop_stop()
        assert got["n"] >= n_msgs, got

        config = MqttConfig(port=port, prefix=prefix, client_id=ours_id, receive_maximum=receive_maximum)
        sub = Subscription(config, source=f"bench-{name}")
        runner = threading.Thread(target=sub.run)
        cpu0 = time.process_time()
        t0 = time.perf_counter()
        runner.start()
        deadline = time.monotonic() + 1800
        while (
            sub.stats["accepted"] + sub.stats["duplicates"] + sub.stats["refused"] < len(readings)
            and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        ours_s = time.perf_counter() - t0
        ours_cpu = time.process_time() - cpu0
        sub.stop()
        runner.join()
        stored = sub.stats["accepted"]
        assert stored == len(readings) and sub.stats["refused"] == 0, dict(sub.stats)
        return {
            "messages": n_msgs, "readings": len(readings),
            "bare_messages_per_s": round(n_msgs / bare_s), "ours_messages_per_s": round(n_msgs / ours_s),
            "ours_readings_per_s": round(len(readings) / ours_s), "ours_readings_per_cpu_s": round(len(readings) / ours_cpu),
            "ratio_vs_bare": round(bare_s / ours_s, 3), "batches": sub.stats["batches"],
        }  # fmt: skip

    try:
        one = run_variant("one", rows(n_messages, 0), 1)
        many = run_variant("many", rows(n_messages * 2, 200), args.per_message)
    finally:
        broker.terminate()
        broker.wait()
    print(f"{vendor}: one reading a message: {one['messages']:,} messages; bare subscriber "
          f"{one['bare_messages_per_s']:,}/s, ours {one['ours_messages_per_s']:,}/s stored and acknowledged "
          f"(ratio {one['ratio_vs_bare']:.2f})")  # fmt: skip
    print(f"{vendor}: {args.per_message} readings a message: {many['messages']:,} messages; bare "
          f"{many['bare_messages_per_s']:,} msg/s, ours {many['ours_messages_per_s']:,} msg/s = "
          f"{many['ours_readings_per_s']:,} readings/s (ratio {many['ratio_vs_bare']:.2f})")  # fmt: skip
    print(json.dumps({
        "bench": "mqtt", "database": vendor, "one_per_message": one, "many_per_message": many,
        "per_message": args.per_message, "ratio_vs_bare": one["ratio_vs_bare"],
        "messages_per_s": one["ours_messages_per_s"], "baseline_messages_per_s": one["bare_messages_per_s"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
