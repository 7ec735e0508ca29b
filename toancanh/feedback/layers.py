"""The open citizen reports as a layer of the wall's map: points coloured by how near their answer
deadline is (overdue, due soon, on time). Staff with ``feedback.view`` see the reports of their scope
(an agency's officers only their agency's); a feature carries no personal data — no reporter, no
text, no address — only the code, category, status and deadline."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toancanh.core.page_access import staff_page
from toancanh.core.registry import MapLayer
from toancanh.feedback.deadlines import working_hours_left
from toancanh.feedback.models import HandlingSettings, Report
from toancanh.feedback.permissions import FEEDBACK_VIEW

COLOURS = {"overdue": "#d73027", "due_soon": "#fc8d59", "on_time": "#1a9850"}
LIMIT = 5000  # points a response at most, the most urgent first


def state(due_at: dt.datetime | None, overdue: bool, now: dt.datetime, soon_hours: float) -> str:
    """overdue (past the deadline or marked so), due soon (within the reminder's working hours,
    ``HandlingSettings.remind_hours_before``) or on time."""
    if overdue or (due_at is not None and due_at <= now):
        return "overdue"
    if due_at is not None and working_hours_left(now, due_at) <= soon_hours:
        return "due_soon"
    return "on_time"


@staff_page(FEEDBACK_VIEW)
def open_reports_geojson(request: HttpRequest) -> JsonResponse:
    now = timezone.now()
    soon = HandlingSettings.current().remind_hours_before
    rows = (Report.objects.visible_to(request.user).open().order_by("due_at")
            .values_list("code", "lat", "lon", "status", "category__code", "category__name", "due_at", "overdue")
            [:LIMIT])  # fmt: skip
    features = []
    for code, lat, lon, status, cat, cat_name, due_at, overdue in rows:
        s = state(due_at, overdue, now, soon)
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                         "properties": {"code": code, "category": cat, "category_name": cat_name, "status": status,
                                        "due_at": due_at.isoformat() if due_at else None, "state": s,
                                        "colour": COLOURS[s]}})  # fmt: skip
    return JsonResponse({"type": "FeatureCollection", "features": features})


def layers() -> list[MapLayer]:
    return [
        MapLayer("feedback-open", _("Open citizen reports"), "/feedback/reports.geojson",
                 legend=((_("Overdue"), COLOURS["overdue"]), (_("Due soon"), COLOURS["due_soon"]),
                         (_("On time"), COLOURS["on_time"])),
                 style={"type": "circle", "paint": {"circle-color": ["get", "colour"], "circle-radius": 5,
                                                    "circle-stroke-color": "#ffffff", "circle-stroke-width": 1}},
                 sector="feedback", permission=FEEDBACK_VIEW),
    ]  # fmt: skip
