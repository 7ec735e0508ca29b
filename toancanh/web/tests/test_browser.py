"""As a person would: a leader signs in, sees the province map, clicks a commune, lands on its page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import shot, sign_in

pytestmark = pytest.mark.browser


def test_a_leader_signs_in_sees_the_map_clicks_a_commune_and_lands_on_its_page(page):
    sign_in(page, "lanhdao", "lanhdao@2025")
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    assert "Thành phố Đà Nẵng" in page.inner_text("[data-testid=scope]")
    assert page.inner_text("[data-testid=unit-name]") == "Thành phố Đà Nẵng"
    shot(page, "leader-province-map")
    page.locator("#map").scroll_into_view_if_needed()  # below the headline figures on the leader's overview

    # Click the map where Xã Hiệp Đức's centre is drawn.
    point = page.evaluate("""async () => {
        const r = await fetch('/api/v1/units/vn34-c20779'); const u = await r.json();
        const p = window.toancanhMap.project([u.lon, u.lat]); return {x: p.x, y: p.y};
    }""")
    box = page.locator("#map canvas").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_selector(".map-tip:not([hidden])")
    assert "Hiệp Đức" in page.inner_text(".map-tip")
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_url("**/units/vn34-c20779/")
    assert page.inner_text("[data-testid=unit-name]") == "Xã Hiệp Đức"
    assert "Hình thành từ" in page.content()  # formed from former communes of Huyện Hiệp Đức
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    shot(page, "leader-commune-page")
    assert page.problems == []


def test_the_unit_list_searches_without_accents(page):
    sign_in(page, "lanhdao", "lanhdao@2025")
    page.goto("/units/vn34-p48/")  # the leader's home is the overview; the unit page lists the units below
    page.wait_for_load_state("load")  # htmx binds the search box once the page has loaded
    page.fill("input[type=search]", "tam ky")
    expect(page.locator("[data-testid=children] a")).to_have_text(["Phường Tam Kỳ"])
    assert "q=tam" in page.url  # the search is in the address, so it can be shared
    assert page.problems == []


def test_the_video_wall_is_dark_and_map_centred(page):
    sign_in(page, "vanhanh", "vanhanh@2025")
    page.goto("/wall/")
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    assert page.get_attribute("html", "data-theme") == "dark"
    shot(page, "operator-video-wall")
    assert page.problems == []


def test_a_former_unit_shows_its_successor(page):
    sign_in(page, "lanhdao", "lanhdao@2025")
    page.goto("/units/vn63-d512/")
    assert page.inner_text("[data-testid=unit-name]") == "Huyện Hiệp Đức"
    assert "Đơn vị cũ, tồn tại đến 30/06/2025" in page.content()
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    shot(page, "former-district-page")
    assert page.problems == []
