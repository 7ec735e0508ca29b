"""What a leader sees first (Tổng quan): their unit at a glance for a period — the headline
indicators against their targets with traffic lights, what needs attention (indicators off track,
open severe situations, overdue steps), what changed since yesterday. The same reading feeds the
one-page brief (``brief.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from toancanh.core.periods import Period
from toancanh.indicators.models import DataValue, Indicator, Target
from toancanh.indicators.queries import Figure, overview
from toancanh.operations.models import Situation, SituationStatus, SituationStep
from toancanh.units.models import Unit

HEADLINE = 12  # indicators on the home page and the brief
SEVERE = ("Severe", "Extreme")
CLOSED = (SituationStatus.RESOLVED, SituationStatus.CLOSED)


@dataclass
class Glance:
    unit: Unit
    period: Period
    figures: list[Figure]
    off_track: list[Figure] = field(default_factory=list)
    severe: list[Situation] = field(default_factory=list)
    overdue: list[SituationStep] = field(default_factory=list)
    changed: list[DataValue] = field(default_factory=list)
    changed_total: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(1 for f in self.figures if f.status == s) for s in ("green", "amber", "red", "none")}

    @property
    def attention(self) -> int:
        return len(self.off_track) + len(self.severe) + len(self.overdue)


def period_choices(today: dt.date | None = None) -> list[Period]:
    """The periods a leader can look at: this year and last, their quarters, the last 12 months."""
    today = today or timezone.localdate()
    month = Period.containing(today, "month")
    months = [month.shift(-i) for i in range(12)]
    quarter = Period.containing(today, "quarter")
    quarters = [quarter.shift(-i) for i in range(4)]
    return [*months, *quarters, Period.of_year(today.year), Period.of_year(today.year - 1)]


def chosen_period(code: str | None, today: dt.date | None = None) -> Period:
    """The period asked for if it is one of the choices; otherwise the current month."""
    choices = period_choices(today)
    return next((p for p in choices if p.code == code), choices[0])


def headline_indicators(user: Any, unit: Unit, year: int) -> list[Indicator]:
    """The indicators with a target for the unit this year (the resolution's headline figures), in
    the catalogue's order; failing those, the first indicator of each sector."""
    visible = Indicator.objects.visible_to(user).filter(active=True).select_related("sector")
    with_target = set(Target.objects.filter(unit=unit, year=year).values_list("indicator_id", flat=True))
    chosen = [i for i in visible if i.pk in with_target]
    if not chosen:
        seen: set[str] = set()
        for ind in visible:
            if ind.sector_id not in seen:
                seen.add(ind.sector_id)
                chosen.append(ind)
    return chosen[:HEADLINE]


def glance(user: Any, unit: Unit, period: Period, *, now: dt.datetime | None = None) -> Glance:
    now = now or timezone.now()
    indicators = headline_indicators(user, unit, period.year)
    figures = overview(unit, indicators, until=period.end)
    g = Glance(unit, period, figures, off_track=[f for f in figures if f.status == "red"])
    situations = Situation.objects.visible_to(user).filter(unit__path__startswith=unit.path).exclude(status__in=CLOSED)
    g.severe = list(situations.filter(severity__in=SEVERE).select_related("unit").order_by("-opened_at")[:8])
    g.overdue = list(
        SituationStep.objects.filter(situation__in=situations, done_at__isnull=True, due_at__lt=now)
        .select_related("situation")
        .order_by("due_at")[:8]
    )
    since = now - dt.timedelta(days=1)
    changed = (
        DataValue.objects.visible_to(user)
        .filter(unit__path__startswith=unit.path, indicator__in=Indicator.objects.visible_to(user))
        .filter(Q(updated_at__gte=since) | Q(entered_at__gte=since))
    )
    g.changed_total = changed.count()
    g.changed = list(changed.select_related("indicator", "unit").order_by("-updated_at")[:8])
    return g
