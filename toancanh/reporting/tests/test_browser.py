"""In a browser: a commune clerk fills the monthly report with the keyboard (live formula results and
checks beside the cells), submits; the city returns it with a comment; the clerk corrects and
submits again; the city approves."""

from __future__ import annotations

import pytest

from toancanh.tests.browser import open_page, shot, sign_in

pytestmark = pytest.mark.browser

URL = "/reporting/KTXH-XA-THANG/vn34-c20779/2025-10/"
CLERK, APPROVER = ("thongke.hiepduc", "thongke@2025"), ("lanhdao", "lanhdao@2025")
ENTRIES = ["500", "300", "200", "50", "300", "2", "12000", "600", "3000", "20", "92", "1", "0", "Ổn định"]


def test_a_clerk_fills_submits_corrects_and_the_city_approves(browser, demo_server):
    with open_page(browser, demo_server) as clerk:
        sign_in(clerk, *CLERK)
        clerk.goto(URL)
        clerk.wait_for_load_state("load")
        status = clerk.get_by_test_id("report-status")
        first = clerk.get_by_test_id("cell-01.KY_NAY")
        first.click()
        for value in ENTRIES:  # Enter moves down the column, skipping the computed cells
            clerk.keyboard.type(value)
            clerk.keyboard.press("Enter")
        assert clerk.get_by_test_id("cell-07.KY_NAY").input_value() == "12000"
        assert clerk.get_by_test_id("cell-15.KY_NAY").input_value() == "Ổn định"
        # The formula beside the cells: 600 poor households of 3,000 → 20 %.
        assert clerk.get_by_test_id("cell-10.KY_NAY").inner_text() == "20"
        assert clerk.get_by_test_id("cell-01.LUY_KE").inner_text() == "500"
        # A check as the clerk types: arrow up to a cell, type a word, the message shows beside it.
        clerk.get_by_test_id("cell-06.KY_NAY").click()
        clerk.keyboard.press("ArrowDown")
        clerk.keyboard.press("ArrowUp")
        clerk.keyboard.type("hai")
        assert clerk.locator('[data-msg="06.KY_NAY"]').inner_text() == "Không phải là số"
        clerk.keyboard.press("ArrowUp")  # the whole text is selected: the arrow leaves the cell
        clerk.keyboard.press("ArrowDown")
        clerk.keyboard.type("2")
        assert clerk.locator('[data-msg="06.KY_NAY"]').inner_text() == ""
        # A rule: more taxes than revenue is refused beside the grid.
        clerk.get_by_test_id("cell-02.KY_NAY").fill("900")
        assert "không thể lớn hơn tổng thu" in clerk.get_by_test_id("report-rules").inner_text()
        clerk.get_by_test_id("cell-02.KY_NAY").fill("300")
        assert clerk.get_by_test_id("report-rules").inner_text().strip() == ""
        shot(clerk, "reporting-entry-filled")
        clerk.get_by_test_id("submit-report").click()
        assert status.inner_text() == "Đã gửi"
        assert not clerk.problems, clerk.problems

    with open_page(browser, demo_server) as city:
        sign_in(city, *APPROVER)
        city.goto(URL)
        city.get_by_test_id("decision-comment").fill("Số hộ nghèo tăng bất thường, kiểm tra lại")
        city.get_by_test_id("return-report").click()
        assert city.get_by_test_id("report-status").inner_text() == "Bị trả lại"

    with open_page(browser, demo_server) as clerk:
        sign_in(clerk, *CLERK)
        clerk.goto(URL)
        clerk.wait_for_load_state("load")
        assert "kiểm tra lại" in clerk.get_by_test_id("report-comment").inner_text()
        clerk.get_by_test_id("cell-08.KY_NAY").click()
        clerk.keyboard.press("Control+A")
        clerk.keyboard.type("150")
        assert clerk.get_by_test_id("cell-10.KY_NAY").inner_text() == "5"
        shot(clerk, "reporting-entry-returned")
        clerk.get_by_test_id("submit-report").click()
        assert clerk.get_by_test_id("report-status").inner_text() == "Đã gửi"

    with open_page(browser, demo_server) as city:
        sign_in(city, *APPROVER)
        city.goto(URL)
        assert city.get_by_test_id("cell-10.KY_NAY").inner_text() == "5"
        city.get_by_test_id("approve-report").click()
        assert city.get_by_test_id("report-status").inner_text() == "Đã duyệt"
        assert city.get_by_test_id("report-history").locator("tr").count() == 4
        shot(city, "reporting-approved")
        assert not city.problems, city.problems
