"""The Decision 766/QĐ-TTg service index (Bộ chỉ số phục vụ người dân, doanh nghiệp), per agency and
per commune, for a month, quarter or year, from the stored dossiers and procedures.

After shared/reference/government-performance.md §A: the five groups and their maxima (publicity 18,
progress 20, online service 22, digitisation 22, satisfaction 18) are confirmed [C]; so are the 20
points of on-time processing (2.1), the 4 of publication on time (1.2) and the 6 of satisfaction in
settling dossiers (5.4). The other components' formulas follow an unconfirmed technical description
[S] and their points are our split of each group's maximum [U]: each is marked ``confirmed=False`` and
its points, thresholds and all can be changed with the ``GOVERNMENT_766`` setting (a dict of
component id → {"points": …, "threshold": …}).

A component scores its full points at its threshold rate or above, proportionally below
(``rate × points / threshold``), rounded to two decimals; with a denominator of 0 it is N/A and the
group's and total's "out of" shrink by its points. Group 5 (satisfaction) needs the citizen reports'
handling: it is N/A ("no source yet") until a source is named by ``GOVERNMENT_SATISFACTION_SOURCE``
(a dotted path to ``source(by, keys, period) -> {key: {"5.1": (num, den), …}}``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import Agency, Period, Unit
from toancanh.packs.government import services
from toancanh.packs.government.models import Dossier, DossierMonth, OnlineLevel, Outcome, Procedure

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
GROUPS = {1: (_("Publicity and transparency"), 18), 2: (_("Progress and results of settlement"), 20),
          3: (_("Online public services"), 22), 4: (_("Dossier digitisation"), 22), 5: (_("Satisfaction"), 18)}  # fmt: skip


@dataclass(frozen=True)
class Spec:
    id: str
    group: int
    label: str
    points: float
    threshold: float = 100.0  # per cent at which the full points are given
    confirmed: bool = False
    numerator: str = ""
    denominator: str = ""


SPECS = (
    Spec("1.1", 1, _("Procedures announced on time"), 4, numerator=_("announced on time"), denominator=_("procedures handled")),
    Spec("1.2", 1, _("Procedures published on time"), 4, confirmed=True, numerator=_("published on time"), denominator=_("procedures handled")),
    Spec("1.3", 1, _("Procedures published with all seven parts"), 4, numerator=_("complete"), denominator=_("procedures handled")),
    Spec("1.4", 1, _("Dossiers synced to the national portal"), 6, numerator=_("synced"), denominator=_("dossiers received")),
    Spec("2.1", 2, _("Dossiers settled early or on time"), 20, confirmed=True, numerator=_("early, on time or within the deadline"), denominator=_("dossiers received")),
    Spec("3.1", 3, _("Procedures offered online"), 4, 80, numerator=_("online in part or whole"), denominator=_("procedures handled")),
    Spec("3.2", 3, _("Online services with dossiers filed online"), 4, numerator=_("with an online dossier"), denominator=_("online services")),
    Spec("3.3", 3, _("Dossiers filed online (times the sync rate)"), 4, 50, numerator=_("online × synced share"), denominator=_("dossiers received")),
    Spec("3.5", 3, _("Fee-bearing procedures with online payment"), 5, 80, numerator=_("fee data integrated"), denominator=_("fee-bearing procedures")),
    Spec("3.6", 3, _("Fee-bearing dossiers paid online"), 5, numerator=_("paid online"), denominator=_("fee-bearing dossiers")),
    Spec("4.1", 4, _("Electronic results issued"), 6, numerator=_("with an electronic result"), denominator=_("dossiers of paper-result procedures")),
    Spec("4.2", 4, _("Dossiers digitised"), 8, 80, numerator=_("digitised inputs and e-result"), denominator=_("dossiers received")),
    Spec("4.3", 4, _("Digitised data reused"), 8, 80, numerator=_("reusing a digitised part"), denominator=_("dossiers received")),
    Spec("5.1", 5, _("Citizen reports classified"), 5),
    Spec("5.2", 5, _("Citizen reports handled on time"), 5),
    Spec("5.3", 5, _("Satisfaction with the handling of citizen reports"), 2),
    Spec("5.4", 5, _("Satisfaction in settling dossiers"), 6, 90, confirmed=True),
)  # fmt: skip


def specs() -> list[Spec]:
    """The components with the ``GOVERNMENT_766`` setting's overrides."""
    overrides = getattr(settings, "GOVERNMENT_766", {}) or {}
    out = []
    for s in SPECS:
        o = overrides.get(s.id, {})
        out.append(Spec(s.id, s.group, s.label, float(o.get("points", s.points)), float(o.get("threshold", s.threshold)),
                        s.confirmed, s.numerator, s.denominator))  # fmt: skip
    return out


def two(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class Component:
    spec: Spec
    num: float | None
    den: float | None
    note: str = ""

    @property
    def rate(self) -> float | None:
        return None if not self.den else two(100 * self.num / self.den)

    @property
    def score(self) -> float | None:
        if not self.den:
            return None
        rate = 100 * self.num / self.den
        return self.spec.points if rate >= self.spec.threshold else two(self.spec.points * rate / self.spec.threshold)


@dataclass
class Score:
    key: int
    name: str
    components: list[Component] = field(default_factory=list)

    def group(self, g: int) -> tuple[float | None, float]:
        """(score, out of) of a group: None when none of its components has data."""
        parts = [c for c in self.components if c.spec.group == g and c.score is not None]
        return (two(sum(c.score for c in parts)) if parts else None), sum(c.spec.points for c in parts)

    @property
    def groups(self) -> list[tuple[float | None, float]]:
        return [self.group(g) for g in GROUPS]

    @property
    def total(self) -> float:
        return two(sum(self.group(g)[0] or 0 for g in GROUPS))

    @property
    def out_of(self) -> float:
        return sum(self.group(g)[1] for g in GROUPS)

    @property
    def on_time_rate(self) -> float | None:
        return next(c.rate for c in self.components if c.spec.id == "2.1")


def bounds(period) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(period.start, dt.time(), LOCAL)
    return start, dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), LOCAL)


def months(period) -> tuple[int, int]:
    return period.start.year * 100 + period.start.month, period.end.year * 100 + period.end.month


def _scoped(model, principal):
    return model.objects.visible_to(principal) if principal is not None else model.objects.all()


def dossier_counts(by: str, period, now: dt.datetime | None = None, principal=None) -> dict[int, dict]:
    """Per agency or unit (``by``: "agency" or "unit"), the counts the index needs: the monthly
    roll-up, and the dossiers still in progress whose (extended) appointment has passed by ``now``
    (or the period's end)."""
    services.refresh_months()
    first, last = months(period)
    end = bounds(period)[1]
    as_of = min(now or timezone.now(), end)
    sums = {"total": Sum("total"), "early": Sum("early"), "on_time": Sum("on_time"), "late": Sum("late"),
            "stuck": Sum("overdue"), "pending": Sum("pending"), "n_online": Sum("online"), "n_synced": Sum("synced"),
            "n_fee": Sum("fee"), "n_paid": Sum("paid"), "n_digitised": Sum("digitised"), "n_reused": Sum("reused"),
            "days": Sum("days"), "settled": Sum("settled"), "n_paper": Sum("total", filter=Q(procedure__paper_result=True)),
            "n_e_result": Sum("e_result", filter=Q(procedure__paper_result=True))}  # fmt: skip
    rows = (_scoped(DossierMonth, principal).filter(month__gte=first, month__lte=last).values(f"{by}_id")
            .annotate(**{f"a_{k}": v for k, v in sums.items()}))  # fmt: skip
    late_open = dict(
        # by month (not indexed), so that the (outcome, due_at) index finds the few dossiers in progress
        _scoped(Dossier, principal).filter(outcome=Outcome.PENDING, due_at__lt=as_of, month__gte=first,
                                           month__lte=last).values_list(f"{by}_id").annotate(n=Count("id"))
    )  # fmt: skip
    out = {}
    for r in rows:
        key = r.pop(f"{by}_id")
        r = {k[2:]: v or 0 for k, v in r.items()}
        past = late_open.get(key, 0)
        r["overdue"] = r["stuck"] + past
        r["within"] = r["early"] + r["on_time"] + r["pending"] - past
        out[key] = r
    return out


def procedure_counts(by: str, period, principal=None) -> dict[int, dict]:
    """Per agency or unit, the procedures it handled in the period and their publication data."""
    first, last = months(period)
    pairs = (_scoped(DossierMonth, principal).filter(month__gte=first, month__lte=last)
             .values_list(f"{by}_id", "procedure_id").annotate(n_online=Sum("online")))  # fmt: skip
    procs = {p.id: p for p in Procedure.objects.all()}
    out: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for key, proc_id, n_online in pairs:
        p, c = procs[proc_id], out[key]
        c["handled"] += 1
        c["announced"] += p.announced_on_time
        c["published"] += p.published_on_time
        c["complete"] += p.complete_parts
        c["online_offered"] += p.online != OnlineLevel.NONE
        c["online_used"] += p.online != OnlineLevel.NONE and (n_online or 0) > 0
        c["fee_procs"] += p.has_fee
        c["fee_synced"] += p.has_fee and p.fee_synced
    return out


def _satisfaction(by: str, keys: list[int], period) -> dict[int, dict]:
    path = getattr(settings, "GOVERNMENT_SATISFACTION_SOURCE", "")
    return import_string(path)(by, keys, period) if path else {}


def components(d: dict, p: dict, sat: dict | None) -> list[Component]:
    """The 766 components of one agency or commune from its counts (d), procedures (p) and
    satisfaction figures (sat: component id → (num, den); None when there is no source yet)."""
    total, synced = d.get("total", 0), d.get("n_synced", 0)
    values = {
        "1.1": (p.get("announced", 0), p.get("handled", 0)), "1.2": (p.get("published", 0), p.get("handled", 0)),
        "1.3": (p.get("complete", 0), p.get("handled", 0)), "1.4": (synced, total),
        "2.1": (d.get("within", 0), total), "3.1": (p.get("online_offered", 0), p.get("handled", 0)),
        "3.2": (p.get("online_used", 0), p.get("online_offered", 0)),
        "3.3": (d.get("n_online", 0) * synced / total if total else 0, total),
        "3.5": (p.get("fee_synced", 0), p.get("fee_procs", 0)), "3.6": (d.get("n_paid", 0), d.get("n_fee", 0)),
        "4.1": (d.get("n_e_result", 0), d.get("n_paper", 0)), "4.2": (d.get("n_digitised", 0), total),
        "4.3": (d.get("n_reused", 0), total),
    }  # fmt: skip
    out = []
    for s in specs():
        if s.group == 5:
            num, den = (sat or {}).get(s.id, (None, None))
            out.append(Component(s, num, den, "" if sat else str(_("no source yet"))))
        else:
            num, den = values[s.id]
            out.append(Component(s, num, den, "" if den else str(_("no data in the period"))))
    return out


def compute(by: str, period, *, now: dt.datetime | None = None, principal=None) -> list[Score]:
    """The index of every agency (``by="agency"``) or unit (``by="unit"``) with dossiers in the period
    (those ``principal`` may see, when given), best first."""
    counts = dossier_counts(by, period, now, principal)
    procs = procedure_counts(by, period, principal)
    keys = sorted(set(counts) | set(procs))
    sat = _satisfaction(by, keys, period)
    model = Agency if by == "agency" else Unit
    names = dict(model.objects.filter(id__in=keys).values_list("id", "name"))
    scores = [Score(k, names.get(k, str(k)), components(counts.get(k, {}), procs.get(k, {}), sat.get(k))) for k in keys]
    return sorted(scores, key=lambda s: (-s.total, s.name))


def period_of(code: str | None, today: dt.date | None = None):
    """A month, quarter or year from its code; the current year when none is given."""
    today = today or timezone.localdate()
    return Period.parse(code) if code else Period.of_year(today.year)
