"""Reads of the operations context that other contexts use: the live picture of the wall."""

from __future__ import annotations

from typing import Any

from toancanh.accounts.roles import OPERATIONS_VIEW
from toancanh.operations.models import Alert, Situation
from toancanh.operations.schemas import AlertRead, SituationRead

LIVE_ALERTS = 500  # the newest live alerts a screen keeps; older ones are in the inbox
LIVE_SITUATIONS = 200


def _placed(row: dict[str, Any], unit) -> dict[str, Any]:
    """Where to draw it: its own point, else the centre of its unit (marked so)."""
    if row.get("lat") is None and unit is not None and unit.lat is not None:
        row.update(lat=unit.lat, lon=unit.lon, at_unit_centre=True)
    return row


def live_picture(principal: Any) -> dict[str, list[dict[str, Any]]]:
    """The live alerts and the open situations a principal sees, newest first, as the API shows
    them (JSON-ready), each with a point to draw it at."""
    if not principal.permits(OPERATIONS_VIEW):
        return {"alerts": [], "situations": []}
    alerts = (
        Alert.objects.visible_to(principal).exclude(state="cleared").select_related("rule", "unit").order_by("-last_at")
    )
    situations = (
        Situation.objects.visible_to(principal)
        .exclude(status__in=["resolved", "closed"])
        .select_related("unit", "type", "lead_agency")
        .order_by("-opened_at")
    )
    return {
        "alerts": [_placed(AlertRead.from_orm(a).model_dump(mode="json"), a.unit) for a in alerts[:LIVE_ALERTS]],
        "situations": [
            _placed(SituationRead.from_orm(s).model_dump(mode="json"), s.unit) for s in situations[:LIVE_SITUATIONS]
        ],
    }
