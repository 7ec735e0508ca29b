"""As a person would: the leader reads the government performance page (the 766 index with its
components, the rankings, the overdue dossiers and a dossier's page); the operator sees the
overdue counts on the wall and the communes' on-time layer on its map."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import shot, sign_in

pytestmark = pytest.mark.browser


def test_the_leader_reads_the_index_the_rankings_and_an_overdue_dossier(page):
    sign_in(page, "lanhdao", "lanhdao@2025")
    page.goto("/government/")
    expect(page.locator("[data-testid=gov-title]")).to_have_text("Giám sát hiệu quả hoạt động của chính quyền")
    expect(page.locator("[data-testid=gov-ranking] tbody tr").first).to_be_visible()
    expect(page.locator("[data-testid=gov-components]")).to_contain_text("2.1")
    expect(page.locator("[data-testid=gov-components]")).to_contain_text("chưa xác nhận")
    shot(page, "government-sector-page")
    page.locator("[data-testid=gov-overdue]").scroll_into_view_if_needed()
    shot(page, "government-sector-overdue")
    first = page.locator("[data-testid=gov-overdue] tbody a").first
    code = first.inner_text()
    first.click()
    expect(page.locator("[data-testid=gov-dossier]")).to_contain_text(code)
    assert page.problems == []


def test_the_operator_sees_todays_overdue_counts_on_the_wall_and_the_communes_layer(page):
    sign_in(page, "vanhanh", "vanhanh@2025")
    page.goto("/wall/")
    page.wait_for_selector("#ops[data-state=ready]", timeout=30000)
    panel = page.locator("[data-testid=panel-government-overdue]")
    expect(panel).to_contain_text("hồ sơ quá hạn")
    assert int(page.locator("[data-testid=gov-overdue-dossiers]").inner_text()) >= 0
    page.wait_for_function("() => document.getElementById('ops').dataset.layers !== undefined", timeout=30000)
    drawn = page.evaluate("() => document.getElementById('ops').dataset.layers").split()
    assert "government-on-time" in drawn
    # the communes' filled areas lie under the environment's stations, whatever order the packs load in
    assert drawn.index("government-on-time") < drawn.index("environment-stations")
    panel.scroll_into_view_if_needed()
    shot(page, "government-wall-panel")
    assert page.problems == []
