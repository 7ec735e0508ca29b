"""Reads of the reporting context that need care: a submission's neighbours in time (for the
formulas' PREV, LASTYEAR and YTD and for the clerk's comparison column), and who must report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from toancanh.reporting.models import Regime, Status, Submission, SubmissionValue
from toancanh.reporting.regimes import ReportPeriod, period_of

# The reports whose figures count for comparisons and shifts: sent or approved (not drafts, not
# returned ones).
COUNTED = (Status.SUBMITTED, Status.APPROVED)


def values_of(submission_ids: Iterable[int]) -> dict[int, dict[str, object]]:
    out: dict[int, dict[str, object]] = defaultdict(dict)
    rows = SubmissionValue.objects.filter(submission_id__in=list(submission_ids))
    for sid, key, number, text in rows.values_list("submission_id", "key", "number", "text"):
        out[sid][key] = number if number is not None else (text or None)
    return out


def _unit_values(regime: Regime, unit_id: int, periods: list[str]) -> dict[str, dict[str, object]]:
    subs = dict(
        Submission.objects.filter(regime=regime, unit_id=unit_id, period__in=periods, status__in=COUNTED).values_list(
            "id", "period"
        )
    )
    by_id = values_of(subs)
    return {subs[sid]: vals for sid, vals in by_id.items()}


def shifts_from(rp: ReportPeriod, lookup: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    """PREV, LASTYEAR and YTD (the sum of the year's earlier periods) from values by period code."""
    ytd: dict[str, float] = {}
    for earlier in rp.earlier_in_year():
        for key, v in lookup.get(earlier.code, {}).items():
            if isinstance(v, float):
                ytd[key] = ytd.get(key, 0.0) + v
    return {
        "PREV": lookup.get(rp.previous().code, {}),
        "LASTYEAR": lookup.get(rp.last_year().code, {}),
        "YTD": ytd,
    }


def shift_periods(rp: ReportPeriod) -> list[str]:
    return [rp.previous().code, rp.last_year().code, *(p.code for p in rp.earlier_in_year())]


def shifts_for(sub: Submission) -> dict[str, dict[str, object]]:
    rp = period_of(sub.regime.frequency, sub.period)
    return shifts_from(rp, _unit_values(sub.regime, sub.unit_id, shift_periods(rp)))


def reporting_units(regime: Regime, paths: tuple[str, ...], start, end):
    """The units that must report under ``paths`` in a window: the regime's list, or every unit of
    its reporting level valid at some time in the window (former units included)."""
    from toancanh.units.models import Unit

    listed = regime.reporting_units.all()
    qs = listed if listed.exists() else Unit.objects.filter(level=regime.reporting_level)
    qs = qs.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end), Q(valid_to__isnull=True) | Q(valid_to__gte=start)
    )
    cond = Q()
    for p in paths:
        cond |= Q(path__startswith=p)
    return qs.filter(cond).order_by("path")


def submissions_visible_to(principal, regime: Regime | None = None):
    qs = Submission.objects.visible_to(principal).select_related("unit", "regime")
    return qs.filter(regime=regime) if regime is not None else qs
