"""Notifications: who hears of an alert, delivery jobs with retries, escalation.

An alert raised (or escalated) becomes one :class:`Delivery` row per matching subscription —
once, however often the alert repeats. ``deliver_due`` claims due rows with a conditional update
(so several workers never send one twice), sends them in parallel with a timeout each (a
receiver that hangs or fails delays nobody else), and records the outcome: sent; or a retry
later with exponential back-off; or, after too many tries or a permanent refusal, given up.
"""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from toancanh.core import bus
from toancanh.core.errors import ServiceError
from toancanh.operations.models import (
    SEVERITY_RANK,
    Alert,
    AlertState,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryStatus,
    Subscription,
)
from toancanh.operations.notify.base import Message, SendError
from toancanh.operations.notify.registry import sender_for

MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 3600
PARALLEL_SENDS = 8
_NEXT_SEVERITY = {
    "Unknown": "Minor",
    "Minor": "Moderate",
    "Moderate": "Severe",
    "Severe": "Extreme",
    "Extreme": "Extreme",
}


def save_channel(*, name: str, kind: str, config: dict[str, Any], active: bool = True) -> Channel:
    if kind not in ChannelKind.values:
        raise ServiceError(f"unknown channel kind '{kind}' (one of: {', '.join(ChannelKind.values)})")
    sender_for(kind, config)  # checks the configuration
    channel, _ = Channel.objects.update_or_create(
        name=name, defaults={"kind": kind, "config": config, "active": active}
    )
    return channel


def _matches(sub: Subscription, alert: Alert, reason: str) -> bool:
    path = alert.unit.path if alert.unit_id else alert.rule.unit.path
    if not path.startswith(sub.unit.path):
        return False
    if sub.sectors and alert.rule.sector_id not in sub.sectors:
        return False
    if SEVERITY_RANK[alert.severity] < SEVERITY_RANK[sub.min_severity]:
        return False
    return reason == "escalated" or not sub.escalations_only


class Audience:
    """The active subscriptions, read once for a whole batch of alerts."""

    def __init__(self) -> None:
        self._subs: list[Subscription] | None = None

    @property
    def subscriptions(self) -> list[Subscription]:
        if self._subs is None:
            self._subs = list(
                Subscription.objects.filter(active=True, channel__active=True).select_related("unit", "channel", "user")
            )
        return self._subs


def enqueue_for_alert(alert: Alert, reason: str = "raised", audience: Audience | None = None) -> int:
    """Create the deliveries an alert calls for (none twice for the same subscriber and reason)."""
    subs = (audience or Audience()).subscriptions
    if not subs:
        return 0
    verb = {"raised": "Cảnh báo", "escalated": "Cảnh báo chưa được tiếp nhận"}.get(reason, "Cảnh báo")
    subject = f"[{alert.severity}] {verb}: {alert.rule.name}"[:200]
    place = alert.unit.name if alert.unit_id else alert.rule.unit.name
    body = f"{alert.message}\nĐịa bàn: {place}\nLúc: {timezone.localtime(alert.first_at):%H:%M %d/%m/%Y}"
    payload = {"alert": alert.pk, "rule": alert.rule.name, "severity": alert.severity, "reason": reason,
               "unit": alert.unit.key if alert.unit_id else None, "lat": alert.lat, "lon": alert.lon,
               "link": f"/wall/#alert-{alert.pk}"}  # fmt: skip
    made = 0
    now = timezone.now()
    for sub in subs:
        if not _matches(sub, alert, reason):
            continue
        try:
            with transaction.atomic():
                Delivery.objects.create(subscription=sub, alert=alert, reason=reason, subject=subject, body=body,
                                        payload=payload, next_attempt_at=now)  # fmt: skip
            made += 1
        except IntegrityError:
            continue  # already queued: duplicates are handled quietly
    return made


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS))


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due. Returns counts of sent, retrying and given-up deliveries."""
    now = now or timezone.now()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("id", flat=True)[:limit]
    )  # fmt: skip
    claimed = [
        pk
        for pk in due
        if Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(status=DeliveryStatus.SENDING)
    ]
    jobs = list(Delivery.objects.filter(pk__in=claimed).select_related("subscription__channel", "subscription__user"))
    outcome = {"sent": 0, "retry": 0, "dead": 0}

    def attempt(job: Delivery) -> tuple[Delivery, SendError | None]:
        sub = job.subscription
        message = Message(sub.address or (sub.user.email if sub.user_id else ""), job.subject, job.body, job.payload,
                          sub.user_id)  # fmt: skip
        try:
            sender_for(sub.channel.kind, sub.channel.config).send(message)
        except SendError as exc:
            return job, exc
        except Exception as exc:  # noqa: BLE001 - a sender bug is a failed delivery, never a crash of the loop
            return job, SendError(f"{exc.__class__.__name__}: {exc}")
        return job, None

    in_process = [j for j in jobs if j.subscription.channel.kind == ChannelKind.IN_APP]
    remote = [j for j in jobs if j.subscription.channel.kind != ChannelKind.IN_APP]
    results = [attempt(j) for j in in_process]  # writes to the database: done here, in this thread
    if remote:
        with ThreadPoolExecutor(max_workers=min(PARALLEL_SENDS, len(remote))) as pool:
            results += list(pool.map(attempt, remote))
    for job, error in results:
        job.attempts += 1
        channel = job.subscription.channel
        if error is None:
            job.status, job.sent_at, job.last_error = DeliveryStatus.SENT, timezone.now(), ""
            Channel.objects.filter(pk=channel.pk).update(sent_count=F("sent_count") + 1, last_success_at=timezone.now())
            outcome["sent"] += 1
        else:
            job.last_error = str(error)[:500]
            if error.permanent or job.attempts >= MAX_ATTEMPTS:
                job.status = DeliveryStatus.DEAD
                outcome["dead"] += 1
            else:
                job.status, job.next_attempt_at = DeliveryStatus.PENDING, now + _backoff(job.attempts)
                outcome["retry"] += 1
            Channel.objects.filter(pk=channel.pk).update(failed_count=F("failed_count") + 1, last_error=job.last_error,
                                                         last_error_at=timezone.now())  # fmt: skip
        job.save(update_fields=["status", "attempts", "next_attempt_at", "last_error", "sent_at"])
    return outcome


def escalate_due(now: dt.datetime | None = None) -> int:
    """Alerts nobody acknowledged in time go up a severity and to those who watch for escalations."""
    now = now or timezone.now()
    candidates = Alert.objects.filter(
        state=AlertState.OPEN, escalated_at__isnull=True, rule__escalate_after_seconds__gt=0
    )
    escalated = 0
    for alert in candidates.select_related("rule", "unit", "rule__unit"):
        if (now - alert.first_at).total_seconds() < alert.rule.escalate_after_seconds:
            continue
        with transaction.atomic():
            updated = Alert.objects.filter(pk=alert.pk, escalated_at__isnull=True, state=AlertState.OPEN).update(
                escalated_at=now, severity=_NEXT_SEVERITY[alert.severity]
            )
            if not updated:
                continue
            alert.refresh_from_db()
            enqueue_for_alert(alert, reason="escalated")
            bus.publish({"type": "alert.escalated", "id": alert.pk, "severity": alert.severity,
                         "unit": alert.unit.path if alert.unit_id else "", "sector": alert.rule.sector_id})  # fmt: skip
        escalated += 1
    return escalated
