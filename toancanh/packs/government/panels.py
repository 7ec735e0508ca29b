"""The wall's (and the sector page's) panel: today's overdue dossiers and tasks, this month's
on-time rate."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toancanh.packs.api import Panel
from toancanh.packs.government import index, queries
from toancanh.packs.government.permissions import GOV_VIEW


def overdue_today(request, principal):
    now = timezone.now()
    today = timezone.localdate()
    month = index.period_of(f"{today:%Y-%m}")
    scores = index.compute("agency", month, now=now, principal=principal)
    counts = index.dossier_counts("agency", month, now, principal).values()
    total, within = sum(r["total"] for r in counts), sum(r["within"] for r in counts)
    worst = sorted((s for s in scores if s.on_time_rate is not None), key=lambda s: s.on_time_rate)[:3]
    return {"overdue_dossiers": queries.overdue_count(principal, now),
            "overdue_tasks": queries.task_counts(principal, today)["total"]["open_overdue"],
            "on_time_rate": round(100 * within / total, 1) if total else None, "worst": worst, "month": month}  # fmt: skip


PANELS = [
    Panel("government-overdue", _("Government performance today"), "government/panel.html",
          frozenset({"wall", "home", "sector"}), context=overdue_today, permission=GOV_VIEW, sector="government"),
]  # fmt: skip
