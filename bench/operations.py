"""Benchmark: rule evaluation and live fan-out.

    python bench/operations.py [--quick]

1. Rule evaluation: 200 active rules of every kind, events from many stations, vessels and
   communes; the engine's decisions per second, and the whole path (store the events, decide,
   write the alerts) per second — in one process, in batches of ``BATCH`` events as the API's
   batch form takes them, and through NATS JetStream with two worker processes — against the raw
   throughput of the message bus measured in the same run (the same events published to and
   consumed from NATS JetStream on this machine; the in-process bus when NATS is not there).
   The machine is shared: each rate is also given per CPU-second the path itself used (the
   process's own CPU time; the workers' and the publisher's), with the load average, so that a
   busy machine's figures can be told from a slow path's.
2. Fan-out: 500 operations screens connected by Server-Sent Events to a real server; events
   sent through the API; the delay until each screen has it (p99).

The last line is one JSON object with the figures and ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup_django(tmp: str) -> None:
    os.environ["TOANCANH_DATA_DIR"] = tmp
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_rules(n_rules: int) -> None:
    """200 rules as a province would have them: most watch one commune's stations, some the whole
    province (vessels, citizen reports, the air everywhere)."""
    from toancanh.core.scoping import Scope
    from toancanh.operations import services
    from toancanh.units import official
    from toancanh.units import services as unit_services
    from toancanh.units.models import Unit

    unit_services.upsert_units(official.current_units({"48"}), by=None)
    communes = list(
        Unit.objects.filter(level="commune", key__startswith="vn34").order_by("key").values_list("key", flat=True)
    )
    everywhere = Scope(everywhere=True)
    square = {
        "type": "Polygon",
        "coordinates": [[[108.0, 15.5], [108.3, 15.5], [108.3, 15.8], [108.0, 15.8], [108.0, 15.5]]],
    }
    kinds = (
        [
            (
                "threshold",
                {"field": "pm25", "op": ">", "value": 55.4},
                "environment",
                "air",
                communes[i % len(communes)],
            )
            for i in range(80)
        ]
        + [
            (
                "threshold",
                {"field": "level_m", "op": ">=", "value": 3.0},
                "environment",
                "water",
                communes[i % len(communes)],
            )
            for i in range(40)
        ]
        + [
            (
                "rate_of_change",
                {"field": "level_m", "change": 0.5, "within_seconds": 3600},
                "environment",
                "water",
                communes[i % len(communes)],
            )
            for i in range(30)
        ]
        + [
            (
                "anomaly",
                {"field": "pm25", "z": 6, "min_history": 20},
                "environment",
                "air",
                communes[(i * 7) % len(communes)],
            )
            for i in range(20)
        ]
        + [("threshold", {"field": "pm25", "op": ">", "value": 150.4}, "environment", "air", "vn34-p48")] * 5
        + [("geofence", {"area": square, "mode": "enter"}, "fisheries", "vessel", "vn34-p48")] * 10
        + [
            (
                "count",
                {"window_seconds": 86400, "more_than": 50, "group_by": "unit_and_category"},
                "feedback",
                "report",
                "vn34-p48",
            )
        ]
        * 15
    )[:n_rules]
    for i, (kind, params, sector, etype, unit) in enumerate(kinds):
        services.save_rule(by=None, scope=everywhere, name=f"rule {i}", kind=kind, unit=unit, sector_id=sector,
                           event_type=etype, params=params, severity="Moderate")  # fmt: skip


def make_events(n: int, communes: list[tuple[int, str, str]]) -> list[dict]:
    rng = random.Random(7)
    t0 = dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    out = []
    for i in range(n):
        pk, key, path = communes[i % len(communes)]
        at = (t0 + dt.timedelta(milliseconds=50 * i)).isoformat()
        r = i % 10
        if r < 5:
            row = {
                "sector": "environment",
                "type": "air",
                "subject": f"aq-{i % 40}",
                "payload": {"pm25": rng.gauss(35, 15)},
            }
        elif r < 7:
            row = {
                "sector": "environment",
                "type": "water",
                "subject": f"wl-{i % 20}",
                "payload": {"level_m": rng.gauss(2, 0.4)},
            }
        elif r < 9:
            row = {
                "sector": "fisheries",
                "type": "vessel",
                "subject": f"mmsi-{i % 300}",
                "lat": 15.3 + rng.random() * 0.8,
                "lon": 107.9 + rng.random() * 0.6,
                "payload": {},
            }
        else:
            row = {"sector": "feedback", "type": "report", "subject": f"r{i}", "payload": {"category": f"c{i % 8}"}}
        out.append(
            {"source": "bench", "source_id": f"b{i}", "unit": key, "occurred_at": at, **row, "_unit": (pk, path)}
        )
    return out


def views(rows):
    from toancanh.operations.rules import EventView

    return [EventView(i, r["type"], r["sector"], r["subject"], r["_unit"][1], r["_unit"][0], r.get("lat"), r.get("lon"),
                      dt.datetime.fromisoformat(r["occurred_at"]), r["payload"]) for i, r in enumerate(rows)]  # fmt: skip


async def nats_throughput(rows: list[dict]) -> float | None:
    """Events per second through JetStream: publish all, then consume and acknowledge all."""
    try:
        import nats
        from nats.js.api import StreamConfig
    except ImportError:
        return None
    try:
        nc = await nats.connect("nats://127.0.0.1:4222", connect_timeout=2)
    except Exception:  # noqa: BLE001 - no broker here: the in-process figure stands in
        return None
    js = nc.jetstream()
    stream = f"BENCH_{int(time.time())}"
    await js.add_stream(StreamConfig(name=stream, subjects=[f"bench.{stream}"]))
    payloads = [json.dumps({k: v for k, v in r.items() if k != "_unit"}).encode() for r in rows]
    t = time.perf_counter()
    for i in range(0, len(payloads), 1000):
        await asyncio.gather(*(js.publish(f"bench.{stream}", p) for p in payloads[i : i + 1000]))
    sub = await js.pull_subscribe(f"bench.{stream}", durable="bench", stream=stream)
    got = 0
    while got < len(payloads):
        msgs = await sub.fetch(1000, timeout=5)
        for m in msgs:
            await m.ack()
        got += len(msgs)
    seconds = time.perf_counter() - t
    await js.delete_stream(stream)
    await nc.close()
    return len(payloads) / seconds


def in_process_bus_throughput(rows: list[dict]) -> float:
    from toancanh.core import bus

    seen = []
    unsubscribe = bus.subscribe(seen.append)
    t = time.perf_counter()
    for r in rows:
        bus.deliver({"type": "event.received", "id": r["source_id"]})
    seconds = time.perf_counter() - t
    unsubscribe()
    return len(rows) / seconds


# --- fan-out ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def screen(
    port: int, cookie: str, received: dict[str, list[float]], ready: asyncio.Event, counter: list[int], n: int, tag: str
):
    """One live screen: every ``event.received`` of this run's own event types, with when it arrived."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /ops/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    await reader.readuntil(b"\r\n\r\n")
    counter[0] += 1
    if counter[0] == n:
        ready.set()
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            if line.startswith(b"data: "):
                data = json.loads(line[6:])
                if data.get("type") == "event.received" and str(data.get("event_type", "")).startswith(tag):
                    received.setdefault(data["event_type"], []).append(time.perf_counter())
    except (asyncio.CancelledError, ConnectionError):
        pass
    finally:
        writer.close()


async def fan_out(port: int, cookie: str, key: str, n_screens: int, n_events: int) -> tuple[list[float], int, int]:
    """Events sent one by one to a real server while ``n_screens`` live screens listen: the delay from
    each send to each screen's receipt, the deliveries counted, and how many a screen got twice.
    Each event has its own type (``fanout<run>_<i>``), so a receipt is matched to its send exactly,
    whatever else the server streams."""
    tag = f"fanout{int(time.time())}_"
    received: dict[str, list[float]] = {}
    ready, counter = asyncio.Event(), [0]
    tasks = [
        asyncio.create_task(screen(port, cookie, received, ready, counter, n_screens, tag)) for _ in range(n_screens)
    ]
    await asyncio.wait_for(ready.wait(), timeout=60)
    await asyncio.sleep(0.5)
    sent: dict[str, float] = {}
    loop = asyncio.get_running_loop()
    for i in range(n_events):
        etype = f"{tag}{i}"
        body = json.dumps({"events": [{"source": "fanout", "source_id": etype, "sector": "environment",
                                       "type": etype, "subject": "s", "unit": "vn34-c20779",
                                       "occurred_at": dt.datetime.now(dt.UTC).isoformat(), "payload": {"pm25": 10}}]}).encode()  # fmt: skip

        def post(body=body):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/events", data=body, method="POST",  # noqa: S310
                                         headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})  # fmt: skip
            t = time.perf_counter()
            with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - our own server on loopback
                r.read()
            return t

        sent[etype] = await loop.run_in_executor(None, post)
        await asyncio.sleep(0.3)
    await asyncio.sleep(2)
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    delays = [(t - sent[etype]) * 1000 for etype, times in received.items() for t in times]
    twice = sum(max(0, len(times) - n_screens) for times in received.values())
    return delays, sum(len(v) for v in received.values()), twice


PUBLISH = (
    "import django, json, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup();"
    "from toancanh.operations import transport; print(transport.publish(json.load(sys.stdin)))"
)


def _stored(source: str) -> int:
    from toancanh.operations.models import Event

    return Event.objects.filter(source=source).count()


BATCH = 5000  # events a batch of the API (which takes up to 50,000) or of a worker


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a live process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def workers_rate(path_rows: list[dict], n_workers: int) -> tuple[float, float] | None:
    """The whole path through NATS JetStream with ``n_workers`` worker processes: events published to
    their partitions, taken by the workers, stored, decided, alerts written — events per second from
    the first publish to the last event stored, and per CPU-second the workers and the publisher used."""
    try:
        socket.create_connection(("127.0.0.1", 4222), timeout=1).close()
    except OSError:
        return None
    from django.conf import settings

    stream = f"BENCHW_{os.getpid()}_{int(time.time())}"
    env = dict(os.environ, TOANCANH_EVENTS_BUS="nats", TOANCANH_EVENTS_STREAM=stream, TOANCANH_EVENTS_SUBJECT=f"bench.{stream}",
               TOANCANH_EVENTS_LEASE_SECONDS="3", DATABASE_URL=os.environ["DATABASE_URL"],
               TOANCANH_DATA_DIR=str(settings.DATA_DIR))  # fmt: skip
    rows = [dict(r, source=f"w{n_workers}", source_id=f"w{i}") for i, r in enumerate(path_rows)]
    cli = [sys.executable, "-m", "toancanh.cli"]
    workers = [subprocess.Popen([*cli, "worker", "--batch", str(BATCH // 4)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(n_workers)]  # fmt: skip
    try:
        time.sleep(8)  # started, and the partitions shared out
        cpu0 = sum(cpu_seconds(w.pid) for w in workers)
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", PUBLISH], env=env, input=json.dumps(rows).encode(),
                              capture_output=True, timeout=600)  # fmt: skip
        if done.returncode:
            raise SystemExit(f"publishing to the bus failed: {done.stderr.decode()[-2000:]}")
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        publisher_cpu = children.ru_utime + children.ru_stime - children0.ru_utime - children0.ru_stime
        while _stored(f"w{n_workers}") < len(rows):
            if time.perf_counter() - t > 600:
                return None
            time.sleep(0.05)
        seconds = time.perf_counter() - t
        cpu = sum(cpu_seconds(w.pid) for w in workers) - cpu0 + publisher_cpu
        return len(rows) / seconds, len(rows) / cpu
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(timeout=30)


def fresh_postgres_database() -> str | None:
    """With DATABASE_URL on PostgreSQL, a database of the bench's own (dropped at the end)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"bench_ops_{os.getpid()}"
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as con:  # fmt: skip
        con.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
    return name


def drop_postgres_database(name: str) -> None:
    import dj_database_url
    import psycopg
    from django.db import connections

    connections.close_all()
    cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"], password=cfg["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as con:  # fmt: skip
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n_events = 20_000 if args.quick else 200_000
    n_rules = 200
    n_screens = 100 if args.quick else 500
    n_fan = 10 if args.quick else 30

    tmp = tempfile.mkdtemp(prefix="tc-bench-ops-")
    pg_database = fresh_postgres_database()
    setup_django(tmp)
    from toancanh.operations import engine, services
    from toancanh.units.models import Unit

    make_rules(n_rules)
    communes = [(u.pk, u.key, u.path) for u in Unit.objects.filter(level="commune", key__startswith="vn34")]
    rows = make_events(n_events, communes)
    ev = views(rows)

    load_before = os.getloadavg()
    engine.reset()
    eng = engine.engine()
    from django.db import transaction

    t, c = time.perf_counter(), time.thread_time()
    signals = []
    for i in range(0, len(ev), BATCH):
        with transaction.atomic():  # as on the path: rule states read and written per batch
            signals += eng.process(ev[i : i + BATCH])
    decide_s, decide_cpu = time.perf_counter() - t, time.thread_time() - c
    decide_rate = len(ev) / decide_s

    from django.db import connection

    with connection.cursor() as cur:  # the whole path starts from no state, as the decisions did
        cur.execute("DELETE FROM operations_rulestate")
    engine.reset()
    path_rows = [{k: v for k, v in r.items() if k != "_unit"} for r in rows[: min(len(rows), 20_000)]]
    from toancanh.core.scoping import Scope

    t, c = time.perf_counter(), time.thread_time()
    for i in range(0, len(path_rows), BATCH):
        services.ingest_events(path_rows[i : i + BATCH], by=None, scope=Scope(everywhere=True))
    full_s, full_cpu = time.perf_counter() - t, time.thread_time() - c
    full_rate = len(path_rows) / full_s
    print(f"one process: {full_rate:.0f} events/s ({len(path_rows) / full_cpu:.0f} per CPU-second)", file=sys.stderr)

    nats_rate = asyncio.run(nats_throughput(rows[:50_000]))
    bus_rate = nats_rate or in_process_bus_throughput(rows)
    print(f"bus: {bus_rate:.0f} events/s", file=sys.stderr)
    two = workers_rate(path_rows, 2)
    two_workers_rate, two_workers_cpu_rate = two if two else (None, None)
    print(f"NATS + two workers: {two_workers_rate} events/s ({two_workers_cpu_rate} per CPU-second)", file=sys.stderr)
    load_after = os.getloadavg()

    # Fan-out to live screens through a real server.
    from django.contrib.sessions.backends.db import SessionStore

    from toancanh.accounts.services import create_api_key
    from toancanh.accounts.tests.factories import StaffFactory

    user = StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48"))
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    _k, key = create_api_key(by=None, scope=Scope(everywhere=True), name="bench", role="operator", unit="vn34-p48")
    from toancanh.operations.models import AlertRule

    AlertRule.objects.all().delete()
    port = free_port()
    # The server's default: one web process per core; the live bus carries events across them.
    server = subprocess.Popen([sys.executable, "-m", "toancanh.cli", "serve", "--port", str(port)],
                              env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(600):  # up to two minutes: a loaded machine starts the server slowly
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        delays, delivered, twice = asyncio.run(fan_out(port, session.session_key, key, n_screens, n_fan))
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a loaded machine: the figures above still stand
            server.kill()
            server.wait(timeout=10)

    result = {
        "bench": "operations",
        "rules": n_rules,
        "events": len(ev),
        "signals": len(signals),
        "batch": BATCH,
        "decide_events_per_s": round(decide_rate),
        "decide_events_per_cpu_s": round(len(ev) / decide_cpu),
        "full_path_events_per_s": round(full_rate),
        "full_path_events_per_cpu_s": round(len(path_rows) / full_cpu),
        "bus": "nats-jetstream" if nats_rate else "in-process",
        "bus_events_per_s": round(bus_rate),
        "ratio_decide_vs_bus": round(decide_rate / bus_rate, 2),
        "ratio_full_path_vs_bus": round(full_rate / bus_rate, 3),
        "nats_two_workers_events_per_s": round(two_workers_rate) if two_workers_rate else None,
        "nats_two_workers_events_per_cpu_s": round(two_workers_cpu_rate) if two_workers_cpu_rate else None,
        "ratio_two_workers_vs_bus": round(two_workers_rate / bus_rate, 3) if two_workers_rate else None,
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "database": "postgresql" if pg_database else "sqlite",
        "screens": n_screens,
        "fanout_events": n_fan,
        "fanout_deliveries": delivered,
        "fanout_expected": n_screens * n_fan,
        "fanout_duplicates": twice,
        "fanout_p50_ms": round(float(np.percentile(delays, 50)), 1) if delays else None,
        "fanout_p99_ms": round(float(np.percentile(delays, 99)), 1) if delays else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if pg_database:
        drop_postgres_database(pg_database)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
