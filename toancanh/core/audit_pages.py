"""The audit log (nhật ký) as a page: who did what, when, before and after — within the reader's
scope, filtered by act, kind of object and day, searched, exported. Built on the page machinery."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from toancanh.core.models import AuditEntry
from toancanh.core.pages import Column, Filter, PageSet

AUDIT_VIEW = "audit.view"  # accounts.roles.AUDIT_VIEW (core imports no context)


def _actions(request):
    seen = AuditEntry.objects.visible_to(request.user).order_by("action").values_list("action", flat=True).distinct()
    return [(a, a) for a in seen[:200]]


def _object_types(request):
    seen = AuditEntry.objects.visible_to(request.user).order_by("object_type")
    return [(t, t) for t in seen.values_list("object_type", flat=True).distinct()[:100]]


def _since(qs, value):
    days = {"1": 1, "7": 7, "30": 30}[value]
    return qs.filter(at__gte=timezone.now() - dt.timedelta(days=days))


class AuditPages(PageSet):
    model = AuditEntry
    name = "audit"
    title = _("audit entry")
    title_plural = _("Audit log")
    intro = _(
        "Every write, as it happened: who, when, what, before and after. Entries outside your scope are not shown."
    )
    view_permission = AUDIT_VIEW
    search_fields = ["actor_label", "object_repr", "action"]
    search_placeholder = _("Who, what or which object…")
    ordering = ("-at", "-id")
    page_size = 50
    columns = [
        Column("at", _("When"), order="at", link=True),
        Column("actor_label", _("Who"), order="actor_label"),
        Column("action", _("Act"), order="action"),
        Column("object_type", _("Kind of object"), order="object_type"),
        Column("object_repr", _("Object")),
    ]
    detail_fields = [
        *columns,
        Column("object_id", _("Object id")),
        Column("unit_path", _("Unit path")),
    ]
    filters = [
        Filter("action", _("Act"), choices=_actions),
        Filter("object_type", _("Kind of object"), choices=_object_types),
        Filter("since", _("Since"), choices=[("1", _("Last 24 hours")), ("7", _("Last 7 days")),
                                            ("30", _("Last 30 days"))], apply=_since),
    ]  # fmt: skip
    detail_template = "core/audit_entry.html"

    def label(self, obj):
        return f"{obj.action} · {obj.object_repr or obj.object_id}"

    def detail_context(self, request, obj):
        def pretty(value):
            return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) if value is not None else ""

        return {"before": pretty(obj.before), "after": pretty(obj.after)}


audit_pages = AuditPages()
