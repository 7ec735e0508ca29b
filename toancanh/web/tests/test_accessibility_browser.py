"""The main pages, as the role that uses each, checked with axe-core (installed from npm as a test tool,
never served to pages) for serious or critical accessibility violations, and at 390 px wide (a phone):
no horizontal scrolling, and the menu button opens the navigation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from toancanh.tests.browser import open_page, shot, sign_in

pytestmark = pytest.mark.browser

AXE = Path(settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}}
AXE_OK = {"bypass_csp": True}  # axe is injected by the test; the pages' own policy stays strict


def _situation_url(page) -> str:
    page.goto("/situations/?status=")
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return next(h for h in hrefs if re.fullmatch(r"/situations/\d+/", h))


def _pages(page, role: str) -> list[str]:
    if role == "vanhanh":  # (only the operator may list situations: looked up for that role alone)
        return ["/alerts/", _situation_url(page), "/wall/"]
    return {"lanhdao": ["/", "/indicators/"], "quantri": ["/rules/new/", "/users/"], "congdan": ["/"]}[role]


PEOPLE = {"lanhdao": "lanhdao@2025", "vanhanh": "vanhanh@2025", "quantri": "quantri@2025", "congdan": "congdan@2025"}


def _serious(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return result


def test_the_main_pages_have_no_serious_accessibility_violations_and_fit_a_phone(browser, demo_server):
    found: dict[str, list[str]] = {}
    too_wide: dict[str, int] = {}
    with open_page(browser, demo_server, **AXE_OK) as page:
        page.goto("/accounts/login/")
        found["/accounts/login/"] = _serious(page)
    for role, password in PEOPLE.items():
        for options, wide in ((AXE_OK, True), (PHONE, False)):
            with open_page(browser, demo_server, **options) as page:
                sign_in(page, role, password)
                page.wait_for_load_state("load")
                for url in _pages(page, role):
                    page.goto(url)
                    page.wait_for_load_state("load")
                    if wide:
                        if url != "/wall/":  # the wall is a kiosk; its own test checks 1920×1080
                            found[f"{role} {url}"] = _serious(page)
                        continue
                    if url == "/wall/":
                        continue
                    width = page.evaluate("document.documentElement.scrollWidth")
                    if width > 390:
                        too_wide[f"{role} {url}"] = width
                    if role == "vanhanh" and url == "/alerts/":
                        shot(page, "phone-alert-inbox")
                    if role == "lanhdao" and url == "/":
                        page.click("[data-testid=menu-button]")
                        assert page.locator("#sidenav").is_visible()
                        assert page.get_attribute("[data-testid=menu-button]", "aria-expanded") == "true"
                        shot(page, "phone-home-menu-open")
                        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    problems = {k: v for k, v in found.items() if v}
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())
    assert not too_wide, f"wider than 390 px: {too_wide}"
