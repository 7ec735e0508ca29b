"""As a person would: an operator finds what the test pack adds — its navigation entry and page,
its panel on the wall and its layer on the wall's map — with no core file knowing of it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import shot, sign_in

pytestmark = pytest.mark.browser


def test_an_operator_finds_the_packs_page_panel_and_map_layer(page):
    sign_in(page, "vanhanh", "vanhanh@2025")
    page.click("[data-testid=nav-harbour]")
    expect(page.locator("[data-testid=harbour-title]")).to_have_text("Cảng cá")
    expect(page.locator("main")).to_contain_text("Cảng cá Thọ Quang")
    page.goto("/wall/")
    page.wait_for_selector("#ops[data-state=ready]", timeout=30000)
    expect(page.locator("[data-testid=panel-harbour-berths]")).to_contain_text("Cảng cá Tam Quang")
    page.wait_for_function("() => document.getElementById('ops').dataset.layers !== undefined", timeout=30000)
    assert "harbour-ports" in page.evaluate("() => document.getElementById('ops').dataset.layers").split(), (
        page.problems
    )
    page.wait_for_function(
        "() => window.toancanhMap && window.toancanhMap.getLayer('pack-harbour-ports')", timeout=30000
    )
    page.evaluate(
        "() => { const m = window.toancanhMap; m.triggerRepaint(); return new Promise((r) => m.once('idle', r)); }"
    )
    shot(page, "operator-wall-with-pack")
    assert page.problems == []
