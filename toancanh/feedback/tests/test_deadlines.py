"""Deadlines on the working-day calendar, and the watch: reminders, overdue marks, escalation."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from toancanh.feedback import handling, services
from toancanh.feedback.models import Entry, Report, Status
from toancanh.feedback.tests.conftest import submission
from toancanh.feedback.watch import check_deadlines

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=VN)


@pytest.mark.parametrize(
    ("category", "received", "due"),
    [
        # Tết Bính Ngọ: off Sat 14/02 → Sun 22/02/2026; three working days are Mon 23 → Wed 25/02.
        ("urban_order.sidewalk", at(2026, 2, 13), at(2026, 2, 25, 17)),
        # The swapped Saturday 10/01/2026 is a working day (Fri 02/01 was given off for it).
        ("urban_order.sidewalk", at(2026, 1, 8), at(2026, 1, 12, 17)),
        # Urgent (1 working day) on New Year's Eve: 01/01 → 04/01/2026 off.
        ("environment.dead_animal", at(2025, 12, 31), at(2026, 1, 5, 17)),
        # 15 working days across 30/4 and 1/5/2026 (Thu, Fri off).
        ("other.other", at(2026, 4, 28), at(2026, 5, 21, 17)),
    ],
)
def test_answer_deadlines_count_working_days_across_tet_and_a_swapped_saturday(agencies, category, received, due):
    report = services.submit_report(submission(category), now=received)
    assert report.due_at.astimezone(VN) == due


def test_a_deadline_in_working_hours_skips_the_night_and_the_weekend(agencies):
    # Congestion: 4 working hours. Friday 16:00 → the following Monday morning.
    report = services.submit_report(submission("traffic.congestion"), now=at(2026, 3, 6, 16))
    due = report.due_at.astimezone(VN)
    assert due.date() == dt.date(2026, 3, 9) and 8 <= due.hour <= 12


def test_the_watch_reminds_then_marks_overdue_then_escalates_to_the_level_above(agencies, staff):
    from toancanh.operations.models import InAppNotification

    report = services.submit_report(submission(), now=at(2026, 3, 2, 9))  # Monday; due Thursday 17:00
    assert report.due_at.astimezone(VN) == at(2026, 3, 5, 17)
    handling.accept(report, by=staff["operator"])
    handling.assign(report, by=staff["operator"])
    assert check_deadlines(at(2026, 3, 4, 9)) == {"reminded": 0, "overdue": 0, "escalated": 0, "closed": 0}
    assert check_deadlines(at(2026, 3, 5, 15))["reminded"] == 1
    assert check_deadlines(at(2026, 3, 5, 16))["reminded"] == 0  # once
    out = check_deadlines(at(2026, 3, 5, 18))
    assert out["overdue"] == 1 and out["escalated"] == 0
    assert Report.objects.get(pk=report.pk).overdue
    # One working day late: to the level above (the city's People's Committee office).
    out = check_deadlines(at(2026, 3, 6, 17, 30))
    assert out["escalated"] == 1
    assert Entry.objects.filter(report=report, text__contains="Văn phòng UBND thành phố Đà Nẵng").exists()
    officer_titles = list(InAppNotification.objects.filter(user=staff["hai_chau"]).values_list("title", flat=True))
    assert any("Sắp đến hạn" in t for t in officer_titles) and any("quá hạn" in t for t in officer_titles)
    assert check_deadlines(at(2026, 3, 9, 17))["escalated"] == 0
    # Answered late: counted as late.
    handling.answer(report, by=staff["hai_chau"], text="Đã xử lý xong.", now=at(2026, 3, 9, 9))
    assert Report.objects.get(pk=report.pk).answered_on_time is False


def test_an_extension_granted_moves_the_deadline_by_working_days(agencies, staff):
    report = services.submit_report(submission(), now=at(2026, 3, 2, 9))
    handling.accept(report, by=staff["operator"])
    ext = handling.request_extension(report, by=staff["hai_chau"], days=2,
                                     justification="Cần phối hợp với đội quản lý trật tự đô thị quận.")  # fmt: skip
    handling.decide_extension(ext, by=staff["operator"], grant=True)
    report.refresh_from_db()
    assert report.extended and report.due_at.astimezone(VN) == at(2026, 3, 9, 17)  # Thu + 2 wd = Mon
    assert Entry.objects.filter(report=report, kind="extension", public=True).count() == 2


def test_an_answered_report_nobody_rates_closes_itself(agencies, staff):
    report = services.submit_report(submission(), now=at(2026, 3, 2, 9))
    handling.accept(report, by=staff["operator"])
    handling.answer(report, by=staff["hai_chau"], text="Đã giải tỏa.", now=at(2026, 3, 3, 9))
    assert check_deadlines(at(2026, 3, 5, 9))["closed"] == 0
    assert check_deadlines(at(2026, 3, 13, 9))["closed"] == 1
    assert Report.objects.get(pk=report.pk).status == Status.CLOSED
