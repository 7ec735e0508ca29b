"""As a person would: the wall on a 1080p and a 4K screen in a browser set to New York time, and the
maps drawing the real outline of the province with the units' names."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import open_page, shot, sign_in

pytestmark = pytest.mark.browser

POST_EVENT = """async ([subject, lat, lon]) => {
    const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
    const body = {events: [{source: "tram-quan-trac", source_id: subject + Date.now(), sector: "environment",
        type: "air_quality", subject, unit: "vn34-c20779", lat, lon,
        occurred_at: new Date().toISOString(), payload: {pm25: 150}}]};
    const r = await fetch('/api/v1/events', {method: 'POST', headers: {'Content-Type': 'application/json',
        'X-CSRFToken': token}, body: JSON.stringify(body)});
    return await r.json();
}"""

# Every block of the side panel, and every tile in it, lies inside the screen and the panel.
OVERFLOW = """() => {
    const root = document.documentElement, side = document.querySelector('.wall-side').getBoundingClientRect();
    const out = [];
    if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) out.push(`page ${root.scrollWidth}x${root.scrollHeight}`);
    for (const el of document.querySelectorAll('.wall-side > *, .wall-figures .tile, .sector-panels li, .wall-map .map')) {
        const r = el.getBoundingClientRect();
        if (r.right > Math.min(innerWidth, el.closest('.wall-side') ? side.right : innerWidth) + 1 || r.bottom > innerHeight + 1)
            out.push(`${el.className || el.tagName} ${Math.round(r.right)},${Math.round(r.bottom)}`);
    }
    return out;
}"""


def _live_markers(page) -> int:
    return page.evaluate("() => window.toancanhMap.getSource('live').serialize().data.features.length")


def test_the_wall_fits_1080p_and_4k_draws_open_alerts_at_once_and_keeps_vietnamese_time(browser, demo_server):
    stamp = int(time.time())
    with open_page(
        browser, demo_server, viewport={"width": 1920, "height": 1080}, timezone_id="America/New_York"
    ) as page:
        sign_in(page, "vanhanh", "vanhanh@2025")
        # Two alerts raised before the wall is opened.
        for i, (lat, lon) in enumerate(((15.57, 108.09), (15.88, 108.33))):
            assert page.evaluate(POST_EVENT, [f"Trạm thử {stamp}-{i}", lat, lon])["alerts_raised"] == 1
        page.goto("/wall/")
        page.wait_for_selector("#ops[data-state=ready]", timeout=30000)
        page.wait_for_selector("#map[data-state=ready]", timeout=30000)
        expect(page.locator(".topbar")).to_have_count(0)  # a kiosk: no application bar
        live = page.evaluate("() => fetch('/api/v1/alerts?limit=500').then((r) => r.json())")["items"]
        placed = [a for a in live if a["lat"] is not None]
        assert len(placed) >= 2
        page.wait_for_function("() => window.toancanhMap.getSource('live')", timeout=10000)
        before = _live_markers(page)
        assert before >= len(placed), "every open alert is on the map when the page opens"
        shown = page.locator("[data-testid=ticker] li").count()
        assert shown >= 2 and page.locator("#k-alerts").inner_text() == str(len(live))

        # Vietnamese time, though the browser lives in New York.
        assert page.evaluate("() => Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"
        clock = page.locator("[data-testid=clock]").inner_text()
        now = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh"))
        assert clock[:5] in {now.strftime("%H:%M"), (now - dt.timedelta(minutes=1)).strftime("%H:%M")}, clock
        assert page.locator("[data-testid=updated]").inner_text()[:2] == now.strftime("%H")

        # A new one arrives while the wall is on.
        expect(page.locator("#live-state")).to_have_class("live on", timeout=10000)
        assert page.evaluate(POST_EVENT, [f"Trạm thử {stamp}-2", 16.05, 108.2])["alerts_raised"] == 1
        expect(page.locator("#k-alerts")).to_have_text(str(len(live) + 1), timeout=5000)
        page.wait_for_function(
            f"() => window.toancanhMap.getSource('live').serialize().data.features.length > {before}"
        )

        for width, height in ((1920, 1080), (3840, 2160)):
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(300)
            assert page.evaluate(OVERFLOW) == [], f"overflow at {width}x{height}"
            page.evaluate(
                "() => { const m = window.toancanhMap; m.triggerRepaint(); return new Promise((r) => m.once('idle', r)); }"
            )
            shot(page, f"wall-{width}x{height}")
        assert page.problems == []


def test_the_province_map_draws_the_real_outline_with_names_and_a_commune_opens_the_indicator(page):
    sign_in(page, "lanhdao", "lanhdao@2025")
    page.goto("/units/vn34-p48/")  # the province's page (a leader's home is the overview)
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    page.locator("#map").scroll_into_view_if_needed()
    data = page.evaluate("() => fetch(document.getElementById('map').dataset.mapUrl).then((r) => r.json())")
    assert data["unit"]["outline_approximate"] is False  # the shipped boundary, no ../shared needed
    west, south, east, north = data["bbox"]
    assert west < 107.5 and south < 15.2 and north > 16.1, "Đà Nẵng after 2025 includes the former Quảng Nam"
    labels = page.locator(".map-label:not([hidden])")
    assert labels.count() >= 20
    expect(page.locator(".map-label", has_text="Nam Giang")).to_be_visible()
    shot(page, "map-province-real-outline")

    # An indicator's map: a click on a commune opens the indicator for that commune (it was a 404).
    page.goto("/indicators/GRDP_GROWTH/?unit=vn34-p48")
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    page.locator("#map").scroll_into_view_if_needed()
    key, x, y = page.evaluate("""() => {
        const m = window.toancanhMap;
        const f = m.queryRenderedFeatures({layers: ['units-fill']}).find((f) => f.properties.name.includes('Hiệp Đức'));
        const p = m.project([f.properties.label_lon, f.properties.label_lat]);
        return [f.properties.key, p.x, p.y];
    }""")
    box = page.locator("#map").bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + x, box["y"] + y)
    assert f"unit={key}" in page.url and not page.url.endswith("/")
    expect(page.locator("h1")).not_to_contain_text("404")
    expect(page.locator(".breadcrumbs, h1").first).to_be_visible()
    assert page.problems == []
