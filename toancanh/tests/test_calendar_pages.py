"""The working-day calendar's pages: the year view, the list with its filters, an administrator's
create / edit / delete (confirmed) and "seed this year's defaults"; other roles only look."""

from __future__ import annotations

import datetime as dt

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.core import workdays
from toancanh.core.models import AuditEntry, CalendarDay, CalendarYear
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(StaffFactory(role="admin", unit=Unit.objects.get(key="vn34-p48")))
    return client


@pytest.fixture
def leader(client):
    client.force_login(StaffFactory(role="leader", unit=Unit.objects.get(key="vn34-p48")))
    return client


def test_the_year_view_colours_tet_the_swapped_saturday_and_the_compensatory_monday(admin):
    html = admin.get("/calendar/?year=2026").content.decode()
    assert html.count('class="cal-month"') == 12 and 'data-testid="legend"' in html
    assert 'data-date="2026-02-17" data-state="off"' in html
    assert 'data-date="2026-01-10" data-state="swapped"' in html
    assert 'data-date="2026-04-27" data-state="off"' in html
    assert 'data-date="2026-02-14" data-state="weekend"' in html
    assert 'data-date="2026-02-23" data-state="working"' in html
    assert "Thông báo 9441/TB-BNV" in html and 'href="/calendar/seed/?year=2026"' in html


def test_the_list_filters_by_year_and_kind(admin):
    html = admin.get("/calendar/?year=2025&kind=swapped_working").content.decode()
    assert "26/04/2025" in html and "10/01/2026" not in html
    assert admin.get("/calendar/?year=2026&kind=compensatory").content.decode().count("Nghỉ bù Giỗ Tổ") >= 1


def test_an_administrator_adds_edits_and_deletes_a_local_day_off_and_the_deadline_follows(admin):
    assert workdays.add_working_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)
    response = admin.post("/calendar/new/", {"date": "2026-03-09", "kind": "local_off", "name": "Lễ hội Cầu Ngư",
                                             "source": "Quyết định của UBND tỉnh"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/calendar/?year=2026"
    day = CalendarDay.objects.get(date=dt.date(2026, 3, 9))
    assert day.edited and workdays.add_working_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 10)
    assert 'data-date="2026-03-09" data-state="off"' in admin.get("/calendar/?year=2026").content.decode()
    admin.post(f"/calendar/{day.pk}/edit/", {"date": "2026-03-10", "kind": "local_off", "name": "Lễ hội Cầu Ngư"})
    assert workdays.add_working_days(dt.date(2026, 3, 6), 1) == dt.date(2026, 3, 9)
    confirm = admin.get(f"/calendar/{day.pk}/delete/").content.decode()
    assert 'data-testid="confirm-form"' in confirm
    assert CalendarDay.objects.filter(pk=day.pk).exists()  # asking changed nothing yet
    assert admin.post(f"/calendar/{day.pk}/delete/").status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    actions = sorted(AuditEntry.objects.filter(action__startswith="calendar.").values_list("action", flat=True))
    assert actions == ["calendar.create", "calendar.delete", "calendar.update"]


def test_bad_input_on_the_form_is_answered_in_vietnamese_beside_the_field(admin):
    admin.cookies["django_language"] = "vi"
    twice = admin.post("/calendar/new/", {"date": "2026-09-02", "kind": "local_off", "name": "Lần hai"})
    assert twice.status_code == 200 and "ngày 02/09/2026 đã có trong lịch" in twice.content.decode()
    kind = admin.post("/calendar/new/", {"date": "2026-03-02", "kind": "festival", "name": "Lễ"}).content.decode()
    assert "festival" in kind and 'value="Lễ"' in kind  # Django's choice error; the name typed is kept
    old = admin.post("/calendar/new/", {"date": "1999-03-02", "kind": "local_off", "name": "Xưa"}).content.decode()
    assert "năm phải trong khoảng từ 2000 đến 2100" in old
    assert not CalendarDay.objects.filter(name__in=["Lần hai", "Lễ", "Xưa"]).exists()
    seed = admin.post("/calendar/seed/", {"year": "1999"})
    assert seed.status_code == 400 and "năm phải trong khoảng từ 2000 đến 2100" in seed.content.decode()
    assert admin.get("/calendar/seed/?year=abc").status_code == 400
    assert not AuditEntry.objects.filter(action="calendar.seed").exists()  # nothing seeded instead


def test_seeding_a_year_from_the_page_is_confirmed_first_and_keeps_the_administrators_days(admin):
    assert "2027" in admin.get("/calendar/seed/?year=2027").content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    admin.post("/calendar/new/", {"date": "2027-02-05", "kind": "local_off", "name": "Của quản trị"})
    assert admin.post("/calendar/seed/", {"year": "2027"}).status_code == 302
    assert CalendarYear.objects.get(year=2027).origin == "generated"
    assert CalendarDay.objects.get(date=dt.date(2027, 2, 5)).name == "Của quản trị"  # not the library's Tết name
    assert CalendarDay.objects.filter(date=dt.date(2027, 4, 16)).exists()  # Giỗ Tổ 2027


def test_other_roles_see_the_calendar_but_cannot_change_it(leader):
    html = leader.get("/calendar/?year=2026").content.decode()
    assert 'data-testid="year-view"' in html and 'data-testid="create"' not in html and 'data-testid="seed"' not in html
    day = CalendarDay.objects.get(date=dt.date(2026, 2, 17))
    assert leader.get("/calendar/new/").status_code == 404
    assert leader.post("/calendar/seed/", {"year": "2027"}).status_code == 403
    assert leader.post(f"/calendar/{day.pk}/delete/").status_code == 403
    assert (
        CalendarDay.objects.filter(pk=day.pk, withdrawn=False).exists()
        and not CalendarYear.objects.filter(year=2027).exists()
    )


def test_citizens_and_visitors_do_not_reach_the_calendar_pages(world, client):
    assert world.client("citizen").get("/calendar/").status_code == 403
    assert world.client("citizen").post("/calendar/seed/", {"year": "2027"}).status_code == 403
    anonymous = client.get("/calendar/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert world.client("admin").get("/calendar/").status_code == 200
