"""Writing the audit log. Services call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from toancanh.core.models import AuditEntry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model | None, exclude: tuple[str, ...] = ()) -> dict[str, Any] | None:
    """The fields of a model instance as JSON-ready values (many-to-many as lists of keys)."""
    if obj is None:
        return None
    data = model_to_dict(obj, exclude=list(exclude))
    return _jsonable(data)


def actor_fields(actor: Any) -> dict[str, Any]:
    """Who acted: a user, an API key (recorded with the user who created it) or the command line."""
    if actor is None:
        return {"actor": None, "actor_label": "cli"}
    identity = getattr(actor, "audit_identity", None)  # users and API keys say who they are
    if callable(identity):
        user, label = identity()
        return {"actor": user, "actor_label": label}
    return {"actor": None, "actor_label": str(actor)[:150]}


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    by: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit_path: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Write one audit entry; ``obj`` names the object, or object_type/object_id do (bulk acts).
    What names it is written in the installation's language (Vietnamese), whoever acts: it is read
    by everyone later."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        named = str(obj) if obj is not None else str(object_repr)
    return AuditEntry.objects.create(
        **actor_fields(by),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        object_repr=named[:255],
        unit_path=unit_path,
        before=_jsonable(before),
        after=_jsonable(after),
    )
