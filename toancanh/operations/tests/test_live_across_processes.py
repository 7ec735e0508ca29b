"""As a person would, with the work split over processes as in production: the web server hands
events to NATS JetStream, a separate worker process decides and raises the alert, and the wall —
connected to the web process — shows it within a second, through the live bus."""

from __future__ import annotations

import subprocess
import time
import uuid

import pytest
from playwright.sync_api import expect

from toancanh.operations.tests.test_transport import nats_server  # noqa: F401
from toancanh.tests.browser import CLI, open_page, running_server, shot, sign_in

pytestmark = pytest.mark.browser


def test_an_alert_raised_by_a_worker_process_reaches_the_wall_within_a_second(browser, demo_env, nats_server):  # noqa: F811
    stream = f"TEST_{uuid.uuid4().hex[:10].upper()}"
    env = dict(demo_env, TOANCANH_EVENTS_BUS="nats", TOANCANH_EVENTS_STREAM=stream,
               TOANCANH_EVENTS_SUBJECT=f"test.{stream}", TOANCANH_LIVE_SUBJECT=f"test.live.{stream}")  # fmt: skip
    worker = subprocess.Popen([*CLI, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with running_server(env) as base, open_page(browser, base) as page:
            sign_in(page, "vanhanh", "vanhanh@2025")
            page.goto("/wall/")
            page.wait_for_selector("#ops[data-state=ready]", timeout=30000)
            expect(page.locator("#live-state")).to_have_class("live on", timeout=10000)
            time.sleep(2)  # the worker has taken its partitions
            page.evaluate("() => { window.seenAt = null; new MutationObserver(() => { if (!window.seenAt && "
                          "document.querySelector('[data-testid=ticker]').textContent.includes('150,2')) "
                          "window.seenAt = performance.now(); }).observe(document.body, {subtree: true, "
                          "childList: true, characterData: true}); }")  # fmt: skip
            report = page.evaluate("""async () => {
                const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
                const body = {events: [{source: "tram-quan-trac", source_id: "db-" + Date.now(), sector: "environment",
                    type: "air_quality", subject: "Trạm Điện Bàn", unit: "vn34-c20779", lat: 15.57, lon: 108.09,
                    occurred_at: new Date().toISOString(), payload: {pm25: 150.2}}]};
                const sent = performance.now();
                const r = await fetch('/api/v1/events', {method: 'POST', headers: {'Content-Type': 'application/json',
                    'X-CSRFToken': token}, body: JSON.stringify(body)});
                return {sent, ...(await r.json())};
            }""")
            # The web process only queued it: the alert is the worker's.
            assert report["queued"] == 1 and report["stored"] == 0 and report["alerts_raised"] == 0
            expect(page.locator("[data-testid=ticker]")).to_contain_text("150,2", timeout=5000)
            delay_ms = page.evaluate("() => window.seenAt") - report["sent"]
            shot(page, "operator-wall-alert-from-worker")
            # Under a second on a quiet machine (issue 7; printed here); the bound leaves room for a loaded
            # one while still catching an alert that only arrives with the next minute's tick.
            print(f"worker's alert reached the wall in {delay_ms:.0f} ms")
            assert delay_ms < 5000, f"the worker's alert took {delay_ms:.0f} ms to reach the wall"
            assert page.problems == []
    finally:
        worker.terminate()
        _out, err = worker.communicate(timeout=20)
    assert worker.returncode == 0, err.decode()[-2000:]
