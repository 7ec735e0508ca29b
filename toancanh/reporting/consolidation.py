"""Live consolidation (tổng hợp): a parent unit's report computed from the approved reports of the
units below it, cell by cell with each cell's rule, formulas recomputed after aggregation; and over
time (months → quarter → year, year to date).

* Across units: the reports of the regime's reporting units under the parent — and under the
  former units it succeeded (the 2025 reorganisation: ``units.queries.scope_paths``) — that are
  **approved**; a returned, draft or merely submitted report is not used. Sums add, averages are
  the mean of the reports that hold the cell (never a sum of averages), weighted averages weigh by
  the cell named as weight, ``none`` cells stay empty. One SQL GROUP BY does sums and counts.
* Over time: each cell's rule again (sum of the months; mean of the months; weighted by the weight
  cell's total; ``none`` takes the last period), then the formulas again.
* It says which reporting units are missing, late or returned, and which report (and which
  revision of it) each figure came from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from toancanh.reporting.forms import Form, form_of
from toancanh.reporting.models import Aggregation, Regime, Status, Submission, SubmissionValue
from toancanh.reporting.queries import reporting_units, shift_periods, shifts_from
from toancanh.reporting.regimes import ReportPeriod, period_of
from toancanh.reporting.sheet import evaluate


@dataclass
class UsedReport:
    unit: str  # unit key
    unit_name: str
    submission: int
    revision: int
    submitted_at: dt.datetime | None
    late: bool


@dataclass
class Consolidation:
    regime: str
    unit: str
    period: str
    values: dict[str, object]
    used: list[UsedReport] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # unit keys without a report (or only a draft)
    returned: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # submitted, not yet approved
    late: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.missing or self.returned or self.waiting)


def _aggregate_units(form: Form, submission_ids: list[int]) -> dict[str, object]:
    """Entered cells aggregated over the given submissions (one GROUP BY, weighted cells apart)."""
    specs = {k: form.spec(k) for k in form.entered_keys()}
    sums = {
        row["key"]: (row["total"], row["n"])
        for row in SubmissionValue.objects.filter(submission_id__in=submission_ids, number__isnull=False)
        .values("key")
        .annotate(total=Sum("number"), n=Count("number"))
    }
    out: dict[str, object] = {}
    weighted = [k for k, s in specs.items() if s.aggregation == Aggregation.WEIGHTED and k in sums]
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    if weighted:
        wanted = set(weighted) | {specs[k].weight for k in weighted}
        by_sub: dict[int, dict[str, float]] = defaultdict(dict)
        for sid, key, number in SubmissionValue.objects.filter(
            submission_id__in=submission_ids, key__in=wanted, number__isnull=False
        ).values_list("submission_id", "key", "number"):
            by_sub[sid][key] = number
        for vals in by_sub.values():
            for k in weighted:
                if k in vals and specs[k].weight in vals:
                    pairs[k].append((vals[k], vals[specs[k].weight]))
    for key, spec in specs.items():
        if key not in sums or spec.aggregation == Aggregation.NONE:
            continue
        total, n = sums[key]
        if spec.aggregation == Aggregation.SUM:
            out[key] = float(total)
        elif spec.aggregation == Aggregation.AVERAGE:
            out[key] = float(total) / n
        else:
            mass = sum(w for _v, w in pairs[key])
            if mass:
                out[key] = sum(v * w for v, w in pairs[key]) / mass
    return out


def _entered(regime: Regime, unit, rp: ReportPeriod) -> tuple[dict[str, object], Consolidation]:
    from toancanh.units.queries import scope_paths

    start, end = rp.window
    paths = scope_paths(unit)
    expected = {u.pk: u for u in reporting_units(regime, paths, start, end).exclude(pk=unit.pk)}
    subs = list(
        Submission.objects.filter(regime=regime, period=rp.code, unit__in=_units_under(paths))
        .exclude(unit=unit)
        .select_related("unit", "version")
    )
    result = Consolidation(regime.code, unit.key, rp.code, {})
    by_unit = {s.unit_id: s for s in subs}
    approved = []
    for s in subs:
        level = s.unit.level
        deadline = rp.deadline(level, regime.deadline_days)
        late = s.submitted_at is not None and s.submitted_at.date() > deadline
        if late:
            result.late.append(s.unit.key)
        if s.status == Status.APPROVED:
            approved.append(s.pk)
            result.used.append(UsedReport(s.unit.key, s.unit.name, s.pk, s.revision, s.submitted_at, late))
        elif s.status == Status.RETURNED:
            result.returned.append(s.unit.key)
        elif s.status == Status.SUBMITTED:
            result.waiting.append(s.unit.key)
    for pk, u in expected.items():
        if pk not in by_unit or by_unit[pk].status == Status.DRAFT:
            result.missing.append(u.key)
    versions = {s.version for s in subs if s.status == Status.APPROVED} or {
        regime.template.versions.order_by("-number").first()
    }
    form = form_of(max(versions, key=lambda v: v.number))
    return _aggregate_units(form, approved), result


def _units_under(paths: tuple[str, ...]):
    from django.db.models import Q

    from toancanh.units.models import Unit

    cond = Q()
    for p in paths:
        cond |= Q(path__startswith=p)
    return Unit.objects.filter(cond)


def _form(regime: Regime) -> Form:
    return form_of(regime.template.versions.order_by("-number").first())


def consolidate(regime: Regime, unit, period: str, *, shifts: bool = True) -> Consolidation:
    """The parent unit's report for a period of the regime's frequency."""
    rp = period_of(regime.frequency, period)
    entered, result = _entered(regime, unit, rp)
    lookup: dict[str, dict[str, object]] = {}
    if shifts:
        for code in shift_periods(rp):
            lookup[code] = consolidate(regime, unit, code, shifts=False).values
    result.values = evaluate(_form(regime).sheet, entered, shifts_from(rp, lookup) if shifts else None)
    return result


def over_time(regime: Regime, unit, parts: list[str]) -> dict[str, object]:
    """A longer period from the regime's periods (three months → a quarter, months 1..m → year to
    date): each entered cell by its rule over time, then the formulas."""
    form = _form(regime)
    series = [consolidate(regime, unit, p).values for p in parts]
    out: dict[str, object] = {}
    for key in form.entered_keys():
        spec = form.spec(key)
        nums = [v[key] for v in series if isinstance(v.get(key), float)]
        if not nums:
            continue
        if spec.aggregation == Aggregation.SUM:
            out[key] = sum(nums)
        elif spec.aggregation == Aggregation.AVERAGE:
            out[key] = sum(nums) / len(nums)
        elif spec.aggregation == Aggregation.WEIGHTED:
            pairs = [(v[key], v.get(spec.weight)) for v in series if isinstance(v.get(key), float)]
            mass = sum(w for _v, w in pairs if isinstance(w, float))
            if mass:
                out[key] = sum(v * w for v, w in pairs if isinstance(w, float)) / mass
        else:
            out[key] = nums[-1]
    return evaluate(form.sheet, out)


def months_of(period_code: str) -> list[str]:
    """The months of a quarter (``2025Q2``), a half (``2025H1``), a year (``2025``) or the months of
    the year up to one (``2025-06:YTD``)."""
    if period_code.endswith(":YTD"):
        month = period_of("monthly", period_code[:-4])
        return [f"{month.year}-{m:02d}" for m in range(1, month.index + 1)]
    from toancanh.core.periods import Period

    p = Period.parse(period_code)
    return [m.code for m in p.subperiods("month")]
