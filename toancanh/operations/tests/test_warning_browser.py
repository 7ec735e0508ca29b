"""As an operator would, in the browser: a public warning composed from units picked by name, its CAP
message previewed and published, then updated with an area drawn on the map, then cancelled; each
message published validates against the OASIS CAP 1.2 schema. Screenshots of the composer (1366 and
390 px wide), the channels and the procedure pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from lxml import etree
from playwright.sync_api import expect
from shapely.geometry import box, shape

from toancanh.tests.browser import ARTIFACTS, open_page, pick, shot, sign_in

pytestmark = pytest.mark.browser
XSD = settings.SHARED_DATA_DIR / "CAP-v1.2.xsd"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def _valid_cap(page, url: str) -> etree._Element:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"].startswith("application/cap+xml")
    doc = etree.fromstring(response.body())
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(doc)
    return doc


def _full(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _draw_inside(page, key: str) -> None:
    """Zoom the drawing map to a commune (as a person would) and click four corners inside it."""
    data = page.evaluate("async (k) => (await fetch(`/api/v1/units/${k}/map`)).json()", key)
    if data.get("focus") == key:  # a commune is drawn as its cell in its parent's map
        commune = shape(next(f["geometry"] for f in data["features"] if f["properties"]["key"] == key))
    else:
        commune = shape(data["unit"]["outline"])
    centre = commune.representative_point()
    size = (commune.area**0.5) / 4
    while not box(centre.x - size, centre.y - size, centre.x + size, centre.y + size).within(commune):
        size /= 2
    x0, y0, x1, y1 = commune.bounds
    page.evaluate("(b) => window.toancanhAreaMap.fitBounds(b, {animate: false, padding: 20})", [x0, y0, x1, y1])
    page.click("[data-testid=draw-start]")
    canvas = page.locator("#area-map canvas").bounding_box()
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        px = page.evaluate("(c) => window.toancanhAreaMap.project(c)", [centre.x + dx * size, centre.y + dy * size])
        page.mouse.click(canvas["x"] + px["x"], canvas["y"] + px["y"])
    page.click("[data-testid=draw-finish]")
    expect(page.locator("#area-map")).to_have_attribute("data-state", "drawn")


def test_an_operator_composes_publishes_updates_and_cancels_a_public_warning(browser, demo_server):
    if not XSD.exists():
        pytest.skip("../shared/data/CAP-v1.2.xsd is not beside the repository")
    with open_page(browser, demo_server, viewport={"width": 1366, "height": 900}) as page:
        sign_in(page, "vanhanh", "vanhanh@2025")
        page.click("[data-testid=nav-warning-list]")
        # The demo's drafts: the operations demo's heavy-rain warning, and those the floods watch drafted
        # as the demo's river gauges rose past alarm III.
        expect(page.locator("[data-testid=row]", has_text="Cảnh báo mưa lớn")).to_have_count(1)
        expect(page.locator("[data-testid=row]", has_text="Cảnh báo lũ: mực nước").first).to_contain_text("Bản nháp")
        page.click("[data-testid=create]")

        # Compose: areas picked by name without accents, CAP choices in Vietnamese, both languages.
        pick(page, "units", "hiep duc", value="vn34-c20779")
        pick(page, "units", "tam ky", value="vn34-c20341")
        page.select_option("#id_category", "Met")
        page.select_option("#id_urgency", "Immediate")
        expires = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=31)).astimezone(dt.timezone(dt.timedelta(hours=7)))
        page.fill("#id_expires_at", expires.strftime("%d/%m/%Y %H:%M"))  # as Vietnamese write it, 24 h
        page.fill("#id_event", "Lũ quét")
        page.fill("#id_headline", "Cảnh báo lũ quét tại Hiệp Đức và Tam Kỳ")
        page.fill("#id_description", "Mưa lớn 250 mm trong 24 giờ, nguy cơ lũ quét ở các khe suối.")
        page.fill("#id_instruction", "Không qua ngầm tràn, di dời khỏi ven suối.")
        page.fill("#id_event_en", "Flash flood")
        page.fill("#id_headline_en", "Flash flood warning for Hiệp Đức and Tam Kỳ")
        page.fill("#id_description_en", "Heavy rain of 250 mm in 24 hours; flash floods likely along streams.")
        expect(page.locator("#area-map")).to_have_attribute("data-state", "ready")
        _full(page, "operator-warning-composer-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        _full(page, "operator-warning-composer-390")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.click("[data-testid=save]")

        # The draft's page previews its CAP message, checked against the schema.
        expect(page.locator(".messages")).to_contain_text("Đã lưu bản nháp")
        expect(page.locator("[data-testid=warning-status]")).to_have_text("Bản nháp")
        expect(page.locator("[data-testid=cap-valid]")).to_be_visible()
        expect(page.locator("[data-testid=cap-preview]")).to_contain_text("<headline>Cảnh báo lũ quét tại Hiệp Đức")
        shot(page, "operator-warning-draft-preview")

        # Publish: the public message validates.
        page.click("[data-testid=act-publish]")
        page.click("[data-testid=confirm]")
        expect(page.locator("[data-testid=warning-status]")).to_have_text("Đã phát hành")
        first = _valid_cap(page, page.get_attribute("[data-testid=public-cap]", "href"))
        assert first.findtext(f"{CAP}msgType") == "Alert"
        assert {a.findtext(f"{CAP}areaDesc") for a in first.find(f"{CAP}info").findall(f"{CAP}area")} == {
            "Xã Hiệp Đức", "Phường Tam Kỳ"}  # fmt: skip

        # Update it: more severe, over an area drawn inside Hiệp Đức.
        page.click("[data-testid=act-update]")
        expect(page.locator("[data-testid=update-notice]")).to_be_visible()
        expect(page.locator("#id_headline")).to_have_value("Cảnh báo lũ quét tại Hiệp Đức và Tam Kỳ")
        page.select_option("#id_severity", "Extreme")
        page.fill("#id_headline", "Lũ quét đang xảy ra tại Hiệp Đức")
        _draw_inside(page, "vn34-c20779")
        shot(page, "operator-warning-update-drawn")
        page.click("[data-testid=save]")
        expect(page.locator(".messages")).to_contain_text("Bản cập nhật đã được phát hành")
        update = _valid_cap(page, page.get_attribute("[data-testid=public-cap]", "href"))
        assert update.findtext(f"{CAP}msgType") == "Update"
        assert first.findtext(f"{CAP}identifier") in update.findtext(f"{CAP}references")
        area = update.find(f"{CAP}info").findall(f"{CAP}area")
        assert len(area) == 1 and area[0].findtext(f"{CAP}polygon")

        # Cancel it.
        page.click("[data-testid=act-cancel]")
        page.click("[data-testid=confirm]")
        expect(page.locator(".messages")).to_contain_text("Cảnh báo đã được hủy")
        cancel = _valid_cap(page, page.get_attribute("[data-testid=public-cap]", "href"))
        assert cancel.findtext(f"{CAP}msgType") == "Cancel"
        assert update.findtext(f"{CAP}identifier") in cancel.findtext(f"{CAP}references")
        expect(page.locator("[data-testid=earlier]")).to_contain_text("Cập nhật")
        page.goto("/warnings/?status=cancelled")
        expect(page.locator("[data-testid=row]")).to_have_count(1)
        assert page.problems == []

    # The administrator's channels and procedures, for the record.
    with open_page(browser, demo_server, viewport={"width": 1366, "height": 900}) as page:
        sign_in(page, "quantri", "quantri@2025")
        page.goto("/channels/")
        expect(page.locator("[data-testid=row]")).to_have_count(2)  # the demo's
        shot(page, "admin-channels")
        page.locator("[data-testid=row] a", has_text="Thư điện tử").first.click()
        expect(page.locator("[data-testid=channel-config]")).to_contain_text("***")  # the password, masked
        shot(page, "admin-channel-detail")
        page.goto("/channels/")
        page.locator("[data-testid=row] a", has_text="trong ứng dụng").first.click()
        page.click("[data-testid=act-test]")
        page.click("[data-testid=confirm]")
        expect(page.locator(".messages")).to_contain_text("Tin nhắn thử đã được gửi tới nơi nhận")
        page.goto("/procedures/")
        page.locator("[data-testid=row] a", has_text="Ngập lụt").first.click()
        expect(page.locator("[data-testid=procedure-steps] li")).to_have_count(3)
        shot(page, "admin-procedure")
        page.click("[data-testid=edit]")
        shot(page, "admin-procedure-edit")

        # A new procedure with more steps than the form's empty rows: "Thêm bước" adds one.
        page.goto("/procedures/new/")
        page.fill("#id_name", "Sạt lở đất vùng núi")
        page.fill("#id_code", "sat-lo-dat-vung-nui")
        for i, title in enumerate(["Cảnh báo người dân", "Sơ tán khu vực nguy hiểm", "Phong tỏa đường", "Khảo sát"]):
            if i == 3:
                page.click("[data-testid=add-step]")
            page.fill(f"#id_step_{i}_title", title)
        page.fill("#id_step_3_due", "4")
        page.select_option("#id_step_3_unit", "hours")
        shot(page, "admin-procedure-new-four-steps")
        page.click("[data-testid=save]")
        steps = page.locator("[data-testid=procedure-steps] li")
        expect(steps).to_have_count(4)
        expect(steps.nth(3)).to_contain_text("Khảo sát")
        assert page.problems == []
