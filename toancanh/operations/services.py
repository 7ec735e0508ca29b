"""Every write of operations: taking in events, raising and clearing alerts, handling situations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from toancanh.core import audit, bus
from toancanh.core.errors import NotFound, ServiceError, describe_validation, full_clean_or_raise
from toancanh.core.models import Sector
from toancanh.core.schemas import BoundedJSON, BoundedStr, FiniteFloat, SaneDatetime
from toancanh.core.scoping import Scope, get_visible_or_404
from toancanh.core.sql import dump_json, insert_new, update_many
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

# Live screens hear of at most this many of a batch's events (alerts and situations always): a
# burst of thousands of readings would only flood the screens and the live bus.
LIVE_EVENTS_PER_BATCH = 200


EVENT_PAYLOAD_MAX_BYTES = 16_384


class EventIn(BaseModel):
    """An event as a source sends it."""

    model_config = {"extra": "forbid"}
    source: BoundedStr(80, 1)
    source_id: BoundedStr(120, 1)
    sector: BoundedStr(40)
    type: BoundedStr(80, 1)
    subject: BoundedStr(120) = ""
    severity: Severity = Severity.UNKNOWN
    urgency: Urgency = Urgency.UNKNOWN
    certainty: Certainty = Certainty.UNKNOWN
    unit: BoundedStr(60) | None = None
    lat: FiniteFloat | None = Field(None, ge=-90, le=90)
    lon: FiniteFloat | None = Field(None, ge=-180, le=180)
    occurred_at: SaneDatetime
    payload: BoundedJSON(EVENT_PAYLOAD_MAX_BYTES) = {}


@dataclass
class EventsReport:
    stored: int = 0
    duplicates: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    alerts_raised: int = 0
    alerts_cleared: int = 0
    queued: int = 0  # handed to the message bus for the workers (TOANCANH_EVENTS_BUS=nats)


@dataclass(slots=True)
class NewEvent:
    """A checked event about to be stored (lighter than a model instance, on the hot path)."""

    source: str
    source_id: str
    sector_id: str
    type: str
    subject: str
    severity: str
    urgency: str
    certainty: str
    unit: Unit
    lat: float | None
    lon: float | None
    occurred_at: dt.datetime
    payload: dict[str, Any]
    pk: int | None = None

    @property
    def unit_id(self) -> int:
        return self.unit.pk


def _view(ev: NewEvent, unit_path: str) -> EventView:
    return EventView(ev.pk, ev.type, ev.sector_id, ev.subject or ev.source, unit_path, ev.unit_id, ev.lat, ev.lon,
                     ev.occurred_at, ev.payload)  # fmt: skip


def handle_queued(rows: list[dict[str, Any]]) -> EventsReport:
    """A worker's batch from the message bus: events the API already checked, decided here."""
    return ingest_events(rows, by=None, scope=Scope(everywhere=True))


def run_event_worker(batch: int = 200, stop_after_idle: float | None = None) -> int:
    """Take events from the configured message bus (NATS JetStream or Redis Streams) until stopped."""
    import asyncio

    from toancanh.operations import transport

    if transport.kind() == "redis":
        return transport.run_redis_worker(handle_queued, batch=batch, stop_after_idle=stop_after_idle)
    return asyncio.run(transport.run_worker(handle_queued, batch=batch, stop_after_idle=stop_after_idle))


def submit_events(rows: Sequence[dict[str, Any]], *, scope: Scope, by: Any = None) -> EventsReport:
    """Take in events the way the configured deployment does: handed to the workers through the
    message bus when one is configured, else handled here and now."""
    from toancanh.operations import transport

    if transport.enabled():
        return queue_events(rows, scope=scope)
    return ingest_events(rows, by=by, scope=scope)


def queue_events(rows: Sequence[dict[str, Any]], *, scope: Scope) -> EventsReport:
    """Check events and hand the good ones to the message bus, for the workers to handle."""
    from toancanh.operations import transport

    report = EventsReport()
    checked = _check_events(rows, scope, report)
    # Each event goes with the unit it was placed in, which also routes it to its partition.
    good = [{**rows[n - 1], "unit": ev.unit.key} for n, ev in checked]
    report.queued = transport.publish(good) if good else 0
    return report


EVENT_COLUMNS = ["source", "source_id", "sector_id", "type", "subject", "severity", "urgency", "certainty", "unit_id",
                 "lat", "lon", "occurred_at", "received_at", "payload"]  # fmt: skip


def _store_events(new: list[NewEvent]) -> list[NewEvent]:
    """Store the events not stored before (one statement per few hundred rows, by their unique
    source and source id) and return those that were new, with their ids."""
    ops = connection.ops
    received = ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (ev.source, ev.source_id, ev.sector_id, ev.type, ev.subject, ev.severity, ev.urgency, ev.certainty, ev.unit_id,
         ev.lat, ev.lon, ops.adapt_datetimefield_value(ev.occurred_at), received, dump_json(ev.payload))
        for ev in new
    ]  # fmt: skip
    by_key = {(ev.source, ev.source_id): ev for ev in new}
    fresh = []
    for pk, source, source_id in insert_new(Event._meta.db_table, EVENT_COLUMNS, rows, unique=["source", "source_id"],
                                            returning=["id", "source", "source_id"]):  # fmt: skip
        ev = by_key[(source, source_id)]
        ev.pk = pk
        fresh.append(ev)
    return fresh


def ingest_events(rows: Sequence[dict[str, Any]], *, by: Any, scope: Scope) -> EventsReport:
    """Take in events (idempotent by source and source id), evaluate the rules, raise and clear alerts."""
    report = EventsReport()
    new = [ev for _n, ev in _check_events(rows, scope, report)]
    paths = {ev.unit_id: ev.unit.path for ev in new if ev.unit_id}
    with transaction.atomic():
        fresh = _store_events(new)
        report.duplicates += len(new) - len(fresh)
        report.stored = len(fresh)
        views = sorted((_view(ev, paths.get(ev.unit_id, "")) for ev in fresh), key=lambda v: v.at)
        raised, cleared = apply_signals(engine().process(views))
        report.alerts_raised, report.alerts_cleared = raised, cleared
        for ev in fresh[:LIVE_EVENTS_PER_BATCH]:
            bus.publish({"type": "event.received", "id": ev.pk, "event_type": ev.type, "sector": ev.sector_id,
                         "unit": paths.get(ev.unit_id, ""), "severity": ev.severity, "lat": ev.lat, "lon": ev.lon})  # fmt: skip
    return report


_EVENT_LIST = TypeAdapter(list[EventIn])


def _validate(rows: list[tuple[int, dict[str, Any]]], report: EventsReport) -> list[tuple[int, EventIn]]:
    """The rows that are good events, checked in one call for the whole batch; each bad one is
    checked again alone, for its own refusal message."""
    try:
        return list(zip([n for n, _r in rows], _EVENT_LIST.validate_python([r for _n, r in rows]), strict=True))
    except ValidationError as exc:
        bad = {err["loc"][0] for err in exc.errors() if err["loc"] and isinstance(err["loc"][0], int)}
    good: list[tuple[int, EventIn]] = []
    for i in sorted(bad):
        n, raw = rows[i]
        try:
            good.append((n, EventIn.model_validate(raw)))
        except ValidationError as exc:
            report.refused.append({"row": n, "error": describe_validation(exc)})
    rest = [row for i, row in enumerate(rows) if i not in bad]
    if len(rest) < len(rows):  # never loops: the rest had no error
        good += _validate(rest, report)
    else:  # pragma: no cover - an error the batch had but no row has
        for n, raw in rest:
            try:
                good.append((n, EventIn.model_validate(raw)))
            except ValidationError as exc:
                report.refused.append({"row": n, "error": describe_validation(exc)})
    return sorted(good, key=lambda g: g[0])


def _check_events(rows: Sequence[dict[str, Any]], scope: Scope, report: EventsReport) -> list[tuple[int, NewEvent]]:
    """Each good row as an event to store (with its row number); the others go to the report."""
    sectors = set(Sector.objects.values_list("code", flat=True))
    # The batch's units in one query (those outside the scope are simply not found).
    keys = {str(r.get("unit")) for r in rows if isinstance(r, dict) and r.get("unit")}
    units: dict[str, Unit | None] = dict.fromkeys(keys)
    ordered = sorted(keys)
    for j in range(0, len(ordered), 900):
        chunk = ordered[j : j + 900]
        units.update((u.key, u) for u in Unit.objects.within(scope).filter(key__in=chunk).only("id", "key", "path"))
    new: list[tuple[int, NewEvent]] = []
    seen: set[tuple[str, str]] = set()
    objects = []
    for n, raw in enumerate(rows, start=1):
        if isinstance(raw, dict):
            objects.append((n, raw))
        else:
            report.refused.append({"row": n, "error": "an event must be a JSON object"})
    for n, e in _validate(objects, report):
        if e.sector not in sectors:
            report.refused.append({"row": n, "error": gettext("unknown sector '%(sector)s'") % {"sector": e.sector}})
            continue
        unit = None
        if e.unit:
            unit = units.get(e.unit)
            if unit is None:
                report.refused.append({"row": n, "error": f"unit '{e.unit}' not found (or outside your scope)"})
                continue
        elif e.lat is not None and e.lon is not None:
            unit = locate_commune(e.lat, e.lon, scope)
        if unit is None:
            report.refused.append({"row": n, "error": "an event needs a unit, or a place inside your scope"})
            continue
        if not scope.allows(unit.path, e.sector):
            report.refused.append({"row": n, "error": f"sector '{e.sector}' is outside your scope"})
            continue
        if (e.source, e.source_id) in seen:
            report.duplicates += 1
            continue
        seen.add((e.source, e.source_id))
        new.append((n, NewEvent(e.source, e.source_id, e.sector, e.type, e.subject, e.severity, e.urgency, e.certainty,
                                unit, e.lat, e.lon, e.occurred_at, e.payload)))  # fmt: skip
    report.refused.sort(key=lambda r: r["row"])
    return new


# --- alerts --------------------------------------------------------------------------------------


def apply_signals(signals: list[tuple[RuleRuntime, Signal]]) -> tuple[int, int]:
    """Turn the engine's decisions into alerts: one live alert per rule and key (repeats count up),
    nothing new within the cool-down after a clear, severe alerts open a situation.

    The whole batch is decided in memory first, then written with one statement per kind of
    write: the new alerts inserted together, the changed live ones updated together, their
    deliveries queued together."""
    now = timezone.now()
    raised = cleared = 0
    by_key: dict[tuple[int, str], list[Signal]] = {}
    for rt, s in signals:
        by_key.setdefault((rt.rule_id, s.key), []).append(s)
    if not by_key:
        return 0, 0
    rule_ids = {r for r, _k in by_key}
    rules = {r.pk: r for r in AlertRule.objects.filter(pk__in=rule_ids).select_related("unit")}
    # The live alerts of the batch's (rule, key) pairs: those of its rules, narrowed by its keys.
    # Read as plain rows (thousands of alerts kept firing by a burst need no model objects).
    live: dict[tuple[int, str], Any] = {
        (row[1], row[2]): _LiveAlert(*row)
        for row in Alert.objects.filter(rule_id__in=rule_ids, key__in={k for _r, k in by_key})
        .exclude(state=AlertState.CLEARED)
        .values_list(
            "id",
            "rule_id",
            "key",
            "count",
            "last_at",
            "last_event_id",
            "message",
            "state",
            "cleared_at",
            "unit_id",
            "unit__path",
        )  # fmt: skip
        if (row[1], row[2]) in by_key
    }
    # When each (rule, key) last cleared, for the cool-down: one query for the whole batch.
    cleared_at: dict[tuple[int, str], dt.datetime] = {}
    fresh_keys = [k for k in by_key if k not in live]
    if fresh_keys:
        recent = Alert.objects.filter(rule_id__in={r for r, _k in fresh_keys}, key__in={k for _r, k in fresh_keys},
                                      state=AlertState.CLEARED).values_list("rule_id", "key", "cleared_at")  # fmt: skip
        for rid, key, at in recent:
            if at and (rid, key) in by_key and at > cleared_at.get((rid, key), at - dt.timedelta(seconds=1)):
                cleared_at[(rid, key)] = at
    new: list[Alert] = []  # raised in this batch (some may clear again in it)
    changed: dict[int, Alert] = {}  # live alerts repeated or cleared
    notices: list[tuple[str, Alert, AlertRule]] = []  # what the live screens hear, in order
    for (rule_id, key), group in by_key.items():
        rule = rules.get(rule_id)
        if rule is None:
            continue
        alert = live.get((rule_id, key))
        last_cleared = cleared_at.get((rule_id, key))
        for s in group:  # in order: a batch may fire, clear and fire again
            at = s.event.at if s.event else now
            if s.kind == FIRE and alert is not None:
                alert.count += 1
                alert.last_at, alert.last_signal = at, s  # its message is written once, from the last
                alert.last_event_id = s.event.id if s.event else alert.last_event_id
                if alert.pk:
                    changed[alert.pk] = alert
            elif s.kind == FIRE:
                if last_cleared is not None and (at - last_cleared).total_seconds() < rule.cooldown_seconds:
                    continue  # within the cool-down: the same problem again so soon raises nothing new
                alert = _new_alert(rule, key, s, at)
                new.append(alert)
                notices.append(("raised", alert, rule))
                raised += 1
            elif alert is not None:
                alert.state, alert.cleared_at = AlertState.CLEARED, at
                if alert.pk:
                    changed[alert.pk] = alert
                notices.append(("cleared", alert, rule))
                last_cleared = at
                cleared += 1
                alert = None
    _write_alerts(new, list(changed.values()), notices)
    return raised, cleared


class _LiveAlert:
    """A live alert as the batch reads and changes it (the columns written back, and its place)."""

    __slots__ = ("cleared_at", "count", "id", "key", "last_at", "last_event_id", "last_signal", "message", "rule_id",
                 "state", "unit_id", "unit_path")  # fmt: skip

    def __init__(self, pk, rule_id, key, count, last_at, last_event_id, message, state, cleared_at, unit_id, path):
        self.id, self.rule_id, self.key, self.count, self.last_at = pk, rule_id, key, count, last_at
        self.last_event_id, self.message, self.state, self.cleared_at = last_event_id, message, state, cleared_at
        self.unit_id, self.unit_path, self.last_signal = unit_id, path or "", None

    @property
    def pk(self) -> int:
        return self.id


def _path(a: Alert | _LiveAlert) -> str:
    if isinstance(a, _LiveAlert):
        return a.unit_path
    return a.unit.path if a.unit_id else ""


def _message(a: Alert | _LiveAlert) -> str:
    s = getattr(a, "last_signal", None)
    return s.message[:300] if s is not None else a.message


def _new_alert(rule: AlertRule, key: str, s: Signal, at: dt.datetime) -> Alert:
    e = s.event
    alert = Alert(
        rule=rule, key=key, severity=rule.severity, unit_id=(e.unit_id if e and e.unit_id else rule.unit_id),
        lat=e.lat if e else None, lon=e.lon if e else None, message=s.message[:300], first_at=at, last_at=at,
        count=1, last_event_id=e.id if e else None,
    )  # fmt: skip
    # Where the screens place it: the event's commune, else the alert's unit (read below), else the rule's.
    alert.live_path = e.unit_path if e and e.unit_id and e.unit_path else (None if alert.unit_id else rule.unit.path)
    alert.live_signal = s
    return alert


ALERT_UPDATE = ["count", "last_at", "last_event_id", "message", "state", "cleared_at"]


def _write_alerts(new: list[Alert], changed: list[Alert], notices: list[tuple[str, Alert, AlertRule]]) -> None:
    """Write a batch's alerts: situations of the severe new ones first (each its own, as by hand),
    then all new alerts in one insert, all changed ones in one update, their deliveries together."""
    from toancanh.operations.notifications import Audience, enqueue_for_new_alerts

    others = {a.unit_id for a in new if a.unit_id != a.rule.unit_id}
    units = Unit.objects.in_bulk(others) if others else {}
    for a in new:
        a.unit = a.rule.unit if a.unit_id == a.rule.unit_id else units[a.unit_id]
        if a.live_path is None:
            a.live_path = a.unit.path
        rule = a.rule
        if rule.open_situation or SEVERITY_RANK[rule.severity] >= SEVERITY_RANK[Severity.SEVERE]:
            s = a.live_signal
            a.situation = open_situation(
                by=None, title=f"{rule.name}: {s.message}"[:200], severity=rule.severity, unit=a.unit or rule.unit,
                sector=rule.sector_id, lat=a.lat, lon=a.lon, type_code=rule.params.get("situation_type"),
                note=f"Mở tự động theo quy tắc cảnh báo «{rule.name}» ({a.key}).",
            )  # fmt: skip
    if new:
        for a in new:
            a.message = _message(a)
        Alert.objects.bulk_create(new)
    if changed:
        ops = connection.ops
        fields = [Alert._meta.get_field(f) for f in ["id", *ALERT_UPDATE]]
        rows = [
            (a.pk, a.count, ops.adapt_datetimefield_value(a.last_at), a.last_event_id, _message(a), a.state,
             ops.adapt_datetimefield_value(a.cleared_at))
            for a in changed
        ]  # fmt: skip
        update_many(Alert._meta.db_table, "id", ALERT_UPDATE, rows,
                    casts=[f.rel_db_type(connection) if f.is_relation else f.db_type(connection) for f in fields])  # fmt: skip
    for what, a, rule in notices:
        if what == "raised":
            bus.publish({"type": "alert.raised", "id": a.pk, "rule": rule.name, "severity": a.severity,
                         "unit": a.live_path, "sector": rule.sector_id, "message": a.message, "lat": a.lat,
                         "lon": a.lon})  # fmt: skip
        else:
            bus.publish({"type": "alert.cleared", "id": a.pk, "unit": _path(a), "sector": rule.sector_id})
    if new:
        enqueue_for_new_alerts(new, audience=Audience())


def tick(now: dt.datetime | None = None, *, deliver: bool = True) -> tuple[int, int]:
    """Let time-driven rules decide (absence, windows, quiet alerts), escalate unanswered alerts and
    send due notifications: the job runner's task ``operations.tick`` runs it every minute without
    the sending, which its own task ``notifications.deliver_due`` does every 15 seconds
    (``toancanh tick`` runs it all once)."""
    from toancanh.operations.notifications import deliver_due, escalate_due

    now = now or timezone.now()
    with transaction.atomic():
        result = apply_signals(engine().tick(now))
        escalate_due(now)
    if deliver:
        deliver_due(now)
    return result


def acknowledge_alert(alert: Alert, *, by: Any) -> Alert:
    with transaction.atomic():
        if alert.state == AlertState.CLEARED:
            raise ServiceError(gettext("the alert has already cleared"))
        if alert.state == AlertState.OPEN:
            alert.state = AlertState.ACKNOWLEDGED
            alert.acknowledged_at = timezone.now()
            alert.acknowledged_by = audit.actor_fields(by)["actor_label"]
            alert.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
            audit.record("alerts.acknowledge", alert, by=by, unit_path=alert.unit.path if alert.unit_id else "")
    return alert


CLEAR_REASON_MAX = 300


def clear_alert(alert: Alert, *, by: Any, reason: str) -> Alert:
    """Clear an alert by hand (xử lý xong / báo động nhầm), saying why; the reason is kept with the
    alert, in the audit log and on the timeline of its situation. If the condition still holds,
    the rule may raise it again after its cool-down."""
    from django.utils.translation import gettext as _

    reason = (reason or "").strip()
    if len(reason) < 3:
        raise ServiceError(_("Say why the alert is cleared (at least 3 characters)."))
    if len(reason) > CLEAR_REASON_MAX:
        raise ServiceError(_("The reason is too long (at most %(n)s characters).") % {"n": CLEAR_REASON_MAX})
    with transaction.atomic():
        alert = Alert.objects.select_for_update(of=("self",)).select_related("rule", "unit").get(pk=alert.pk)
        if alert.state == AlertState.CLEARED:
            raise ServiceError(_("The alert has already cleared."))
        before = {"state": alert.state}
        alert.state, alert.cleared_at = AlertState.CLEARED, timezone.now()
        alert.cleared_by, alert.clear_reason = _actor(by), reason
        alert.save(update_fields=["state", "cleared_at", "cleared_by", "clear_reason"])
        unit_path = alert.unit.path if alert.unit_id else ""
        audit.record("alerts.clear", alert, by=by, before=before, after={"state": alert.state, "reason": reason},
                     unit_path=unit_path)  # fmt: skip
        if alert.situation_id:
            TimelineEntry.objects.create(situation_id=alert.situation_id, by=_actor(by), kind="alert",
                                         text=f"Gỡ cảnh báo «{alert.rule.name}»: {reason}")  # fmt: skip
        bus.publish({"type": "alert.cleared", "id": alert.pk, "unit": unit_path, "sector": alert.rule.sector_id})
    return alert


def open_situation_from_alerts(alerts: Sequence[Alert], *, by: Any, scope: Scope, title: str, severity: str,
                               unit: Unit, sector: str | None = None, type_code: str | None = None,
                               lead_agency: Agency | None = None, note: str = "",
                               assignees: list[int] | None = None) -> Situation:  # fmt: skip
    """Open a situation by hand from one or several alerts (or none), with who handles it: the
    alerts are linked to it and acknowledged, and the timeline says which they were."""
    if not scope.covers_path(unit.path):
        raise NotFound(f"unit '{unit.key}' not found")
    with transaction.atomic():
        first = alerts[0] if alerts else None
        situation = open_situation(
            by=by, title=title, severity=severity, unit=unit, sector=sector, type_code=type_code,
            lead_agency=lead_agency, note=note, lat=first.lat if first else None, lon=first.lon if first else None,
        )  # fmt: skip
        for alert in alerts:
            alert.situation = situation
            alert.save(update_fields=["situation"])
            if alert.state == AlertState.OPEN:
                acknowledge_alert(alert, by=by)
        if alerts:
            names = "; ".join(f"{a.rule.name}: {a.message}" for a in alerts)[:1000]
            TimelineEntry.objects.create(situation=situation, by=_actor(by), kind="alert", text=f"Từ cảnh báo: {names}")
        if assignees:
            assign_situation(situation, by=by, scope=scope, users=assignees)
    return situation


def save_rule(*, by: Any, scope: Scope, rule: AlertRule | None = None, **fields: Any) -> AlertRule:
    """Define or change an alert rule; its parameters are checked so that it can be evaluated."""
    unit_key = fields.pop("unit", None)
    with transaction.atomic():
        before = audit.snapshot(rule)
        kind_before = rule.kind if rule else None
        rule = rule or AlertRule()
        for name, value in fields.items():
            setattr(rule, name, value)
        if unit_key is not None or rule.unit_id is None:
            rule.unit = get_visible_or_404(Unit, by, scope=scope, what="unit", key=unit_key)
        if rule.sector_id is not None and not Sector.objects.filter(code=rule.sector_id).exists():
            raise ServiceError(gettext("unknown sector '%(sector)s'") % {"sector": rule.sector_id})
        scope.require(rule.unit.path, rule.sector_id)
        checked = rule_kinds.validate_params(rule.kind, rule.params)
        rule.params = checked.model_dump(exclude_none=True)
        if checked.situation_type and not SituationType.objects.filter(code=checked.situation_type).exists():
            raise ServiceError(gettext("unknown situation type '%(type)s'") % {"type": checked.situation_type})
        full_clean_or_raise(rule, exclude=["unit", "sector"])
        rule.save()
        if kind_before and kind_before != rule.kind:
            rule.states.all().delete()  # what a rule of another kind remembered means nothing to this one
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
                   lead_agency: Agency | None = None, note: str = "", scope: Scope | None = None) -> Situation:  # fmt: skip
    """Open a situation (tình huống) and start its standard procedure's steps.

    With the actor's ``scope`` (a person opening one by hand), the situation must lie within it:
    a principal limited to an agency leads it by default, one limited to one sector files it there."""
    stype = SituationType.objects.filter(code=type_code).first() if type_code else None
    if type_code and stype is None:
        raise ServiceError(gettext("unknown situation type '%(type)s'") % {"type": type_code})
    if severity not in SEVERITY_RANK:
        raise ServiceError(
            gettext("unknown severity '%(severity)s' (one of: %(choices)s)")
            % {"severity": severity, "choices": ", ".join(SEVERITY_RANK)}
        )
    sector = sector or (stype.sector_id if stype else None)
    if sector is not None and not Sector.objects.filter(code=sector).exists():
        raise ServiceError(gettext("unknown sector '%(sector)s'") % {"sector": sector})
    if scope is not None and not scope.everywhere:
        if lead_agency is None and scope.agency_id is not None:
            lead_agency = Agency.objects.get(pk=scope.agency_id)
        if sector is None and len(scope.sectors) == 1:
            (sector,) = scope.sectors
        scope.require(unit.path, sector, lead_agency.pk if lead_agency else None)
    with transaction.atomic():
        situation = Situation.objects.create(
            title=title, type=stype, sector_id=sector, severity=severity,
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
                     "agency": situation.lead_agency_id, "severity": severity, "title": title, "lat": lat, "lon": lon})  # fmt: skip
    return situation


def transition(situation: Situation, to: str, *, by: Any, note: str = "") -> Situation:
    """Move a situation along open → acknowledged → in progress → resolved → closed."""
    with transaction.atomic():
        situation = Situation.objects.select_for_update().get(pk=situation.pk)
        current = SituationStatus(situation.status)
        if to not in SituationStatus.values:
            raise ServiceError(gettext("unknown status '%(status)s'") % {"status": to})
        if SituationStatus(to) not in TRANSITIONS[current]:
            allowed = ", ".join(str(SituationStatus(s).label) for s in sorted(TRANSITIONS[current]))
            raise ServiceError(
                gettext("a situation that is %(current)s cannot become %(to)s (allowed: %(allowed)s)")
                % {"current": current.label, "to": SituationStatus(to).label, "allowed": allowed or gettext("none")}
            )
        if to == SituationStatus.RESOLVED:
            pending = situation.steps.filter(done_at__isnull=True).values_list("title", flat=True)
            if pending:
                raise ServiceError(
                    gettext("steps of the procedure are not done yet: %(steps)s") % {"steps": ", ".join(pending)}
                )
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
                     "sector": situation.sector_id, "agency": situation.lead_agency_id})  # fmt: skip
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
        raise ServiceError(gettext("a note needs some text"))
    return TimelineEntry.objects.create(situation=situation, by=_actor(by), kind="note", text=text.strip())


ATTACHMENT_TYPES = {
    "image/jpeg", "image/png", "image/webp", "application/pdf", "text/plain", "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}  # fmt: skip
ATTACHMENT_MAX_BYTES = 20 * 2**20


def attach_file(situation: Situation, upload, *, by: Any):
    """Attach a file (photos, documents, spreadsheets; at most 20 MB) to a situation."""
    from toancanh.core.files import type_of_upload
    from toancanh.operations.models import SituationAttachment

    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ServiceError(
            gettext("the file is %(size)s MB; at most %(limit)s MB")
            % {"size": upload.size // 2**20, "limit": ATTACHMENT_MAX_BYTES // 2**20}
        )
    name = "".join(ch for ch in (upload.name or "file") if ch.isprintable() and ch not in "/\\")[-150:] or "file"
    upload.seek(0)
    content_type = type_of_upload(name, upload.read())  # what the content is, not what the sender said
    upload.seek(0)
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    if content_type not in ATTACHMENT_TYPES:
        raise ServiceError(
            gettext("this file cannot be attached: photos (PNG, JPEG, WebP), PDF, text and Office files can")
        )
    if (
        declared
        and declared not in (content_type, "application/octet-stream")
        and not (declared.startswith("text/") and content_type.startswith("text/"))
    ):
        raise ServiceError(
            gettext("the file says it is %(declared)s but its content is %(actual)s")
            % {"declared": declared[:60], "actual": content_type}
        )
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
            agency = (
                get_visible_or_404(Agency, by, scope=scope, what="agency", code=lead_agency) if lead_agency else None
            )
            scope.require(situation.unit.path, situation.sector_id, agency.pk if agency else None)
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


def mark_notifications_read(user: Any, ids: list[int] | None = None) -> int:
    """Mark a person's own in-app notifications read (those named, or all); returns how many."""
    from toancanh.operations.models import InAppNotification

    qs = InAppNotification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


def set_rule_active(rule: AlertRule, active: bool, *, by: Any) -> AlertRule:
    """Switch a rule off (it raises nothing more; its alerts stay) or on again."""
    with transaction.atomic():
        if rule.active != active:
            rule.active = active
            rule.save(update_fields=["active", "updated_at"])
            audit.record("rules.enable" if active else "rules.disable", rule, by=by, unit_path=rule.unit.path)
    return rule


def delete_rule(rule: AlertRule, *, by: Any) -> None:
    """Delete a rule that never raised an alert (one that did is switched off instead, to keep the record)."""
    from django.utils.translation import gettext as _

    with transaction.atomic():
        if rule.alerts.exists():
            raise ServiceError(_("This rule has raised alerts: switch it off instead, so that their record stays."))
        audit.record("rules.delete", rule, by=by, before=audit.snapshot(rule), unit_path=rule.unit.path)
        rule.delete()
