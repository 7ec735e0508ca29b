"""Reads of reports that need care: duplicates nearby, the public view, the inbox, statistics."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from toancanh.core.text import fold
from toancanh.feedback.models import DONE, OPEN, Category, HandlingSettings, RefusalReason, Report, Status

EARTH_M = 6_371_000
MAX_SUGGESTED = 5  # FixMyStreet shows five


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_M * math.asin(math.sqrt(a))


def _grams(text: str) -> set[str]:
    t = f"  {fold(text)}  "
    return {t[i : i + 3] for i in range(len(t) - 2)}


def similarity(a: str, b: str) -> float:
    """Character-trigram overlap (Jaccard) of the folded texts: tolerant of missing diacritics."""
    ga, gb = _grams(a), _grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


@dataclass
class Candidate:
    report: Report
    distance_m: float
    similarity: float
    score: float


def duplicates(category: Category, lat: float, lon: float, text: str = "",
               now: dt.datetime | None = None) -> list[Candidate]:  # fmt: skip
    """Open reports of the same category near a point, recent enough, best first: distance (within
    the radius), age and text similarity weigh together. The citizen is offered to follow one."""
    rules = HandlingSettings.current()
    now = now or timezone.now()
    radius = rules.duplicate_radius_m
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    top = category.top
    qs = (
        Report.objects.filter(status__in=OPEN, received_at__gte=now - dt.timedelta(days=rules.duplicate_days))
        .filter(Q(category=top) | Q(category__parent=top))
        .filter(lat__range=(lat - dlat, lat + dlat), lon__range=(lon - dlon, lon + dlon))
        .select_related("category", "unit")[:200]
    )
    out = []
    for r in qs:
        d = distance_m(lat, lon, r.lat, r.lon)
        if d > radius:
            continue
        sim = similarity(text, f"{r.title} {r.description}") if text else 0.0
        age = (now - r.received_at).total_seconds() / 86400 / rules.duplicate_days
        same_sub = 0.15 if r.category_id == category.pk else 0.0
        score = 0.45 * (1 - d / radius) + 0.2 * (1 - age) + 0.4 * sim + same_sub
        out.append(Candidate(r, round(d), round(sim, 3), round(score, 3)))
    out.sort(key=lambda c: -c.score)
    return out[:MAX_SUGGESTED]


MAP_VERSION = "feedback.map.version"


def map_version() -> int:
    """The public map's version in the cache (shared by the processes when the cache is Redis)."""
    from django.core.cache import cache

    version = cache.get(MAP_VERSION)
    if version is None:
        cache.add(MAP_VERSION, 1, None)
        version = cache.get(MAP_VERSION) or 1
    return int(version)


def bump_map() -> None:
    """A report changed: the public map's cached answers are stale."""
    from django.core.cache import cache

    try:
        cache.incr(MAP_VERSION)
    except ValueError:  # not there yet (or evicted)
        cache.add(MAP_VERSION, 2, None)


def status_label(status: str) -> str:
    from django.utils.translation import gettext

    return gettext(str(Status(status).label)) if status in Status.values else status


def public_dict(report: Report) -> dict[str, Any]:
    """What anyone may read of a report: never the reporter's name, phone, device or address,
    never internal notes nor private photos."""
    return {
        "code": report.code,
        "category": report.category.code,
        "category_name": report.category.name,
        "title": report.title,
        "description": report.description,
        # a report marked as spam reads as a neutral "closed" (the sender is not told it was judged abuse)
        "status": "closed" if _neutral(report) else report.status,
        "status_label": status_label(Status.CLOSED if _neutral(report) else report.status),
        "lat": round(report.lat, 5),
        "lon": round(report.lon, 5),
        "address": report.address,
        "commune": report.unit.name,
        "agency": report.agency.name if report.agency_id else "",
        "received_at": report.received_at,
        "due_at": report.due_at,
        "answered_at": report.answered_at,
        "answer": report.answer if report.status in DONE or report.status == Status.REOPENED else "",
        "satisfied": report.satisfied,
        "overdue": report.overdue,
        "extended": report.extended,
    }


def public_photos(report: Report) -> list[dict[str, Any]]:
    return [
        {"url": f"/phan-anh/anh/{p.pk}.jpg", "answer": p.entry_id is not None, "width": p.width, "height": p.height}
        for p in report.photos.filter(public=True)
    ]


def _neutral(report: Report) -> bool:
    return report.status == Status.REFUSED and report.refusal_reason == RefusalReason.SPAM


def public_history(report: Report) -> list[dict[str, Any]]:
    rows = [{"at": e.at, "kind": e.kind, "status": e.status, "status_label": status_label(e.status) if e.status else "",
             "text": e.text} for e in report.entries.filter(public=True)]  # fmt: skip
    if _neutral(report):
        for row in rows:
            if row["status"] == Status.REFUSED:
                row.update(
                    status=Status.CLOSED, status_label=status_label(Status.CLOSED), text=gettext("Report closed")
                )
    return rows


def stats(qs) -> dict[str, Any]:
    """Counts and the group-5 rates of Decision 766/QĐ-TTg (shared/reference/government-performance.md):
    on time = handled on or before the deadline / handled within competence (not refused) × 100;
    satisfaction = (total − rated dissatisfied − reopened − overdue) / total × 100."""
    qs = qs.exclude(status=Status.REFUSED)
    agg = qs.aggregate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=Q(answered_on_time=True)),
        late=Count("id", filter=Q(answered_on_time=False) | Q(answered_at__isnull=True, overdue=True)),
        open=Count("id", filter=Q(status__in=OPEN)),
        overdue_open=Count("id", filter=Q(status__in=OPEN, overdue=True)),
        dissatisfied=Count("id", filter=Q(satisfied=False)),
        rated_satisfied=Count("id", filter=Q(satisfied=True)),
        bad=Count("id", filter=Q(satisfied=False) | Q(reopen_count__gt=0) | Q(overdue=True)
                  | Q(answered_on_time=False)),
    )  # fmt: skip
    handled = agg["answered"]
    agg["on_time_rate"] = round(100 * agg["on_time"] / handled, 1) if handled else None
    agg["satisfaction_rate"] = (
        round(100 * (agg["received"] - agg["bad"]) / agg["received"], 1) if agg["received"] else None
    )
    return agg


def stats_by(qs, field: str, label: str) -> list[dict[str, Any]]:
    """:func:`stats` per category, commune or agency (``field`` a lookup, ``label`` its name lookup)."""
    keys = list(qs.exclude(**{f"{field}__isnull": True}).values_list(field, label).distinct())
    return sorted(({"key": k, "name": n, **stats(qs.filter(**{field: k}))} for k, n in keys),
                  key=lambda r: -r["received"])  # fmt: skip


LOCAL_TZ = "Asia/Ho_Chi_Minh"


def _period_bounds(period) -> tuple[dt.datetime, dt.datetime]:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(LOCAL_TZ)
    start = dt.datetime.combine(period.start, dt.time(), tz)
    return start, dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tz)


def rates_for_766(by: str, keys: list[int], period, now: dt.datetime | None = None) -> dict[int, dict]:
    """Group 5 of Decision 766/QĐ-TTg from the reports received in ``period`` (anything with
    ``start`` and ``end`` dates, Vietnam time), per agency (``by="agency"``) or commune
    (``by="unit"``): ``{key: {"5.1": (num, den), "5.2": …, "5.3": …}}``, the source the
    government pack's index reads through the ``GOVERNMENT_SATISFACTION_SOURCE`` setting.

    After shared/reference/feedback-vietnam.md §2 and government-performance.md §A:
    - 5.2 on time [C formula] = reports handled on or before their deadline / reports within
      competence (not refused); a report still open before its deadline counts as on time (as
      dossiers do in 2.1), an open one past it (or marked overdue) as late.
    - 5.3 satisfaction [C formula] = (reports within competence − rated not satisfied − reopened
      − overdue or answered late) / reports within competence; N/A (0, 0) while no report of the
      set has been rated: without a single rating there is no satisfaction to measure.
    - 5.1 classified [S: the national system's split is by kind of subject, which our reports do
      not carry]: reports an operator has classified (accepted with a category, or refused) /
      reports received.
    5.4 (satisfaction in settling dossiers) is the dossiers', not the reports': left out (N/A).
    A key with no report in the period gets (0, 0) everywhere: N/A, not zero."""
    field = {"agency": "agency_id", "unit": "unit_id"}[by]
    start, end = _period_bounds(period)
    as_of = min(now or timezone.now(), end)
    late = (
        Q(answered_on_time=False)
        | Q(answered_at__isnull=True, overdue=True)
        | Q(answered_at__isnull=True, due_at__lt=as_of)
    )
    refused = Q(status=Status.REFUSED)
    rows = (
        Report.objects.filter(**{f"{field}__in": keys}, received_at__gte=start, received_at__lt=end)
        .values(field)
        .annotate(
            received=Count("id"),
            classified=Count("id", filter=~Q(status=Status.RECEIVED)),
            competent=Count("id", filter=~refused),
            late=Count("id", filter=~refused & late),
            rated=Count("id", filter=~refused & Q(satisfied__isnull=False)),
            bad=Count("id", filter=~refused & (late | Q(satisfied=False) | Q(reopen_count__gt=0))),
        )
    )
    out = {k: {"5.1": (0, 0), "5.2": (0, 0), "5.3": (0, 0)} for k in keys}
    for r in rows:
        n = r["competent"]
        out[r[field]] = {
            "5.1": (r["classified"], r["received"]),
            "5.2": (n - r["late"], n),
            "5.3": (n - r["bad"], n) if r["rated"] else (0, 0),
        }
    return out
