"""Notifications: who hears of an alert, delivery jobs with retries, escalation.

An alert raised (or escalated) becomes one :class:`Delivery` row per matching subscription —
once, however often the alert repeats. ``deliver_due`` claims due rows with a conditional update
(so several workers never send one twice), sends them in parallel with a timeout each (a
receiver that hangs or fails delays nobody else), and records the outcome: sent; or a retry
later with exponential back-off; or, after too many tries or a permanent refusal, given up.
"""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from toancanh.core import audit, bus
from toancanh.core.errors import Forbidden, ServiceError
from toancanh.core.scoping import Scope
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
# A delivery still "sending" this long after it was claimed belonged to a process that died: it is
# sent again (senders time out after seconds, so a live process is long done by then).
SENDING_TIMEOUT_SECONDS = float(os.environ.get("TOANCANH_DELIVERY_CLAIM_TIMEOUT", "600"))
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


def save_channel(
    *, name: str, kind: str, config: dict[str, Any], active: bool = True, by: Any = None, scope: Scope | None = None,
    unit: Any = None,
) -> Channel:  # fmt: skip
    """Define or change a notification channel. A channel belongs to ``unit`` (by default its maker's
    unit; none: the whole system) and serves that unit's subtree; one made elsewhere cannot be overwritten."""
    sender_for(kind, config)  # checks the kind (built in or from a pack) and its configuration
    scope = scope or Scope(everywhere=True)
    if unit is not None and not scope.allows(unit.path):
        raise Forbidden(gettext("the unit is outside your scope"))
    unit = unit or (None if scope.everywhere else getattr(by, "unit", None))
    with transaction.atomic():
        channel = Channel.objects.select_related("unit").filter(name=name).first()
        if channel is not None and not scope.allows(channel.unit.path if channel.unit_id else None):
            raise ServiceError(gettext("a channel named '%(name)s' already exists") % {"name": name})
        before = audit.snapshot(channel, exclude=("config",))
        channel = channel or Channel(name=name, unit=unit)
        channel.kind, channel.config, channel.active = kind, config, active
        channel.save()
        audit.record("channels.save", channel, by=by, before=before, after=audit.snapshot(channel, exclude=("config",)),
                     unit_path=channel.unit.path if channel.unit_id else "")  # fmt: skip
    return channel


def save_subscription(
    *, by: Any, scope: Scope, channel: str, unit: str, address: str = "", user: int | None = None,
    sectors: list[str] | None = None, min_severity: str = "Moderate", escalations_only: bool = False,
    subscription: Subscription | None = None,
) -> Subscription:  # fmt: skip
    """Subscribe an address or a user to the alerts of a unit subtree within the actor's scope, on a
    channel the actor may use, for sectors within the actor's own (all of them when none are given).
    Given ``subscription`` (one the actor can see), it is changed to this instead, with the same checks."""
    from toancanh.accounts.models import User
    from toancanh.core.scoping import get_visible_or_404
    from toancanh.core.sectors import resolve_sectors
    from toancanh.units.models import Unit

    unit_obj = get_visible_or_404(Unit, by, scope=scope, what="unit", key=unit)
    channel_obj = get_visible_or_404(Channel, by, scope=scope, what="channel", name=channel)
    user_obj = (
        get_visible_or_404(User, by, scope=scope, what="user", pk=user, kind="staff") if user is not None else None
    )
    if min_severity not in SEVERITY_RANK:
        raise ServiceError(gettext("unknown severity '%(value)s'") % {"value": min_severity})
    codes = [s.code for s in resolve_sectors(sectors or [])]
    if scope.sectors and not scope.everywhere:
        if not codes:
            codes = sorted(scope.sectors)
        elif not set(codes) <= scope.sectors:
            raise Forbidden(gettext("sector(s) outside your scope: %(sectors)s")
                            % {"sectors": ", ".join(sorted(set(codes) - scope.sectors))})  # fmt: skip
    if not address and user_obj is None:
        raise ServiceError(gettext("a subscription needs an address or a user"))
    fields = {"channel": channel_obj, "unit": unit_obj, "address": address, "user": user_obj, "sectors": codes,
              "min_severity": min_severity, "escalations_only": escalations_only}  # fmt: skip
    after = {"channel": channel, "unit": unit, "sectors": codes, "min_severity": min_severity,
             "escalations_only": escalations_only}  # fmt: skip
    with transaction.atomic():
        if subscription is None:
            sub = Subscription.objects.create(**fields)
            audit.record("subscriptions.create", sub, by=by, unit_path=unit_obj.path, after=after)
            return sub
        sub = get_visible_or_404(Subscription, by, scope=scope, what="subscription", pk=subscription.pk)
        before = {"channel": sub.channel.name, "unit": sub.unit.key, "sectors": sub.sectors,
                  "min_severity": sub.min_severity, "escalations_only": sub.escalations_only}  # fmt: skip
        for name, value in fields.items():
            setattr(sub, name, value)
        sub.save(update_fields=list(fields))
        audit.record("subscriptions.update", sub, by=by, unit_path=unit_obj.path, before=before, after=after)
    return sub


def set_subscription_active(sub: Subscription, active: bool, *, by: Any) -> Subscription:
    with transaction.atomic():
        sub.active = active
        sub.save(update_fields=["active"])
        audit.record("subscriptions.enable" if active else "subscriptions.disable", sub, by=by,
                     unit_path=sub.unit.path, after={"active": active})  # fmt: skip
    return sub


def delete_subscription(sub: Subscription, *, by: Any) -> None:
    """Remove a subscription with its delivery history (the audit log keeps that it existed)."""
    with transaction.atomic():
        audit.record("subscriptions.delete", sub, by=by, unit_path=sub.unit.path,
                     before={"channel": sub.channel.name, "unit": sub.unit.key, "sectors": sub.sectors})  # fmt: skip
        sub.delete()


def send_test(channel: Channel, *, by: Any, address: str = "") -> str:
    """Send a test message on a channel now, outside the delivery queue, and record the outcome in
    the channel's health. Returns what happened; a refusal raises with the receiver's answer."""
    user_id = getattr(by, "pk", None) if channel.kind == ChannelKind.IN_APP else None
    if channel.kind != ChannelKind.IN_APP and not address.strip():
        raise ServiceError(gettext("Give an address to send the test to."))
    message = Message(address=address.strip(), subject="Tin nhắn thử — Toàn Cảnh",
                      body=f"Tin nhắn thử của kênh «{channel.name}», gửi lúc "
                           f"{timezone.localtime():%H:%M %d/%m/%Y}. Không cần trả lời.",
                      payload={"test": True, "link": "/notifications/"}, user_id=user_id)  # fmt: skip
    now = timezone.now()
    try:
        sender_for(channel.kind, channel.config).send(message)
    except SendError as exc:
        Channel.objects.filter(pk=channel.pk).update(last_error_at=now, last_error=str(exc)[:500])
        audit.record("channels.test", channel, by=by, after={"ok": False, "error": str(exc)[:300]},
                     unit_path=channel.unit.path if channel.unit_id else "")  # fmt: skip
        raise ServiceError(gettext("The test message was not delivered: %(why)s") % {"why": exc}) from exc
    Channel.objects.filter(pk=channel.pk).update(last_success_at=now)
    audit.record("channels.test", channel, by=by, after={"ok": True},
                 unit_path=channel.unit.path if channel.unit_id else "")  # fmt: skip
    return gettext("The test message was delivered.")


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


def _delivery_text(alert: Alert, reason: str) -> tuple[str, str, dict[str, Any]]:
    """The subject, body and payload of a delivery about an alert."""
    verb = {"raised": "Cảnh báo", "escalated": "Cảnh báo chưa được tiếp nhận"}.get(reason, "Cảnh báo")
    subject = f"[{alert.severity}] {verb}: {alert.rule.name}"[:200]
    place = alert.unit.name if alert.unit_id else alert.rule.unit.name
    body = f"{alert.message}\nĐịa bàn: {place}\nLúc: {timezone.localtime(alert.first_at):%H:%M %d/%m/%Y}"
    payload = {"alert": alert.pk, "rule": alert.rule.name, "severity": alert.severity, "reason": reason,
               "unit": alert.unit.key if alert.unit_id else None, "lat": alert.lat, "lon": alert.lon,
               "link": f"/wall/#alert-{alert.pk}"}  # fmt: skip
    return subject, body, payload


def enqueue_for_alert(alert: Alert, reason: str = "raised", audience: Audience | None = None) -> int:
    """Create the deliveries an alert calls for (none twice for the same subscriber and reason)."""
    subs = (audience or Audience()).subscriptions
    if not subs:
        return 0
    subject, body, payload = _delivery_text(alert, reason)
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


def enqueue_for_new_alerts(alerts: list[Alert], audience: Audience | None = None) -> int:
    """The deliveries of alerts just raised (a batch of them), queued in one insert."""
    subs = (audience or Audience()).subscriptions
    if not subs:
        return 0
    now = timezone.now()
    rows = []
    for alert in alerts:
        text = None
        for sub in subs:
            if _matches(sub, alert, "raised"):
                subject, body, payload = text = text or _delivery_text(alert, "raised")
                rows.append(Delivery(subscription=sub, alert=alert, reason="raised", subject=subject, body=body,
                                     payload=payload, next_attempt_at=now))  # fmt: skip
    Delivery.objects.bulk_create(rows, ignore_conflicts=True)  # a new alert has none yet; a race is quiet
    return len(rows)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempts - 1), MAX_RETRY_SECONDS))


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send what is due. Returns counts of sent, retrying and given-up deliveries (and of those taken
    back from a process that died while sending them). While a delivery is being sent its
    ``next_attempt_at`` holds the time it was claimed."""
    now = now or timezone.now()
    reclaimed = Delivery.objects.filter(
        status=DeliveryStatus.SENDING, next_attempt_at__lt=now - dt.timedelta(seconds=SENDING_TIMEOUT_SECONDS)
    ).update(status=DeliveryStatus.PENDING, last_error="the process sending it stopped; sent again")
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("id", flat=True)[:limit]
    )  # fmt: skip
    claimed = [
        pk
        for pk in due
        if Delivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, next_attempt_at=now
        )
    ]
    jobs = list(Delivery.objects.filter(pk__in=claimed).select_related("subscription__channel", "subscription__user"))
    outcome = {"sent": 0, "retry": 0, "dead": 0} | ({"reclaimed": reclaimed} if reclaimed else {})

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
