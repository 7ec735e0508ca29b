"""As an administrator would: define a computed indicator, get a wrong formula refused in
Vietnamese beside the field with the rest of the form kept, fix it and save."""

from __future__ import annotations

import pytest

from toancanh.tests.browser import shot, sign_in

pytestmark = pytest.mark.browser


def test_the_administrator_creates_an_indicator_and_fixes_a_wrong_formula(page):
    sign_in(page, "quantri", "quantri@2025")
    page.goto("/catalogue/indicators/new/")
    page.fill("#id_code", "GRDP_PER_WORKER")
    page.fill("#id_name_vi", "GRDP bình quân mỗi lao động")
    page.fill("#id_name_en", "GRDP per worker")
    page.fill("#id_measure", "triệu đồng/người")
    page.select_option("#id_sector", "economy")
    page.select_option("#id_period_type", "year")
    page.select_option("#id_unit_aggregation", "none")
    page.fill("#id_formula", "GRDP / LAO_DONG * 1000")
    page.wait_for_selector("[data-testid=formula-bad]")  # checked as it is typed
    assert "LAO_DONG" in page.inner_text("[data-testid=formula-check]")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=error-formula]")
    assert "không có trong danh mục: LAO_DONG" in page.inner_text("[data-testid=error-formula]")
    assert page.input_value("#id_name_vi") == "GRDP bình quân mỗi lao động"  # nothing typed is lost
    assert page.input_value("#id_measure") == "triệu đồng/người"
    page.locator("[data-field=formula]").scroll_into_view_if_needed()
    shot(page, "catalogue-form-error")
    page.fill("#id_formula", "GRDP / POP * 1000")
    page.wait_for_selector("[data-testid=formula-ok]")
    assert "Công thức hợp lệ" in page.inner_text("[data-testid=formula-check]")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=detail-title]")
    assert page.inner_text("[data-testid=detail-title]") == "GRDP bình quân mỗi lao động"
    assert "GRDP / POP * 1000" in page.inner_text("[data-testid=facts]")
    shot(page, "catalogue-detail")
    page.goto("/catalogue/indicators/?q=binh quan")  # found without accents
    assert "GRDP bình quân mỗi lao động" in page.inner_text("#results")
    shot(page, "catalogue-list")
    page.goto("/catalogue/targets/?year=2026")
    shot(page, "targets-list")
    assert page.problems == []
