"""Writes of public warnings (cảnh báo công khai): draft, publish (as CAP 1.2), update, cancel.

CAP 1.2 (OASIS, §3.2.1): an Update or a Cancel is a new message, with its own identifier and
``sent`` time, whose ``references`` name the earlier messages; the earlier message stays at its
address unchanged, and the feed announces the newest message of each warning until it expires.
A warning only covers units that exist when it is sent (not a commune abolished on 30/06/2025).
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from toancanh.core import audit, bus
from toancanh.core.errors import Forbidden, NotFound, ServiceError, full_clean_or_raise
from toancanh.core.scoping import Scope
from toancanh.operations.models import MessageType, PublicWarning, WarningStatus
from toancanh.units.models import Unit

TEXT_FIELDS = ("category", "event", "event_en", "headline", "headline_en", "description", "description_en",
               "instruction", "instruction_en", "severity", "urgency", "certainty", "onset_at", "area")  # fmt: skip

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
    *, by: Any, scope: Scope, units: list[str], expires_in_hours: int | None = 24,
    expires_at: dt.datetime | None = None, **fields: Any,
) -> PublicWarning:  # fmt: skip
    """Draft a public warning for units within the actor's scope, in Vietnamese and English.
    Its validity ends at ``expires_at`` (or ``expires_in_hours`` from now)."""
    found = _areas(units, scope, fields, category=fields.get("category", "Safety"))
    with transaction.atomic():
        now = timezone.now()
        stamp = now.strftime("%Y%m%d%H%M%S")
        if expires_at is None and expires_in_hours:
            expires_at = now + dt.timedelta(hours=expires_in_hours)
        _check_validity(fields.get("onset_at"), expires_at, now)
        warning = PublicWarning(
            identifier=_identifier(stamp), created_by=audit.actor_fields(by)["actor_label"],
            expires_at=expires_at, **fields,
        )  # fmt: skip
        full_clean_or_raise(warning, exclude=["situation", "created_by"])
        warning.save()
        warning.units.set(found)
        audit.record("warnings.draft", warning, by=by, unit_path=found[0].path, after={"headline": warning.headline})
    return warning


def revise_draft(
    warning: PublicWarning, *, by: Any, scope: Scope, units: list[str], expires_at: dt.datetime | None,
    **fields: Any,
) -> PublicWarning:  # fmt: skip
    """Change a draft before it is published (texts, areas, validity); a published one is updated instead."""
    require_covers(warning, scope)
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ServiceError(gettext("cannot change: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    found = _areas(units, scope, fields, category=fields.get("category", warning.category))
    with transaction.atomic():
        warning = PublicWarning.objects.select_for_update().get(pk=warning.pk)
        if warning.status != WarningStatus.DRAFT:
            raise ServiceError(gettext("Only a draft can be changed; a published warning is updated instead."))
        before = {name: str(getattr(warning, name)) for name in fields}
        for name, value in fields.items():
            setattr(warning, name, value)
        warning.expires_at = expires_at
        _check_validity(warning.onset_at, expires_at, timezone.now())
        full_clean_or_raise(warning, exclude=["situation", "created_by", "previous"])
        warning.save()
        warning.units.set(found)
        audit.record("warnings.revise", warning, by=by, unit_path=found[0].path, before=before,
                     after={name: str(getattr(warning, name)) for name in fields})  # fmt: skip
    return warning


def clean_area(area: dict[str, Any], units: list[Unit]) -> dict[str, Any]:
    """A drawn area as stored: a valid GeoJSON Polygon or MultiPolygon that lies within the units
    picked (which keep the warning in the actor's scope), rounded to about a metre."""
    from shapely.geometry import mapping, shape

    from toancanh.units.geometry import area_of_units

    try:
        geom = shape(area.get("geometry", area) if isinstance(area, dict) else area)
    except Exception as exc:  # noqa: BLE001 - any malformed geometry is one clear refusal
        raise ServiceError(gettext("The drawn area is not a polygon.")) from exc
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
        raise ServiceError(gettext("The drawn area must be one closed outline that does not cross itself."))
    if not (-90 <= geom.bounds[1] <= geom.bounds[3] <= 90 and -180 <= geom.bounds[0] <= geom.bounds[2] <= 180):
        raise ServiceError(gettext("The drawn area is not a polygon."))
    outline = area_of_units(units)
    if outline is not None and not geom.within(shape(outline).buffer(0.01)):
        raise ServiceError(gettext("The drawn area must lie within the areas picked."))
    return _rounded(mapping(geom))


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 5)
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    return value


def require_covers(warning: PublicWarning, scope: Scope) -> None:
    """Acting on a warning needs every area it covers within the actor's scope."""
    if not all(scope.covers_path(u.path) for u in warning.units.all()):
        raise Forbidden(gettext("This warning covers areas outside your scope."))


def _check_category(category: str) -> None:
    if category not in CAP_CATEGORIES:
        raise ServiceError(
            gettext("The category must be one of %(list)s (CAP 1.2).") % {"list": ", ".join(sorted(CAP_CATEGORIES))}
        )


def _check_validity(onset: dt.datetime | None, expires: dt.datetime | None, now: dt.datetime) -> None:
    if expires is not None and expires <= now:
        raise ServiceError(gettext("The warning must expire in the future."))
    if onset is not None and expires is not None and onset >= expires:
        raise ServiceError(gettext("The warning must begin before it expires."))


def _identifier(stamp: str) -> str:
    return f"VN-IOC-{stamp}-{secrets.token_hex(3).upper()}"


def _areas(units: list[str], scope: Scope, fields: dict[str, Any], *, category: str) -> list[Unit]:
    """A draft's areas checked: its category known, at least one unit, each in scope and in force
    today, and a drawn ``area`` (in ``fields``, cleaned in place) lying within them."""
    _check_category(category)
    if not units:
        raise ServiceError(gettext("A warning needs at least one area (unit)."))
    found = _units_in_force(units, scope)
    if fields.get("area"):
        fields["area"] = clean_area(fields["area"], found)
    return found


def _units_in_force(keys: list[str], scope: Scope) -> list[Unit]:
    """The units of these keys within scope, refused if any no longer (or not yet) exists today."""
    found = list(Unit.objects.within(scope).filter(key__in=keys))
    missing = sorted(set(keys) - {u.key for u in found})
    if missing:
        raise NotFound(gettext("unit(s) not found: %(keys)s") % {"keys": ", ".join(missing)})
    _check_in_force(found)
    return found


def _check_in_force(units: list[Unit]) -> None:
    today = timezone.localdate()
    gone = [u for u in units if not u.is_valid_on(today)]
    if gone:
        names = ", ".join(
            gettext("%(name)s (%(key)s, until %(day)s)")
            % {"name": u.name, "key": u.key, "day": f"{u.valid_to:%d/%m/%Y}"}
            if u.valid_to
            else f"{u.name} ({u.key})"
            for u in gone
        )
        raise ServiceError(
            gettext("a warning can only cover units that exist today; not: %(units)s") % {"units": names}
        )


def publish_warning(warning: PublicWarning, *, by: Any) -> PublicWarning:
    with transaction.atomic():
        if warning.status != WarningStatus.DRAFT:
            raise ServiceError(gettext("Only a draft can be published; this warning is %(status)s.")
                               % {"status": warning.get_status_display()})  # fmt: skip
        _check_in_force(list(warning.units.all()))
        warning.status, warning.sent_at = WarningStatus.PUBLISHED, timezone.now()
        warning.save(update_fields=["status", "sent_at"])
        _announce(warning, by, "warnings.publish", "warning.published")
    return warning


def _announce(warning: PublicWarning, by: Any, action: str, event: str) -> None:
    paths = list(warning.units.order_by("path").values_list("path", flat=True))
    first = paths[0] if paths else ""
    audit.record(action, warning, by=by, unit_path=first,
                 after={"identifier": warning.identifier, "msg_type": warning.msg_type,
                        "previous": warning.previous.identifier if warning.previous else None})  # fmt: skip
    bus.publish({"type": event, "id": warning.pk, "identifier": warning.identifier, "msg_type": warning.msg_type,
                 "severity": warning.severity, "headline": warning.headline, "unit": first, "units": paths})  # fmt: skip


def _follow_up(warning: PublicWarning, msg_type: str, units: list[Unit], by: Any, **fields: Any) -> PublicWarning:
    """A new message replacing a published one: its own identifier and sent time, the earlier
    message kept as it was (superseded or cancelled)."""
    if warning.status != WarningStatus.PUBLISHED:
        raise ServiceError(gettext("Only a published warning can be updated or cancelled; this warning is %(status)s.")
                           % {"status": warning.get_status_display()})  # fmt: skip
    now = timezone.now()
    data = {name: getattr(warning, name) for name in TEXT_FIELDS} | fields
    message = PublicWarning(
        identifier=_identifier(now.strftime("%Y%m%d%H%M%S")), msg_type=msg_type, previous=warning,
        status=WarningStatus.PUBLISHED, sent_at=now, expires_at=fields.pop("expires_at", warning.expires_at),
        created_by=audit.actor_fields(by)["actor_label"], situation=warning.situation,
        **{k: v for k, v in data.items() if k != "expires_at"},
    )  # fmt: skip
    full_clean_or_raise(message, exclude=["situation", "created_by", "previous"])
    message.save()
    message.units.set(units)
    warning.status = WarningStatus.CANCELLED if msg_type == MessageType.CANCEL else WarningStatus.SUPERSEDED
    warning.save(update_fields=["status"])
    return message


def update_warning(
    warning: PublicWarning, *, by: Any, scope: Scope, units: list[str] | None = None,
    expires_in_hours: int | None = None, expires_at: dt.datetime | None = None, **fields: Any,
) -> PublicWarning:  # fmt: skip
    """Publish an Update of a published warning (new text, areas or expiry): a new CAP message."""
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ServiceError(gettext("cannot update: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    fields = {k: v for k, v in fields.items() if v is not None}
    _check_category(fields.get("category", warning.category))
    with transaction.atomic():
        areas = _units_in_force(units, scope) if units else list(warning.units.all())
        if not units:
            _check_in_force(areas)
        if "area" in fields:
            fields["area"] = clean_area(fields["area"], areas) if fields["area"] else None
        if expires_in_hours:
            fields["expires_at"] = timezone.now() + dt.timedelta(hours=expires_in_hours)
        elif expires_at is not None:
            _check_validity(fields.get("onset_at", warning.onset_at), expires_at, timezone.now())
            fields["expires_at"] = expires_at
        message = _follow_up(warning, MessageType.UPDATE, areas, by, **fields)
        _announce(message, by, "warnings.update", "warning.updated")
    return message


def cancel_warning(warning: PublicWarning, *, by: Any) -> PublicWarning:
    """Cancel a published warning: a CAP Cancel message that the feed carries until the warning
    would have expired, so every receiver learns of it."""
    with transaction.atomic():
        message = _follow_up(
            warning, MessageType.CANCEL, list(warning.units.all()), by,
            headline=f"Hủy cảnh báo: {warning.headline}"[:200],
            headline_en=f"Cancelled: {warning.headline_en}"[:200],
            description=f"Cảnh báo «{warning.headline}» đã được hủy bỏ. Nội dung trước đây: {warning.description}",
            description_en=f"The warning '{warning.headline_en}' is cancelled. It said: {warning.description_en}",
            instruction="Không cần thực hiện các hướng dẫn của cảnh báo đã hủy.",
            instruction_en="The instructions of the cancelled warning no longer apply.",
            urgency="Past",
        )  # fmt: skip
        _announce(message, by, "warnings.cancel", "warning.cancelled")
    return message


def chain(warning: PublicWarning) -> list[PublicWarning]:
    """The earlier messages a message replaces, oldest first."""
    earlier = []
    current = warning.previous
    while current is not None and len(earlier) < 100:
        earlier.append(current)
        current = current.previous
    return earlier[::-1]


def current_warnings() -> list[PublicWarning]:
    """Published and not expired, the newest message of each warning (an Alert, an Update or a
    Cancel): what the public feed carries."""
    now = timezone.now()
    return [
        w for w in PublicWarning.objects.filter(status=WarningStatus.PUBLISHED).prefetch_related("units")
        if w.expires_at is None or w.expires_at > now
    ]  # fmt: skip
