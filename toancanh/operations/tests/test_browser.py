"""As a person would: an operator watches the wall; an event injected elsewhere raises an alert
that appears on the screen without a reload."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import shot, sign_in

pytestmark = pytest.mark.browser


def test_an_injected_event_appears_on_the_operations_screen_within_a_second(page):
    sign_in(page, "vanhanh", "vanhanh@2025")
    page.goto("/wall/")
    page.wait_for_selector("#ops[data-state=ready]", timeout=30000)
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    expect(page.locator("#live-state")).to_have_class("live on", timeout=10000)
    # The demo's own open alerts are on the screen already (and may clear meanwhile): the new one is
    # looked for by its place and its message, not by counting.
    panel = page.locator("#sector-panels li[data-sector=environment] .n")
    markers = """() => window.toancanhMap.getSource('live').serialize().data.features
        .filter((f) => f.properties.kind === 'alert' && String(f.properties.title).startsWith('Bụi mịn PM2.5 14')
                       && Math.abs(f.geometry.coordinates[0] - 108.09) < 1e-6 && Math.abs(f.geometry.coordinates[1] - 15.57) < 1e-6).length"""
    sent = time.monotonic()
    report = page.evaluate("""async () => {
        const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
        const body = {events: [{source: "tram-quan-trac", source_id: "hd-" + Date.now(), sector: "environment",
            type: "air_quality", subject: "Trạm Hiệp Đức", unit: "vn34-c20779", lat: 15.57, lon: 108.09,
            occurred_at: new Date().toISOString(), payload: {pm25: 142.5}}]};
        const r = await fetch('/api/v1/events', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRFToken': token}, body: JSON.stringify(body)});
        return await r.json();
    }""")
    assert report["stored"] == 1 and report["alerts_raised"] == 1
    expect(page.locator("[data-testid=ticker]")).to_contain_text("Bụi mịn PM2.5", timeout=5000)
    seen = time.monotonic() - sent
    expect(page.locator("#k-alerts")).not_to_have_text("0")
    expect(panel).not_to_have_text("0")
    expect(page.locator("[data-testid=wall-figures] .tile").first).to_be_visible()
    # ... and on the map, where it happened.
    page.wait_for_function(f"() => ({markers})() === 1", timeout=5000)  # the map redraws on its next frame
    page.evaluate(
        "() => { const m = window.toancanhMap; m.triggerRepaint(); return new Promise((r) => m.once('idle', r)); }"
    )
    shot(page, "operator-live-screen")
    assert seen < 3, f"the alert took {seen:.1f} s to reach the screen"
    assert page.problems == []


def test_a_severe_reading_opens_a_situation_the_operator_follows_from_the_wall(page):
    sign_in(page, "vanhanh", "vanhanh@2025")
    page.goto("/wall/")
    page.wait_for_selector("#ops[data-state=ready]", timeout=30000)
    expect(page.locator("#live-state")).to_have_class("live on", timeout=10000)
    report = page.evaluate("""async () => {
        const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
        const body = {events: [{source: "thuy-van", source_id: "ai-nghia-" + Date.now(), sector: "environment",
            type: "water_level", subject: "Trạm Ái Nghĩa", unit: "vn34-c20779", lat: 15.88, lon: 108.12,
            occurred_at: new Date().toISOString(), payload: {level_m: 9.35, alarm: 3}}]};
        const r = await fetch('/api/v1/events', {method: 'POST', headers: {'Content-Type': 'application/json',
            'X-CSRFToken': token}, body: JSON.stringify(body)});
        return await r.json();
    }""")
    assert report["alerts_raised"] == 1
    link = page.locator("[data-testid=situations] a").first
    expect(link).to_contain_text("Mực nước vượt báo động 3", timeout=5000)
    link.click()
    expect(page.locator("[data-testid=detail-title]")).to_contain_text("Mực nước vượt báo động 3")
    expect(page.locator("[data-testid=steps]")).to_contain_text("Sơ tán hộ dân vùng trũng")
    page.click("[data-testid=to-acknowledged]")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("Mới → Đã tiếp nhận")
    shot(page, "operator-situation-page")
    assert page.problems == []
