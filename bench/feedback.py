"""Benchmark: citizens' reports against a real server.

    python bench/feedback.py [--quick]

Builds its own database (Đà Nẵng, its agencies, N real-shaped reports: 50,000; 3,000 with
--quick), starts ``toancanh serve`` on it and measures, in the same run:

1. the public map (``/phan-anh/ban-do.json`` of a city-centre box) under C concurrent browsers
   (200; 20 with --quick): requests per second and p50/p95 latency;
2. submitting a report with two photos (1600×1200 JPEG, as a phone sends after shrinking) while
   those browsers keep loading the map: p50/p95 latency as the client sees it;
3. the baseline: the same server's static-file rate (``citizen.css``) under the same concurrency.

The load comes from threads of this process (urllib), on the same machine as the server: on a
small machine the client's own CPU is part of what is measured. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def setup(tmp: str, n: int) -> None:
    os.environ["TOANCANH_DATA_DIR"] = tmp
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from toancanh.feedback import demo
    from toancanh.feedback.models import HandlingSettings
    from toancanh.units import demo as units_demo

    units_demo.load_units()
    units_demo.load_agencies()
    t = time.perf_counter()
    demo.build(n)
    print(f"{n} reports built in {time.perf_counter() - t:.1f} s", flush=True)
    HandlingSettings.objects.update(max_reports_per_hour=30_000)  # one client address sends them all (a smallint)


def photo(seed: int) -> bytes:
    from PIL import Image

    img = Image.effect_noise((1600, 1200), 40 + seed % 20).convert("RGB")
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=80)
    return out.getvalue()


def multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for k, v in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for name, data in files:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="{name}"\r\n'
                     f"Content-Type: image/jpeg\r\n\r\n".encode() + data + b"\r\n")  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(q * len(xs)))] * 1000, 1) if xs else float("nan")


def hammer(url: str, workers: int, seconds: float, stop: threading.Event | None = None) -> list[float]:
    """GET ``url`` from ``workers`` threads for ``seconds``; the latencies."""
    out: list[float] = []
    end = time.perf_counter() + seconds

    def loop() -> None:
        while time.perf_counter() < end and not (stop and stop.is_set()):
            t = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as r:  # noqa: S310 - our own server on loopback
                r.read()
            out.append(time.perf_counter() - t)

    with ThreadPoolExecutor(workers) as pool:
        for _ in range(workers):
            pool.submit(loop)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n, conc, seconds, submits = (3000, 20, 5.0, 15) if args.quick else (50_000, 200, 20.0, 60)
    tmp = tempfile.mkdtemp(prefix="bench-feedback-")
    setup(tmp, n)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "toancanh.cli", "serve", "--port", str(port)],  # noqa: S603
                              env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/phan-anh/", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        map_url = f"{base}/phan-anh/ban-do.json?bbox=108.15,16.0,108.26,16.1"
        static_url = f"{base}/static/feedback/citizen.css"
        features = len(json.loads(urllib.request.urlopen(map_url).read())["features"])  # noqa: S310
        # The app's own way in: its page gives the CSRF cookie and token.
        import http.cookiejar
        import re

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = opener.open(f"{base}/phan-anh/").read().decode()
        token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
        # 1 + 2: the map under load, and submissions meanwhile.
        pics = [photo(i) for i in range(2)]
        lat: list[float] = []
        errors: list[str] = []
        browse: list[float] = []
        stop = threading.Event()
        loader = threading.Thread(target=lambda: browse.extend(hammer(map_url, conc, seconds, stop)))
        t0 = time.perf_counter()
        loader.start()
        time.sleep(min(1.0, seconds / 5))
        for i in range(submits):
            body, ctype = multipart({"category": "environment.waste", "lat": "16.0762", "lon": "108.218",
                                     "description": f"Rác thải ùn ứ ở đầu kiệt {i} đường Lê Duẩn nhiều ngày.",
                                     "device": f"bench-{i}"}, [("a.jpg", pics[0]), ("b.jpg", pics[1])])  # fmt: skip
            req = urllib.request.Request(
                f"{base}/phan-anh/gui/", data=body, headers={"Content-Type": ctype, "X-CSRFToken": token}
            )
            t = time.perf_counter()
            try:
                with opener.open(req, timeout=60) as r:
                    r.read()
                lat.append(time.perf_counter() - t)
            except urllib.error.HTTPError as exc:
                errors.append(f"{exc.code}: {exc.read()[:200]!r}")
        loader.join()
        browse_s = time.perf_counter() - t0
        # 3: the same server's static-file rate, same concurrency.
        t1 = time.perf_counter()
        static = hammer(static_url, conc, seconds)
        static_s = time.perf_counter() - t1
    finally:
        server.terminate()
        server.wait(timeout=20)
    map_rps, static_rps = len(browse) / browse_s, len(static) / static_s
    result = {
        "bench": "feedback", "reports": n, "concurrency": conc, "map_features": features,
        "map_rps": round(map_rps, 1), "map_p50_ms": pct(browse, 0.5), "map_p95_ms": pct(browse, 0.95),
        "submit_n": len(lat), "submit_errors": len(errors), "submit_p50_ms": pct(lat, 0.5),
        "submit_p95_ms": pct(lat, 0.95), "static_rps": round(static_rps, 1), "static_p95_ms": pct(static, 0.95),
        "map_vs_static": round(map_rps / static_rps, 3) if static_rps else None,
    }  # fmt: skip
    if errors:
        print("submission errors:", errors[:3], file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
