"""Benchmark: background work out of the request, and several web processes.

    python bench/jobs.py [--quick]

Builds its own database (SQLite in a temporary folder; with DATABASE_URL naming PostgreSQL, a
fresh database beside it): a synthetic province and its communes, monthly indicators. Starts a
real server (``toancanh serve``) and a real job runner (``toancanh worker``) and measures, from
this process and a second one on loopback:

1. freshness: a figure accepted by ``POST /api/v1/indicators/values`` → the province total in the
   roll-ups updated by the running worker (p50, p95, max over several figures);
2. ``POST /api/v1/events`` latency (p50, p99) while the worker rolls up a large import (1 million
   figures; ``--quick``: 12 thousand), against the same load with nothing in the background and
   against the old way measured in the same run (the whole roll-up in one write transaction,
   as the request did before);
3. throughput and p95 of ``serve`` for 200 concurrent keep-alive clients on a light page
   (``/api/v1/sectors``) with the default worker count (one per core) and with ``--workers 1``.

The last line is one JSON object with the figures and ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
PROVINCE = "bench-p99"


def pct(samples: list[float], q: float) -> float | None:
    return round(float(np.percentile(samples, q)), 1) if samples else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(tmp: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp}/bench.sqlite3"
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(url)
    name = f"{cfg['NAME']}_benchjobs"
    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                         password=cfg["PASSWORD"] or None, dbname="postgres", autocommit=True) as con:  # fmt: skip
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def setup(tmp: str, n_units: int, n_ind: int) -> str:
    os.environ["TOANCANH_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = database_url(tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from toancanh.accounts.services import create_api_key
    from toancanh.core.scoping import Scope
    from toancanh.indicators import services
    from toancanh.units import services as unit_services
    from toancanh.units.official import UnitRow

    call_command("migrate", verbosity=0)
    rows = [UnitRow(PROVINCE, "bench", "99", "province", "tinh", "Tỉnh Thử nghiệm", "Thử nghiệm", None)]
    rows += [UnitRow(f"bench-c{i:05d}", "bench", f"{i:05d}", "commune", "xa", f"Xã Thử nghiệm {i}",
                     f"Thử nghiệm {i}", PROVINCE) for i in range(1, n_units + 1)]  # fmt: skip
    unit_services.upsert_units(rows, by=None)
    for i in range(n_ind):
        services.define_indicator(
            by=None, code=f"I{i:04d}", name_vi=f"Chỉ tiêu {i}", name_en=f"Indicator {i}", measure="tỷ đồng",
            sector="economy", period_type="month", unit_aggregation="sum", time_aggregation="sum", decimals=2,
        )  # fmt: skip
    _k, key = create_api_key(by=None, scope=Scope(everywhere=True), name=f"bench-{uuid.uuid4().hex[:6]}",
                             role="admin", unit=PROVINCE)  # fmt: skip
    return key


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "toancanh.cli", *args], env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_up(port: int) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/sectors", timeout=2).read()  # noqa: S310
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def post(port: int, path: str, key: str, body: dict) -> tuple[float, dict]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})  # fmt: skip
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310 - our own server
        answer = json.loads(r.read())
    return (time.perf_counter() - t) * 1000, answer


def province_total(indicator: str, period: str) -> float | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT r.value FROM indicators_rollupvalue r JOIN indicators_indicator i ON i.id = r.indicator_id "
            "JOIN units_unit u ON u.id = r.unit_id WHERE i.code = %s AND u.key = %s AND r.period = %s",
            [indicator, PROVINCE, period],
        )
        row = cur.fetchone()
    return None if row is None or row[0] is None else float(row[0])


def freshness(port: int, key: str, samples: int) -> list[float]:
    """Seconds from a figure accepted to the province total that includes it."""
    out = []
    for k in range(samples):
        value = 1000 + k
        period = f"2040-{k % 12 + 1:02d}"
        body = {"values": [{"indicator": "I0000", "unit": "bench-c00001", "period": period, "value": value}]}
        _ms, answer = post(port, "/api/v1/indicators/values", key, body)
        accepted = time.perf_counter()
        assert answer["recompute"]["status"] == "queued", answer
        while province_total("I0000", period) != value:
            if time.perf_counter() - accepted > 120:
                raise RuntimeError("the province total was not updated within 2 minutes")
            time.sleep(0.005)
        out.append(time.perf_counter() - accepted)
        time.sleep(0.3)
    return out


class EventLoad:
    """A few clients sending one event at a time, as stations and integrations do."""

    def __init__(self, port: int, key: str, clients: int = 4, pause: float = 0.05):
        self.port, self.key, self.clients, self.pause = port, key, clients, pause
        self.latencies: list[float] = []
        self.errors = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(clients)]

    def _run(self, n: int) -> None:
        seq = 0
        while not self.stop.is_set():
            seq += 1
            event = {"source": "bench", "source_id": f"{n}-{seq}-{uuid.uuid4().hex[:8]}", "sector": "environment",
                     "type": "reading", "subject": f"s{n}", "unit": "bench-c00002",
                     "occurred_at": "2026-11-21T08:00:00+07:00", "payload": {"pm25": 12}}  # fmt: skip
            try:
                ms, answer = post(self.port, "/api/v1/events", self.key, {"events": [event]})
                if answer.get("stored") != 1:
                    self.errors += 1
                self.latencies.append(ms)
            except OSError:
                self.errors += 1
            self.stop.wait(self.pause)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=130)


def import_figures(n_ind: int, n_units: int, months: int) -> tuple[int, float]:
    from toancanh.core.scoping import Scope
    from toancanh.indicators import services
    from toancanh.indicators.services import ValueRow

    rng = np.random.default_rng(7)
    t = time.perf_counter()
    stored = 0
    for m in range(months):
        period = f"{2030 + m // 12}-{m % 12 + 1:02d}"
        vals = np.round(rng.gamma(4.0, 25.0, size=(n_ind, n_units)), 2)
        rows = [ValueRow(f"I{i:04d}", f"bench-c{u + 1:05d}", period, float(vals[i, u]), status="official")
                for i in range(n_ind) for u in range(n_units)]  # fmt: skip
        stored += services.record_values(rows, by=None, scope=Scope(everywhere=True), source="bench").stored
    return stored, time.perf_counter() - t


def rollup_window_done() -> bool:
    from toancanh.indicators.models import DirtySlice

    return not DirtySlice.objects.exists()


# --- the load client for the throughput test (a second process) -------------------------------


async def _client(port: int, until: float, out: list[float], errors: list[int]) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        errors[0] += 1
        return
    request = f"GET /api/v1/sectors HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    try:
        while time.perf_counter() < until:
            t = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length"))
            await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                errors[0] += 1
            out.append((time.perf_counter() - t) * 1000)
    except (OSError, asyncio.IncompleteReadError, StopIteration):
        errors[0] += 1
    finally:
        writer.close()


def load_client(port: int, clients: int, seconds: float, queue) -> None:
    async def run():
        out: list[float] = []
        errors = [0]
        until = time.perf_counter() + seconds
        await asyncio.gather(*(_client(port, until, out, errors) for _ in range(clients)))
        return out, errors[0]

    out, errors = asyncio.run(run())
    queue.put({"requests": len(out), "rps": round(len(out) / seconds, 1), "p50_ms": pct(out, 50),
               "p95_ms": pct(out, 95), "errors": errors})  # fmt: skip


def throughput(workers: int | None, clients: int, seconds: float) -> dict:
    port = free_port()
    server = start(["serve", "--port", str(port)] + (["--workers", str(workers)] if workers else []))
    try:
        wait_up(port)
        time.sleep(1.0)  # every worker process up
        queue = multiprocessing.get_context("spawn").Queue()
        p = multiprocessing.get_context("spawn").Process(target=load_client, args=(port, clients, seconds, queue))
        p.start()
        result = queue.get(timeout=seconds + 120)
        p.join(timeout=30)
        return result
    finally:
        stop(server)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="a small import; finishes in under a minute")
    args = ap.parse_args()
    # 100 indicators × 250 communes × 40 months = 1 million figures; quick: 10 × 50 × 24 = 12 thousand.
    n_ind, n_units, months = (10, 50, 24) if args.quick else (100, 250, 40)
    fresh_samples = 3 if args.quick else 20
    load_seconds = 2 if args.quick else 10
    tmp = tempfile.mkdtemp(prefix="tc-bench-jobs-")
    key = setup(tmp, n_units, n_ind)
    from django.db import close_old_connections

    from toancanh.indicators import rollup
    from toancanh.indicators.models import DirtySlice

    result: dict = {"bench": "jobs", "database": os.environ["DATABASE_URL"].split(":")[0], "cores": os.cpu_count()}
    port = free_port()
    server = start(["serve", "--port", str(port)])
    worker = None
    try:
        wait_up(port)
        with EventLoad(port, key):  # warm every web process up
            time.sleep(1 if args.quick else 3)
        # Nothing in the background: the events' own latency.
        with EventLoad(port, key) as idle:
            time.sleep(load_seconds)
        result |= {"events_idle_p50_ms": pct(idle.latencies, 50), "events_idle_p99_ms": pct(idle.latencies, 99)}

        stored, import_s = import_figures(n_ind, n_units, months)
        slices = DirtySlice.objects.count()
        result |= {"figures_imported": stored, "import_s": round(import_s, 1), "dirty_slices": slices}

        # The runner rolls the import up while events come in.
        worker = start(["worker"])
        t = time.perf_counter()
        with EventLoad(port, key) as during:
            while not rollup_window_done():
                close_old_connections()
                time.sleep(0.2)
                if time.perf_counter() - t > 3600:
                    raise RuntimeError("the roll-up did not finish within an hour")
        rollup_s = time.perf_counter() - t
        result |= {"rollup_by_worker_s": round(rollup_s, 1), "events_during_rollup": len(during.latencies),
                   "events_during_rollup_p50_ms": pct(during.latencies, 50),
                   "events_during_rollup_p99_ms": pct(during.latencies, 99),
                   "events_during_rollup_errors": during.errors}  # fmt: skip

        # Freshness: one figure in, the worker idle (polling every second, its default).
        time.sleep(2)
        fresh = freshness(port, key, fresh_samples)
        result |= {"freshness_p50_s": round(float(np.percentile(fresh, 50)), 2),
                   "freshness_p95_s": round(float(np.percentile(fresh, 95)), 2),
                   "freshness_max_s": round(max(fresh), 2), "freshness_samples": len(fresh)}  # fmt: skip
        stop(worker)
        worker = None

        # The old way, in the same run: the whole roll-up in one write transaction.
        all_slices = {(i, y) for i, y in rollup._all_slices()}
        t = time.perf_counter()
        with EventLoad(port, key) as old:
            rollup.recompute(all_slices)
        old_s = time.perf_counter() - t
        result |= {"rollup_one_transaction_s": round(old_s, 1), "events_during_one_transaction": len(old.latencies),
                   "events_one_transaction_p99_ms": pct(old.latencies, 99),
                   "events_one_transaction_max_ms": round(max(old.latencies), 1) if old.latencies else None,
                   "events_one_transaction_errors": old.errors}  # fmt: skip
    finally:
        if worker:
            stop(worker)
        stop(server)

    clients = 200
    seconds = 3 if args.quick else 15
    default = throughput(None, clients, seconds)
    single = throughput(1, clients, seconds)
    result |= {"clients": clients, "serve_default_workers": os.cpu_count(), "serve_default": default,
               "serve_one_worker": single,
               "ratio_rps_default_vs_one": round(default["rps"] / single["rps"], 2) if single["rps"] else None,
               "ratio_p99_events_during_rollup_vs_idle": round(result["events_during_rollup_p99_ms"]
                                                               / result["events_idle_p99_ms"], 2),
               "ratio_p99_events_one_transaction_vs_runner": round(result["events_one_transaction_p99_ms"]
                                                                   / result["events_during_rollup_p99_ms"], 2),
               "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}  # fmt: skip
    print(json.dumps(result))


if __name__ == "__main__":
    main()
