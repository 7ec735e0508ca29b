"""Writes of public warnings (cảnh báo công khai): draft, publish (as CAP 1.2), cancel."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from toancanh.core import audit, bus
from toancanh.core.errors import NotFound, ServiceError, full_clean_or_raise
from toancanh.core.scoping import Scope
from toancanh.operations.models import PublicWarning, WarningStatus
from toancanh.units.models import Unit

CAP_CATEGORIES = {
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
}


def draft_warning(
    *, by: Any, scope: Scope, units: list[str], expires_in_hours: int | None = 24, **fields: Any
) -> PublicWarning:
    """Draft a public warning for units within the actor's scope, in Vietnamese and English."""
    if fields.get("category", "Safety") not in CAP_CATEGORIES:
        raise ServiceError(f"category must be one of {', '.join(sorted(CAP_CATEGORIES))} (CAP 1.2)")
    if not units:
        raise ServiceError("a warning needs at least one area (unit)")
    found = list(Unit.objects.within(scope).filter(key__in=units))
    missing = sorted(set(units) - {u.key for u in found})
    if missing:
        raise NotFound(f"unit(s) not found: {', '.join(missing)}")
    with transaction.atomic():
        now = timezone.now()
        stamp = now.strftime("%Y%m%d%H%M%S")
        warning = PublicWarning(
            identifier=f"VN-IOC-{stamp}-{secrets.token_hex(3).upper()}", created_by=audit.actor_fields(by)["actor_label"],
            expires_at=now + dt.timedelta(hours=expires_in_hours) if expires_in_hours else None, **fields,
        )  # fmt: skip
        full_clean_or_raise(warning, exclude=["situation", "created_by"])
        warning.save()
        warning.units.set(found)
        audit.record("warnings.draft", warning, by=by, unit_path=found[0].path, after={"headline": warning.headline})
    return warning


def publish_warning(warning: PublicWarning, *, by: Any) -> PublicWarning:
    with transaction.atomic():
        if warning.status != WarningStatus.DRAFT:
            raise ServiceError(f"only a draft can be published; this warning is {warning.status}")
        warning.status, warning.sent_at = WarningStatus.PUBLISHED, timezone.now()
        warning.save(update_fields=["status", "sent_at"])
        unit = warning.units.order_by("path").first()
        audit.record("warnings.publish", warning, by=by, unit_path=unit.path if unit else "")
        bus.publish({"type": "warning.published", "id": warning.pk, "identifier": warning.identifier,
                     "severity": warning.severity, "headline": warning.headline, "unit": unit.path if unit else ""})  # fmt: skip
    return warning


def cancel_warning(warning: PublicWarning, *, by: Any) -> PublicWarning:
    with transaction.atomic():
        if warning.status != WarningStatus.PUBLISHED:
            raise ServiceError("only a published warning can be cancelled")
        warning.status = WarningStatus.CANCELLED
        warning.save(update_fields=["status"])
        audit.record("warnings.cancel", warning, by=by)
    return warning


def current_warnings() -> list[PublicWarning]:
    """Published and not expired: what the public feed carries."""
    now = timezone.now()
    return [
        w for w in PublicWarning.objects.filter(status=WarningStatus.PUBLISHED).prefetch_related("units")
        if w.expires_at is None or w.expires_at > now
    ]  # fmt: skip
