"""Abusive senders (người gửi lạm dụng): when the IOC refuses ``abuse_reports_to_lock`` reports of one
sender as spam or abuse within ``abuse_window_days``, the sender may not send reports for
``abuse_lock_days`` (all three in :class:`HandlingSettings`, which an administrator edits).

A sender is a citizen account; without an account (the app's anonymous form, Open311), it is the
phone number when that number was verified by a sign-in code (a typed number proves nothing: one
could get someone else's number locked by sending spam under it), else the device key the app or the
integrator sends (kept hashed, as on the report). A lock of a number or device refuses every report
sent with it, signed in or not. An administrator sees the locks and may lift one. Every lock and
lift is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from toancanh.core import audit
from toancanh.core.errors import Forbidden, ServiceError
from toancanh.core.sql import lock_names
from toancanh.feedback.models import AccountLock, HandlingSettings, PhoneCode, RefusalReason, Report, Status


class Locked(Forbidden):
    """The sender is locked from sending reports (HTTP 403, code ``locked``)."""

    code = "locked"

    def __init__(self, lock: AccountLock):
        until = date_format(timezone.localtime(lock.until), "SHORT_DATETIME_FORMAT")
        if lock.user_id:
            text = gettext("Your account may not send reports until %(until)s: %(n)s of its reports were refused as "
                           "spam or abuse. If this is a mistake, ask the IOC to lift the lock.")  # fmt: skip
        elif lock.phone:
            text = gettext("This phone number may not send reports until %(until)s: %(n)s of its reports were refused "
                           "as spam or abuse. If this is a mistake, ask the IOC to lift the lock.")  # fmt: skip
        else:
            text = gettext("This device may not send reports until %(until)s: %(n)s of its reports were refused "
                           "as spam or abuse. If this is a mistake, ask the IOC to lift the lock.")  # fmt: skip
        super().__init__(text % {"until": until, "n": lock.abusive_reports})
        self.lock = lock


def phone_key(phone: str) -> str:
    """A phone number as reports and locks keep it: digits only, +84/84 written as 0 (0905 123 456 and
    +84905123456 are one sender). Not a validation: what is not a number comes back stripped."""
    phone = (phone or "").strip()
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return phone
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def verified(phone: str) -> bool:
    """The number proved itself: a sign-in code sent to it was entered."""
    return bool(phone) and PhoneCode.objects.filter(phone=phone_key(phone), used_at__isnull=False).exists()


def active_lock(user: Any, now: dt.datetime | None = None, *, phone: str = "", device: str = "") -> AccountLock | None:
    """The lock in force for this sender: its account, its phone number or its device (a hash)."""
    who = Q()
    if user is not None and getattr(user, "pk", None):
        who |= Q(user_id=user.pk)
    if phone:
        who |= Q(phone=phone_key(phone))
    if device:
        who |= Q(device=device)
    if not who:
        return None
    return AccountLock.objects.active(now).filter(who).order_by("-until").first()


def require_not_locked(user: Any, now: dt.datetime | None = None, *, phone: str = "", device: str = "") -> None:
    lock = active_lock(user, now, phone=phone, device=device)
    if lock is not None:
        raise Locked(lock)


def _sender(report: Report) -> dict[str, Any]:
    """Who is held to account for ``report``: its account; else its verified phone; else its device."""
    if report.reporter_id:
        return {"user_id": report.reporter_id}
    if report.reporter_phone and verified(report.reporter_phone):
        return {"phone": phone_key(report.reporter_phone)}
    if report.device:
        return {"device": report.device}
    return {}


def _reports_of(sender: dict[str, Any]) -> Q:
    if "user_id" in sender:
        return Q(reporter_id=sender["user_id"])
    if "phone" in sender:
        return Q(reporter_id__isnull=True, reporter_phone=sender["phone"])
    return Q(reporter_id__isnull=True, device=sender["device"])


def abusive_count(user_id: int | None, now: dt.datetime, days: int, *, sender: dict[str, Any] | None = None) -> int:
    """Reports of the sender (an account, or ``sender``: a phone or a device) refused as spam among those it
    sent in the last ``days``, but none sent before an administrator last lifted a lock: a lifted lock
    forgives what led to it."""
    sender = sender or {"user_id": user_id}
    since = now - dt.timedelta(days=days)
    lifted = (AccountLock.objects.filter(**sender, lifted_at__isnull=False)
              .order_by("-lifted_at").values_list("lifted_at", flat=True).first())  # fmt: skip
    if lifted is not None:
        since = max(since, lifted)
    return Report.objects.filter(_reports_of(sender), status=Status.REFUSED, refusal_reason=RefusalReason.SPAM,
                                 received_at__gte=since).count()  # fmt: skip


def after_refusal(report: Report, *, by: Any, now: dt.datetime | None = None) -> AccountLock | None:
    """Called in the transaction that refuses ``report`` as spam: lock its sender (account, verified
    phone or device) once it has reached the limit (and is not locked already)."""
    if report.refusal_reason != RefusalReason.SPAM:
        return None
    sender = _sender(report)
    if not sender:
        return None  # nothing to know the sender by: the hourly limit per address is all there is
    now = now or timezone.now()
    rules = HandlingSettings.current()
    ((kind, key),) = sender.items()
    lock_names(f"feedback.{'user' if kind == 'user_id' else kind}:{key}")
    n = abusive_count(None, now, rules.abuse_window_days, sender=sender)
    if n < rules.abuse_reports_to_lock or AccountLock.objects.active(now).filter(**sender).exists():
        return None
    lock = AccountLock.objects.create(
        **sender, abusive_reports=n, locked_at=now,
        until=now + dt.timedelta(days=rules.abuse_lock_days),
        locked_by=str(audit.actor_fields(by)["actor_label"])[:150],
        reason=(gettext("%(n)s reports refused as spam or abuse in %(days)s days (the last: %(code)s)")
                % {"n": n, "days": rules.abuse_window_days, "code": report.code})[:300],
    )  # fmt: skip
    shown = {"user": report.reporter_id} if kind == "user_id" else {kind: key if kind == "phone" else key[:12]}
    audit.record("feedback.account_lock", lock, by=by, unit_path=report.unit.path,
                 after={**shown, "until": lock.until.isoformat(), "abusive_reports": n,
                        "report": report.code})  # fmt: skip
    return lock


def lift(lock: AccountLock, *, by: Any, reason: str = "", now: dt.datetime | None = None) -> AccountLock:
    """An administrator lifts a lock before its end (with an optional reason)."""
    if not getattr(by, "permits", lambda _c: False)("feedback.manage"):
        raise Forbidden(gettext("only an administrator may lift a lock"))
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ServiceError(gettext("the reason is too long: at most 300 characters"))
    now = now or timezone.now()
    with transaction.atomic():
        if not AccountLock.objects.filter(pk=lock.pk, lifted_at__isnull=True).update(
            lifted_at=now, lifted_by=str(audit.actor_fields(by)["actor_label"])[:150], lift_reason=reason
        ):
            raise ServiceError(gettext("this lock was already lifted"))
        lock.refresh_from_db()
        audit.record("feedback.account_unlock", lock, by=by, before={"until": lock.until.isoformat()},
                     after={"lifted_at": now.isoformat(), "reason": reason})  # fmt: skip
    return lock
