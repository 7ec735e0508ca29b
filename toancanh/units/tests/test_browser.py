"""As an administrator would: import a units file with one bad line (refused in Vietnamese with
its line number, nothing stored), then a good one (previewed, then applied), and open a former
commune's page to see where it went."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import shot, sign_in

pytestmark = pytest.mark.browser

HEADER = "edition,code,type,name,parent,valid_from,valid_to\n"
GOOD_LINE = "vn63,99901,xa,Xã Thử Nghiệm,vn63-d512,,2025-06-30\n"
SHAPE = {"type": "Polygon", "coordinates": [[[108.02, 15.62], [108.09, 15.60], [108.12, 15.66], [108.07, 15.71],
                                             [108.01, 15.68], [108.02, 15.62]]]}  # fmt: skip
BAD = HEADER + GOOD_LINE + "vn63,99902,bang,Xã Sai Loại,vn63-d512,,2025-06-30\n"


def _choose(page, text: str) -> None:
    page.set_input_files("#id_file", files=[{"name": "don-vi.csv", "mimeType": "text/csv",
                                             "buffer": text.encode()}])  # fmt: skip
    page.click("[data-testid=preview-import]")


def test_an_administrator_imports_units_and_reads_where_a_former_commune_went(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, "quantri", "quantri@2025")
    page.click("[data-testid=nav-unit-list]")
    expect(page.locator("[data-testid=row]").first).to_contain_text("Thành phố Đà Nẵng")
    shot(page, "units-tree")

    page.click("[data-testid=import-units]")
    _choose(page, BAD)
    errors = page.locator("[data-testid=import-errors]")
    expect(errors).to_contain_text("dòng 3")
    expect(errors).to_contain_text("bang")
    expect(errors).to_contain_text("không lưu gì cả")
    shot(page, "units-import-refused")

    _choose(page, HEADER + GOOD_LINE)
    preview = page.locator("[data-testid=import-preview]")
    expect(preview).to_contain_text("Xã Thử Nghiệm")
    expect(page.locator("[data-testid=import-counts]")).to_contain_text("1 mới")
    shot(page, "units-import-preview")
    page.click("[data-testid=apply-import]")
    expect(page.locator(".messages, [role=status]").first).to_contain_text("1 đơn vị mới")

    page.goto("/unit-tree/?structure=before&q=xa thu nghiem")
    expect(page.locator("[data-testid=row]")).to_have_count(1)
    page.goto("/unit-tree/?structure=before")
    page.wait_for_load_state("load")
    page.fill("#list-q", "que tan")
    expect(page.locator("[data-testid=row]").first).to_contain_text("Xã Quế Tân")
    page.locator("[data-testid=row] a", has_text="Xã Quế Tân").first.click()
    successors = page.locator("[data-testid=successors]")
    expect(successors).to_contain_text("Xã Hiệp Đức")
    expect(successors).to_contain_text("01/07/2025")
    shot(page, "unit-detail")

    page.click("[data-testid=act-boundary]")  # a boundary for the former commune, drawn on its page
    page.set_input_files("#id_file", files=[{"name": "que-tan.geojson", "mimeType": "application/geo+json",
                                             "buffer": json.dumps(SHAPE).encode()}])  # fmt: skip
    page.fill("#id_source", "Sở Nội vụ (thử)")
    page.click("[data-testid=boundary-form] button[type=submit]")
    expect(page.locator("[data-testid=boundary] svg path")).to_have_count(1)
    page.locator("[data-testid=boundary]").scroll_into_view_if_needed()
    shot(page, "unit-detail-boundary")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/unit-tree/?parent=vn34-p48&structure=current")
    expect(page.locator("[data-testid=trail]")).to_contain_text("Thành phố Đà Nẵng")
    shot(page, "units-tree-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.problems == []
