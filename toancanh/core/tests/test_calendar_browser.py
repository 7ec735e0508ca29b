"""As an administrator would: open the year view of the working-day calendar, add a province's own
day off, see it coloured on the grid and listed, then remove it after confirming; the year view
works on a 390 px phone. (The day is in 2030, so no other test's deadline crosses it.)"""

from __future__ import annotations

import pytest

from toancanh.tests.browser import open_page, shot, sign_in

pytestmark = pytest.mark.browser
NAME = "Lễ hội thử nghiệm trình duyệt"


def test_the_administrator_adds_a_local_day_off_and_sees_it_on_the_year_view(page):
    sign_in(page, "quantri", "quantri@2025")
    page.goto("/calendar/?year=2026")
    assert page.inner_text("[data-testid=page-title]") == "Lịch ngày làm việc 2026"
    assert page.locator("[data-testid=year-view] .cal-month").count() == 12
    assert page.get_attribute("td[data-date='2026-02-17']", "data-state") == "off"  # mùng 1 Tết
    assert page.get_attribute("td[data-date='2026-01-10']", "data-state") == "swapped"
    assert "Ngày làm việc bù" in page.inner_text("[data-testid=legend]")
    assert page.get_attribute("[data-testid=nav-calendar-list]", "href") == "/calendar/"  # administrators' entry
    shot(page, "calendar-year-2026")
    page.click("[data-testid=create]")
    page.fill("#id_date", "2030-03-12")
    page.select_option("#id_kind", "local_off")
    page.fill("#id_name", NAME)
    page.fill("#id_source", "Quyết định thử của UBND tỉnh")
    page.click("button[type=submit]")
    page.wait_for_url("**/calendar/?year=2030")
    assert page.get_attribute("td[data-date='2030-03-12']", "data-state") == "off"
    assert page.get_attribute("td[data-date='2030-03-12']", "title") == NAME
    assert NAME in page.inner_text("[data-testid=results]")
    page.locator("td[data-date='2030-03-12']").scroll_into_view_if_needed()
    shot(page, "calendar-local-day-added")
    page.click(f"[data-testid=results] a:text('{NAME}')")
    page.click("a:text('Xóa')")
    page.wait_for_selector("[data-testid=confirm-form]")
    page.click("[data-testid=confirm]")
    page.wait_for_url("**/calendar/?year=2030")
    assert page.get_attribute("td[data-date='2030-03-12']", "data-state") == "working"
    assert page.problems == []


def test_the_year_view_fits_a_phone(browser, demo_server):
    with open_page(browser, demo_server, viewport={"width": 390, "height": 844}) as phone:
        sign_in(phone, "quantri", "quantri@2025")
        phone.goto("/calendar/?year=2026")
        assert phone.locator("[data-testid=year-view] .cal-month").count() == 12
        assert phone.evaluate("document.documentElement.scrollWidth") <= 392
        phone.locator("[data-testid=legend]").scroll_into_view_if_needed()
        shot(phone, "calendar-phone")
        assert phone.problems == []
