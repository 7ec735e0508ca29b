"""The demo's year of reports: filed through the clerk's services, real-shaped states to read."""

from __future__ import annotations

import datetime as dt

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.core.errors import Conflict
from toancanh.reporting import demo, services
from toancanh.reporting.models import Regime, Status, Submission
from toancanh.reporting.monitoring import monitor
from toancanh.reporting.tests.factories import HIEP_DUC, PROVINCE, unit

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def test_the_demo_files_a_year_on_time_late_missing_waiting_and_one_returned_and_closes_old_months():
    demo.build()
    officer = StaffFactory(unit=unit(PROVINCE), role="operator")
    clerk = StaffFactory(unit=unit(HIEP_DUC), role="reporting_clerk")
    said = demo.fill(officer=officer, clerk=clerk, today=TODAY, months=4)  # the demo files 12
    assert "returned" in said and demo.fill(officer=officer, clerk=clerk, today=TODAY) == "exists"
    regime = Regime.objects.get(code=demo.REGIME)
    last = monitor(regime, "2026-11", by=officer, today=TODAY).totals
    assert last["on_time"] > last["late"] > 0 and last["missing"] > 0
    assert last["returned"] == 1 and last["waiting"] > 0 and last["approved"] > 0
    returned = Submission.objects.get(regime=regime, period="2026-11", status=Status.RETURNED)
    assert returned.unit.key == HIEP_DUC and returned.comment == demo.RETURN_COMMENT
    assert [r.action for r in returned.revisions.all()] == ["submit", "return"]  # through the workflow
    assert returned.revisions.first().by == clerk.username or returned.revisions.first().by  # the clerk filed it
    older = monitor(regime, "2026-08", by=officer, today=TODAY).totals
    assert older["approved"] == older["sent"] > 0 and older["missing"] > 0
    assert services.lock_of(regime, "2026-08") is not None and services.lock_of(regime, "2026-11") is None
    with pytest.raises(Conflict):  # a closed month stays closed, even for the demo's own figures
        services.save_submission(by=clerk, regime=regime, unit=unit(HIEP_DUC), period="2026-08", values={})
    # the open period: a few communes already sent theirs, not yet due for the others
    current = monitor(regime, "2026-12", by=officer, today=TODAY).totals
    assert 0 < current["on_time"] < current["expected"] and current["missing"] == 0
    # the year to date was computed from the earlier months, as a clerk's form computes it
    sub = Submission.objects.filter(regime=regime, period="2026-09", status=Status.APPROVED).first()
    values = services.current_values(sub)
    assert values["01.LUY_KE"] > values["01.KY_NAY"]


def test_the_sector_regimes_are_filed_and_the_health_officer_approves_only_the_health_reports():
    from toancanh.accounts.demo import create_users
    from toancanh.accounts.models import User
    from toancanh.reporting import demo_sectors
    from toancanh.units import demo as units_demo

    units_demo.load_agencies()
    demo.build()
    assert demo_sectors.build() == f"{demo_sectors.HEALTH}, {demo_sectors.EDUCATION}"
    create_users()
    health_officer, officer = User.objects.get(username="canbo.yte"), User.objects.get(username="vanhanh")
    said = demo_sectors.fill(health_officer=health_officer, officer=officer, today=TODAY)
    assert (
        "waiting" in said and demo_sectors.fill(health_officer=health_officer, officer=officer, today=TODAY) == "exists"
    )
    health = Regime.objects.get(code=demo_sectors.HEALTH)
    assert health.sector_id == "health"
    q3 = monitor(health, "2026Q3", by=health_officer, today=TODAY).totals
    assert q3["waiting"] > 0 and q3["approved"] > 0
    assert services.lock_of(health, "2026Q2") is not None and services.lock_of(health, "2026Q3") is None
    seen = Submission.objects.visible_to(health_officer)
    assert seen.filter(regime=health).exists() and not seen.exclude(regime=health).exists()
    education = Submission.objects.filter(regime__code=demo_sectors.EDUCATION, period="2025")
    assert education.count() > 0 and not education.exclude(status=Status.APPROVED).exists()
    sub = Submission.objects.filter(regime=health, period="2026Q2").first()
    values = services.current_values(sub)
    assert values["01.LUY_KE"] > values["01.KY_NAY"] and 0 < values["05.KY_NAY"] <= 100
