"""As a person would: a leader reads the province's figures and drills down to one commune."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from toancanh.web.tests.browser import shot

pytestmark = pytest.mark.browser


def test_a_leader_drills_from_the_province_overview_to_one_commune_and_one_figure(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", "lanhdao@2025")
    page.click("button[type=submit]")
    page.click("[data-testid=nav-indicators]")
    expect(page.locator("[data-testid=overview-title]")).to_contain_text("Chỉ tiêu kinh tế – xã hội: Thành phố Đà Nẵng")
    tile = page.locator("[data-testid=tile-RETAIL]")
    expect(tile).to_contain_text("Tổng mức bán lẻ")
    expect(tile).to_contain_text("kế hoạch năm")
    page.wait_for_timeout(500)  # sparklines
    shot(page, "leader-indicators-overview")

    tile.click()
    expect(page.locator("[data-testid=indicator-title]")).to_contain_text("Tổng mức bán lẻ")
    page.wait_for_selector("#chart[data-state=ready]", timeout=30000)
    page.wait_for_selector("#map[data-state=ready]", timeout=30000)
    expect(page.locator(".map-legend")).to_be_visible()
    shot(page, "leader-indicator-drilldown")

    first = page.locator("[data-testid=ranking] tbody tr").first
    commune = first.locator("a").inner_text()
    first.locator("a").click()
    expect(page.locator(".breadcrumbs")).to_contain_text(commune)
    expect(page.locator("[data-testid=kpi-value]")).not_to_have_text("–")
    page.wait_for_selector("#chart[data-state=ready]", timeout=30000)
    shot(page, "leader-indicator-commune")
    assert page.problems == []
