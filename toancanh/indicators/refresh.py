"""Bringing roll-ups and anomaly flags up to date after figures change — in the job runner, not in
the request that filed them.

Filing figures marks what they touched, in the same transaction: the (indicator, year) roll-up
slices (:class:`DirtySlice`) and the (indicator, unit) series to check for anomalies
(:class:`DirtySeries`), and queues one ``indicators.recompute`` job (many imports coalesce into one
waiting job). The job claims the marked rows (so two workers never rebuild the same slice),
rebuilds the slices a few at a time (each group in a short transaction of its own, so event intake
never waits long behind a large import on SQLite's single writer), fits the anomaly checks and
stores their flags (:class:`AnomalyFlag`), and removes each mark unless it was marked again
meanwhile — that mark is then rebuilt by the next job.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from toancanh.core import jobs
from toancanh.indicators.models import AnomalyFlag, DirtySeries, DirtySlice, Indicator

TASK = "indicators.recompute"
SLICES_PER_TRANSACTION = int(os.environ.get("TOANCANH_ROLLUP_SLICES_PER_TRANSACTION", "4"))
SERIES_PER_RUN = 200  # anomaly fits per job run; the rest goes to the next run, queued at once
TRANSACTION_SECONDS = 0.25  # aim for roll-up transactions about this long
SERIES_SECONDS_PER_RUN = 1.0  # the runner's time for anomaly fits per run
CLAIM_TIMEOUT = dt.timedelta(hours=2)


_MARK = {
    "slice": ("indicators_dirtyslice", "indicator_id, year"),
    "series": ("indicators_dirtyseries", "indicator_id, unit_id"),
}


def mark(slices: Iterable[tuple[int, int]], series: Iterable[tuple[int, int]] = ()) -> None:
    """Mark roll-up slices (indicator id, year) and series (indicator id, unit id) as out of date,
    inside the caller's transaction — one statement for each kind on PostgreSQL, however many."""
    now = timezone.now()
    with connection.cursor() as cur:
        for kind, keys in (("slice", slices), ("series", series)):
            table, columns = _MARK[kind]
            pairs = sorted(set(keys))
            if not pairs:
                continue
            upsert = (
                f"ON CONFLICT ({columns}) DO UPDATE SET version = {table}.version + 1, marked_at = excluded.marked_at"
            )
            if connection.vendor == "postgresql":
                cur.execute(
                    f"INSERT INTO {table} ({columns}, version, marked_at, claimed_by) "  # noqa: S608
                    f"SELECT a, b, 1, %s, '' FROM unnest(%s::bigint[], %s::bigint[]) AS t(a, b) {upsert}",
                    [now, [a for a, _b in pairs], [b for _a, b in pairs]],
                )
            else:
                cur.executemany(
                    f"INSERT INTO {table} ({columns}, version, marked_at, claimed_by) "  # noqa: S608
                    f"VALUES (%s, %s, 1, %s, '') {upsert}",
                    [(a, b, now) for a, b in pairs],
                )


def queue(slices: Iterable[tuple[int, int]], series: Iterable[tuple[int, int]] = ()):
    """Mark and queue the recompute job (one waiting job however many imports ask); returns it."""
    mark(slices, series)
    return jobs.enqueue(TASK, dedupe=TASK)


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(model, now: dt.datetime, limit: int | None = None) -> dict[int, tuple[Any, ...]]:
    """Claim unclaimed (or abandoned) marks: id -> (key..., version)."""
    free = Q(claimed_by="") | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    fields = ("indicator_id", "year") if model is DirtySlice else ("indicator_id", "unit_id")
    candidates = list(model.objects.filter(free).order_by("id").values_list("id", *fields, "version")[: limit or None])
    claimed = {}
    me = _me()
    for pk, a, b, version in candidates:
        if model.objects.filter(Q(pk=pk) & free).update(claimed_by=me, claimed_at=now):
            claimed[pk] = (a, b, version)
    return claimed


def _release(model, claimed: dict[int, tuple[Any, ...]]) -> None:
    """Remove marks that were not marked again meanwhile; free the others for the next run."""
    for pk, (_a, _b, version) in claimed.items():
        if not model.objects.filter(pk=pk, version=version).delete()[0]:
            model.objects.filter(pk=pk).update(claimed_by="", claimed_at=None)


def recompute_dirty(*, series_limit: int = SERIES_PER_RUN, series_seconds: float | None = None) -> dict[str, Any]:
    """Rebuild every marked roll-up slice, then check marked series for anomalies: up to
    ``series_limit`` of them and for ``series_seconds`` at most (so that figures filed meanwhile
    wait little for their roll-up: the next run comes at once), unlimited time when None."""
    from toancanh.indicators import rollup

    started = time.perf_counter()
    now = timezone.now()
    out: dict[str, Any] = {"slices": 0, "rows_written": 0, "series_checked": 0, "flags": 0, "anomalies": []}
    slices = _claim(DirtySlice, now)
    by_year: dict[int, list[int]] = defaultdict(list)
    for pk, (_ind, year, _v) in slices.items():
        by_year[year].append(pk)
    size = SLICES_PER_TRANSACTION if connection.vendor == "sqlite" else 1_000_000
    try:
        for year in sorted(by_year):
            ids, i = sorted(by_year[year]), 0
            while i < len(ids):
                group = {pk: slices[pk] for pk in ids[i : i + size]}
                took = time.perf_counter()
                stats = rollup.recompute({(ind, year) for ind, year, _v in group.values()})
                took = time.perf_counter() - took
                out["slices"] += stats.slices
                out["rows_written"] += stats.rows_written
                _release(DirtySlice, group)
                i += len(group)
                # Each group is one write transaction. SQLite has one writer, so event intake waits
                # while it runs: size it from the last one's pace to last about TRANSACTION_SECONDS.
                # PostgreSQL's writers do not wait for each other's rows: a year at a time is fine.
                if connection.vendor == "sqlite":
                    size = max(1, min(2 * size, int(TRANSACTION_SECONDS * len(group) / max(took, 1e-3))))
    except BaseException:
        DirtySlice.objects.filter(pk__in=slices, claimed_by=_me()).update(claimed_by="", claimed_at=None)
        raise
    series = _claim(DirtySeries, now, series_limit)
    try:
        out |= _check_series(series, deadline=None if series_seconds is None else time.perf_counter() + series_seconds)
    finally:
        DirtySeries.objects.filter(pk__in=series, claimed_by=_me()).update(claimed_by="", claimed_at=None)
    out["seconds"] = round(time.perf_counter() - started, 3)
    if DirtySlice.objects.filter(claimed_by="").exists() or DirtySeries.objects.filter(claimed_by="").exists():
        jobs.enqueue(TASK, dedupe=TASK)  # marked again meanwhile, or more series than one run checks
    return out


def _check_series(claimed: dict[int, tuple[Any, ...]], deadline: float | None = None) -> dict[str, Any]:
    """Fit each claimed series' anomaly check and replace its stored flags, until ``deadline``
    (the rest is released for the next run)."""
    from toancanh.indicators import forecast, queries
    from toancanh.units.models import Unit

    if not claimed:
        return {}
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={v[0] for v in claimed.values()})}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={v[1] for v in claimed.values()}).only("id", "key", "path")}
    found: list[dict[str, Any]] = []
    flags = checked = 0
    for pk, (ind_id, unit_id, version) in claimed.items():
        if deadline is not None and checked and time.perf_counter() > deadline:
            break
        checked += 1
        ind, unit = indicators.get(ind_id), units.get(unit_id)
        flagged: dict[str, float] = {}
        if ind is not None and unit is not None:
            flagged = forecast.anomalies(ind, [(p, v) for p, v, _c in queries.series(ind, unit)])
        now = timezone.now()
        with transaction.atomic():
            AnomalyFlag.objects.filter(indicator_id=ind_id, unit_id=unit_id).delete()
            AnomalyFlag.objects.bulk_create(
                [
                    AnomalyFlag(indicator_id=ind_id, unit_id=unit_id, period=p, z=round(z, 2), found_at=now)
                    for p, z in flagged.items()
                ]  # fmt: skip
            )
            _release(DirtySeries, {pk: (ind_id, unit_id, version)})
        flags += len(flagged)
        if ind is not None and unit is not None:
            found += [
                {"indicator": ind.code, "unit": unit.key, "period": p, "z": round(z, 1)} for p, z in flagged.items()
            ]
    return {"series_checked": checked, "flags": flags, "anomalies": found[:200]}


def pending() -> dict[str, int]:
    """How much is marked and not yet rebuilt or checked."""
    return {"slices": DirtySlice.objects.count(), "series": DirtySeries.objects.count()}
