"""Judging a figure against its target, the way officials word targets.

A target is a floor ("đạt ít nhất", e.g. GRDP growth "từ 11 % trở lên"), a ceiling ("không vượt
quá", e.g. budget spending within its estimate, dengue cases under a cap) or a range ("7,5–8,0 %").
The figure judged is the **year to date** with the indicator's own time aggregation:

* a **sum** over time (revenue, cases) is judged on its **pace**: what has accrued so far against the
  part of the year's target that should have accrued by now, pro-rated by the days gone by
  (``ytd / (target × elapsed)``). Plan completion ("đạt …% kế hoạch năm", "đã dùng …% hạn mức")
  is ``ytd / target`` for floors and ceilings alike — never target ÷ actual;
* an **average** is judged on the year-to-date average, an **end-of-period** level on the latest
  value, a **maximum** on the year's maximum so far: each directly against the target.

The traffic light uses the indicator's thresholds (``green_at``, ``amber_at``, in per cent of the
target for floors); for ceilings the same margins mirrored above 100 % (green at most
``200 − green_at``, amber at most ``200 − amber_at``): with the defaults, a cap used at most at
the pace allowed is green, up to 10 % faster amber, beyond that (or a cap already exceeded) red.
A range is green inside it, and judged as a floor below it and as a ceiling above it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from toancanh.indicators.models import Direction, Indicator, TargetKind, TimeAggregation


@dataclass(frozen=True)
class Goal:
    """A target as set: its kind, its value (floor, ceiling or the range's low end) and a range's high end."""

    kind: str
    value: float
    upper: float | None = None

    @classmethod
    def of(cls, indicator: Indicator, kind: str | None, value: float | None, upper: float | None) -> Goal | None:
        if value is None:
            return None
        if not kind:
            kind = TargetKind.AT_MOST if indicator.direction == Direction.LOWER_IS_BETTER else TargetKind.AT_LEAST
        return cls(kind, float(value), None if upper is None else float(upper))


@dataclass(frozen=True)
class Judgement:
    completion_pct: float | None  # ytd ÷ target (share reached, or share of a cap used)
    pace_pct: float | None  # sums: completion ÷ share of the year gone by
    status: str  # green, amber, red, none


NONE = Judgement(None, None, "none")


def elapsed_share(year: int, until: dt.date) -> float:
    """The share of the year gone by at the end of ``until`` (days, leap years counted)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return ((until - start).days + 1) / ((end - start).days + 1)


def _floor_light(indicator: Indicator, score: float) -> str:
    if score >= float(indicator.green_at):
        return "green"
    return "amber" if score >= float(indicator.amber_at) else "red"


def _ceiling_light(indicator: Indicator, score: float) -> str:
    if score <= 200 - float(indicator.green_at):
        return "green"
    return "amber" if score <= 200 - float(indicator.amber_at) else "red"


def is_cumulative(indicator: Indicator) -> bool:
    """A plain sum over time accrues through the year; averages, levels and ratios do not."""
    return indicator.time_aggregation == TimeAggregation.SUM and not indicator.is_derived


def judge(indicator: Indicator, goal: Goal | None, year_to_date: float | None, elapsed: float) -> Judgement:
    """Completion, pace and the traffic light of a year-to-date figure against a target."""
    if goal is None or year_to_date is None:
        return NONE
    cumulative = is_cumulative(indicator) and elapsed < 1
    share = elapsed if cumulative else 1.0
    low = goal.value
    high = goal.upper if goal.kind == TargetKind.RANGE else None
    completion = None if low == 0 else year_to_date / low * 100
    pace = None if completion is None or not cumulative else completion / share
    if goal.kind == TargetKind.AT_LEAST:
        score = pace if cumulative else completion
        return Judgement(completion, pace, "none" if score is None else _floor_light(indicator, score))
    if goal.kind == TargetKind.AT_MOST:
        score = pace if cumulative else completion
        if score is None:
            return Judgement(completion, pace, "none")
        light = "red" if completion is not None and completion > 100 else _ceiling_light(indicator, score)
        return Judgement(completion, pace, light)
    # A range: the year's projected (sums) or year-to-date value against both ends.
    projected = year_to_date / share
    if high is None or low <= projected <= high:
        return Judgement(completion, pace, "green")
    if projected < low:
        return Judgement(completion, pace, "red" if low == 0 else _floor_light(indicator, projected / low * 100))
    return Judgement(completion, pace, "red" if high == 0 else _ceiling_light(indicator, projected / high * 100))


def _pct(x: float) -> str:
    from django.utils.formats import number_format

    return number_format(round(x, 1), decimal_pos=1, use_l10n=True)


def verdict(indicator: Indicator, kind: str | None, completion: float | None, pace: float | None, status: str,
            upper: float | None = None, year_to_date: float | None = None) -> str:  # fmt: skip
    """What the light means, in words: "đã dùng 87,8 % hạn mức, đúng tiến độ"."""
    if status == "none" or completion is None:
        return ""
    c = _pct(completion)
    kind = kind or (TargetKind.AT_MOST if indicator.direction == Direction.LOWER_IS_BETTER else TargetKind.AT_LEAST)
    if kind == TargetKind.RANGE:
        if status == "green":
            return _("within the target range")
        low_side = upper is None or year_to_date is None or year_to_date <= upper
        return _("below the target range") if low_side else _("above the target range")
    if kind == TargetKind.AT_MOST:
        if completion > 100:
            return _("%(c)s%% of the cap used: the cap is exceeded") % {"c": c}
        if pace is None:
            return (
                _("%(c)s%% of the cap, within it") if status == "green" else _("%(c)s%% of the cap, close to it")
            ) % {"c": c}
        words = {
            "green": _("%(c)s%% of the cap used, on schedule"),
            "amber": _("%(c)s%% of the cap used, faster than schedule"),
            "red": _("%(c)s%% of the cap used, far faster than schedule"),
        }
        return words[status] % {"c": c}
    if pace is None:
        words = {
            "green": _("%(c)s%% of the target reached"),
            "amber": _("%(c)s%% of the target, a little short"),
            "red": _("%(c)s%% of the target, well short"),
        }
        return words[status] % {"c": c}
    if completion >= 100:
        return _("%(c)s%% of the year's target reached: the target is met") % {"c": c}
    words = {
        "green": _("%(c)s%% of the year's target reached, on schedule"),
        "amber": _("%(c)s%% of the year's target reached, a little behind schedule"),
        "red": _("%(c)s%% of the year's target reached, behind schedule"),
    }
    return words[status] % {"c": c}


def is_rate(indicator: Indicator) -> bool:
    """A rate or share (measured in %): its changes are told in percentage points, not in per cent."""
    return (indicator.measure or "").strip() == "%"


def change_text(change: float | None, points: bool) -> str:
    """A change the Vietnamese way: "+1,2 điểm %" for a rate, "−3,4 %" for anything else."""
    from django.utils.formats import number_format

    if change is None:
        return ""
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    number = number_format(round(abs(change), 1), decimal_pos=1, use_l10n=True)
    return f"{sign}{number} " + (_("percentage points") if points else "%")


def reason_text(reason: str) -> str:
    """Why a figure is empty, in the reader's language (the roll-up stores machine words:
    "period not complete", "missing GRDP", "division by zero")."""
    if not reason:
        return ""
    if reason == "period not complete":
        return _("the period is not over yet")
    if reason == "division by zero":
        return _("cannot be computed: division by zero")
    if reason.startswith("missing "):
        code = reason.removeprefix("missing ")
        inner = code.split("(", 1)[-1].rstrip(")")
        ind = Indicator.objects.filter(code=inner).only("name_vi", "name_en", "code").first()
        return _("missing figure: %(what)s") % {"what": ind.localized if ind else code}
    return reason
