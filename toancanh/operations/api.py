"""Operations over the API: events in, rules, alerts, situations and public warnings."""

import datetime as dt

from django.http import FileResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from toancanh.accounts.auth import api_auth
from toancanh.accounts.models import User
from toancanh.accounts.roles import ALERTS_HANDLE, EVENTS_SUBMIT, OPERATIONS_VIEW, RULES_MANAGE, WARNINGS_ISSUE
from toancanh.core.errors import Forbidden, NotFound, ServiceError
from toancanh.core.http import Page, require, require_provincial, scope
from toancanh.operations import notifications, services, transport, warnings
from toancanh.operations.models import (
    SEVERITY_RANK,
    Alert,
    AlertRule,
    Channel,
    Event,
    InAppNotification,
    PublicWarning,
    Situation,
    Subscription,
)  # fmt: skip
from toancanh.operations.schemas import (
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
    WarningWrite,
)  # fmt: skip
from toancanh.units.models import Agency, Unit

router = Router(tags=["operations"], auth=api_auth)


def _one(qs, pk: int, what: str):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{what} {pk} not found")
    return obj


@router.post("/events", response=EventsReportRead, summary="Send events (idempotent by source and source_id)")
def post_events(request, body: EventsBatch):
    p = require(request, EVENTS_SUBMIT)
    if transport.enabled():
        return services.queue_events(body.events, scope=scope(request)).__dict__
    return services.ingest_events(body.events, by=p, scope=scope(request)).__dict__


@router.get("/events", response=list[EventRead], summary="Events within your scope, newest first")
@paginate(Page)
def list_events(request, sector: str | None = None, type: str | None = None, since: dt.datetime | None = None):
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
def update_rule(request, rule_id: int, body: RuleWrite):
    p = require(request, RULES_MANAGE)
    rule = _one(AlertRule.objects.visible_to(p), rule_id, "rule")
    data = body.dict()
    data["sector_id"] = data.pop("sector")
    return services.save_rule(by=p, scope=scope(request), rule=rule, **data)


@router.get("/alerts", response=list[AlertRead], summary="Alerts within your scope (live ones unless state is given)")
@paginate(Page)
def list_alerts(request, state: str | None = None):
    p = require(request, OPERATIONS_VIEW)
    qs = Alert.objects.visible_to(p).select_related("rule", "unit")
    return qs.filter(state=state) if state else qs.exclude(state="cleared")


@router.post("/alerts/{alert_id}/acknowledge", response=AlertRead, summary="Acknowledge an alert")
def acknowledge(request, alert_id: int):
    p = require(request, ALERTS_HANDLE)
    alert = _one(Alert.objects.visible_to(p).select_related("rule", "unit"), alert_id, "alert")
    return services.acknowledge_alert(alert, by=p)


def _situations(p):
    return Situation.objects.visible_to(p).select_related("unit", "type", "lead_agency")


@router.get("/situations", response=list[SituationRead], summary="Situations within your scope")
@paginate(Page)
def list_situations(request, status: str | None = None):
    p = require(request, OPERATIONS_VIEW)
    qs = _situations(p)
    return qs.filter(status=status) if status else qs.exclude(status="closed")


@router.post("/situations", response={201: SituationDetail}, summary="Open a situation by hand")
def create_situation(request, body: SituationCreate):
    p = require(request, ALERTS_HANDLE)
    unit = Unit.objects.visible_to(p).filter(key=body.unit).first()
    if unit is None:
        raise NotFound(f"unit '{body.unit}' not found")
    agency = None
    if body.lead_agency:
        agency = Agency.objects.visible_to(p).filter(code=body.lead_agency).first()
        if agency is None:
            raise NotFound(f"agency '{body.lead_agency}' not found")
    situation = services.open_situation(
        by=p, title=body.title, severity=body.severity, unit=unit, sector=body.sector, lat=body.lat, lon=body.lon,
        type_code=body.type, lead_agency=agency, note=body.note,
    )  # fmt: skip
    return Status(201, situation)


@router.get("/situations/{situation_id}", response=SituationDetail, summary="One situation, its steps and timeline")
def get_situation(request, situation_id: int):
    p = require(request, OPERATIONS_VIEW)
    return _one(_situations(p), situation_id, "situation")


@router.post("/situations/{situation_id}/status", response=SituationDetail, summary="Move a situation along")
def change_status(request, situation_id: int, body: StatusChange):
    p = require(request, ALERTS_HANDLE)
    situation = _one(_situations(p), situation_id, "situation")
    return services.transition(situation, body.status, by=p, note=body.note)


@router.post("/situations/{situation_id}/steps/{step_id}/done", response=SituationDetail, summary="Tick off a step")
def complete_step(request, situation_id: int, step_id: int):
    p = require(request, ALERTS_HANDLE)
    situation = _one(_situations(p), situation_id, "situation")
    step = _one(situation.steps.all(), step_id, "step")
    services.complete_step(step, by=p)
    return situation


@router.post("/situations/{situation_id}/notes", response={201: TimelineRead}, summary="Add to the timeline")
def add_note(request, situation_id: int, body: NoteWrite):
    p = require(request, ALERTS_HANDLE)
    situation = _one(_situations(p), situation_id, "situation")
    return Status(201, services.add_note(situation, body.text, by=p))


def _warning(request, warning_id: int) -> PublicWarning:
    """A warning the caller may act on: every area it covers lies within the caller's scope."""
    warning = _one(PublicWarning.objects.visible_to(request.auth).distinct(), warning_id, "warning")
    s = scope(request)
    if not all(s.covers_path(u.path) for u in warning.units.all()):
        raise Forbidden("the warning covers areas outside your scope")
    return warning


@router.post("/situations/{situation_id}/attachments", response={201: AttachmentRead}, summary="Attach a file")
def add_attachment(request, situation_id: int, file: File[UploadedFile]):
    p = require(request, ALERTS_HANDLE)
    situation = _one(_situations(p), situation_id, "situation")
    return Status(201, services.attach_file(situation, file, by=p))


@router.get("/situations/{situation_id}/attachments/{attachment_id}", summary="Download an attached file")
def get_attachment(request, situation_id: int, attachment_id: int):
    p = require(request, OPERATIONS_VIEW)
    situation = _one(_situations(p), situation_id, "situation")
    att = _one(situation.attachments.all(), attachment_id, "attachment")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.content_type)


@router.post("/situations/{situation_id}/assign", response=SituationDetail, summary="Set the lead agency and assignees")
def assign(request, situation_id: int, body: AssignWrite):
    p = require(request, ALERTS_HANDLE)
    situation = _one(_situations(p), situation_id, "situation")
    return services.assign_situation(
        situation, by=p, scope=scope(request), users=body.users, lead_agency=body.lead_agency
    )


@router.get("/warnings", response=list[WarningRead], summary="Public warnings within your scope")
@paginate(Page)
def list_warnings(request):
    p = require(request, OPERATIONS_VIEW)
    return PublicWarning.objects.visible_to(p).distinct()


@router.post("/warnings", response={201: WarningRead}, summary="Draft a public warning (CAP 1.2)")
def draft_warning(request, body: WarningWrite):
    p = require(request, WARNINGS_ISSUE)
    return Status(201, warnings.draft_warning(by=p, scope=scope(request), **body.dict()))


@router.post("/warnings/{warning_id}/publish", response=WarningRead, summary="Publish a drafted warning")
def publish_warning(request, warning_id: int):
    p = require(request, WARNINGS_ISSUE)
    return warnings.publish_warning(_warning(request, warning_id), by=p)


@router.post("/warnings/{warning_id}/cancel", response=WarningRead, summary="Cancel a published warning")
def cancel_warning(request, warning_id: int):
    p = require(request, WARNINGS_ISSUE)
    return warnings.cancel_warning(_warning(request, warning_id), by=p)


@router.get("/channels", response=list[ChannelRead], summary="Notification channels (secrets masked)")
@paginate(Page)
def list_channels(request):
    require(request, RULES_MANAGE)
    return Channel.objects.order_by("name")


@router.post("/channels", response={201: ChannelRead}, summary="Define a notification channel")
def create_channel(request, body: ChannelWrite):
    require_provincial(request, RULES_MANAGE, "defines notification channels")
    return Status(201, notifications.save_channel(**body.dict()))


@router.get("/subscriptions", response=list[SubscriptionRead], summary="Subscriptions within your scope")
@paginate(Page)
def list_subscriptions(request):
    p = require(request, RULES_MANAGE)
    return Subscription.objects.visible_to(p).select_related("channel", "unit")


@router.post("/subscriptions", response={201: SubscriptionRead}, summary="Subscribe someone to alerts")
def create_subscription(request, body: SubscriptionWrite):
    p = require(request, RULES_MANAGE)
    unit = Unit.objects.visible_to(p).filter(key=body.unit).first()
    if unit is None:
        raise NotFound(f"unit '{body.unit}' not found")
    channel = Channel.objects.filter(name=body.channel).first()
    if channel is None:
        raise NotFound(f"channel '{body.channel}' not found")
    user = None
    if body.user is not None:
        user = User.objects.visible_to(p).filter(pk=body.user).first()
        if user is None:
            raise NotFound(f"user {body.user} not found")
    if body.min_severity not in SEVERITY_RANK:
        raise ServiceError(f"unknown severity '{body.min_severity}'")
    if not body.address and user is None:
        raise ServiceError("a subscription needs an address or a user")
    sub = Subscription.objects.create(channel=channel, unit=unit, address=body.address, user=user, sectors=body.sectors,
                                      min_severity=body.min_severity, escalations_only=body.escalations_only)  # fmt: skip
    return Status(201, sub)


@router.get("/notifications", response=list[NotificationRead], summary="Your notifications in the app")
@paginate(Page)
def my_notifications(request, unread: bool = False):
    require(request, OPERATIONS_VIEW)
    qs = InAppNotification.objects.filter(
        user_id=getattr(request.auth, "pk", None) if isinstance(request.auth, User) else None
    )
    return qs.filter(read_at__isnull=True) if unread else qs


@router.post("/notifications/{notification_id}/read", response=NotificationRead, summary="Mark a notification read")
def read_notification(request, notification_id: int):
    require(request, OPERATIONS_VIEW)
    owner = request.auth.pk if isinstance(request.auth, User) else None
    n = _one(InAppNotification.objects.filter(user_id=owner), notification_id, "notification")
    if n.read_at is None:
        n.read_at = dt.datetime.now(dt.UTC)
        n.save(update_fields=["read_at"])
    return n
