"""The operator's alert inbox and the notification bell, on the page machinery: alerts filtered by
sector, severity, unit and state; acknowledged, cleared by hand with a reason, or taken into a
situation (one or several at once); each person's own in-app notifications."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core.models import Sector
from toancanh.core.pages import Act, Bulk, Column, Filter, PageForm, PageSet, permission_required
from toancanh.operations import services
from toancanh.operations.models import Alert as AlertModel
from toancanh.operations.models import AlertState, InAppNotification, Severity
from toancanh.units.pages import unit_picker

OPERATIONS_VIEW, ALERTS_HANDLE = "operations.view", "alerts.handle"


def _sectors(request):
    return [(s.code, s.localized) for s in Sector.objects.all()]


def _state(qs, value):
    return qs.exclude(state=AlertState.CLEARED) if value == "live" else qs.filter(state=value)


class ClearForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Why is it cleared?"), min_length=3,
                             max_length=services.CLEAR_REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=gettext_lazy("E.g. a false alarm from the sensor, checked on site; or the "
                                                    "problem was dealt with."))  # fmt: skip


def _situation_url(alert) -> str:
    return reverse("situation-create") + "?" + urlencode({"alerts": alert.pk})


class AlertPages(PageSet):
    model = AlertModel
    name = "alert"
    title = gettext_lazy("alert")
    title_plural = gettext_lazy("Alert inbox")
    intro = gettext_lazy("Alerts raised by the rules within your scope. Acknowledge what you are looking at, "
                         "clear what is over (saying why), open a situation for what needs handling.")  # fmt: skip
    view_permission, manage_permission = OPERATIONS_VIEW, ALERTS_HANDLE
    search_fields = ["message", "rule__name", "key"]
    search_placeholder = gettext_lazy("Rule, message or subject…")
    ordering = ("-last_at",)
    columns = [
        Column("last_at", gettext_lazy("Last seen"), order="last_at", link=True),
        Column("severity", gettext_lazy("Severity"), css=lambda a: f"sev-{a.severity}"),
        Column("rule.name", gettext_lazy("Rule"), order="rule__name"),
        Column("key", gettext_lazy("About"), order="key"),
        Column("message", gettext_lazy("Message")),
        Column("unit.name", gettext_lazy("Place"), order="unit__path"),
        Column("state", gettext_lazy("State"), order="state"),
        Column("count", gettext_lazy("Times"), order="count"),
        Column("situation.title", gettext_lazy("Situation")),
    ]
    detail_fields = [
        *columns[1:8],
        Column("first_at", gettext_lazy("First seen")),
        Column("rule.sector", gettext_lazy("Sector")),
        Column("acknowledged_by", gettext_lazy("Acknowledged by")),
        Column("acknowledged_at", gettext_lazy("Acknowledged at")),
        Column("cleared_at", gettext_lazy("Cleared at")),
        Column("cleared_by", gettext_lazy("Cleared by")),
        Column("clear_reason", gettext_lazy("Reason for clearing")),
        Column("escalated_at", gettext_lazy("Escalated at")),
    ]
    filters = [
        Filter("state", gettext_lazy("State"), default="live", apply=_state,
               choices=[("live", gettext_lazy("Not cleared")), *AlertState.choices]),
        Filter("severity", gettext_lazy("Severity"), choices=Severity.choices),
        Filter("sector", gettext_lazy("Sector"), lookup="rule__sector", choices=_sectors),
        Filter.within(unit_picker),
    ]  # fmt: skip
    bulk = [Bulk(gettext_lazy("Open a situation from the ticked alerts"), "situation-create", param="alerts",
                 permission=ALERTS_HANDLE)]  # fmt: skip
    detail_template = "operations/alert.html"
    acts = [
        Act("acknowledge", gettext_lazy("Acknowledge"), available=lambda a: a.state == AlertState.OPEN,
            confirm=gettext_lazy("Colleagues see that you are on it; it is no longer escalated for want of an "
                                 "answer."),
            done=gettext_lazy("Alert acknowledged."),
            perform=lambda request, a, data: services.acknowledge_alert(a, by=request.user)),
        Act("clear", gettext_lazy("Clear"), form_class=ClearForm, danger=True,
            available=lambda a: a.state != AlertState.CLEARED,
            confirm=gettext_lazy("The alert leaves the inbox and the wall. If the condition still holds, the rule "
                                 "may raise it again after its quiet time."),
            done=gettext_lazy("Alert cleared."),
            perform=lambda request, a, data: services.clear_alert(a, by=request.user, reason=data["reason"])),
        Act("situation", gettext_lazy("Open a situation"), url=_situation_url,
            available=lambda a: a.situation_id is None and a.state != AlertState.CLEARED,
            perform=lambda request, a, data: None),
    ]  # fmt: skip

    def list_queryset(self, request):
        return self.queryset(request).select_related("rule", "unit", "situation")

    def queryset(self, request):
        return AlertModel.objects.visible_to(request.user).select_related("rule", "rule__sector", "unit", "situation")

    def label(self, obj):
        return f"{obj.rule.name}: {obj.key}"


class NotificationPages(PageSet):
    """Each person's own notifications (the bell): nobody else's, whatever their scope."""

    model = InAppNotification
    name = "notification"
    title = gettext_lazy("notification")
    title_plural = gettext_lazy("Notifications")
    search_fields = ["title", "body"]
    ordering = ("-created_at",)
    columns = [
        Column("created_at", gettext_lazy("When"), order="created_at"),
        Column("title", gettext_lazy("Notification"), link=True, css=lambda n: "" if n.read_at else "unread"),
        Column("read_at", gettext_lazy("Read"), order="read_at"),
    ]
    detail_fields = [*columns, Column("body", gettext_lazy("Details"))]
    filters = [
        Filter("unread", gettext_lazy("Show"), choices=[("1", gettext_lazy("Unread only"))],
               apply=lambda qs, v: qs.filter(read_at__isnull=True)),
    ]  # fmt: skip
    bulk = [Bulk(gettext_lazy("Mark as read"), "notification-read", param="ids", method="post")]
    detail_template = "operations/notification.html"
    acts = [
        Act("read", gettext_lazy("Mark as read"), available=lambda n: n.read_at is None, permission=OPERATIONS_VIEW,
            perform=lambda request, n, data: services.mark_notifications_read(request.user, [n.pk])),
    ]  # fmt: skip

    def queryset(self, request):
        return InAppNotification.objects.filter(user=request.user)


@permission_required(OPERATIONS_VIEW)
def read_notifications(request):
    """Mark the ticked notifications (or, with none ticked, all of them) as read."""
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
        n = services.mark_notifications_read(request.user, ids or None)
        from django.contrib import messages

        messages.success(request, _("%(n)s notifications marked as read.") % {"n": n})
    return redirect("notification-list")


alert_pages, notification_pages = AlertPages(), NotificationPages()
