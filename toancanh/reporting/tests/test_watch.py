"""The deadline watch: clerks reminded before the deadline, an overdue event once it has passed —
one per unit, regime and period however often the watch runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.operations.models import Event, InAppNotification
from toancanh.reporting import services
from toancanh.reporting.models import Notice
from toancanh.reporting.tests.factories import HIEP_DUC, TAM_KY, monthly_regime, unit
from toancanh.reporting.watch import OVERDUE_EVENT, check_deadlines

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def regime():
    # September 2025's window closes on Sunday the 14th; a commune's deadline is Tuesday the 16th.
    return monthly_regime()


def test_a_clerk_is_reminded_once_before_the_deadline(regime, settings):
    settings.REPORTING_REMIND_DAYS = 2
    clerk = StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk")
    september = InAppNotification.objects.filter(user=clerk, title__contains="2025-09")
    check_deadlines(at(dt.date(2025, 9, 10)))  # four working days before: too early
    assert not september.exists()  # (July's and August's reports are overdue by now)
    first = check_deadlines(at(dt.date(2025, 9, 12)))  # Friday: two working days (Mon, Tue) before
    again = check_deadlines(at(dt.date(2025, 9, 15)))
    notes = list(september)
    assert len(notes) == 1 and "Sắp đến hạn" in notes[0].title and "2025-09" in notes[0].title
    assert notes[0].link == f"/reporting/{regime.code}/{HIEP_DUC}/2025-09/"
    assert first["reminded"] > 10 and again["reminded"] == 0


def test_a_unit_that_sent_its_report_is_not_reminded(regime):
    clerk = StaffFactory(unit=unit(TAM_KY), role="reporting_clerk")
    services.save_submission(by=clerk, regime=regime, unit=unit(TAM_KY), period="2025-09",
                             values={"01.KY_NAY": 1000}, submit=True)  # fmt: skip
    check_deadlines(at(dt.date(2025, 9, 15)))
    assert not InAppNotification.objects.filter(user=clerk, title__contains="2025-09").exists()
    assert not Notice.objects.filter(unit=unit(TAM_KY), period="2025-09").exists()
    assert Notice.objects.filter(unit=unit(HIEP_DUC), period="2025-09", kind=Notice.REMINDER).exists()


def test_across_the_deadline_two_runs_make_one_overdue_event_per_unit(regime):
    clerk = StaffFactory(unit=unit(TAM_KY), role="reporting_clerk")
    services.save_submission(by=clerk, regime=regime, unit=unit(TAM_KY), period="2025-09",
                             values={"01.KY_NAY": 1000}, submit=True)  # fmt: skip
    check_deadlines(at(dt.date(2025, 9, 16), 17))  # the last day (August's reports are overdue by now)
    assert not Event.objects.filter(type=OVERDUE_EVENT, payload__period="2025-09").exists()
    first = check_deadlines(at(dt.date(2025, 9, 17)))
    second = check_deadlines(at(dt.date(2025, 9, 17), 15))
    events = Event.objects.filter(type=OVERDUE_EVENT, payload__period="2025-09")
    hiep_duc = events.filter(unit__key=HIEP_DUC)
    assert hiep_duc.count() == 1 and hiep_duc.get().sector_id == "reporting"
    assert hiep_duc.get().payload["regime"] == regime.code
    assert not events.filter(unit__key=TAM_KY).exists()  # it sent its report
    assert first["overdue"] == events.count() > 10 and second["overdue"] == 0
