"""As a leader would: sign in, read the province at a glance with its lights, download the brief."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from toancanh.tests.browser import ARTIFACTS, open_page, shot, sign_in

pytestmark = pytest.mark.browser


def test_the_leader_reads_the_home_page_and_downloads_the_brief(browser, demo_server):
    with open_page(browser, demo_server, viewport={"width": 1366, "height": 900}) as page:
        sign_in(page, "lanhdao", "lanhdao@2025")
        page.wait_for_selector("[data-testid=headline] .tile")
        assert page.inner_text("[data-testid=unit-name]") == "Thành phố Đà Nẵng"
        lights = page.eval_on_selector_all("[data-testid=headline] .tile", "ts => ts.map(t => t.className)")
        assert lights and all(any(f"status-{s}" in c for s in ("green", "amber", "red", "none")) for c in lights)
        assert any("status-green" in c or "status-red" in c or "status-amber" in c for c in lights)
        assert "Tháng" in page.inner_text("[data-testid=period-picker]")
        page.wait_for_selector("#map[data-state=ready]", timeout=30000)
        shot(page, "leader-home-1366")
        with page.expect_download() as download:
            page.click("[data-testid=brief-pdf]")
        pdf = ARTIFACTS / "leader-brief.pdf"
        download.value.save_as(pdf)
        content = pdf.read_bytes()
        assert content.startswith(b"%PDF")
        from io import BytesIO

        from pypdf import PdfReader

        text = PdfReader(BytesIO(content)).pages[0].extract_text()
        assert "Thành phố Đà Nẵng" in text and "Chỉ tiêu chủ yếu" in text
        if shutil.which("pdftoppm"):  # a picture of the brief to look at (poppler-utils, when installed)
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(ARTIFACTS / "leader-brief")],
                           check=True, timeout=60)  # fmt: skip
        assert page.problems == []
    with open_page(browser, demo_server, viewport={"width": 390, "height": 844}) as phone:
        sign_in(phone, "lanhdao", "lanhdao@2025")
        phone.wait_for_selector("[data-testid=headline] .tile")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(phone, "leader-home-390")
