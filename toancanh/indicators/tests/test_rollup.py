"""Aggregation correctness: over units, over time, through succession, and derived formulas."""

from __future__ import annotations

from decimal import Decimal

import pytest

from toancanh.indicators import queries
from toancanh.indicators.models import Indicator
from toancanh.indicators.tests.factories import indicator, values
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db
PROVINCE, HIEP_DUC, TAM_KY, HAI_CHAU = "vn34-p48", "vn34-c20779", "vn34-c20341", "vn34-c20242"


def figure(code: str, unit: str, period: str):
    return queries.value_at(Indicator.objects.get(code=code), Unit.objects.get(key=unit), period)[0]


def test_commune_values_sum_up_to_the_province():
    indicator("REV")
    values(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 32.5), ("REV", HAI_CHAU, "2026-01", 7))
    assert figure("REV", PROVINCE, "2026-01") == 49.5


def test_a_value_entered_for_the_province_itself_is_not_double_counted():
    indicator("REV")
    values(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 30), ("REV", PROVINCE, "2026-01", 100))
    assert figure("REV", PROVINCE, "2026-01") == 100
    assert figure("REV", HIEP_DUC, "2026-01") == 10


def test_averages_minimums_and_maximums_aggregate_as_such():
    indicator("PRICE", unit_aggregation="avg", time_aggregation="avg")
    indicator("PEAK", unit_aggregation="max", time_aggregation="max")
    indicator("LOW", unit_aggregation="min", time_aggregation="avg")
    rows = [("PRICE", HIEP_DUC, "2026-01", 10), ("PRICE", TAM_KY, "2026-01", 20), ("PRICE", HAI_CHAU, "2026-01", 60)]
    rows += [("PEAK", HIEP_DUC, "2026-01", 3), ("PEAK", TAM_KY, "2026-01", 9)]
    rows += [("LOW", HIEP_DUC, "2026-01", 3), ("LOW", TAM_KY, "2026-01", 9)]
    values(*rows)
    assert figure("PRICE", PROVINCE, "2026-01") == 30
    assert figure("PEAK", PROVINCE, "2026-01") == 9
    assert figure("LOW", PROVINCE, "2026-01") == 3


def test_a_weighted_average_weighs_each_commune_by_another_indicator():
    indicator("POP", measure="người", time_aggregation="last", decimals=0)
    indicator("POVERTY", measure="%", unit_aggregation="wavg", weight="POP", time_aggregation="avg")
    values(
        ("POP", HIEP_DUC, "2026-01", 1000), ("POP", TAM_KY, "2026-01", 3000),
        ("POVERTY", HIEP_DUC, "2026-01", 10), ("POVERTY", TAM_KY, "2026-01", 2),
    )  # fmt: skip
    assert figure("POVERTY", PROVINCE, "2026-01") == pytest.approx((10 * 1000 + 2 * 3000) / 4000)


def test_time_aggregation_sums_averages_or_takes_the_end_of_period():
    indicator("REV")
    indicator("POP", measure="người", time_aggregation="last", decimals=0)
    indicator("RATE", measure="%", unit_aggregation="avg", time_aggregation="avg")
    rows = []
    for month, (rev, pop, rate) in enumerate([(1, 100, 2), (2, 110, 4), (3, 120, 9)], start=1):
        rows += [("REV", HIEP_DUC, f"2026-{month:02d}", rev), ("POP", HIEP_DUC, f"2026-{month:02d}", pop),
                 ("RATE", HIEP_DUC, f"2026-{month:02d}", rate)]  # fmt: skip
    values(*rows)
    assert figure("REV", HIEP_DUC, "2026Q1") == 6
    assert figure("POP", HIEP_DUC, "2026Q1") == 120
    assert figure("RATE", HIEP_DUC, "2026Q1") == 5
    rev, unit = Indicator.objects.get(code="REV"), Unit.objects.get(key=HIEP_DUC)
    assert queries.series(rev, unit, "year") == [("2026", 6, False)]  # year to date, not complete
    assert queries.series(rev, unit, "quarter") == [("2026Q1", 6, True)]


def test_figures_of_former_communes_roll_up_under_their_successor():
    indicator("REV")
    xa_hiep_duc = Unit.objects.get(key=HIEP_DUC)
    formers = [s.old for s in xa_hiep_duc.predecessors.select_related("old")]
    whole = [s for s in xa_hiep_duc.predecessors.select_related("old") if s.share == 1]
    assert whole, "Xã Hiệp Đức was formed from whole former communes"
    values(*[("REV", s.old.key, "2024-05", 10) for s in whole])
    assert figure("REV", HIEP_DUC, "2024-05") == 10 * len(whole)
    # ... and further up, under the new province, through the former district and province.
    assert figure("REV", "vn63-d512", "2024-05") == 10 * len(
        [f for f in formers if f.parent.key == "vn63-d512" and f in [s.old for s in whole]]
    )
    assert figure("REV", PROVINCE, "2024-05") == 10 * len(whole)


def test_a_split_former_commune_passes_on_its_shares():
    indicator("REV")
    split = (
        Unit.objects.filter(successors__share__lt=1, key__startswith="vn63-c49").first()
        or Unit.objects.filter(successors__share__lt=1, path__startswith="/vn63-p48/").first()
    )
    shares = {s.new.key: float(s.share) for s in split.successors.select_related("new")}
    values(("REV", split.key, "2024-03", 90))
    for key, share in shares.items():
        assert figure("REV", key, "2024-03") == pytest.approx(90 * share, abs=0.01)
    assert figure("REV", PROVINCE, "2024-03") == pytest.approx(90, abs=0.01)


def test_a_derived_ratio_is_computed_after_aggregation_never_summed():
    indicator("GRDP", period_type="year", time_aggregation="sum")
    indicator("POP", measure="người", period_type="year", time_aggregation="last", decimals=0)
    indicator(
        "GRDP_PC", measure="triệu đồng/người", period_type="year", unit_aggregation="none", formula="GRDP / POP * 1000"
    )
    values(("GRDP", HIEP_DUC, "2026", 100), ("POP", HIEP_DUC, "2026", 1000),
           ("GRDP", TAM_KY, "2026", 900), ("POP", TAM_KY, "2026", 3000))  # fmt: skip
    assert figure("GRDP_PC", HIEP_DUC, "2026") == 100
    assert figure("GRDP_PC", TAM_KY, "2026") == 300
    assert figure("GRDP_PC", PROVINCE, "2026") == 250  # 1000 / 4000 * 1000, not 100 + 300


def test_growth_compares_with_the_same_period_last_year():
    indicator("REV")
    indicator("REV_GROWTH", measure="%", unit_aggregation="none", formula="(REV / prev_year(REV) - 1) * 100")
    values(("REV", TAM_KY, "2025-03", 80), ("REV", TAM_KY, "2026-03", 100))
    assert figure("REV_GROWTH", TAM_KY, "2026-03") == 25


def test_division_by_zero_gives_an_empty_value_with_its_reason():
    indicator("A", period_type="year")
    indicator("B", period_type="year")
    indicator("RATIO", period_type="year", unit_aggregation="none", formula="A / B")
    values(("A", TAM_KY, "2026", 5), ("B", TAM_KY, "2026", 0))
    ratio = Indicator.objects.get(code="RATIO")
    assert queries.value_at(ratio, Unit.objects.get(key=TAM_KY), "2026") == (None, "division by zero")


def test_a_correction_rebuilds_the_roll_up_and_keeps_the_history():
    from toancanh.indicators.models import DataValue

    indicator("REV")
    values(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 5))
    report = values(("REV", HIEP_DUC, "2026-01", 12), ("REV", TAM_KY, "2026-01", 5))
    assert (report.changed, report.unchanged) == (1, 1)
    assert figure("REV", PROVINCE, "2026-01") == 17
    history = DataValue.objects.get(indicator__code="REV", unit__key=HIEP_DUC).corrections.all()
    assert [(h.old_value, h.new_value) for h in history] == [(None, Decimal(10)), (Decimal(10), Decimal(12))]


def test_a_formula_over_the_target_follows_a_changed_target():
    from toancanh.core import jobs
    from toancanh.core.scoping import Scope
    from toancanh.indicators import services

    indicator("REV", period_type="year")
    indicator(
        "REV_PLAN_PCT", measure="%", period_type="year", unit_aggregation="none", formula="REV / target(REV) * 100"
    )
    values(("REV", TAM_KY, "2026", 80))
    services.set_target(by=None, scope=Scope(everywhere=True), indicator="REV", unit=TAM_KY, year=2026, value=100)
    jobs.run_pending()  # the recompute it queued, as a worker runs it
    assert figure("REV_PLAN_PCT", TAM_KY, "2026") == 80
    services.set_target(by=None, scope=Scope(everywhere=True), indicator="REV", unit=TAM_KY, year=2026, value=160)
    jobs.run_pending()
    assert figure("REV_PLAN_PCT", TAM_KY, "2026") == 50


# --- averages over the units that hold the data, shares that add up, history drill-down ---------


def _former_communes(province_code: str):
    former = Unit.objects.get(edition="vn63", level="province", code=province_code)
    return former, Unit.objects.filter(path__startswith=former.path, level="commune").order_by("key")


def test_an_average_is_over_the_communes_holding_data_not_over_the_districts_averages():
    indicator("COVERAGE", measure="%", unit_aggregation="avg", time_aggregation="avg", decimals=2)
    former, communes = _former_communes("48")
    districts = list(Unit.objects.filter(parent=former).order_by("key"))
    many = list(Unit.objects.filter(parent=districts[0], level="commune"))
    one = Unit.objects.filter(parent=districts[1], level="commune").first()
    assert len(many) >= 3
    values(*[("COVERAGE", u.key, "2025-03", 90) for u in many], ("COVERAGE", one.key, "2025-03", 100))
    expected = (90 * len(many) + 100) / (len(many) + 1)  # not (90 + 100) / 2 over the two districts
    assert figure("COVERAGE", former.key, "2025-03") == pytest.approx(expected, abs=0.01)
    # The merged province inherits the same mean, whatever the structure above the communes.
    assert figure("COVERAGE", PROVINCE, "2025-03") == pytest.approx(expected, abs=0.01)


def test_a_weighted_average_is_over_the_communes_weights_through_every_level():
    indicator("POP", measure="người", time_aggregation="last", decimals=0)
    indicator("POVERTY", measure="%", unit_aggregation="wavg", weight="POP", time_aggregation="avg", decimals=3)
    former, _ = _former_communes("48")
    districts = list(Unit.objects.filter(parent=former).order_by("key"))
    a = list(Unit.objects.filter(parent=districts[0], level="commune")[:2])
    b = Unit.objects.filter(parent=districts[1], level="commune").first()
    rows = [("POP", a[0].key, "2025-03", 1000), ("POP", a[1].key, "2025-03", 3000), ("POP", b.key, "2025-03", 6000)]
    rows += [
        ("POVERTY", a[0].key, "2025-03", 10),
        ("POVERTY", a[1].key, "2025-03", 2),
        ("POVERTY", b.key, "2025-03", 5),
    ]
    # A commune with people but no poverty figure does not dilute the average.
    other = Unit.objects.filter(parent=districts[0], level="commune").exclude(pk__in=[u.pk for u in a]).first()
    rows.append(("POP", other.key, "2025-03", 50000))
    values(*rows)
    expected = (10 * 1000 + 2 * 3000 + 5 * 6000) / 10000
    assert figure("POVERTY", former.key, "2025-03") == pytest.approx(expected, abs=0.001)


def test_a_split_communes_shares_add_up_to_the_whole():
    indicator("CASES", measure="ca", decimals=0)
    hoa_lien = Unit.objects.get(key="vn63-c20296")  # split half and half into Hải Vân and Liên Chiểu
    months = [f"2025-{m:02d}" for m in range(1, 7)]
    values(*[("CASES", hoa_lien.key, p, 2 * m + 1) for m, p in enumerate(months)])  # odd: halves end in .5
    for m, p in enumerate(months):
        parts = figure("CASES", "vn34-c20194", p) + figure("CASES", "vn34-c20197", p)
        assert parts == 2 * m + 1
        assert figure("CASES", PROVINCE, p) == 2 * m + 1


def test_the_merged_province_drills_down_before_the_reform_to_its_communes_inherited_values(world):
    indicator("REV")
    values(("REV", "vn63-c20296", "2025-03", 10), ("REV", _former_communes("49")[1].first().key, "2025-03", 5))
    r = world.client("leader").get(f"/api/v1/indicators/REV/units?unit={PROVINCE}&period=2025-03")
    assert r.status_code == 200
    rows = r.json()
    assert len(rows) == Unit.objects.get(key=PROVINCE).children.count() and rows[0]["unit"].startswith("vn34-c")
    assert sum(x["value"] or 0 for x in rows) == 15
    former = world.client("leader").get(f"/api/v1/indicators/REV/units?unit={PROVINCE}&period=2025-03&structure=former")
    assert {x["unit"]: x["value"] for x in former.json()} == {"vn63-p48": 10, "vn63-p49": 5}
