"""As a person would: a leader reads the province's figures and drills down to one commune."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import shot

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
    # A ceiling says how much of it is used, and at what pace.
    expect(page.locator("[data-testid=verdict-BUDGET_SPENDING]")).to_contain_text("hạn mức")
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

    page.goto("/indicators/BUDGET_SPENDING/?unit=vn34-p48")
    expect(page.locator("[data-testid=verdict]")).to_contain_text("hạn mức")
    expect(page.locator("[data-testid=forecast-method]")).to_be_visible()
    page.wait_for_selector("#chart[data-state=ready]", timeout=30000)
    shot(page, "leader-indicator-ceiling")
    assert page.problems == []
