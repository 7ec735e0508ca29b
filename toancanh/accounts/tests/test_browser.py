"""As an administrator would: create a user through the form, get a wrong value refused in
Vietnamese beside its field with the rest of the form kept, correct it, find the user in the list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import pick, shot, sign_in

pytestmark = pytest.mark.browser


def test_an_administrator_creates_a_user_through_the_form_and_corrects_a_wrong_value(page):
    sign_in(page, "quantri", "quantri@2025")
    page.click("[data-testid=nav-user-list]")
    page.click("[data-testid=create]")
    page.wait_for_load_state("load")
    page.fill("#id_username", "nguyen van binh")  # a space: not allowed in a user name
    page.fill("#id_full_name", "Nguyễn Văn Bình")
    page.fill("#id_email", "binh@danang.gov.vn")
    page.fill("#id_password", "mat-khau-du-dai-9")
    page.select_option("#id_role", "operator")
    pick(page, "unit", "hiep duc", value="vn34-c20779")  # the unit picker searches without accents
    page.check("input[name=sectors][value=environment]")
    shot(page, "admin-user-form")
    page.click("[data-testid=save]")

    error = page.locator("[data-testid=error-username]")
    expect(error).to_contain_text("chữ không dấu")  # beside the field, in Vietnamese
    assert page.locator(".field[data-field=username] [data-testid=error-username]").count() == 1
    expect(page.locator("#id_full_name")).to_have_value("Nguyễn Văn Bình")  # nothing typed is lost
    expect(page.locator("#id_email")).to_have_value("binh@danang.gov.vn")
    expect(page.locator("#id_role")).to_have_value("operator")
    expect(page.locator("[data-testid=chosen-unit]")).to_contain_text("Xã Hiệp Đức")
    expect(page.locator("input[name=sectors][value=environment]")).to_be_checked()
    shot(page, "admin-user-form-error")

    page.fill("#id_username", "nguyenvanbinh")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=detail-title]")).to_have_text("Nguyễn Văn Bình")
    facts = page.inner_text("[data-testid=facts]")
    assert "Cán bộ vận hành IOC" in facts and "Xã Hiệp Đức" in facts and "Tài nguyên – môi trường" in facts

    page.click(".breadcrumbs a")
    page.wait_for_load_state("load")  # htmx binds the live search once the page has loaded
    page.fill("#list-q", "binh")
    expect(page.locator("[data-testid=row]")).to_have_count(1)
    assert "q=binh" in page.url
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "admin-users-phone")
    assert page.problems == []


def test_an_administrator_creates_an_alert_rule_and_corrects_a_wrong_value(page):
    """The rule form per kind: Vietnamese labels and choices, a unit picked from the tree, a wrong
    threshold refused beside its field with everything else kept."""
    sign_in(page, "quantri", "quantri@2025")
    page.goto("/rules/new/?kind=threshold")
    page.wait_for_load_state("load")
    page.fill("#id_name", "Mực nước sông Thu Bồn vượt báo động 2")
    pick(page, "unit", "hiep duc", value="vn34-c20779")
    page.select_option("#id_sector", "environment")
    # Its own event type: the demo server is shared, and this rule must not fire on other tests' readings.
    page.fill("#id_event_type", "muc_nuoc_thu_bon")
    page.fill("#id_p_field", "level_m")
    page.select_option("#id_p_op", ">=")
    page.fill("#id_p_value", "ba mét rưỡi")  # not a number
    page.fill("#id_p_label", "Mực nước")
    page.fill("#id_p_measure", "m")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=error-p_value]")).to_contain_text("số")  # "Nhập một số."
    expect(page.locator("#id_name")).to_have_value("Mực nước sông Thu Bồn vượt báo động 2")
    expect(page.locator("#id_p_field")).to_have_value("level_m")
    expect(page.locator("#id_p_label")).to_have_value("Mực nước")
    expect(page.locator("[data-testid=chosen-unit]")).to_contain_text("Xã Hiệp Đức")
    shot(page, "admin-rule-form-error")
    page.fill("#id_p_value", "3,5")  # a Vietnamese decimal comma
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=detail-title]")).to_have_text("Mực nước sông Thu Bồn vượt báo động 2")
    expect(page.locator("[data-testid=facts]")).to_contain_text("3,5")
    shot(page, "admin-rule-detail")
    assert page.problems == []
