"""Writes of situation types and their standard procedures (quy trình xử lý): ordered steps, each
with the role or agency that owns it and a deadline counted from the moment a situation opens.

A situation copies its type's steps when it opens (``services.open_situation``); changing or
switching off a type later leaves the situations already open as they are."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from toancanh.core import audit
from toancanh.core.errors import ServiceError, full_clean_or_raise
from toancanh.core.models import Sector
from toancanh.operations.models import SituationType

MAX_STEPS = 50
MAX_DUE_MINUTES = 60 * 24 * 60  # sixty days


def clean_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps as stored: a title each, an owner, a deadline in whole minutes (or none)."""
    out = []
    for number, step in enumerate(steps, start=1):
        title = str(step.get("title") or "").strip()
        if not title:
            raise ServiceError(gettext("Step %(n)s needs a title.") % {"n": number})
        if len(title) > 200:
            raise ServiceError(gettext("The title of step %(n)s is too long (200 characters at most).") % {"n": number})
        owner = str(step.get("owner") or "").strip()[:120]
        due = step.get("due_minutes")
        if due in ("", None):
            due = None
        else:
            try:
                due = int(due)
            except (TypeError, ValueError) as exc:
                raise ServiceError(gettext("The deadline of step %(n)s is not a number.") % {"n": number}) from exc
            if not 0 < due <= MAX_DUE_MINUTES:
                raise ServiceError(gettext("The deadline of step %(n)s must be between 1 minute and 60 days.")
                                   % {"n": number})  # fmt: skip
        out.append({"title": title, "owner": owner, "due_minutes": due})
    if len(out) > MAX_STEPS:
        raise ServiceError(gettext("A procedure has at most %(n)s steps.") % {"n": MAX_STEPS})
    return out


def save_situation_type(
    *, by: Any, code: str, name: str, sector: str | None, steps: list[dict[str, Any]],
    situation_type: SituationType | None = None,
) -> SituationType:  # fmt: skip
    """Create a situation type with its procedure, or change one (its code stays)."""
    cleaned = clean_steps(steps)
    if sector and not Sector.objects.filter(code=sector).exists():
        raise ServiceError(gettext("Unknown sector “%(code)s”.") % {"code": sector})
    with transaction.atomic():
        if situation_type is None:
            if SituationType.objects.filter(code=code).exists():
                raise ServiceError(
                    gettext("A situation type with the code “%(code)s” already exists.") % {"code": code}
                )
            situation_type, before = SituationType(code=code), None
        else:
            situation_type = SituationType.objects.select_for_update().get(pk=situation_type.pk)
            before = audit.snapshot(situation_type)
        situation_type.name, situation_type.sector_id, situation_type.steps = name.strip(), sector or None, cleaned
        full_clean_or_raise(situation_type)
        situation_type.save()
        audit.record("situation_types.save", situation_type, by=by, before=before,
                     after=audit.snapshot(situation_type))  # fmt: skip
    return situation_type


def set_situation_type_active(situation_type: SituationType, active: bool, *, by: Any) -> SituationType:
    """Offer a type (and its procedure) when situations are opened, or stop offering it."""
    with transaction.atomic():
        situation_type.active = active
        situation_type.save(update_fields=["active"])
        audit.record("situation_types.enable" if active else "situation_types.disable", situation_type, by=by,
                     after={"active": active})  # fmt: skip
    return situation_type
