"""Abusive citizen accounts (tài khoản lạm dụng): when the IOC refuses ``abuse_reports_to_lock``
reports of one account as spam or abuse within ``abuse_window_days``, the account may not send
reports for ``abuse_lock_days`` (all three in :class:`HandlingSettings`, which an administrator
edits). An administrator sees the locks and may lift one. Every lock and lift is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from toancanh.core import audit
from toancanh.core.errors import Forbidden, ServiceError
from toancanh.core.sql import lock_names
from toancanh.feedback.models import AccountLock, HandlingSettings, RefusalReason, Report, Status


class Locked(Forbidden):
    """The citizen account is locked from sending reports (HTTP 403, code ``locked``)."""

    code = "locked"

    def __init__(self, lock: AccountLock):
        until = date_format(timezone.localtime(lock.until), "SHORT_DATETIME_FORMAT")
        super().__init__(
            gettext("Your account may not send reports until %(until)s: %(n)s of its reports were refused as "
                    "spam or abuse. If this is a mistake, ask the IOC to lift the lock.")
            % {"until": until, "n": lock.abusive_reports}
        )  # fmt: skip
        self.lock = lock


def active_lock(user: Any, now: dt.datetime | None = None) -> AccountLock | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return AccountLock.objects.active(now).filter(user_id=user.pk).order_by("-until").first()


def require_not_locked(user: Any, now: dt.datetime | None = None) -> None:
    lock = active_lock(user, now)
    if lock is not None:
        raise Locked(lock)


def abusive_count(user_id: int, now: dt.datetime, days: int) -> int:
    """Reports of the account refused as spam among those it sent in the last ``days``, but none sent
    before an administrator last lifted a lock: a lifted lock forgives what led to it."""
    since = now - dt.timedelta(days=days)
    lifted = (AccountLock.objects.filter(user_id=user_id, lifted_at__isnull=False)
              .order_by("-lifted_at").values_list("lifted_at", flat=True).first())  # fmt: skip
    if lifted is not None:
        since = max(since, lifted)
    return Report.objects.filter(reporter_id=user_id, status=Status.REFUSED, refusal_reason=RefusalReason.SPAM,
                                 received_at__gte=since).count()  # fmt: skip


def after_refusal(report: Report, *, by: Any, now: dt.datetime | None = None) -> AccountLock | None:
    """Called in the transaction that refuses ``report`` as spam: lock its account once it has
    reached the limit (and is not locked already)."""
    if not report.reporter_id or report.refusal_reason != RefusalReason.SPAM:
        return None
    now = now or timezone.now()
    rules = HandlingSettings.current()
    lock_names(f"feedback.user:{report.reporter_id}")
    n = abusive_count(report.reporter_id, now, rules.abuse_window_days)
    if n < rules.abuse_reports_to_lock or AccountLock.objects.active(now).filter(user_id=report.reporter_id).exists():
        return None
    lock = AccountLock.objects.create(
        user_id=report.reporter_id, abusive_reports=n, locked_at=now,
        until=now + dt.timedelta(days=rules.abuse_lock_days),
        locked_by=str(audit.actor_fields(by)["actor_label"])[:150],
        reason=(gettext("%(n)s reports refused as spam or abuse in %(days)s days (the last: %(code)s)")
                % {"n": n, "days": rules.abuse_window_days, "code": report.code})[:300],
    )  # fmt: skip
    audit.record("feedback.account_lock", lock, by=by, unit_path=report.unit.path,
                 after={"user": report.reporter_id, "until": lock.until.isoformat(), "abusive_reports": n,
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
