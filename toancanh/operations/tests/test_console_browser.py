"""As an operator would, in the browser: alerts arrive in the inbox; one is acknowledged, one is
cleared with a reason (after being told, in Vietnamese, that a reason is needed), one is taken into a
situation which is then assigned to an agency and a person picked by name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from toancanh.tests.browser import pick, shot

pytestmark = pytest.mark.browser

INJECT = """async (rows) => {
    const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken=')).split('=')[1];
    const events = rows.map(([subject, unit], i) => ({source: "console-test", source_id: subject + "-" + Date.now(),
        sector: "environment", type: "air_quality", subject, unit, occurred_at: new Date().toISOString(),
        payload: {pm25: 150 + i}}));
    const r = await fetch('/api/v1/events', {method: 'POST', headers: {'Content-Type': 'application/json',
        'X-CSRFToken': token}, body: JSON.stringify({events})});
    return await r.json();
}"""


def _row(page, text):
    return page.locator("[data-testid=row]", has_text=text)


def test_an_operator_acknowledges_clears_and_opens_a_situation_from_an_alert_and_assigns_it(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "vanhanh")
    page.fill("#id_password", "vanhanh@2025")
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    report = page.evaluate(INJECT, [["Trạm Thử nghiệm A", "vn34-c20341"], ["Trạm Thử nghiệm B", "vn34-c20194"],
                                    ["Trạm Thử nghiệm C", "vn34-c20779"]])  # fmt: skip
    assert report["alerts_raised"] == 3, report

    page.click("[data-testid=nav-alert-list]")
    page.wait_for_load_state("load")
    page.fill("#list-q", "tram thu nghiem")  # accent-insensitive search of the inbox
    expect(page.locator("[data-testid=row]")).to_have_count(3)
    shot(page, "operator-alert-inbox")

    # Acknowledge the first.
    _row(page, "Trạm Thử nghiệm A").locator("a").first.click()
    page.click("[data-testid=act-acknowledge]")
    page.click("[data-testid=confirm]")
    expect(page.locator(".messages")).to_contain_text("Đã tiếp nhận cảnh báo")
    expect(page.locator("[data-testid=facts]")).to_contain_text("Đã tiếp nhận")

    # Clear the second: without a reason it is refused beside the field, then with one it goes.
    page.goto("/alerts/?q=tram+thu+nghiem+b")
    _row(page, "Trạm Thử nghiệm B").locator("a").first.click()
    page.click("[data-testid=act-clear]")
    page.click("[data-testid=confirm]")
    expect(page.locator("[data-testid=error-reason]")).to_contain_text("bắt buộc")
    page.fill("#id_reason", "Cảm biến báo nhầm, đã kiểm tra tại chỗ")
    shot(page, "operator-clear-alert")
    page.click("[data-testid=confirm]")
    expect(page.locator(".messages")).to_contain_text("Đã gỡ cảnh báo")
    expect(page.locator("[data-testid=facts]")).to_contain_text("Cảm biến báo nhầm, đã kiểm tra tại chỗ")

    # Open a situation from the third, ticked in the inbox.
    page.goto("/alerts/?q=tram+thu+nghiem")
    expect(page.locator("[data-testid=row]")).to_have_count(2)  # the cleared one has left the inbox
    _row(page, "Trạm Thử nghiệm C").locator("input[type=checkbox]").check()
    page.click("[data-testid=bulk-1]")
    expect(page.locator("#id_title")).to_have_value(
        "Bụi mịn PM2.5 vượt ngưỡng (AQI kém): Bụi mịn PM2.5 152 µg/m³, vượt ngưỡng 50 µg/m³"
    )
    expect(page.locator("[data-testid=chosen-unit]")).to_contain_text("Xã Hiệp Đức")
    page.fill("#id_title", "Ô nhiễm bụi mịn tại Hiệp Đức")
    page.select_option("#id_severity", "Severe")
    page.select_option("#id_type", "air-quality")  # its procedure: two steps, owners and deadlines
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=detail-title]")).to_have_text("Ô nhiễm bụi mịn tại Hiệp Đức")
    expect(page.locator("[data-testid=situation-alerts]")).to_contain_text("Bụi mịn PM2.5 152 µg/m³")

    # Assign it: the lead agency and a person, both picked by name without accents.
    page.click("[data-testid=act-assign]")
    pick(page, "lead_agency", "so y te", value="so-y-te-danang")
    pick(page, "assignees", "le minh", label="Lê Minh Y")
    shot(page, "operator-assign-situation")
    page.click("[data-testid=confirm]")
    expect(page.locator("[data-testid=assigned]")).to_contain_text("Sở Y tế")
    expect(page.locator("[data-testid=assigned]")).to_contain_text("Lê Minh Y")
    timeline = page.locator("[data-testid=timeline]")
    expect(timeline).to_contain_text("Trần Thị Vân (Vận hành IOC)")  # names, not logins
    expect(timeline).not_to_contain_text("vanhanh ")
    # Work it: tick the procedure's steps, take it in hand, resolve it.
    expect(page.locator("[data-testid=steps] li")).to_have_count(2)
    page.click("[data-testid=step-1]")
    page.click("[data-testid=step-2]")
    expect(page.locator("[data-testid=steps] li.done")).to_have_count(2)
    page.click("[data-testid=to-in_progress]")
    expect(page.locator("[data-testid=situation-status]")).to_have_text("Đang xử lý")
    page.fill("input[name=note]", "Đã khuyến cáo người dân, chỉ số bụi đã giảm")
    page.click("[data-testid=to-resolved]")
    expect(page.locator("[data-testid=situation-status]")).to_have_text("Đã xử lý xong")
    expect(timeline).to_contain_text("Đã khuyến cáo người dân, chỉ số bụi đã giảm")
    shot(page, "operator-situation")
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-testid=menu-button]")
    expect(page.locator("#sidenav")).to_be_visible()
    shot(page, "operator-situation-phone-menu")
    assert page.problems == []
