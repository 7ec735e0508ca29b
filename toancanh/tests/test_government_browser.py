"""As a leader and an agency officer would, on the demo data: from the government overview to the
documents (văn bản đến, đi), narrowed to the overdue ones (the counts follow the filter), a
document's page; the agency officer sees their agency's documents only, on a 390 px phone."""

from __future__ import annotations

import pytest

from toancanh.tests.browser import htmx_settled, number, open_page, shot, sign_in

pytestmark = pytest.mark.browser


def _filter(page, name: str, value: str) -> None:
    with htmx_settled(page):
        page.select_option(f"select[name={name}]", value)


def test_a_leader_and_an_agency_officer_follow_the_documents(browser, demo_server):
    with open_page(browser, demo_server) as page:
        sign_in(page, "lanhdao", "lanhdao@2025")
        page.goto("/government/")
        section = page.locator("[data-testid=gov-documents]")
        assert "Văn bản đến, văn bản đi" in section.inner_text()
        section.scroll_into_view_if_needed()
        shot(page, "gov-overview-documents")
        page.click("[data-testid=gov-documents-link]")
        page.wait_for_url("**/government/documents/")
        assert page.inner_text("[data-testid=page-title]") == "Văn bản đến, văn bản đi"
        total = number(page, "[data-testid=doc-incoming]") + number(page, "[data-testid=doc-outgoing]")
        assert total > 0 and page.locator("[data-testid=row]").count() > 0
        assert page.get_attribute("[data-testid=nav-government-documents]", "href") == "/government/documents/"
        shot(page, "gov-documents-leader")

        _filter(page, "timeliness", "open_overdue")
        overdue = number(page, "[data-testid=doc-overdue]")
        assert overdue > 0 and number(page, "[data-testid=doc-on-time]") == 0
        cells = page.locator("[data-testid=row] td[data-label='So với hạn xử lý']").all_inner_texts()
        assert cells and set(cells) == {"Chưa hoàn thành, quá hạn"}
        assert f"{overdue:,} kết quả".replace(",", ".") in page.inner_text("[data-testid=count]")
        shot(page, "gov-documents-overdue")

        page.locator("[data-testid=row] td a").first.click()
        page.wait_for_selector("[data-testid=facts]")
        facts = page.inner_text("[data-testid=facts]")
        assert "Hạn xử lý" in facts and "Chưa hoàn thành, quá hạn" in facts
        shot(page, "gov-document-detail")
        assert page.problems == []

    with open_page(browser, demo_server, viewport={"width": 390, "height": 844}) as phone:
        sign_in(phone, "canbo.yte", "canbo.yte@2025")
        phone.goto("/government/documents/")
        agencies = phone.locator("[data-testid=row] td[data-label='Cơ quan, đơn vị']").all_inner_texts()
        assert agencies and set(agencies) == {"Sở Y tế thành phố Đà Nẵng"}
        options = phone.locator("select[name=agency] option").all_inner_texts()
        assert options[1:] == ["Sở Y tế thành phố Đà Nẵng"]
        assert phone.evaluate("document.documentElement.scrollWidth") <= 392
        shot(phone, "gov-documents-officer-phone")
        assert phone.problems == []
