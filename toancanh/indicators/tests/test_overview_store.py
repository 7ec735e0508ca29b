"""The overview reads precomputed figures, kept current by the roll-up jobs, and is never stale."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from toancanh.indicators import queries, services
from toancanh.indicators.models import Indicator, OverviewFigure
from toancanh.indicators.tests.factories import EVERYWHERE, indicator, values
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db
PROVINCE, TAM_KY = "vn34-p48", "vn34-c20341"
FIELDS = [f for f in queries.Figure.__dataclass_fields__ if f != "indicator"]


def _catalogue() -> list[Indicator]:
    indicator("REVENUE", decimals=1)
    indicator("PRICE", unit_aggregation="avg", time_aggregation="avg")
    indicator("STOCK", time_aggregation="last")
    indicator("PEAK", unit_aggregation="max", time_aggregation="max", direction="down")
    indicator("HARVEST", period_type="quarter")
    indicator("RATE", formula="REVENUE / STOCK * 100", measure="%")
    return list(Indicator.objects.order_by("code"))


def _figures_of_the_year(months=range(1, 13), years=(2024, 2025)) -> None:
    rows = []
    for y in years:
        for m in months:
            p = f"{y}-{m:02d}"
            rows += [("REVENUE", TAM_KY, p, 10 + m), ("PRICE", TAM_KY, p, 5.5 + m / 10)]
            rows += [("STOCK", TAM_KY, p, 100 - m), ("PEAK", TAM_KY, p, (m * 7) % 11)]
        rows += [("HARVEST", TAM_KY, f"{y}Q{q}", 30 * q) for q in (1, 2, 3)]
    values(*rows)


def _live(unit, indicators, **kw):
    """The figures worked out from the figures themselves, without the stored ones."""
    real = queries.stored_figures
    queries.stored_figures = lambda *a: {}
    try:
        return queries.figures(unit, indicators, **kw)
    finally:
        queries.stored_figures = real


def _as_rows(figures):
    return [(f.indicator.code, *(getattr(f, name) for name in FIELDS)) for f in figures]


def test_the_stored_overview_figures_are_the_figures_worked_out_live_for_every_unit():
    inds = _catalogue()
    _figures_of_the_year(months=range(1, 11))
    services.set_target(by=None, scope=EVERYWHERE, indicator="REVENUE", unit=PROVINCE, year=2025, value=200)
    assert OverviewFigure.objects.filter(year=2025).exists()
    for key in (PROVINCE, TAM_KY):
        unit = Unit.objects.get(key=key)
        stored = queries.stored_figures(unit, inds, 2025)
        assert set(stored) == {i.pk for i in inds}  # all current, none read live
        assert _as_rows(queries.figures(unit, inds)) == _as_rows(_live(unit, inds))
    revenue = queries.figures(Unit.objects.get(key=PROVINCE), inds)[[i.code for i in inds].index("REVENUE")]
    assert revenue.period == "2025-10" and revenue.target == 200 and revenue.status != "none"


def test_the_overview_reads_a_handful_of_rows_not_a_year_of_figures():
    inds = _catalogue()
    _figures_of_the_year()
    unit = Unit.objects.get(key=PROVINCE)
    with CaptureQueriesContext(connection) as read:
        queries.figures(unit, inds)
    rollup_reads = [q["sql"] for q in read.captured_queries if "indicators_rollupvalue" in q["sql"]]
    assert len(rollup_reads) == 1  # only the latest period of the unit, to know the overview's year
    assert len(read.captured_queries) <= 6


def test_a_figure_filed_after_the_rebuild_shows_at_once_before_the_job_runs():
    inds = _catalogue()
    _figures_of_the_year(years=(2025,), months=range(1, 10))
    report = services.record_values(
        [services.ValueRow("REVENUE", TAM_KY, "2025-10", 999, row=1)], by=None, scope=EVERYWHERE
    )  # the recompute job is queued, not run
    assert report.job
    unit = Unit.objects.get(key=TAM_KY)
    revenue = queries.figures(unit, inds)[[i.code for i in inds].index("REVENUE")]
    assert revenue.period == "2025-10" and revenue.value == 999
    assert revenue.year_to_date == sum(10 + m for m in range(1, 10)) + 999
    # The derived rate reads REVENUE: read live too.
    assert _as_rows(queries.figures(unit, inds)) == _as_rows(_live(unit, inds))


def test_a_target_set_later_judges_the_stored_figures_without_a_rebuild():
    inds = _catalogue()
    _figures_of_the_year(years=(2025,), months=range(1, 7))
    unit = Unit.objects.get(key=PROVINCE)
    before = OverviewFigure.objects.filter(unit=unit).count()
    services.set_target(by=None, scope=EVERYWHERE, indicator="PEAK", unit=PROVINCE, year=2025, value=5)
    peak = queries.figures(unit, inds)[[i.code for i in inds].index("PEAK")]
    assert peak.target == 5 and peak.target_kind == "at_most" and peak.status == "red"  # a maximum of 10 > 5
    assert OverviewFigure.objects.filter(unit=unit).count() == before


def test_changing_how_an_indicator_aggregates_over_time_rebuilds_its_overview_figures():
    inds = _catalogue()
    _figures_of_the_year(years=(2025,), months=range(1, 4))
    unit = Unit.objects.get(key=TAM_KY)
    stock = queries.figures(unit, inds)[[i.code for i in inds].index("STOCK")]
    assert stock.year_to_date == 97  # the level at the end of March
    indicator("STOCK", time_aggregation="sum")
    inds = list(Indicator.objects.order_by("code"))
    stock = queries.figures(unit, inds)[[i.code for i in inds].index("STOCK")]
    assert stock.year_to_date == 99 + 98 + 97  # read live while the rebuild waits
    from toancanh.core import jobs

    jobs.run_pending()
    assert set(queries.stored_figures(unit, inds, 2025)) == {i.pk for i in inds}
    assert OverviewFigure.objects.get(unit=unit, indicator__code="STOCK", year=2025).year_to_date == 99 + 98 + 97


def test_a_unit_without_figures_this_year_shows_last_years_latest_as_before():
    inds = _catalogue()
    _figures_of_the_year(years=(2024,))
    values(("REVENUE", TAM_KY, "2025-01", 1))  # a new year begins with one figure
    unit = Unit.objects.get(key=TAM_KY)
    figs = queries.figures(unit, inds)
    assert set(queries.stored_figures(unit, inds, 2025)) == {i.pk for i in inds}
    assert _as_rows(figs) == _as_rows(_live(unit, inds))
    price = figs[[i.code for i in inds].index("PRICE")]
    assert price.period == "2024-12"  # last year's, as the live overview shows it
