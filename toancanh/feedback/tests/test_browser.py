"""On a phone (390×844), as people would: a citizen sends a report with a photo (category suggested
from the text, the place by GPS), the ward's officer accepts it and answers with a photo of the
site, and the citizen reads the answer and rates it. Screenshots of each step."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import ARTIFACTS, open_page, shot, sign_in

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True,
         "geolocation": {"latitude": 16.0775, "longitude": 108.2195}, "permissions": ["geolocation"]}  # fmt: skip
TEXT = "Rác thải sinh hoạt đổ bừa bãi ở đầu kiệt 45 Lê Duẩn đã ba ngày không ai thu gom, bốc mùi hôi."


def _photo(tmp_path, name: str, colour) -> str:
    from PIL import Image

    img = Image.new("RGB", (1600, 1200), colour)
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    img.save(out, format="JPEG", exif=exif)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return str(path)


def _real_problems(page) -> list[str]:
    """Console errors other than a missing WebGL in the headless browser (the map then stays blank)."""
    return [p for p in page.problems if "webgl" not in p.lower() and "WebGL" not in p]


def test_a_citizen_reports_the_ward_answers_and_the_citizen_rates(browser, demo_server, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    with open_page(browser, demo_server, **PHONE) as citizen:
        # The server trains the suggestion model on its first suggestion (seconds; more on a busy machine).
        assert citizen.request.get(f"/phan-anh/goi-y/?q={TEXT}", timeout=180_000).ok
        citizen.goto("/phan-anh/")
        citizen.wait_for_load_state("load")
        citizen.fill("#description", TEXT)
        chip = citizen.locator("[data-testid=suggestions] .fb-chip").first
        expect(chip).to_be_visible(timeout=60_000)
        assert chip.get_attribute("data-code") == "environment.waste"
        chip.click()
        expect(citizen.locator("#category")).to_have_value("environment.waste")
        citizen.click("[data-testid=gps]")
        expect(citizen.locator("[data-testid=place]")).to_have_text("Phường Hải Châu", timeout=60_000)
        citizen.set_input_files("[data-testid=photos]", _photo(tmp_path, "rac.jpg", (90, 120, 60)))
        expect(citizen.locator("#previews img")).to_have_count(1)
        shot(citizen, "feedback-1-citizen-form")
        citizen.click("[data-testid=send]")
        dupes, sent = citizen.locator("[data-testid=duplicates]"), citizen.locator("[data-testid=sent]")
        citizen.wait_for_function(
            "() => !document.getElementById('dupes').hidden || !document.getElementById('sent')"
            ".hidden || document.getElementById('form-error').textContent",
            timeout=20_000,
        )
        assert not citizen.locator("[data-testid=form-error]").inner_text(), citizen.problems
        if dupes.is_visible():  # an open report of rubbish nearby in the demo: send a new one all the same
            shot(citizen, "feedback-1b-duplicates")
            dupes.locator("button.fb-link").click()
        expect(sent).to_be_visible(timeout=15_000)
        code = citizen.locator("[data-testid=tracking-code]").inner_text()
        assert re.fullmatch(r"PA[0-9A-Z]{8}", code)
        shot(citizen, "feedback-2-citizen-sent")
        assert not _real_problems(citizen), citizen.problems

        with open_page(browser, demo_server, viewport={"width": 390, "height": 844}) as officer:
            sign_in(officer, "canbo.haichau", "canbo.haichau@2025")
            officer.goto(f"/feedback/reports/?q={code}")
            officer.locator("[data-testid=row] a", has_text=code).first.click()
            expect(officer.locator("[data-testid=reporter]")).to_contain_text("IOC")  # hidden from the agency
            shot(officer, "feedback-3-officer-report")
            officer.click("[data-testid=act-accept]")
            officer.click("button[type=submit]")
            officer.click("[data-testid=act-answer]")
            officer.fill("#id_text", "Phường đã điều xe thu gom toàn bộ rác tại đầu kiệt 45 Lê Duẩn sáng nay và nhắc "
                                     "tổ dân phố giữ vệ sinh; ảnh hiện trường sau khi thu gom kèm theo.")  # fmt: skip
            officer.set_input_files("#id_photos", _photo(tmp_path, "sach.jpg", (200, 210, 220)))
            shot(officer, "feedback-4-officer-answer")
            officer.click("[data-testid=save]")
            expect(officer.locator("[data-testid=staff-answer]")).to_be_visible()

        citizen.goto(f"/phan-anh/tra-cuu/{code}/")
        expect(citizen.locator("[data-testid=answer]")).to_contain_text("điều xe thu gom")
        expect(citizen.locator("[data-testid=answer-photo]")).to_have_count(1)
        expect(citizen.locator("[data-testid=owner-actions]")).to_be_visible()  # this phone sent it
        shot(citizen, "feedback-5-citizen-answer")
        citizen.fill("#comment", "Cảm ơn phường, đã sạch sẽ.")
        citizen.click("[data-testid=rate-yes]")
        expect(citizen.locator("[data-testid=rating]")).to_be_visible()
        expect(citizen.locator("[data-testid=status]")).to_contain_text("Đã đóng")
        shot(citizen, "feedback-6-citizen-rated")
        # The photo served to the public has no EXIF left.
        src = citizen.locator("[data-testid=answer-photo]").get_attribute("src")
        body = citizen.request.get(src).body()
        assert b"Exif" not in body and b"PhoneMaker" not in body
        assert not _real_problems(citizen), citizen.problems


def test_the_public_map_and_list_work_at_390_px(page, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/phan-anh/gan-day/")
    expect(page.locator("[data-testid=public-list] li").first).to_be_visible()
    shot(page, "feedback-7-public-list")
