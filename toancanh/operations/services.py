"""Every write of operations: taking in events, raising and clearing alerts, handling situations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from pydantic import BaseModel, Field, ValidationError, field_validator

from toancanh.core import audit, bus
from toancanh.core.errors import NotFound, ServiceError, describe_validation, full_clean_or_raise
from toancanh.core.models import Sector
from toancanh.core.scoping import Scope
from toancanh.operations import rules as rule_kinds
from toancanh.operations.engine import RuleRuntime, engine
from toancanh.operations.models import (
    SEVERITY_RANK,
    Alert,
    AlertRule,
    AlertState,
    Certainty,
    Event,
    Severity,
    Situation,
    SituationStatus,
    SituationStep,
    SituationType,
    TimelineEntry,
    Urgency,
)
from toancanh.operations.rules import FIRE, EventView, Signal
from toancanh.units.models import Agency, Unit
from toancanh.units.queries import locate_commune

# --- events --------------------------------------------------------------------------------------


class EventIn(BaseModel):
    """An event as a source sends it."""

    model_config = {"extra": "forbid"}
    source: str = Field(..., min_length=1, max_length=80)
    source_id: str = Field(..., min_length=1, max_length=120)
    sector: str
    type: str = Field(..., min_length=1, max_length=80)
    subject: str = Field("", max_length=120)
    severity: Severity = Severity.UNKNOWN
    urgency: Urgency = Urgency.UNKNOWN
    certainty: Certainty = Certainty.UNKNOWN
    unit: str | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    occurred_at: dt.datetime
    payload: dict[str, Any] = {}

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at needs a time zone (e.g. 2026-11-21T08:00:00+07:00)")
        return value


@dataclass
class EventsReport:
    stored: int = 0
    duplicates: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    alerts_raised: int = 0
    alerts_cleared: int = 0
    queued: int = 0  # handed to the message bus for the workers (TOANCANH_EVENTS_BUS=nats)


def _view(ev: Event, unit_path: str) -> EventView:
    return EventView(ev.pk, ev.type, ev.sector_id, ev.subject or ev.source, unit_path, ev.unit_id, ev.lat, ev.lon,
                     ev.occurred_at, ev.payload)  # fmt: skip


def queue_events(rows: Sequence[dict[str, Any]], *, scope: Scope) -> EventsReport:
    """Check events and hand the good ones to the message bus, for the workers to handle."""
    from toancanh.operations import transport

    report = EventsReport()
    checked = _check_events(rows, scope, report)
    good = [rows[n - 1] for n, _ev in checked]
    report.queued = transport.publish(good) if good else 0
    return report


def ingest_events(rows: Sequence[dict[str, Any]], *, by: Any, scope: Scope) -> EventsReport:
    """Take in events (idempotent by source and source id), evaluate the rules, raise and clear alerts."""
    report = EventsReport()
    new = [ev for _n, ev in _check_events(rows, scope, report)]
    units = {ev.unit_id: ev.unit for ev in new if ev.unit_id}
    with transaction.atomic():
        existing = set()
        for source in {ev.source for ev in new}:
            ids = [ev.source_id for ev in new if ev.source == source]
            for i in range(0, len(ids), 900):
                existing |= {
                    (source, sid)
                    for sid in Event.objects.filter(source=source, source_id__in=ids[i : i + 900]).values_list(
                        "source_id", flat=True
                    )
                }
        fresh = [ev for ev in new if (ev.source, ev.source_id) not in existing]
        report.duplicates += len(new) - len(fresh)
        Event.objects.bulk_create(fresh, batch_size=500)
        if fresh and fresh[0].pk is None:  # SQLite before 3.35 gives no ids back
            keys = {(ev.source, ev.source_id): ev for ev in fresh}
            stored = Event.objects.filter(source__in={s for s, _ in keys}).values_list("id", "source", "source_id")
            for pk, src, sid in stored:
                if (src, sid) in keys:
                    keys[(src, sid)].pk = pk
        report.stored = len(fresh)
        paths = {pk: u.path for pk, u in units.items()}
        views = sorted((_view(ev, paths.get(ev.unit_id, "")) for ev in fresh), key=lambda v: v.at)
        raised, cleared = apply_signals(engine().process(views))
        report.alerts_raised, report.alerts_cleared = raised, cleared
        for ev in fresh[:1000]:
            bus.publish({"type": "event.received", "id": ev.pk, "event_type": ev.type, "sector": ev.sector_id,
                         "unit": paths.get(ev.unit_id, ""), "severity": ev.severity, "lat": ev.lat, "lon": ev.lon})  # fmt: skip
    return report


def _check_events(rows: Sequence[dict[str, Any]], scope: Scope, report: EventsReport) -> list[tuple[int, Event]]:
    """Each good row as an unsaved Event (with its row number); the others go to the report."""
    sectors = set(Sector.objects.values_list("code", flat=True))
    units: dict[str, Unit | None] = {}
    new: list[tuple[int, Event]] = []
    seen: set[tuple[str, str]] = set()
    for n, raw in enumerate(rows, start=1):
        try:
            e = EventIn.model_validate(raw)
        except ValidationError as exc:
            report.refused.append({"row": n, "error": describe_validation(exc)})
            continue
        if e.sector not in sectors:
            report.refused.append({"row": n, "error": f"unknown sector '{e.sector}'"})
            continue
        unit = None
        if e.unit:
            if e.unit not in units:
                units[e.unit] = Unit.objects.within(scope).filter(key=e.unit).only("id", "path").first()
            unit = units[e.unit]
            if unit is None:
                report.refused.append({"row": n, "error": f"unit '{e.unit}' not found (or outside your scope)"})
                continue
        elif e.lat is not None and e.lon is not None:
            unit = locate_commune(e.lat, e.lon, scope)
        if unit is None:
            report.refused.append({"row": n, "error": "an event needs a unit, or a place inside your scope"})
            continue
        if (e.source, e.source_id) in seen:
            report.duplicates += 1
            continue
        seen.add((e.source, e.source_id))
        new.append((n, Event(
            source=e.source, source_id=e.source_id, sector_id=e.sector, type=e.type, subject=e.subject,
            severity=e.severity, urgency=e.urgency, certainty=e.certainty, unit=unit, lat=e.lat, lon=e.lon,
            occurred_at=e.occurred_at, payload=e.payload,
        )))  # fmt: skip
    return new


# --- alerts --------------------------------------------------------------------------------------


def apply_signals(signals: list[tuple[RuleRuntime, Signal]]) -> tuple[int, int]:
    """Turn the engine's decisions into alerts: one live alert per rule and key (repeats count up),
    nothing new within the cool-down after a clear, severe alerts open a situation."""
    now = timezone.now()
    raised = cleared = 0
    by_key: dict[tuple[int, str], list[Signal]] = {}
    for rt, s in signals:
        by_key.setdefault((rt.rule_id, s.key), []).append(s)
    if not by_key:
        return 0, 0
    rule_ids = {r for r, _k in by_key}
    rules = {r.pk: r for r in AlertRule.objects.filter(pk__in=rule_ids).select_related("unit")}
    live = {(a.rule_id, a.key): a for a in Alert.objects.filter(rule_id__in=rule_ids).exclude(state=AlertState.CLEARED)}
    # When each (rule, key) last cleared, for the cool-down: one query for the whole batch.
    cleared_at: dict[tuple[int, str], dt.datetime] = {}
    fresh_keys = [k for k in by_key if k not in live]
    if fresh_keys:
        recent = Alert.objects.filter(rule_id__in={r for r, _k in fresh_keys}, key__in={k for _r, k in fresh_keys},
                                      state=AlertState.CLEARED).values_list("rule_id", "key", "cleared_at")  # fmt: skip
        for rid, key, at in recent:
            if at and (rid, key) in by_key and at > cleared_at.get((rid, key), at - dt.timedelta(seconds=1)):
                cleared_at[(rid, key)] = at
    from toancanh.operations.notifications import Audience

    audience = Audience()
    for (rule_id, key), group in by_key.items():
        rule = rules.get(rule_id)
        if rule is None:
            continue
        alert = live.get((rule_id, key))
        last_cleared = cleared_at.get((rule_id, key))
        repeats = 0
        for s in group:  # in order: a batch may fire, clear and fire again
            at = s.event.at if s.event else now
            if s.kind == FIRE and alert is not None:
                repeats += 1
                alert.last_at, alert.message = at, s.message[:300]
                alert.last_event_id = s.event.id if s.event else alert.last_event_id
            elif s.kind == FIRE:
                if last_cleared is not None and (at - last_cleared).total_seconds() < rule.cooldown_seconds:
                    continue  # within the cool-down: the same problem again so soon raises nothing new
                alert = _raise(rule, key, s, at, audience)
                raised += 1
            elif alert is not None:
                _flush(alert, repeats)
                repeats = 0
                alert.state, alert.cleared_at = AlertState.CLEARED, at
                alert.save(update_fields=["state", "cleared_at"])
                last_cleared = at
                cleared += 1
                bus.publish({"type": "alert.cleared", "id": alert.pk, "unit": alert.unit.path if alert.unit_id else "",
                             "sector": rule.sector_id})  # fmt: skip
                alert = None
        if alert is not None:
            _flush(alert, repeats)
    return raised, cleared


def _flush(alert: Alert, repeats: int) -> None:
    if repeats:
        alert.count += repeats
        alert.save(update_fields=["count", "last_at", "last_event", "message"])


def _raise(rule: AlertRule, key: str, s: Signal, at: dt.datetime, audience=None) -> Alert:
    e = s.event
    alert = Alert.objects.create(
        rule=rule, key=key, severity=rule.severity, unit_id=(e.unit_id if e and e.unit_id else rule.unit_id),
        lat=e.lat if e else None, lon=e.lon if e else None, message=s.message[:300], first_at=at, last_at=at,
        count=1, last_event_id=e.id if e else None,
    )  # fmt: skip
    unit_path = alert.unit.path if alert.unit_id else rule.unit.path
    bus.publish({"type": "alert.raised", "id": alert.pk, "rule": rule.name, "severity": alert.severity,
                 "unit": unit_path, "sector": rule.sector_id, "message": alert.message, "lat": alert.lat,
                 "lon": alert.lon})  # fmt: skip
    from toancanh.operations.notifications import enqueue_for_alert

    enqueue_for_alert(alert, audience=audience)
    if rule.open_situation or SEVERITY_RANK[rule.severity] >= SEVERITY_RANK[Severity.SEVERE]:
        alert.situation = open_situation(
            by=None, title=f"{rule.name}: {s.message}"[:200], severity=rule.severity, unit=alert.unit or rule.unit,
            sector=rule.sector_id, lat=alert.lat, lon=alert.lon, type_code=rule.params.get("situation_type"),
            note=f"Mở tự động theo quy tắc cảnh báo «{rule.name}» ({key}).",
        )  # fmt: skip
        alert.save(update_fields=["situation"])
    return alert


def tick(now: dt.datetime | None = None) -> tuple[int, int]:
    """Let time-driven rules decide (absence, windows, quiet alerts), escalate unanswered alerts and
    send due notifications: run every minute by the worker (``toancanh tick``)."""
    from toancanh.operations.notifications import deliver_due, escalate_due

    now = now or timezone.now()
    with transaction.atomic():
        result = apply_signals(engine().tick(now))
        escalate_due(now)
    deliver_due(now)
    return result


def acknowledge_alert(alert: Alert, *, by: Any) -> Alert:
    with transaction.atomic():
        if alert.state == AlertState.CLEARED:
            raise ServiceError("the alert has already cleared")
        if alert.state == AlertState.OPEN:
            alert.state = AlertState.ACKNOWLEDGED
            alert.acknowledged_at = timezone.now()
            alert.acknowledged_by = audit.actor_fields(by)["actor_label"]
            alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
            audit.record("alerts.acknowledge", alert, by=by, unit_path=alert.unit.path if alert.unit_id else "")
    return alert


def save_rule(*, by: Any, scope: Scope, rule: AlertRule | None = None, **fields: Any) -> AlertRule:
    """Define or change an alert rule; its parameters are checked so that it can be evaluated."""
    unit_key = fields.pop("unit", None)
    with transaction.atomic():
        before = audit.snapshot(rule)
        rule = rule or AlertRule()
        for name, value in fields.items():
            setattr(rule, name, value)
        if unit_key is not None or rule.unit_id is None:
            unit = Unit.objects.within(scope).filter(key=unit_key).first()
            if unit is None:
                raise NotFound(f"unit '{unit_key}' not found")
            rule.unit = unit
        checked = rule_kinds.validate_params(rule.kind, rule.params)
        rule.params = checked.model_dump(exclude_none=True)
        if checked.situation_type and not SituationType.objects.filter(code=checked.situation_type).exists():
            raise ServiceError(f"unknown situation type '{checked.situation_type}'")
        full_clean_or_raise(rule, exclude=["unit", "sector"])
        rule.save()
        audit.record("rules.save", rule, by=by, before=before, after=audit.snapshot(rule), unit_path=rule.unit.path)
    return rule


# --- situations ----------------------------------------------------------------------------------

TRANSITIONS = {
    SituationStatus.OPEN: {SituationStatus.ACKNOWLEDGED, SituationStatus.IN_PROGRESS, SituationStatus.RESOLVED},
    SituationStatus.ACKNOWLEDGED: {SituationStatus.IN_PROGRESS, SituationStatus.RESOLVED},
    SituationStatus.IN_PROGRESS: {SituationStatus.RESOLVED},
    SituationStatus.RESOLVED: {SituationStatus.CLOSED, SituationStatus.IN_PROGRESS},
    SituationStatus.CLOSED: set(),
}


def _actor(by: Any) -> str:
    return audit.actor_fields(by)["actor_label"] if by is not None else "hệ thống"


def _status_label(code: str) -> str:
    """Timeline entries are records in the province's language, whatever the reader's."""
    from django.utils import translation

    with translation.override("vi"):
        return str(SituationStatus(code).label)


def open_situation(*, by: Any, title: str, severity: str, unit: Unit, sector: str | None = None,
                   lat: float | None = None, lon: float | None = None, type_code: str | None = None,
                   lead_agency: Agency | None = None, note: str = "") -> Situation:  # fmt: skip
    """Open a situation (tình huống) and start its standard procedure's steps."""
    stype = SituationType.objects.filter(code=type_code).first() if type_code else None
    if type_code and stype is None:
        raise ServiceError(f"unknown situation type '{type_code}'")
    with transaction.atomic():
        situation = Situation.objects.create(
            title=title, type=stype, sector_id=sector or (stype.sector_id if stype else None), severity=severity,
            unit=unit, lat=lat, lon=lon, lead_agency=lead_agency, opened_by=_actor(by),
        )  # fmt: skip
        now = timezone.now()
        for order, step in enumerate(stype.steps if stype else [], start=1):
            due = now + dt.timedelta(minutes=int(step.get("due_minutes", 0))) if step.get("due_minutes") else None
            SituationStep.objects.create(situation=situation, order=order, title=step["title"],
                                         owner=step.get("owner", ""), due_at=due)  # fmt: skip
        TimelineEntry.objects.create(situation=situation, by=_actor(by), kind="opened", text=note or title)
        audit.record(
            "situations.open", situation, by=by, unit_path=unit.path, after={"title": title, "severity": severity}
        )
        bus.publish({"type": "situation.opened", "id": situation.pk, "unit": unit.path, "sector": situation.sector_id,
                     "severity": severity, "title": title, "lat": lat, "lon": lon})  # fmt: skip
    return situation


def transition(situation: Situation, to: str, *, by: Any, note: str = "") -> Situation:
    """Move a situation along open → acknowledged → in progress → resolved → closed."""
    with transaction.atomic():
        situation = Situation.objects.select_for_update().get(pk=situation.pk)
        current = SituationStatus(situation.status)
        if to not in SituationStatus.values:
            raise ServiceError(f"unknown status '{to}'")
        if SituationStatus(to) not in TRANSITIONS[current]:
            allowed = ", ".join(sorted(TRANSITIONS[current])) or "none (it is closed)"
            raise ServiceError(f"a situation that is {current} cannot become {to} (allowed: {allowed})")
        if to == SituationStatus.RESOLVED:
            pending = situation.steps.filter(done_at__isnull=True).values_list("title", flat=True)
            if pending:
                raise ServiceError(f"steps of the procedure are not done yet: {', '.join(pending)}")
        before = situation.status
        situation.status = to
        now = timezone.now()
        if to == SituationStatus.RESOLVED:
            situation.resolved_at = now
        if to == SituationStatus.CLOSED:
            situation.closed_at = now
        situation.save()
        TimelineEntry.objects.create(situation=situation, by=_actor(by), kind="status",
                                     text=f"{_status_label(before)} → {_status_label(to)}" + (f": {note}" if note else ""))  # fmt: skip
        audit.record("situations.status", situation, by=by, before={"status": before}, after={"status": to},
                     unit_path=situation.unit.path)  # fmt: skip
        bus.publish({"type": "situation.updated", "id": situation.pk, "status": to, "unit": situation.unit.path,
                     "sector": situation.sector_id})  # fmt: skip
    return situation


def complete_step(step: SituationStep, *, by: Any) -> SituationStep:
    with transaction.atomic():
        if step.done_at is None:
            step.done_at = timezone.now()
            step.done_by = _actor(by)
            step.save(update_fields=["done_at", "done_by"])
            TimelineEntry.objects.create(
                situation=step.situation, by=_actor(by), kind="step", text=f"done: {step.title}"
            )
    return step


def add_note(situation: Situation, text: str, *, by: Any) -> TimelineEntry:
    if not text.strip():
        raise ServiceError("a note needs some text")
    return TimelineEntry.objects.create(situation=situation, by=_actor(by), kind="note", text=text.strip())


ATTACHMENT_TYPES = {
    "image/jpeg", "image/png", "image/webp", "application/pdf", "text/plain", "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}  # fmt: skip
ATTACHMENT_MAX_BYTES = 20 * 2**20


def attach_file(situation: Situation, upload, *, by: Any):
    """Attach a file (photos, documents, spreadsheets; at most 20 MB) to a situation."""
    from toancanh.operations.models import SituationAttachment

    content_type = (getattr(upload, "content_type", "") or "").split(";")[0]
    if content_type not in ATTACHMENT_TYPES:
        raise ServiceError(
            f"files of type '{content_type or 'unknown'}' cannot be attached (photos, PDF, text, Office files)"
        )
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ServiceError(f"the file is {upload.size // 2**20} MB; at most {ATTACHMENT_MAX_BYTES // 2**20} MB")
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-150:]
    with transaction.atomic():
        att = SituationAttachment.objects.create(situation=situation, file=upload, name=name, content_type=content_type,
                                                 size=upload.size, uploaded_by=_actor(by))  # fmt: skip
        TimelineEntry.objects.create(situation=situation, by=_actor(by), kind="attachment", text=f"Đính kèm: {name}")
        audit.record("situations.attach", situation, by=by, after={"file": name, "size": upload.size},
                     unit_path=situation.unit.path)  # fmt: skip
    return att


def assign_situation(situation: Situation, *, by: Any, scope: Scope, users: list[int] | None = None,
                     lead_agency: str | None = None) -> Situation:  # fmt: skip
    """Set who handles a situation: the lead agency and the assignees, all within the actor's scope."""
    from toancanh.accounts.models import User

    with transaction.atomic():
        parts = []
        if lead_agency is not None:
            agency = Agency.objects.within(scope).filter(code=lead_agency).first() if lead_agency else None
            if lead_agency and agency is None:
                raise NotFound(f"agency '{lead_agency}' not found")
            situation.lead_agency = agency
            situation.save(update_fields=["lead_agency", "updated_at"])
            parts.append(f"đơn vị chủ trì: {agency.name if agency else '—'}")
        if users is not None:
            people = list(User.objects.within(scope).filter(pk__in=users, kind="staff"))
            missing = sorted(set(users) - {u.pk for u in people})
            if missing:
                raise NotFound(f"user(s) not found: {', '.join(map(str, missing))}")
            situation.assignees.set(people)
            parts.append("người xử lý: " + (", ".join(u.display_name for u in people) or "—"))
        if parts:
            TimelineEntry.objects.create(situation=situation, by=_actor(by), kind="assign", text="; ".join(parts))
            audit.record("situations.assign", situation, by=by, after={"users": users, "lead_agency": lead_agency},
                         unit_path=situation.unit.path)  # fmt: skip
    return situation


def start_ticker(every: float = 60.0):
    """Run :func:`tick` every minute in a background thread of this process (the web server with
    the in-process bus, or a worker), so silent stations, escalations and deliveries need no cron."""
    import logging
    import threading

    from django.db import close_old_connections

    log = logging.getLogger(__name__)
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                close_old_connections()
                tick()
            except Exception:  # noqa: BLE001 - one failed minute must not stop the next
                log.exception("operations tick failed")
            finally:
                close_old_connections()

    threading.Thread(target=loop, name="operations-tick", daemon=True).start()
    return stop
