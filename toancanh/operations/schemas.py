"""API shapes of operations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from toancanh.core.schemas import BoundedJSON, BoundedStr, FiniteFloat, Id
from toancanh.operations.models import Certainty, Severity, SituationStatus, Urgency

Code = BoundedStr(60)  # a unit key, a sector or agency code, a type code


class EventsBatch(Schema):
    events: list[dict[str, Any]] = Field(
        ..., max_length=50_000, description="events as sources send them (see EventIn)"
    )


class EventsReportRead(Schema):
    stored: int
    duplicates: int
    refused: list[dict[str, Any]]
    alerts_raised: int
    alerts_cleared: int
    queued: int = 0


class EventRead(Schema):
    id: int
    source: str
    source_id: str
    sector: str = Field(..., alias="sector_id")
    type: str
    subject: str
    severity: str
    unit: str | None
    lat: float | None
    lon: float | None
    occurred_at: dt.datetime
    payload: dict[str, Any]

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.key if obj.unit_id else None


class RuleWrite(Schema):
    name: BoundedStr(200, 2)
    kind: BoundedStr(40) = Field(
        ...,
        description="a rule kind from the registry: built in (threshold, rate_of_change, absence, geofence, count, indicator_off_target, anomaly) or from a pack",
    )
    unit: Code
    sector: Code | None = None
    event_type: BoundedStr(80) = ""
    params: BoundedJSON(8192) = {}
    severity: Severity = Severity.MODERATE
    cooldown_seconds: int = Field(900, ge=0, le=30 * 24 * 3600)
    clear_after_seconds: int = Field(0, ge=0, le=30 * 24 * 3600)
    open_situation: bool = False
    active: bool = True


class RuleRead(Schema):
    id: int
    name: str
    kind: str
    unit: str
    sector: str | None = Field(None, alias="sector_id")
    event_type: str
    params: dict[str, Any]
    severity: str
    cooldown_seconds: int
    clear_after_seconds: int
    open_situation: bool
    active: bool

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.key


class AlertRead(Schema):
    id: int
    rule: str
    sector: str | None
    key: str
    state: str
    severity: str
    unit: str | None
    lat: float | None
    lon: float | None
    message: str
    first_at: dt.datetime
    last_at: dt.datetime
    count: int
    acknowledged_by: str
    cleared_at: dt.datetime | None = None
    cleared_by: str = ""
    clear_reason: str = ""
    situation: int | None = Field(None, alias="situation_id")

    @staticmethod
    def resolve_rule(obj) -> str:
        return obj.rule.name

    @staticmethod
    def resolve_sector(obj) -> str | None:
        return obj.rule.sector_id

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.key if obj.unit_id else None


class AlertClear(Schema):
    reason: BoundedStr(300, min_length=3) = Field(..., description="why the alert is cleared by hand")


class StepRead(Schema):
    id: int
    order: int
    title: str
    owner: str
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    done_by: str


class TimelineRead(Schema):
    at: dt.datetime
    by: str
    kind: str
    text: str


class SituationRead(Schema):
    id: int
    title: str
    type: str | None
    severity: str
    status: str
    unit: str
    sector: str | None = Field(None, alias="sector_id")
    lat: float | None
    lon: float | None
    lead_agency: str | None
    opened_at: dt.datetime
    opened_by: str

    @staticmethod
    def resolve_type(obj) -> str | None:
        return obj.type.code if obj.type_id else None

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.key

    @staticmethod
    def resolve_lead_agency(obj) -> str | None:
        return obj.lead_agency.code if obj.lead_agency_id else None


class SituationDetail(SituationRead):
    steps: list[StepRead]
    timeline: list[TimelineRead]
    assignees: list[int]
    attachments: list[dict[str, Any]]

    @staticmethod
    def resolve_assignees(obj) -> list[int]:
        return sorted(u.pk for u in obj.assignees.all())

    @staticmethod
    def resolve_attachments(obj) -> list[dict[str, Any]]:
        return [
            {"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type} for a in obj.attachments.all()
        ]

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())

    @staticmethod
    def resolve_timeline(obj) -> list:
        return list(obj.timeline.all())


class SituationCreate(Schema):
    title: BoundedStr(200, 3)
    severity: Severity
    unit: Code
    sector: Code | None = None
    type: Code | None = None
    lead_agency: Code | None = None
    lat: FiniteFloat | None = Field(None, ge=-90, le=90)
    lon: FiniteFloat | None = Field(None, ge=-180, le=180)
    note: BoundedStr(5000) = ""


class StatusChange(Schema):
    status: SituationStatus
    note: BoundedStr(5000) = ""


class NoteWrite(Schema):
    text: BoundedStr(5000, 1)


class WarningWrite(Schema):
    category: BoundedStr(10) = "Safety"
    event: BoundedStr(120, 2)
    event_en: BoundedStr(120, 2)
    headline: BoundedStr(200, 5)
    headline_en: BoundedStr(200, 5)
    description: BoundedStr(5000, 5)
    description_en: BoundedStr(5000, 5)
    instruction: BoundedStr(5000) = ""
    instruction_en: BoundedStr(5000) = ""
    severity: Severity
    urgency: Urgency
    certainty: Certainty
    units: list[Code] = Field(..., max_length=500)
    expires_in_hours: int | None = Field(24, ge=1, le=24 * 30)


class WarningUpdate(Schema):
    """What an Update changes; anything left out stays as the warning said."""

    category: str | None = None
    event: str | None = Field(None, min_length=2, max_length=120)
    event_en: str | None = Field(None, min_length=2, max_length=120)
    headline: str | None = Field(None, min_length=5, max_length=200)
    headline_en: str | None = Field(None, min_length=5, max_length=200)
    description: str | None = Field(None, min_length=5)
    description_en: str | None = Field(None, min_length=5)
    instruction: str | None = None
    instruction_en: str | None = None
    severity: str | None = None
    urgency: str | None = None
    certainty: str | None = None
    units: list[str] | None = None
    expires_in_hours: int | None = Field(None, ge=1, le=24 * 30)


class WarningRead(Schema):
    id: int
    identifier: str
    status: str
    msg_type: str
    replaces: str | None
    headline: str
    severity: str
    sent_at: dt.datetime | None
    expires_at: dt.datetime | None
    cap_url: str

    @staticmethod
    def resolve_cap_url(obj) -> str:
        return f"/cap/alerts/{obj.identifier}.xml"

    @staticmethod
    def resolve_replaces(obj) -> str | None:
        return obj.previous.identifier if obj.previous_id else None


class ChannelWrite(Schema):
    name: BoundedStr(100, 2)
    kind: BoundedStr(40) = Field(..., description="a sender kind from the registry (built in or from a pack)")
    config: BoundedJSON(4096) = {}
    active: bool = True


class ChannelRead(Schema):
    id: int
    name: str
    kind: str
    unit: str | None = None
    active: bool
    config: dict[str, Any]
    last_success_at: dt.datetime | None
    last_error_at: dt.datetime | None
    last_error: str
    sent_count: int
    failed_count: int

    @staticmethod
    def resolve_config(obj) -> dict[str, Any]:
        """Secrets stay secret, whatever their field name: only the sender's public fields are shown."""
        from toancanh.core.registry import SenderKind, registry
        from toancanh.operations.notify.base import public_config

        kind = registry.get(SenderKind, obj.kind)
        return public_config(kind.sender if kind else None, obj.config)

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.key if obj.unit_id else None


class SubscriptionWrite(Schema):
    channel: BoundedStr(100)
    unit: Code
    address: BoundedStr(300) = ""
    user: Id | None = None
    sectors: list[Code] = Field([], max_length=50)
    min_severity: Severity = Severity.MODERATE
    escalations_only: bool = False


class SubscriptionRead(Schema):
    id: int
    channel: str
    unit: str
    address: str
    user: int | None = Field(None, alias="user_id")
    sectors: list[str]
    min_severity: str
    escalations_only: bool
    active: bool

    @staticmethod
    def resolve_channel(obj) -> str:
        return obj.channel.name

    @staticmethod
    def resolve_address(obj) -> str:
        """A webhook's address may carry credentials in its URL: never shown whole."""
        from toancanh.operations.notify.base import redact_url

        return redact_url(obj.address) if "://" in obj.address else obj.address

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.key


class NotificationRead(Schema):
    id: int
    title: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class AttachmentRead(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime


class AssignWrite(Schema):
    users: list[Id] | None = Field(None, max_length=200)
    lead_agency: Code | None = None
