"""Benchmark: the wall's memory over hours of events.

    python bench/wall_memory.py [--quick] [--minutes 60] [--interval 60] [--rate 2.5] [--base URL]

Builds the demo (``toancanh demo --no-serve``) in a temporary directory (or uses a server already
running at ``--base``), serves it, opens ``/wall/`` as the operator in headless Chromium at
1920×1080 and, from a second browser context, sends events through the API at a steady rate:
air-quality readings from many stations that raise and clear alerts, and now and then a flood level
that opens a situation. Every ``--interval`` seconds it collects the wall page's garbage and samples
its JavaScript heap, DOM nodes and event listeners through the Chrome DevTools protocol
(``Performance.getMetrics``). The baseline is the same page's heap right after it opened, measured
in the same run; a heap that keeps growing is a leak.

Each sample is printed as it is taken; the last line is one JSON object with the curve, the growth
over the run and the slope over its second half (the first minutes fill the capped lists).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toancanh.tests.browser import CHROMIUM, CHROMIUM_ARGS, CLI, running_server  # noqa: E402

OPERATOR = ("vanhanh", "vanhanh@2025")
# Đà Nẵng with the former Quảng Nam: readings fall inside it.
LAT, LON = (15.2, 16.2), (107.3, 108.7)


def build_demo(tmp: Path) -> dict[str, str]:
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp))
    env.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'wall.sqlite3'}")
    done = subprocess.run([*CLI, "demo", "--no-serve"], env=env, capture_output=True, timeout=1800, check=False)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"toancanh demo failed: {(done.stdout + done.stderr).decode()[-2000:]}")
    return env


def sign_in(page) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", OPERATOR[0])
    page.fill("#id_password", OPERATOR[1])
    page.click("button[type=submit]")
    page.wait_for_load_state("load")


class Sender:
    """Events as stations send them: ``stations`` air-quality stations whose PM2.5 goes above and
    below the threshold (alerts raised and cleared), and a rising river now and then (situations)."""

    def __init__(self, request, csrf: str, stations: int = 300, seed: int = 7) -> None:
        self.request, self.csrf, self.rng = request, csrf, random.Random(seed)  # noqa: S311 - not security
        self.stations = [(f"Trạm đo thử {i}", self.rng.uniform(*LAT), self.rng.uniform(*LON)) for i in range(stations)]
        self.n = 0
        self.raised = self.cleared = self.refused = self.failed = 0

    def batch(self, size: int, flood: bool) -> None:
        events = []
        for _ in range(size):
            self.n += 1
            subject, lat, lon = self.rng.choice(self.stations)
            pm25 = self.rng.choice([12.0, 20.0, 30.0, 80.0, 142.5])
            events.append(self._event("tram-thu", "air_quality", subject, lat, lon, {"pm25": pm25}))
        if flood:
            self.n += 1
            subject, lat, lon = self.rng.choice(self.stations)
            events.append(self._event("thuy-van-thu", "water_level", f"Sông {subject}", lat, lon, {"level_m": 4.8}))
        r = self.request.post(
            "/api/v1/events",
            data=json.dumps({"events": events}),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf},
        )
        if not r.ok:
            self.failed += 1
            return
        body = r.json()
        self.raised += body["alerts_raised"]
        self.cleared += body["alerts_cleared"]
        self.refused += len(body["refused"])

    def _event(self, source, kind, subject, lat, lon, payload) -> dict:
        return {
            "source": source,
            "source_id": f"{source}-{self.n}-{time.time_ns()}",
            "sector": "environment",
            "type": kind,
            "subject": subject,
            "unit": "vn34-p48",
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "occurred_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "payload": payload,
        }


def sample(cdp, page) -> dict:
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    counts = page.evaluate(
        """() => ({ticker: document.querySelectorAll('#ticker li').length,
                  situations: document.querySelectorAll('#situations li').length,
                  markers: Number(document.getElementById('ops').dataset.markers || 0),
                  alerts: document.getElementById('k-alerts').textContent})"""
    )
    return {
        "heap_mb": round(metrics["JSHeapUsedSize"] / 2**20, 2),
        "heap_total_mb": round(metrics["JSHeapTotalSize"] / 2**20, 2),
        "nodes": int(metrics["Nodes"]),
        "listeners": int(metrics["JSEventListeners"]),
        **counts,
    }


def slope_mb_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (minutes, MB) in MB per hour."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    den = sum((x - mx) ** 2 for x, _ in points) or 1.0
    return round(60 * sum((x - mx) * (y - my) for x, y in points) / den, 2)


def run(base: str, minutes: float, interval: float, rate: float, flood_every: float) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--enable-precise-memory-info"])
        wall_ctx = browser.new_context(base_url=base, viewport={"width": 1920, "height": 1080}, locale="vi-VN")
        wall = wall_ctx.new_page()
        errors: list[str] = []
        wall.on("pageerror", lambda e: errors.append(str(e)))
        wall.on("console", lambda m: m.type == "error" and errors.append(m.text))
        sign_in(wall)
        wall.goto("/wall/")
        wall.wait_for_selector("#ops[data-state=ready]", timeout=60000)
        with contextlib.suppress(Exception):
            wall.wait_for_selector("#map[data-state=ready]", timeout=60000)
        cdp = wall_ctx.new_cdp_session(wall)
        cdp.send("Performance.enable")
        time.sleep(5)
        start = sample(cdp, wall)
        print(f"0.0 min  {json.dumps(start)}", flush=True)

        send_ctx = browser.new_context(base_url=base)
        sender_page = send_ctx.new_page()
        sign_in(sender_page)
        csrf = next(c["value"] for c in send_ctx.cookies() if c["name"] == "csrftoken")
        sender = Sender(send_ctx.request, csrf)

        curve = [{"minute": 0.0, **start}]
        t0 = time.monotonic()
        next_sample = t0 + interval
        next_flood = t0 + flood_every
        period = 2.0  # a batch every two seconds
        size = max(1, round(rate * period))
        while (now := time.monotonic()) - t0 < minutes * 60:
            flood = now >= next_flood
            if flood:
                next_flood += flood_every
            try:
                sender.batch(size, flood)
            except Exception as exc:  # noqa: BLE001 - a failed send is counted, the run goes on
                sender.failed += 1
                print(f"send failed: {exc}", file=sys.stderr)
            if time.monotonic() >= next_sample:
                next_sample += interval
                point = {"minute": round((time.monotonic() - t0) / 60, 1), **sample(cdp, wall)}
                curve.append(point)
                print(f"{point['minute']} min  {json.dumps(point)}  sent={sender.n}", flush=True)
            time.sleep(max(0.0, period - (time.monotonic() - now)))
        end = {"minute": round((time.monotonic() - t0) / 60, 1), **sample(cdp, wall)}
        curve.append(end)
        alive = wall.evaluate("() => document.getElementById('live-state').className")
        browser.close()

    half = [(c["minute"], c["heap_mb"]) for c in curve if c["minute"] >= minutes / 2]
    return {
        "bench": "wall_memory",
        "minutes": minutes,
        "events_sent": sender.n,
        "events_per_s": round(sender.n / max(1.0, curve[-1]["minute"] * 60), 2),
        "alerts_raised": sender.raised,
        "alerts_cleared": sender.cleared,
        "send_failures": sender.failed,
        "baseline_heap_mb": start["heap_mb"],
        "final_heap_mb": end["heap_mb"],
        "peak_heap_mb": max(c["heap_mb"] for c in curve),
        "ratio_final_vs_baseline": round(end["heap_mb"] / start["heap_mb"], 3),
        "slope_second_half_mb_per_hour": slope_mb_per_hour(half),
        "nodes_start": start["nodes"],
        "nodes_end": end["nodes"],
        "listeners_start": start["listeners"],
        "listeners_end": end["listeners"],
        "stream_state_at_end": alive,
        "page_errors": errors[:5],
        "curve_heap_mb": [c["heap_mb"] for c in curve],
        "curve_minutes": [c["minute"] for c in curve],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="two minutes, a sample every 20 s")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--interval", type=float, default=60, help="seconds between heap samples")
    ap.add_argument("--rate", type=float, default=2.5, help="events per second")
    ap.add_argument("--flood-every", type=float, default=60, help="seconds between flood readings")
    ap.add_argument("--base", help="a running server (with the demo) instead of building one")
    args = ap.parse_args()
    if args.quick:
        args.minutes, args.interval, args.flood_every = 2, 20, 20
    if args.base:
        result = run(args.base, args.minutes, args.interval, args.rate, args.flood_every)
    else:
        with tempfile.TemporaryDirectory(prefix="wall-memory-") as tmp:
            env = build_demo(Path(tmp))
            with running_server(env) as base:
                result = run(base, args.minutes, args.interval, args.rate, args.flood_every)
    result["database"] = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
