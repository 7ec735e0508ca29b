"""API shapes of operations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


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
    name: str = Field(..., min_length=2, max_length=200)
    kind: str
    unit: str
    sector: str | None = None
    event_type: str = ""
    params: dict[str, Any] = {}
    severity: str = "Moderate"
    cooldown_seconds: int = Field(900, ge=0)
    clear_after_seconds: int = Field(0, ge=0)
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
    title: str = Field(..., min_length=3, max_length=200)
    severity: str
    unit: str
    sector: str | None = None
    type: str | None = None
    lead_agency: str | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    note: str = ""


class StatusChange(Schema):
    status: str
    note: str = ""


class NoteWrite(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


class WarningWrite(Schema):
    category: str = "Safety"
    event: str = Field(..., min_length=2, max_length=120)
    event_en: str = Field(..., min_length=2, max_length=120)
    headline: str = Field(..., min_length=5, max_length=200)
    headline_en: str = Field(..., min_length=5, max_length=200)
    description: str = Field(..., min_length=5)
    description_en: str = Field(..., min_length=5)
    instruction: str = ""
    instruction_en: str = ""
    severity: str
    urgency: str
    certainty: str
    units: list[str]
    expires_in_hours: int | None = Field(24, ge=1, le=24 * 30)


class WarningRead(Schema):
    id: int
    identifier: str
    status: str
    headline: str
    severity: str
    sent_at: dt.datetime | None
    expires_at: dt.datetime | None
    cap_url: str

    @staticmethod
    def resolve_cap_url(obj) -> str:
        return f"/cap/alerts/{obj.identifier}.xml"


class ChannelWrite(Schema):
    name: str = Field(..., min_length=2, max_length=100)
    kind: str
    config: dict[str, Any] = {}
    active: bool = True


class ChannelRead(Schema):
    id: int
    name: str
    kind: str
    active: bool
    config: dict[str, Any]
    last_success_at: dt.datetime | None
    last_error_at: dt.datetime | None
    last_error: str
    sent_count: int
    failed_count: int

    @staticmethod
    def resolve_config(obj) -> dict[str, Any]:
        """Secrets stay secret."""
        return {k: ("***" if k in ("secret", "password", "token") and v else v) for k, v in obj.config.items()}


class SubscriptionWrite(Schema):
    channel: str
    unit: str
    address: str = ""
    user: int | None = None
    sectors: list[str] = []
    min_severity: str = "Moderate"
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
    users: list[int] | None = None
    lead_agency: str | None = None
