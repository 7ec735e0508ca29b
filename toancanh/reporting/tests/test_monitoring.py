"""Completeness and timeliness: reports sent on either side of a deadline counted in working days,
units missing once it has passed, the workflow state apart, and each person's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.reporting import services
from toancanh.reporting.models import Submission
from toancanh.reporting.monitoring import (
    LATE,
    MISSING,
    NOT_DUE,
    ON_TIME,
    by_period,
    monitor,
    period_at,
    recent_periods,
)
from toancanh.reporting.tests.factories import HAI_CHAU, HIEP_DUC, PROVINCE, TAM_KY, monthly_regime, unit

pytestmark = pytest.mark.django_db

# September 2025's window closes on Sunday the 14th; a commune has one working day after it:
# Monday the 15th is the first working day, so the deadline is Tuesday 16 September.
DEADLINE = dt.date(2025, 9, 16)


@pytest.fixture
def regime():
    return monthly_regime()


@pytest.fixture
def province():
    return StaffFactory(unit=unit(PROVINCE), role="operator")


def send(regime, key, *, on: dt.date | None, then: str = "", approver=None) -> Submission:
    clerk = StaffFactory(unit=unit(key), role="reporting_clerk")
    values = {"01.KY_NAY": 1000, "02.KY_NAY": 10}
    sub = services.save_submission(
        by=clerk, regime=regime, unit=unit(key), period="2025-09", values=values, submit=on is not None
    )
    if on is not None:  # sent at 16:00 local time on that day
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(16)))
        Submission.objects.filter(pk=sub.pk).update(submitted_at=at)
        sub.refresh_from_db()
    if then == "approve":
        services.approve(by=approver, submission=sub)
    elif then == "return":
        services.return_submission(by=approver, submission=sub, comment="Thiếu số liệu")
    return sub


def test_reports_on_either_side_of_the_deadline_and_the_units_that_sent_none(regime, province):
    send(regime, HIEP_DUC, on=DEADLINE, then="approve", approver=province)  # the last day: on time
    send(regime, TAM_KY, on=DEADLINE + dt.timedelta(days=1))  # a day late, waiting for approval
    send(regime, HAI_CHAU, on=dt.date(2025, 9, 15), then="return", approver=province)  # sent, then returned
    m = monitor(regime, "2025-09", by=province, today=dt.date(2025, 9, 20))
    states = {u.unit: u for u in m.units}
    assert states[HIEP_DUC].deadline == DEADLINE
    assert (states[HIEP_DUC].timeliness, states[HIEP_DUC].status) == (ON_TIME, "approved")
    assert (states[TAM_KY].timeliness, states[TAM_KY].status) == (LATE, "submitted")
    assert (states[HAI_CHAU].timeliness, states[HAI_CHAU].status) == (MISSING, "returned")
    t = m.totals
    expected = len(m.units)
    assert expected > 10  # every commune of the city
    assert t["expected"] == expected and t["sent"] == 2 and t[ON_TIME] == 1 and t[LATE] == 1
    assert t[MISSING] == expected - 2 and t[NOT_DUE] == 0
    assert (t["waiting"], t["approved"], t["returned"]) == (1, 1, 1)
    assert m.rates == {"completeness": round(200 / expected, 1), "timeliness": round(100 / expected, 1)}


def test_before_the_deadline_nobody_is_missing(regime, province):
    send(regime, HIEP_DUC, on=None)  # a draft only
    m = monitor(regime, "2025-09", by=province, today=DEADLINE)
    assert m.count(timeliness=MISSING) == 0 and m.count(timeliness=NOT_DUE) == len(m.units)
    assert next(u for u in m.units if u.unit == HIEP_DUC).status == "draft"
    after = monitor(regime, "2025-09", by=province, today=DEADLINE + dt.timedelta(days=1))
    assert after.count(timeliness=MISSING) == len(after.units)


def test_a_commune_clerk_sees_their_own_unit_and_a_provincial_officer_all(regime, province):
    send(regime, TAM_KY, on=DEADLINE)
    clerk = StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk")
    mine = monitor(regime, "2025-09", by=clerk, today=dt.date(2025, 9, 20))
    assert [u.unit for u in mine.units] == [HIEP_DUC] and mine.totals["sent"] == 0
    everyone = monitor(regime, "2025-09", by=province, today=dt.date(2025, 9, 20))
    assert {HIEP_DUC, TAM_KY, HAI_CHAU} <= {u.unit for u in everyone.units}


def test_the_period_of_a_day_follows_the_cut_off_window():
    assert period_at("monthly", dt.date(2025, 9, 14)).code == "2025-09"
    assert period_at("monthly", dt.date(2025, 9, 15)).code == "2025-10"
    assert period_at("monthly", dt.date(2025, 12, 20)).code == "2026-01"
    assert period_at("quarterly", dt.date(2025, 6, 14)).code == "2025Q2"
    assert period_at("yearly", dt.date(2025, 12, 15)).code == "2026"
    assert period_at("weekly", dt.date(2025, 6, 4)).code == "2025-W23"
    assert period_at("ad_hoc", dt.date(2025, 6, 4)) is None


def test_recent_periods_end_with_the_open_one(regime):
    assert [p.code for p in recent_periods(regime, dt.date(2025, 9, 20))] == ["2025-08", "2025-09", "2025-10"]


def test_rates_of_the_recent_periods_newest_first(regime, province):
    send(regime, HIEP_DUC, on=DEADLINE)
    rows = by_period(regime, by=province, today=dt.date(2025, 9, 20), back=2)
    assert [m.period for m in rows] == ["2025-10", "2025-09", "2025-08"]
    assert rows[1].totals[ON_TIME] == 1 and rows[1].rates["completeness"] > 0
    assert rows[0].totals[NOT_DUE] == rows[0].totals["expected"] and rows[2].totals["sent"] == 0
