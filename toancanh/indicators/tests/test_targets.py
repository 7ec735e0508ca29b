"""Targets as officials set them (floors, ceilings, ranges), judged on the year to date."""

from __future__ import annotations

import pytest
from django.utils import translation

from toancanh.core.errors import ServiceError
from toancanh.indicators import queries, services
from toancanh.indicators.tests.factories import EVERYWHERE, indicator, values
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db
PROVINCE, HIEP_DUC, TAM_KY = "vn34-p48", "vn34-c20779", "vn34-c20341"
MONTHS_TO_OCTOBER = [f"2025-{m:02d}" for m in range(1, 11)]  # 304 of 365 days


def _monthly(code: str, total: float, months=MONTHS_TO_OCTOBER, unit=PROVINCE):
    share = total / len(months)
    values(*[(code, unit, p, round(share, 4)) for p in months])


def _target(code: str, value, kind=None, upper=None, unit=PROVINCE, year=2025):
    return services.set_target(by=None, scope=EVERYWHERE, indicator=code, unit=unit, year=year, value=value,
                               kind=kind, upper=upper)  # fmt: skip


def _figure(code: str, unit=PROVINCE):
    from toancanh.indicators.models import Indicator

    return queries.figures(Unit.objects.get(key=unit), [Indicator.objects.get(code=code)])[0]


def test_a_ceiling_used_faster_than_the_year_goes_by_is_red_not_green():
    indicator("IMPORT", direction="down", decimals=1)
    _monthly("IMPORT", 929)
    _target("IMPORT", 1000)
    f = _figure("IMPORT")
    assert f.target_kind == "at_most"
    assert f.completion_pct == pytest.approx(92.9)  # used, not target ÷ actual
    assert f.pace_pct == pytest.approx(92.9 * 365 / 304)  # 111.5 % of the pro-rated allowance
    assert f.status == "red"


def test_a_ceiling_used_at_the_pace_allowed_says_so_in_words():
    indicator("SPENDING", direction="down", decimals=1)
    _monthly("SPENDING", 800)
    _target("SPENDING", 1000)
    f = _figure("SPENDING")
    assert f.completion_pct == pytest.approx(80.0)
    assert f.status == "green"
    with translation.override("vi"):
        assert f.verdict == "đã dùng 80,0 % hạn mức, đúng tiến độ"
    with translation.override("en"):
        assert f.verdict == "80.0% of the cap used, on schedule"


def test_a_ceiling_already_exceeded_is_red_whatever_the_pace():
    indicator("DENGUE", direction="down", decimals=0, measure="ca")
    _monthly("DENGUE", 1207)
    _target("DENGUE", 1000)
    f = _figure("DENGUE")
    assert f.completion_pct == pytest.approx(120.7) and f.status == "red"
    with translation.override("vi"):
        assert "vượt hạn mức" in f.verdict


def test_a_floor_on_a_sum_is_judged_on_a_pro_rated_pace():
    indicator("REVENUE", decimals=1)
    _monthly("REVENUE", 780)
    _target("REVENUE", 1000)
    f = _figure("REVENUE")
    assert f.completion_pct == pytest.approx(78.0)
    assert f.pace_pct == pytest.approx(78.0 / (304 / 365))  # 93.7 %: between amber (90) and green (100)
    assert f.status == "amber"
    with translation.override("vi"):
        assert f.verdict == "đạt 78,0 % kế hoạch năm, hơi chậm so với tiến độ"


def test_an_average_is_judged_on_the_year_to_date_average_not_the_latest_month():
    indicator("OCCUPANCY", measure="%", unit_aggregation="avg", time_aggregation="avg", decimals=1)
    months = [70.0, 72.0, 65.0, 68.0, 75.0, 80.0, 81.5, 78.0, 52.3, 50.7]
    values(*[("OCCUPANCY", PROVINCE, p, v) for p, v in zip(MONTHS_TO_OCTOBER, months, strict=True)])
    _target("OCCUPANCY", 62.2)
    f = _figure("OCCUPANCY")
    assert f.value == 50.7
    assert f.year_to_date == pytest.approx(sum(months) / 10)
    assert f.completion_pct == pytest.approx(sum(months) / 10 / 62.2 * 100)
    assert f.pace_pct is None
    assert f.status == "green"


def test_a_range_target_is_green_inside_and_judged_from_the_nearer_end_outside():
    indicator("GROWTH", measure="%", unit_aggregation="none", time_aggregation="last", decimals=2)
    _target("GROWTH", 7.5, kind="range", upper=8.0)
    values(("GROWTH", PROVINCE, "2025-06", 7.8))
    assert _figure("GROWTH").status == "green"
    with translation.override("vi"):
        assert _figure("GROWTH").verdict == "trong khoảng mục tiêu"
    values(("GROWTH", PROVINCE, "2025-07", 7.0))  # 93.3 % of the low end
    assert _figure("GROWTH").status == "amber"
    values(("GROWTH", PROVINCE, "2025-08", 9.5))  # 118.8 % of the high end
    f = _figure("GROWTH")
    assert f.status == "red"
    with translation.override("en"):
        assert f.verdict == "above the target range"


def test_a_rate_derived_from_sums_is_judged_on_the_ratio_of_the_year_to_date_sums():
    indicator("RECEIVED", decimals=0, measure="hồ sơ")
    indicator("ON_TIME", decimals=0, measure="hồ sơ")
    indicator("ON_TIME_RATE", measure="%", unit_aggregation="none", formula="ON_TIME / RECEIVED * 100", decimals=1)
    values(
        ("RECEIVED", PROVINCE, "2025-01", 100), ("ON_TIME", PROVINCE, "2025-01", 100),
        ("RECEIVED", PROVINCE, "2025-02", 900), ("ON_TIME", PROVINCE, "2025-02", 810),
    )  # fmt: skip
    _target("ON_TIME_RATE", 95)
    f = _figure("ON_TIME_RATE")
    assert f.value == pytest.approx(90.0)
    assert f.year_to_date == pytest.approx(910 / 1000 * 100)  # not 100 + 90, nor their mean 95
    assert f.completion_pct == pytest.approx(91 / 95 * 100)
    assert f.status == "amber"


def test_a_range_needs_both_ends_in_order():
    indicator("GROWTH", measure="%", unit_aggregation="none", time_aggregation="last", decimals=2)
    with pytest.raises(ServiceError, match="cần có cận trên"):
        _target("GROWTH", 7.5, kind="range")
    with pytest.raises(ServiceError, match="nhỏ hơn cận dưới"):
        _target("GROWTH", 8.0, kind="range", upper=7.5)
    with pytest.raises(ServiceError, match="Không có loại chỉ tiêu kế hoạch"):
        _target("GROWTH", 8.0, kind="roughly")
    with pytest.raises(ServiceError, match="Chỉ chỉ tiêu dạng khoảng mới có cận trên"):
        _target("GROWTH", 8.0, kind="at_least", upper=9)


def test_the_api_sets_a_ceiling_and_the_overview_reports_its_words(world):
    indicator("SPENDING", direction="down", decimals=1)
    _monthly("SPENDING", 800)
    admin = world.client("admin")
    r = admin.put("/api/v1/indicators/SPENDING/targets", {"unit": PROVINCE, "year": 2025, "kind": "at_most",
                  "value": 1000}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json()["kind"] == "at_most"
    bad = admin.put("/api/v1/indicators/SPENDING/targets", {"unit": PROVINCE, "year": 2025, "kind": "range",
                    "value": 1000}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    r = admin.get(f"/api/v1/indicators/overview?unit={PROVINCE}", headers={"Accept-Language": "vi"})
    row = next(x for x in r.json() if x["indicator"] == "SPENDING")
    assert row["target_kind"] == "at_most" and row["status"] == "green" and row["completion_pct"] == 80.0
    assert row["verdict"] == "đã dùng 80,0 % hạn mức, đúng tiến độ"
