"""Consolidation: approved reports only, each cell's rule (averages are not summed), formulas
recomputed after aggregation, year to date, former units included, who is missing, late or returned."""

from __future__ import annotations

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.reporting import services
from toancanh.reporting.consolidation import consolidate, months_of, over_time
from toancanh.reporting.models import Submission
from toancanh.reporting.tests.factories import HAI_CHAU, HIEP_DUC, PROVINCE, TAM_KY, monthly_regime, unit
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def regime():
    return monthly_regime()


@pytest.fixture
def approver():
    return StaffFactory(unit=unit(PROVINCE), role="operator")


def report(regime, approver, key, period, *, pop, poor, coverage, income, then="approve", note="ổn định"):
    clerk = StaffFactory(unit=unit(key), role="operator")
    values = {"01.KY_NAY": pop, "02.KY_NAY": poor, "04.KY_NAY": coverage, "05.KY_NAY": income, "06.KY_NAY": note}
    sub = services.save_submission(by=clerk, regime=regime, unit=unit(key), period=period, values=values, submit=True)
    if then == "approve":
        services.approve(by=approver, submission=sub)
    elif then == "return":
        services.return_submission(by=approver, submission=sub, comment="Số liệu chưa khớp")
    return sub


def test_the_province_sums_approved_reports_averages_averages_and_recomputes_formulas(regime, approver):
    report(regime, approver, HIEP_DUC, "2025-09", pop=10000, poor=500, coverage=90, income=100)
    report(regime, approver, TAM_KY, "2025-09", pop=30000, poor=300, coverage=96, income=200)
    returned = report(
        regime, approver, HAI_CHAU, "2025-09", pop=99999, poor=9999, coverage=10, income=999, then="return"
    )
    result = consolidate(regime, unit(PROVINCE), "2025-09")
    v = result.values
    assert v["01.KY_NAY"] == 40000.0 and v["02.KY_NAY"] == 800.0 and v["05.KY_NAY"] == 300.0  # returned excluded
    assert v["04.KY_NAY"] == 93.0  # the mean of 90 and 96, not their sum
    assert v["03.KY_NAY"] == 2.0  # 800 / 40000, recomputed: not 5 % + 1 % summed nor averaged
    assert "06.KY_NAY" not in v  # text is not consolidated
    assert HAI_CHAU in result.returned and returned.unit.key not in [u.unit for u in result.used]
    assert sorted(u.unit for u in result.used) == sorted([HIEP_DUC, TAM_KY])
    assert {u.revision for u in result.used} == {2}  # which version of each report was used
    assert HIEP_DUC not in result.missing and len(result.missing) > 10  # the province's other communes
    assert not result.complete


def test_a_submitted_but_unapproved_report_waits(regime, approver):
    report(regime, approver, HIEP_DUC, "2025-09", pop=10000, poor=500, coverage=90, income=100, then="")
    result = consolidate(regime, unit(PROVINCE), "2025-09")
    assert result.waiting == [HIEP_DUC] and "01.KY_NAY" not in result.values


def test_year_to_date_and_quarters_over_time(regime, approver):
    for month, (income, coverage) in {"2025-07": (100, 80), "2025-08": (50, 90), "2025-09": (25, 100)}.items():
        report(regime, approver, HIEP_DUC, month, pop=10000, poor=100, coverage=coverage, income=income)
        report(regime, approver, TAM_KY, month, pop=20000, poor=100, coverage=coverage, income=income * 2)
    september = consolidate(regime, unit(PROVINCE), "2025-09").values
    assert september["05.KY_NAY"] == 75.0
    assert september["05.LUY_KE"] == 525.0  # (100+50+25) × 3, July to September (this year's reports only)
    q3 = over_time(regime, unit(PROVINCE), months_of("2025Q3"))
    assert q3["05.KY_NAY"] == 525.0  # sums add over the months
    assert q3["04.KY_NAY"] == 90.0  # averages are averaged over the months
    assert q3["01.KY_NAY"] == 90000.0  # (population is summed over months here: its rule is sum)
    assert q3["03.KY_NAY"] == round(600 / 90000 * 100, 2)
    assert months_of("2025-08:YTD") == [f"2025-{m:02d}" for m in range(1, 9)]


def test_reports_of_former_communes_count_for_their_successor_province(regime, approver):
    former_province = Unit.objects.get(edition="vn63", level="province", code="48")
    former = Unit.objects.filter(path__startswith=former_province.path, level="commune").order_by("key")[:2]
    assert all(u.valid_to is not None for u in former)
    for u, pop in zip(former, (1000, 2000), strict=True):
        report(regime, approver, u.key, "2025-03", pop=pop, poor=10, coverage=80, income=5)
    result = consolidate(regime, unit(PROVINCE), "2025-03")
    assert result.values["01.KY_NAY"] == 3000.0
    assert sorted(u.unit for u in result.used) == sorted(u.key for u in former)
    # In March 2025 the former communes were the ones to report; today's communes did not exist.
    assert HIEP_DUC not in result.missing and former[0].key not in result.missing
    assert any(k.startswith("vn63-") for k in result.missing)


def test_late_reports_are_named(regime, approver):
    sub = report(regime, approver, HIEP_DUC, "2025-09", pop=10000, poor=500, coverage=90, income=100)
    Submission.objects.filter(pk=sub.pk).update(submitted_at="2025-10-20T02:00:00Z")
    result = consolidate(regime, unit(PROVINCE), "2025-09")
    assert result.late == [HIEP_DUC] and result.used[0].late
