"""Periods and dates as people read and type them: "Tháng 10/2026", "Quý III/2026", 05/10/2026 14:30,
never 2026-10, 2026Q3 or a date in the browser's own format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from toancanh.core.pages import DateField, DateTimeField
from toancanh.core.periods import Period, PeriodError


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("2026-10", "Tháng 10/2026", "10/2026"),
        ("2026Q3", "Quý III/2026", "Q3 2026"),
        ("2026H1", "6 tháng đầu năm 2026", "H1 2026"),
        ("2026", "Năm 2026", "2026"),
        ("2026-10-05", "05/10/2026", "05/10/2026"),
    ],
)
def test_a_period_is_labelled_as_people_say_it_in_each_language(code, vi, en):
    with translation.override("vi"):
        assert Period.parse(code).label == vi
    with translation.override("en"):
        assert Period.parse(code).label == en


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("06/2025", "2025-06"), ("Tháng 6/2025", "2025-06"), ("thang 06 / 2025", "2025-06"),
        ("Quý II/2025", "2025Q2"), ("quy iv/2024", "2024Q4"), ("Q2 2025", "2025Q2"),
        ("6 tháng đầu năm 2025", "2025H1"), ("H2 2025", "2025H2"), ("Năm 2025", "2025"),
        ("15/06/2025", "2025-06-15"), ("2025-06", "2025-06"), ("2025q2", "2025Q2"),
    ],
)  # fmt: skip
def test_a_period_is_read_as_a_person_types_it_or_as_its_code(typed, code):
    assert Period.from_text(typed).code == code


@pytest.mark.parametrize("typed", ["13/2025", "32/01/2025", "Quý V/2025", "06/1800", "tháng sau"])
def test_what_is_not_a_period_is_refused(typed):
    with pytest.raises(PeriodError):
        Period.from_text(typed)


def test_a_labelled_period_reads_back_as_the_same_period():
    for code in ("2026-10", "2026Q3", "2026H2", "2026", "2026-10-05"):
        for language in ("vi", "en"):
            with translation.override(language):
                assert Period.from_text(Period.parse(code).label).code == code


def test_a_date_field_shows_and_reads_dd_mm_yyyy_and_still_takes_an_iso_date():
    field = DateField()
    html = field.widget.render("on", dt.date(2026, 10, 5))
    assert 'value="05/10/2026"' in html and 'type="text"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert field.clean("05/10/2026") == field.clean("5/10/2026") == field.clean("2026-10-05") == dt.date(2026, 10, 5)


def test_a_wrong_date_is_refused_in_vietnamese():
    with translation.override("vi"), pytest.raises(Exception, match="dd/mm/yyyy") as refused:
        DateField().clean("10/30/2026")
    assert "Nhập ngày" in str(refused.value)


@pytest.mark.django_db
def test_a_date_and_time_field_shows_vietnamese_time_in_24_hours():
    field = DateTimeField()
    with translation.override("vi"):
        when = field.clean("05/10/2026 14:30")
        assert (when.hour, when.minute, when.day, when.month) == (14, 30, 5, 10)
        html = field.widget.render("at", field.prepare_value(when))
    assert 'value="05/10/2026 14:30"' in html and 'type="text"' in html
    with translation.override("vi"), pytest.raises(Exception, match="Nhập ngày và giờ"):
        field.clean("2:30 PM 10/05/2026")
