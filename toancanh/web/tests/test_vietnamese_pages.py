"""Vietnamese throughout, English complete: every staff page a role can reach (lists, details, forms,
error pages), walked as each role, shows no English interface text when the interface is in
Vietnamese and no Vietnamese interface text when it is in English; in neither language does a person
read a date, a time or a period as a machine writes it (``2026-10``, ``2026Q3``, ISO timestamps, English
month names on Vietnamese pages, date inputs that follow the browser's language). Names, codes,
numbers, addresses, what the database holds and texts marked as the other language (``lang``) are
data, not interface, and are left out (toancanh/tests/crawl.py). The same crawl walks the demo as
each demo account in the browser tests (test_demo_pages.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from toancanh.core.scoping import Scope
from toancanh.tests.cast import HIEP_DUC, TAM_KY
from toancanh.tests.crawl import (
    DataPhrases,
    client_getter,
    data_strings,
    english_words,
    machine_text,
    report,
    vietnamese_words,
    walk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_world(world):
    """The shared cast with work in hand: rules, live alerts, an open situation, a draft warning,
    channels, and a notification."""
    from toancanh.operations import demo, engine, services
    from toancanh.operations.models import InAppNotification

    engine.reset()
    demo.build("vn34-p48")
    now = timezone.now()
    rows = [
        {"source": "t", "source_id": f"e{i}", "sector": "environment", "type": kind, "subject": subject,
         "unit": unit, "occurred_at": (now - dt.timedelta(minutes=5 - i)).isoformat(), "payload": payload}
        for i, (subject, unit, kind, payload) in enumerate([
            ("Trạm Hiệp Đức", HIEP_DUC, "air", {"pm25": 90}),
            ("Trạm Tam Kỳ", TAM_KY, "water_level", {"level_m": 2.9, "alarm": 3}),
        ])
    ]  # fmt: skip
    services.ingest_events(rows, by=None, scope=Scope(everywhere=True))
    InAppNotification.objects.create(user=world.users["operator"], title="Cảnh báo mới tại Hiệp Đức", link="/alerts/")
    _figures_and_reports()
    yield world
    engine.reset()


def _figures_and_reports() -> None:
    """Figures by month and by quarter with a target, and a month's report of a commune: the pages
    that show periods."""
    from toancanh.indicators import services as indicator_services
    from toancanh.indicators.tests.factories import EVERYWHERE, indicator, values
    from toancanh.reporting.tests.factories import monthly_regime

    indicator("REV", name_vi="Thu ngân sách nhà nước", name_en="State budget revenue")
    indicator("GRDP_Q", name_vi="Tổng sản phẩm trên địa bàn", name_en="Gross regional domestic product",
              period_type="quarter")  # fmt: skip
    year = timezone.localdate().year - 1
    values(
        *[("REV", HIEP_DUC, f"{year}-{m:02d}", 10 + m) for m in range(1, 13)],
        *[("GRDP_Q", HIEP_DUC, f"{year}Q{q}", 100 + q) for q in range(1, 5)],
    )
    indicator_services.set_target(by=None, scope=EVERYWHERE, indicator="REV", unit=HIEP_DUC, year=year, value=150)
    monthly_regime()


ROLES = ["admin", "operator", "leader", "officer", "clerk_hiep_duc"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_in_vietnamese(busy_world, role):
    get = client_getter(busy_world.client(role), "vi")
    problems, seen = walk(get, check=[english_words, machine_text])
    assert len(seen) > 15  # the walk reached the role's consoles
    assert not problems, report(problems, "English interface text or machine dates")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_in_english_when_english_is_chosen(busy_world, role):
    data = DataPhrases(data_strings())
    get = client_getter(busy_world.client(role), "en")
    problems, seen = walk(get, check=[lambda html: vietnamese_words(html, data), lambda html: machine_text(html, "en")])
    assert len(seen) > 15
    assert not problems, report(problems, "Vietnamese interface text or machine dates")


def test_error_pages_are_in_vietnamese_inside_the_frame_with_a_way_back(busy_world):
    client = busy_world.client("operator")
    for url, status in [("/alerts/999999/", 404), ("/users/", 403)]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        html = response.content.decode()
        assert response.status_code == status
        assert 'class="sidenav"' in html and 'data-testid="error-page"' in html and 'href="/"' in html
        assert english_words(html)[0] == []


def test_the_date_check_finds_machine_dates_periods_and_browser_dependent_date_inputs():
    found, _ = machine_text(
        "<p>Kỳ 2026-10 · 2026Q3 · cập nhật 2026-10-05T08:30:00Z · ngày 05 October 2026 · 8:30 PM</p>"
        '<input type="date" name="deadline"><input type="text" name="on" value="2026-10-05">'
        '<p>Tháng 10/2026 · Quý III/2026 · 05/10/2026 14:30 · 2020-2025 · mã so-y-te-2026 · <time datetime="2026-10-05">'
        "05/10/2026</time> <code>2026-10</code></p>"
    )
    assert len(found) == 7, found  # five in the text, the date input and the typed ISO date; none in the second line


def test_the_english_check_finds_vietnamese_interface_text_and_leaves_names_and_data_alone():
    data = DataPhrases(["Xã Hiệp Đức", "Nguyễn Văn A"])
    found, _ = vietnamese_words(
        '<p>Commune Xã Hiệp Đức · Nguyễn Văn A · <span lang="vi">Mực nước cao</span> Tiếng Việt · 766/QĐ-TTg</p>'
        "<p>Targets (chỉ tiêu kế hoạch), e.g. “Lễ hội Cầu Ngư”</p>"
        '<p>Lưu thay đổi · Đức</p><button title="Đóng">Close</button>',
        data,
    )
    assert len(found) == 4, found  # "Lưu", "đổi", "Đức" alone (not a name in the data) and "Đóng"


def test_the_check_finds_english_and_leaves_vietnamese_names_and_codes_alone():
    words, _ = english_words(
        "<p>Lưu thay đổi · Đơn vị · <code>level_m = 3.8</code> so-y-te an toàn, to lớn, no đủ, do đó, in ấn</p>"
        '<p lang="en">Heavy rain and flooding</p><button title="Save">Lưu</button><p>No results found</p>'
    )
    assert len(words) == 3  # "Save", "results", "found"; nothing from the Vietnamese, the code or the English text
    assert not any("Heavy" in w or "toàn" in w for w in words)
