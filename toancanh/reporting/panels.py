"""The reporting panel of the wall and the leader's home: for each regime, the last period that fell
due (sent, on time, late, missing, waiting for approval) and how many reports of the open period
are already in, within the person's scope."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toancanh.accounts.roles import INDICATORS_VIEW
from toancanh.core.registry import Panel


def reporting_status(request, principal) -> dict | None:
    from toancanh.core.periods import Period, PeriodError
    from toancanh.reporting.models import Regime
    from toancanh.reporting.monitoring import monitor, period_at

    today = timezone.localdate()
    rows = []
    for regime in Regime.objects.visible_to(principal).filter(active=True).order_by("name")[:4]:
        current = period_at(regime.frequency, today)
        if current is None:
            continue
        due = monitor(regime, current.previous().code, by=principal, today=today)
        if not due.units:
            continue  # no reporting unit in this person's scope
        now = monitor(regime, current.code, by=principal, today=today)
        try:
            label = Period.parse(due.period).label
        except (PeriodError, ValueError):
            label = due.period
        rows.append({"regime": regime, "period": due.period, "label": label, "totals": due.totals,
                     "rates": due.rates, "open_sent": now.totals["sent"], "open_expected": now.totals["expected"]})  # fmt: skip
    return {"rows": rows} if rows else None


PANELS = [
    Panel("reporting-status", _("Reporting"), "reporting/panel.html", frozenset({"wall", "home"}),
          context=reporting_status, permission=INDICATORS_VIEW, order=60, pack="reporting"),
]  # fmt: skip
