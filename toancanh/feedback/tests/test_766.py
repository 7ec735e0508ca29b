"""Group 5 of Decision 766/QĐ-TTg from real report rows: the default satisfaction source of the
government pack's index (``GOVERNMENT_SATISFACTION_SOURCE``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from toancanh.feedback import queries, services
from toancanh.feedback.models import Report, Status
from toancanh.feedback.tests.conftest import HAI_CHAU, TAM_KY, submission
from toancanh.packs.api import Period, Unit
from toancanh.packs.government import index
from toancanh.packs.government import services as gov
from toancanh.packs.government.tests.helpers import dossier, setup_world

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
MARCH = Period.month(2026, 3)
NOW = dt.datetime(2026, 4, 1, 9, tzinfo=LOCAL)


def report(n: int, at=HAI_CHAU, **fields) -> Report:
    """A report received on 2 March 2026 through the real service, then put in the state wanted."""
    sub = submission(at=at, phone=f"09051234{n:02d}", device=f"dev-{n}", ip=f"10.0.0.{n}")
    r = services.submit_report(sub, now=dt.datetime(2026, 3, 2, 9, n, tzinfo=LOCAL))
    Report.objects.filter(pk=r.pk).update(**fields)
    r.refresh_from_db()
    return r


def answered(on_time: bool, satisfied=None, **kw) -> dict:
    return {"status": Status.ANSWERED, "answered_at": dt.datetime(2026, 3, 4, tzinfo=LOCAL), "accepted_at":
            dt.datetime(2026, 3, 2, 10, tzinfo=LOCAL), "answered_on_time": on_time, "satisfied": satisfied, **kw}  # fmt: skip


def five(rates: dict, key) -> dict:
    return {k: v for k, v in rates[key].items()}


def test_the_default_source_is_the_reports():
    assert settings.GOVERNMENT_SATISFACTION_SOURCE == "toancanh.feedback.queries.rates_for_766"


def test_on_time_and_satisfaction_per_agency_and_commune(agencies):
    a = [
        report(1, **answered(True, satisfied=True)),
        report(2, **answered(True, satisfied=False)),
        report(3, **answered(False)),
        report(4, **answered(True, reopen_count=1)),
        report(5, status=Status.ACCEPTED, accepted_at=dt.datetime(2026, 3, 2, 10, tzinfo=LOCAL)),  # due 5 March
        report(6, status=Status.REFUSED),  # outside competence: counted only as classified
    ]
    agency, commune = a[0].agency_id, a[0].unit_id
    assert all(r.agency_id == agency for r in a)
    rates = queries.rates_for_766("agency", [agency], MARCH, now=dt.datetime(2026, 3, 3, tzinfo=LOCAL))
    # 5 within competence; late: #3; bad: #2 (not satisfied), #3 (late), #4 (reopened)
    assert five(rates, agency) == {"5.1": (6, 6), "5.2": (4, 5), "5.3": (2, 5)}
    # a month later the open report #5 is past its deadline: late, and not satisfying either
    rates = queries.rates_for_766("unit", [commune], MARCH, now=NOW)
    assert five(rates, commune) == {"5.1": (6, 6), "5.2": (3, 5), "5.3": (1, 5)}
    assert queries.rates_for_766("agency", [agency], Period.month(2026, 4))[agency] == {
        "5.1": (0, 0), "5.2": (0, 0), "5.3": (0, 0)}  # fmt: skip


def test_no_rating_leaves_satisfaction_not_applicable(agencies):
    r = report(1, at=TAM_KY, **answered(True))
    report(2, at=TAM_KY, status=Status.RECEIVED)
    rates = queries.rates_for_766("agency", [r.agency_id], MARCH, now=dt.datetime(2026, 3, 3, tzinfo=LOCAL))
    assert five(rates, r.agency_id) == {"5.1": (1, 2), "5.2": (2, 2), "5.3": (0, 0)}


def component(score, cid):
    return next(c for c in score.components if c.spec.id == cid)


def test_the_government_index_scores_group_five_from_the_reports(agencies):
    """Dossiers and reports of the same commune: group 5 of its 766 index comes from the reports."""
    setup_world()
    gov.store_dossiers([dossier("D1", MaCoQuan="gov-test-b")], now=NOW)
    commune = Unit.objects.get(key="vn34-c20341")  # phường Tam Kỳ
    ok = report(1, at=TAM_KY, **answered(True, satisfied=True))
    report(2, at=TAM_KY, **answered(False, satisfied=False))
    assert ok.unit_id == commune.id
    (score,) = index.compute("unit", MARCH, now=NOW)
    assert score.key == commune.id
    # 5.1: 2/2 → 5 points; 5.2: 1/2 → 2.5 of 5; 5.3: 1/2 → 1 of 2; 5.4 (the dossiers') N/A
    assert (component(score, "5.1").score, component(score, "5.2").score, component(score, "5.3").score) == (5, 2.5, 1)
    assert component(score, "5.4").score is None
    assert score.group(5) == (8.5, 12)
