"""Deadlines on the working-day calendar: Tết 2026, the swapped Saturdays 26/04/2025 and 10/01/2026,
the compensatory Monday 27/04/2026, office hours around lunch, weekends and holidays, and an
administrator's edit that moves a deadline (../shared/reference/holidays-working-days.md)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import translation

from toancanh.core import calendar_services, workdays
from toancanh.core.calendar_defaults import defaults_for, generated
from toancanh.core.deadlines import Deadline
from toancanh.core.errors import ServiceError
from toancanh.core.models import AuditEntry, CalendarDay, CalendarYear
from toancanh.packs import api

pytestmark = pytest.mark.django_db
D = dt.date
HCM = workdays.LOCAL


def at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=HCM)


def test_three_working_days_from_the_friday_before_tet_2026_fall_on_the_wednesday_after():
    assert api.add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)  # 14–22/02 off (Thông báo 9441/TB-BNV)
    assert [api.is_working_day(D(2026, 2, d)) for d in range(13, 24)] == [True] + [False] * 9 + [True]
    assert api.working_days_between(D(2026, 2, 13), D(2026, 2, 25)) == 3


def test_the_swapped_saturday_10_01_2026_is_a_working_day_and_friday_02_01_is_not():
    assert api.is_working_day(D(2026, 1, 10)) and not api.is_working_day(D(2026, 1, 2))
    assert api.add_working_days(D(2026, 1, 9), 1) == D(2026, 1, 10)
    assert api.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)  # 01/01 holiday, 02/01 swapped, weekend


def test_the_swapped_saturday_26_04_2025_counts_and_the_long_break_of_30_04_does_not():
    assert api.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert api.add_working_days(D(2025, 4, 26), 1) == D(2025, 4, 28)
    assert api.add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)  # 30/4, 1/5, swapped 2/5, weekend


def test_the_compensatory_monday_27_04_2026_after_gio_to_on_a_sunday_is_a_day_off():
    assert not api.is_working_day(D(2026, 4, 26)) and not api.is_working_day(D(2026, 4, 27))
    assert api.add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_a_datetime_keeps_its_time_and_one_received_on_a_day_off_counts_from_the_next_opening():
    assert api.add_working_days(at(2026, 2, 13, 15, 45), 1) == at(2026, 2, 23, 15, 45)
    assert api.add_working_days(at(2026, 2, 14, 22, 0), 1) == at(2026, 2, 24, 7, 30)  # received in Tết
    utc = dt.datetime(2026, 2, 13, 1, 0, tzinfo=dt.UTC)  # 08:00 in Hồ Chí Minh City
    assert api.add_working_days(utc, 3) == at(2026, 2, 25, 8, 0)
    assert api.add_working_days(D(2026, 2, 14), 0) == D(2026, 2, 23)
    assert api.add_working_days(D(2026, 2, 25), -3) == D(2026, 2, 13)
    with pytest.raises(ValueError, match="timezone-aware"):
        api.add_working_days(dt.datetime(2026, 2, 13, 9, 0), 1)  # noqa: DTZ001 - the refusal under test


def test_counting_between_two_days_undoes_adding_working_days_across_two_years():
    rng = random.Random(9)
    for _ in range(200):
        start = D(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))
        n = rng.randrange(0, 30)
        assert api.working_days_between(start, api.add_working_days(start, n)) == n, (start, n)
    assert api.working_days_between(D(2026, 2, 25), D(2026, 2, 13)) == -3


def test_working_hours_skip_the_lunch_break_a_weekend_and_a_holiday():
    assert api.add_working_hours(at(2026, 3, 9, 10, 30), 2) == at(2026, 3, 9, 14, 30)  # lunch 11:30–13:30
    assert api.add_working_hours(at(2026, 3, 9, 12, 0), 1) == at(2026, 3, 9, 14, 30)  # from lunch: after it
    assert api.add_working_hours(at(2026, 3, 6, 16, 0), 2) == at(2026, 3, 9, 8, 30)  # Friday → Monday
    assert api.add_working_hours(at(2026, 4, 29, 16, 30), 1) == at(2026, 5, 4, 8, 0)  # 30/4, 1/5, weekend
    assert api.add_working_hours(at(2026, 3, 9, 13, 30), 3.5) == at(2026, 3, 9, 17, 0)  # ends at closing
    assert api.add_working_hours(at(2026, 3, 9, 6, 0), 0) == at(2026, 3, 9, 7, 30)
    assert api.working_hours_between(at(2026, 2, 13, 16, 0), at(2026, 2, 23, 9, 30)) == 3.0  # Tết in between
    assert api.working_hours_between(at(2026, 3, 9, 17, 0), at(2026, 3, 9, 8, 0)) == -7.0


def test_office_hours_and_the_normal_week_are_settings():
    with override_settings(TOANCANH_OFFICE_HOURS="08:00-12:00,13:00-17:00", TOANCANH_WORK_WEEK="1,2,3,4,5,6"):
        assert api.add_working_hours(at(2026, 3, 9, 11, 0), 2) == at(2026, 3, 9, 14, 0)
        assert api.is_working_day(D(2026, 3, 7))  # an ordinary Saturday
        assert not api.is_working_day(D(2026, 2, 17))  # mùng 1 Tết stays off
    with override_settings(TOANCANH_OFFICE_HOURS="sáng"), pytest.raises(ImproperlyConfigured):
        api.add_working_hours(at(2026, 3, 9), 1)
    with override_settings(TOANCANH_WORK_WEEK="1,2,9"), pytest.raises(ImproperlyConfigured):
        api.is_working_day(D(2026, 3, 9))


def test_a_disease_report_runs_in_calendar_hours_through_tet_and_a_citizen_report_in_working_days():
    received = at(2026, 2, 16, 10, 0)  # 29 Tết
    assert Deadline(24, Deadline.HOURS).due(received) == at(2026, 2, 17, 10, 0)
    assert not Deadline(24, Deadline.HOURS).working_time and Deadline(1, Deadline.WORKING_DAYS).working_time
    assert Deadline(1, Deadline.WORKING_DAYS).due(received) == at(2026, 2, 24, 7, 30)
    assert Deadline(8, Deadline.WORKING_HOURS).due(at(2026, 2, 13, 9, 0)) == at(2026, 2, 23, 9, 30)  # 6 h + 2 h
    assert Deadline(2, Deadline.DAYS).due(received) == at(2026, 2, 18, 10, 0)
    assert Deadline(3, Deadline.WORKING_DAYS).used(at(2026, 2, 13), at(2026, 2, 24)) == 2
    with pytest.raises(ValueError, match="unknown deadline unit"):
        Deadline(3, "weeks")


def test_an_administrators_local_day_off_moves_a_deadline_and_removing_it_moves_it_back(admin_user):
    assert api.add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)
    day = calendar_services.create_day(date=D(2026, 2, 24), kind="local_off", name="Lễ hội địa phương", by=admin_user)
    assert api.add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 26)
    calendar_services.delete_day(day, by=admin_user)
    assert api.add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)
    actions = list(AuditEntry.objects.filter(action__startswith="calendar.").values_list("action", flat=True))
    assert sorted(actions) == ["calendar.create", "calendar.delete"]


def test_an_unseeded_year_knows_its_statutory_holidays_and_seeding_keeps_the_administrators_days(admin_user):
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not api.is_working_day(D(2027, 5, 3))  # 1/5/2027 is a Saturday: compensatory Monday
    assert not api.is_working_day(D(2027, 4, 16))  # Giỗ Tổ, 10/3 lunar
    counts = calendar_services.seed_year(2027, by=admin_user)
    assert counts["created"] == len(generated(2027)) and CalendarYear.objects.get(year=2027).origin == "generated"
    giotto = CalendarDay.objects.get(date=D(2027, 4, 16))
    calendar_services.update_day(giotto, date=giotto.date, kind="holiday", name="Giỗ Tổ (sửa)", by=admin_user)
    calendar_services.delete_day(CalendarDay.objects.get(date=D(2027, 5, 3)), by=admin_user)
    assert api.is_working_day(D(2027, 5, 3))
    national = CalendarDay.objects.get(date=D(2027, 9, 3))  # the day next to 2/9, moved to the Monday before
    calendar_services.update_day(national, date=D(2027, 8, 30), kind="holiday", name="Quốc khánh", by=admin_user)
    again = calendar_services.seed_year(2027, by=admin_user)
    assert again == {"created": 0, "updated": 0, "kept": 3}
    assert api.is_working_day(D(2027, 9, 3)) and not api.is_working_day(D(2027, 8, 30))
    assert CalendarDay.objects.get(date=D(2027, 4, 16)).name == "Giỗ Tổ (sửa)"
    assert api.is_working_day(D(2027, 5, 3))  # the removed default did not come back


def test_the_library_agrees_with_the_official_2025_and_2026_schedules_on_every_statutory_day():
    for year, missing_swaps in ((2025, set()), (2026, {D(2026, 1, 2), D(2026, 1, 10)})):
        # a statutory day on a weekend is off anyway: compare the days that change a count
        official = {d.date: d.kind for d in defaults_for(year)[0] if d.date.isoweekday() < 6 or d.kind != "holiday"}
        library = {d.date: d.kind for d in generated(year) if d.date.isoweekday() < 6 or d.kind != "holiday"}
        assert set(official) - set(library) == missing_swaps, year  # swaps the library does not know
        assert set(library) - set(official) == set(), year
        off = {"holiday", "compensatory", "swapped_off"}
        assert all((official[d] in off) == (library[d] in off) for d in library), year


def test_bad_calendar_input_is_refused_with_a_reason_in_vietnamese(admin_user):
    with translation.override("vi"):
        with pytest.raises(ServiceError, match="loại ngày “festival” không có"):
            calendar_services.create_day(date=D(2026, 3, 2), kind="festival", name="Lễ", by=admin_user)
        with pytest.raises(ServiceError, match="ngày 02/09/2026 đã có trong lịch"):
            calendar_services.create_day(date=D(2026, 9, 2), kind="local_off", name="Lần hai", by=admin_user)
        with pytest.raises(ServiceError, match="năm phải trong khoảng từ 2000 đến 2100"):
            calendar_services.seed_year(1999, by=admin_user)
        with pytest.raises(ServiceError, match="tối đa 200 ký tự"):
            calendar_services.create_day(date=D(2026, 3, 2), kind="local_off", name="x" * 201, by=admin_user)
    assert not CalendarDay.objects.filter(date=D(2026, 3, 2)).exists()


@pytest.fixture
def admin_user():
    """Who acts: the services trust their caller (the calendar's pages check that it is an
    administrator, ``tests/test_calendar_pages.py``); here the system itself."""
    return None
