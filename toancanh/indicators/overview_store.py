"""The overview's figures, precomputed: a handful of rows per unit instead of a year of figures.

An overview (:func:`queries.figures`) shows, for each indicator, the latest figure of the year,
the same period last year, the year to date by the indicator's own time aggregation and a
sparkline. Worked out from the figures at read time, that is a year and a half of figures per
indicator (7,500 rows for 500 indicators); stored, one row per unit, indicator and year
(:class:`OverviewFigure`).

Kept current by the roll-up engine: every slice (indicator, year) it rebuilds rebuilds the
overview figures that read it, for every unit (that year and the next; nine years for slower and
derived indicators, whose sparklines reach further back). Between an import and the recompute job
the slices it touched are marked dirty (:class:`DirtySlice`): the overview reads those indicators
live, so a figure just filed shows at once. Targets and judgements are never stored: they are
applied as the rows are read (:func:`queries.judged`), so a changed target needs no rebuild.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from toancanh.core.sql import insert_many, marks
from toancanh.indicators.models import Indicator, OverviewYear
from toancanh.indicators.queries import reach

COLUMNS = [
    "unit_id", "year", "indicator_id", "period", "value", "reason", "year_to_date", "year_to_date_complete",
    "last_year", "spark",
]  # fmt: skip
CHUNK = 25  # indicators read together when rebuilding (all units' figures of a year and a half)


# --- rebuilding ---------------------------------------------------------------------------------


def years_to_rebuild(
    slices: Iterable[tuple[int, int]], indicators: dict[int, Indicator], data_years: Iterable[int]
) -> dict[int, set[int]]:
    """Year -> indicator ids whose overview figures read the rebuilt (indicator, year) slices: the
    slice's year and the following ones a sparkline reaches, up to the latest year with figures
    (the latest built, or the latest of ``data_years``, the years whose entered figures changed)."""
    slices = set(slices)
    if not slices:
        return {}
    with connection.cursor() as cur:
        cur.execute("SELECT MAX(year) FROM indicators_overviewyear")
        latest = max(cur.fetchone()[0] or 0, *data_years, 0)
    out: dict[int, set[int]] = defaultdict(set)
    for ind_id, y in slices:
        ind = indicators.get(ind_id)
        if ind is None:
            continue
        for later in range(y, min(y + reach(ind), latest) + 1):
            out[later].add(ind_id)
    return out


def rebuild(by_year: dict[int, set[int]], indicators: dict[int, Indicator]) -> int:
    """Rebuild the overview figures of these years and indicators for every unit (and of every
    indicator not yet built for such a year); returns the rows written. In the caller's transaction."""
    from toancanh.indicators import queries

    written = 0
    now = timezone.now()
    stamp = now.isoformat(" ") if connection.vendor == "sqlite" else now
    for year in sorted(by_year):
        built = set(OverviewYear.objects.filter(year=year).values_list("indicator_id", flat=True))
        ids = sorted(by_year[year] | (set(indicators) - built))
        targets = queries.targets_of(None, year)
        for i in range(0, len(ids), CHUNK):
            chunk = [indicators[pk] for pk in ids[i : i + CHUNK]]
            by_unit, refs, components = queries.points_of(None, chunk, year)
            rows = []
            for unit_id, by_ind in by_unit.items():
                unit_targets = targets.get(unit_id, {})
                for ind in chunk:
                    if ind.pk not in by_ind:
                        continue
                    fig = queries.data_figure(ind, by_ind, refs, components, unit_targets)
                    if fig is not None:
                        rows.append((unit_id, year, ind.pk, fig.period, fig.value, fig.reason, fig.year_to_date,
                                     fig.year_to_date_complete, fig.last_year, json.dumps(fig.spark)))  # fmt: skip
            with connection.cursor() as cur:
                cur.execute(
                    "DELETE FROM indicators_overviewfigure "  # noqa: S608
                    f"WHERE year = %s AND indicator_id IN ({marks(len(chunk))})",
                    [year, *(ind.pk for ind in chunk)],
                )
                cur.execute(
                    f"DELETE FROM indicators_overviewyear WHERE year = %s AND indicator_id IN ({marks(len(chunk))})",  # noqa: S608
                    [year, *(ind.pk for ind in chunk)],
                )
            rows.sort(key=lambda r: (r[0], r[2]))  # in the order a unit's overview reads them
            written += insert_many("indicators_overviewfigure", COLUMNS, rows)
            insert_many("indicators_overviewyear", ["indicator_id", "year", "built_at"],
                        [(ind.pk, year, stamp) for ind in chunk])  # fmt: skip
    return written
