"""Operations over the API: events in, rules, alerts, situations and public warnings."""

import datetime as dt

from django.http import FileResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from toancanh.accounts.models import User
from toancanh.accounts.roles import ALERTS_HANDLE, EVENTS_SUBMIT, OPERATIONS_VIEW, RULES_MANAGE, WARNINGS_ISSUE
from toancanh.core.errors import Forbidden, NotFound
from toancanh.core.http import Page, require, require_provincial, scope
from toancanh.core.schemas import BoundedStr, Id, SaneDatetime
from toancanh.core.scoping import get_visible_or_404
from toancanh.operations import notifications, services, warnings
from toancanh.operations.models import (
    Alert,
    AlertRule,
    AlertState,
    Channel,
    Event,
    InAppNotification,
    PublicWarning,
    Situation,
    SituationStatus,
    Subscription,
)  # fmt: skip
from toancanh.operations.schemas import (
    AlertClear,
    AlertRead,
    AssignWrite,
    AttachmentRead,
    ChannelRead,
    ChannelWrite,
    EventRead,
    EventsBatch,
    EventsReportRead,
    NoteWrite,
    NotificationRead,
    RuleRead,
    RuleWrite,
    SituationCreate,
    SituationDetail,
    SituationRead,
    StatusChange,
    SubscriptionRead,
    SubscriptionWrite,
    TimelineRead,
    WarningRead,
    WarningUpdate,
    WarningWrite,
)  # fmt: skip
from toancanh.units.models import Agency, Unit

router = Router(tags=["operations"])


def _one(qs, principal, pk: int, what: str):
    """The object ``pk`` names among those the principal may see, or 404 (the one access gate)."""
    return get_visible_or_404(qs, principal, what=what, pk=pk)


def _child(qs, pk: int, what: str):
    """A part of an object already fetched through the gate (a situation's step), or 404."""
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound.of(what, pk)
    return obj


@router.post("/events", response=EventsReportRead, summary="Send events (idempotent by source and source_id)")
def post_events(request, body: EventsBatch):
    p = require(request, EVENTS_SUBMIT)
    return services.submit_events(body.events, by=p, scope=scope(request)).__dict__


@router.get("/events", response=list[EventRead], summary="Events within your scope, newest first")
@paginate(Page)
def list_events(
    request, sector: BoundedStr(40) | None = None, type: BoundedStr(80) | None = None, since: SaneDatetime | None = None
):
    p = require(request, OPERATIONS_VIEW)
    qs = Event.objects.visible_to(p).select_related("unit")
    if sector:
        qs = qs.filter(sector_id=sector)
    if type:
        qs = qs.filter(type=type)
    if since:
        qs = qs.filter(occurred_at__gte=since)
    return qs


@router.get("/rules", response=list[RuleRead], summary="Alert rules within your scope")
@paginate(Page)
def list_rules(request):
    p = require(request, OPERATIONS_VIEW)
    return AlertRule.objects.visible_to(p).select_related("unit")


@router.post("/rules", response={201: RuleRead}, summary="Define an alert rule")
def create_rule(request, body: RuleWrite):
    p = require(request, RULES_MANAGE)
    data = body.dict()
    data["sector_id"] = data.pop("sector")
    return Status(201, services.save_rule(by=p, scope=scope(request), **data))


@router.put("/rules/{rule_id}", response=RuleRead, summary="Change an alert rule")
def update_rule(request, rule_id: Id, body: RuleWrite):
    p = require(request, RULES_MANAGE)
    rule = _one(AlertRule.objects.all(), p, rule_id, "rule")
    data = body.dict()
    data["sector_id"] = data.pop("sector")
    return services.save_rule(by=p, scope=scope(request), rule=rule, **data)


@router.get("/alerts", response=list[AlertRead], summary="Alerts within your scope (live ones unless state is given)")
@paginate(Page)
def list_alerts(request, state: AlertState | None = None):
    p = require(request, OPERATIONS_VIEW)
    qs = Alert.objects.visible_to(p).select_related("rule", "unit")
    return qs.filter(state=state) if state else qs.exclude(state="cleared")


@router.post("/alerts/{alert_id}/acknowledge", response=AlertRead, summary="Acknowledge an alert")
def acknowledge(request, alert_id: Id):
    p = require(request, ALERTS_HANDLE)
    alert = _one(Alert.objects.select_related("rule", "unit"), p, alert_id, "alert")
    return services.acknowledge_alert(alert, by=p)


@router.post("/alerts/{alert_id}/clear", response=AlertRead, summary="Clear an alert by hand, saying why")
def clear(request, alert_id: Id, body: AlertClear):
    p = require(request, ALERTS_HANDLE)
    alert = _one(Alert.objects.select_related("rule", "unit"), p, alert_id, "alert")
    return services.clear_alert(alert, by=p, reason=body.reason)


def _situations(p):
    return Situation.objects.visible_to(p).select_related("unit", "type", "lead_agency")


def _situation(p, pk: int) -> Situation:
    return _one(Situation.objects.select_related("unit", "type", "lead_agency"), p, pk, "situation")


@router.get("/situations", response=list[SituationRead], summary="Situations within your scope")
@paginate(Page)
def list_situations(request, status: SituationStatus | None = None):
    p = require(request, OPERATIONS_VIEW)
    qs = _situations(p)
    return qs.filter(status=status) if status else qs.exclude(status="closed")


@router.post("/situations", response={201: SituationDetail}, summary="Open a situation by hand")
def create_situation(request, body: SituationCreate):
    p = require(request, ALERTS_HANDLE)
    s = scope(request)
    unit = get_visible_or_404(Unit, p, what="unit", key=body.unit)
    agency = get_visible_or_404(Agency, p, what="agency", code=body.lead_agency) if body.lead_agency else None
    situation = services.open_situation(
        by=p, title=body.title, severity=body.severity, unit=unit, sector=body.sector, lat=body.lat, lon=body.lon,
        type_code=body.type, lead_agency=agency, note=body.note, scope=s,
    )  # fmt: skip
    return Status(201, situation)


@router.get("/situations/{situation_id}", response=SituationDetail, summary="One situation, its steps and timeline")
def get_situation(request, situation_id: Id):
    p = require(request, OPERATIONS_VIEW)
    return _situation(p, situation_id)


@router.post("/situations/{situation_id}/status", response=SituationDetail, summary="Move a situation along")
def change_status(request, situation_id: Id, body: StatusChange):
    p = require(request, ALERTS_HANDLE)
    situation = _situation(p, situation_id)
    return services.transition(situation, body.status, by=p, note=body.note)


@router.post("/situations/{situation_id}/steps/{step_id}/done", response=SituationDetail, summary="Tick off a step")
def complete_step(request, situation_id: Id, step_id: Id):
    p = require(request, ALERTS_HANDLE)
    situation = _situation(p, situation_id)
    step = _child(situation.steps.all(), step_id, "step")
    services.complete_step(step, by=p)
    return situation


@router.post("/situations/{situation_id}/notes", response={201: TimelineRead}, summary="Add to the timeline")
def add_note(request, situation_id: Id, body: NoteWrite):
    p = require(request, ALERTS_HANDLE)
    situation = _situation(p, situation_id)
    return Status(201, services.add_note(situation, body.text, by=p))


def _warning(request, warning_id: Id) -> PublicWarning:
    """A warning the caller may act on: every area it covers lies within the caller's scope."""
    warning = _one(PublicWarning.objects.all(), request.auth, warning_id, "warning")
    s = scope(request)
    if not all(s.covers_path(u.path) for u in warning.units.all()):
        raise Forbidden("the warning covers areas outside your scope")
    return warning


@router.post("/situations/{situation_id}/attachments", response={201: AttachmentRead}, summary="Attach a file")
def add_attachment(request, situation_id: Id, file: File[UploadedFile]):
    p = require(request, ALERTS_HANDLE)
    situation = _situation(p, situation_id)
    return Status(201, services.attach_file(situation, file, by=p))


@router.get("/situations/{situation_id}/attachments/{attachment_id}", summary="Download an attached file")
def get_attachment(request, situation_id: Id, attachment_id: Id):
    p = require(request, OPERATIONS_VIEW)
    situation = _situation(p, situation_id)
    att = _child(situation.attachments.all(), attachment_id, "attachment")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type)


@router.post("/situations/{situation_id}/assign", response=SituationDetail, summary="Set the lead agency and assignees")
def assign(request, situation_id: Id, body: AssignWrite):
    p = require(request, ALERTS_HANDLE)
    situation = _situation(p, situation_id)
    return services.assign_situation(
        situation, by=p, scope=scope(request), users=body.users, lead_agency=body.lead_agency
    )


@router.get("/warnings", response=list[WarningRead], summary="Public warnings within your scope")
@paginate(Page)
def list_warnings(request):
    p = require(request, OPERATIONS_VIEW)
    return PublicWarning.objects.visible_to(p).select_related("previous").distinct()


@router.post("/warnings", response={201: WarningRead}, summary="Draft a public warning (CAP 1.2)")
def draft_warning(request, body: WarningWrite):
    p = require(request, WARNINGS_ISSUE)
    return Status(201, warnings.draft_warning(by=p, scope=scope(request), **body.dict()))


@router.post("/warnings/{warning_id}/publish", response=WarningRead, summary="Publish a drafted warning")
def publish_warning(request, warning_id: Id):
    p = require(request, WARNINGS_ISSUE)
    return warnings.publish_warning(_warning(request, warning_id), by=p)


@router.post("/warnings/{warning_id}/update", response=WarningRead,
             summary="Update a published warning: a new CAP Update message that references it")  # fmt: skip
def update_warning(request, warning_id: Id, body: WarningUpdate):
    p = require(request, WARNINGS_ISSUE)
    return warnings.update_warning(_warning(request, warning_id), by=p, scope=scope(request), **body.dict())


@router.post("/warnings/{warning_id}/cancel", response=WarningRead,
             summary="Cancel a published warning: a new CAP Cancel message that references it")  # fmt: skip
def cancel_warning(request, warning_id: Id):
    p = require(request, WARNINGS_ISSUE)
    return warnings.cancel_warning(_warning(request, warning_id), by=p)


@router.get("/channels", response=list[ChannelRead], summary="Notification channels you may use (secrets never shown)")
@paginate(Page)
def list_channels(request):
    p = require(request, RULES_MANAGE)
    return Channel.objects.visible_to(p).select_related("unit").order_by("name")


@router.post("/channels", response={201: ChannelRead}, summary="Define a notification channel")
def create_channel(request, body: ChannelWrite):
    p = require_provincial(request, RULES_MANAGE, "defines notification channels")
    return Status(201, notifications.save_channel(by=p, scope=scope(request), **body.dict()))


@router.get("/subscriptions", response=list[SubscriptionRead], summary="Subscriptions within your scope")
@paginate(Page)
def list_subscriptions(request):
    p = require(request, RULES_MANAGE)
    return Subscription.objects.visible_to(p).select_related("channel", "unit")


@router.post("/subscriptions", response={201: SubscriptionRead}, summary="Subscribe someone to alerts")
def create_subscription(request, body: SubscriptionWrite):
    p = require(request, RULES_MANAGE)
    sub = notifications.save_subscription(by=p, scope=scope(request), **body.dict())
    return Status(201, Subscription.objects.select_related("channel", "unit").get(pk=sub.pk))


@router.get("/notifications", response=list[NotificationRead], summary="Your notifications in the app")
@paginate(Page)
def my_notifications(request, unread: bool = False):
    require(request, OPERATIONS_VIEW)
    qs = InAppNotification.objects.filter(
        user_id=getattr(request.auth, "pk", None) if isinstance(request.auth, User) else None
    )
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/notifications/{notification_id}/read", response=NotificationRead, summary="Mark a notification read")
def read_notification(request, notification_id: Id):
    require(request, OPERATIONS_VIEW)
    owner = request.auth.pk if isinstance(request.auth, User) else None
    n = _child(InAppNotification.objects.filter(user_id=owner), notification_id, "notification")
    if n.read_at is None:
        n.read_at = dt.datetime.now(dt.UTC)
        n.save(update_fields=["read_at"])
    return n
