"""Writes to accounts: users and API keys. Each names the act, checks the actor's scope, and audits."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from toancanh.accounts.models import KEY_PREFIX, ApiKey, Kind, User, hash_secret
from toancanh.accounts.roles import Role
from toancanh.core import audit
from toancanh.core.errors import NotFound, ServiceError
from toancanh.core.scoping import Scope
from toancanh.core.sectors import resolve_sectors
from toancanh.units.models import Agency, Unit


def _resolve_scope_targets(scope: Scope, unit: str | None, agency: str | None) -> tuple[Unit | None, Agency | None]:
    """The unit and agency a new principal is scoped to; both must lie within the actor's scope."""
    unit_obj = agency_obj = None
    if unit:
        unit_obj = Unit.objects.within(scope).filter(key=unit).first()
        if unit_obj is None:
            raise NotFound(f"unit '{unit}' not found")
    if agency:
        agency_obj = Agency.objects.within(scope).filter(code=agency).select_related("unit").first()
        if agency_obj is None:
            raise NotFound(f"agency '{agency}' not found")
        if unit_obj is None:
            unit_obj = agency_obj.unit
        elif not agency_obj.unit.path.startswith(unit_obj.path):
            raise ServiceError(f"agency '{agency}' is not within unit '{unit_obj.key}'")
    return unit_obj, agency_obj


def _save_with_password(user: User, password: str) -> None:
    """Check a password against the validators, then store its hash and the user."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError("password refused: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ServiceError(f"unknown role '{role}' (one of: {', '.join(Role.values)})")


def _principal_state(p: User | ApiKey) -> dict[str, Any]:
    return {
        "role": p.role,
        "unit": p.unit.key if p.unit_id else None,
        "agency": p.agency.code if p.agency_id else None,
        "sectors": sorted(s.code for s in p.sectors.all()),
    }


def create_staff_user(
    *,
    by: Any,
    scope: Scope,
    username: str,
    password: str,
    role: str,
    unit: str | None,
    agency: str | None = None,
    sectors: Iterable[str] = (),
    full_name: str = "",
    email: str = "",
    superuser: bool = False,
) -> User:
    """Create a staff account (cán bộ) with a role, scoped within the creator's own scope."""
    _check_role(role)
    unit_obj, agency_obj = _resolve_scope_targets(scope, unit, agency)
    if unit_obj is None and not (superuser and scope.everywhere):
        raise ServiceError("a staff account needs a unit (its scope); only a system administrator may have none")
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ServiceError(f"user '{username}' already exists")
        user = User(
            username=username,
            role=role,
            unit=unit_obj,
            agency=agency_obj,
            kind=Kind.STAFF,
            full_name=full_name,
            email=email,
            is_superuser=superuser,
            is_staff=superuser,
        )
        _save_with_password(user, password)
        user.sectors.set(resolve_sectors(sectors))
        audit.record(
            "users.create",
            user,
            by=by,
            after=_principal_state(user) | {"username": username},
            unit_path=unit_obj.path if unit_obj else "",
        )
    return user


def create_citizen(*, username: str, password: str, full_name: str = "", phone: str = "", email: str = "") -> User:
    """Register a citizen account (tài khoản công dân): no role, no scope over anyone's data."""
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ServiceError(f"user '{username}' already exists")
        user = User(username=username, kind=Kind.CITIZEN, full_name=full_name, phone=phone, email=email)
        _save_with_password(user, password)
        audit.record("citizens.register", user, by=user, after={"username": username})
    return user


def set_password(user: User, password: str, *, by: Any) -> None:
    with transaction.atomic():
        _save_with_password(user, password)
        audit.record("users.password", user, by=by, unit_path=user.unit.path if user.unit_id else "")


def create_api_key(
    *,
    by: Any,
    scope: Scope,
    name: str,
    role: str,
    unit: str | None = None,
    agency: str | None = None,
    sectors: Iterable[str] = (),
    expires_at=None,
) -> tuple[ApiKey, str]:
    """Create an integrator's key; returns the key and its plain text, which is shown only now."""
    _check_role(role)
    unit_obj, agency_obj = _resolve_scope_targets(scope, unit, agency)
    if unit_obj is None:
        raise ServiceError("an API key needs a unit (its scope)")
    key_id = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        if ApiKey.objects.filter(name=name).exists():
            raise ServiceError(f"an API key named '{name}' already exists")
        key = ApiKey.objects.create(
            name=name,
            key_id=key_id,
            secret_hash=hash_secret(secret),
            role=role,
            unit=unit_obj,
            agency=agency_obj,
            expires_at=expires_at,
            created_by=by if isinstance(by, User) else None,
        )
        key.sectors.set(resolve_sectors(sectors))
        audit.record(
            "apikeys.create", key, by=by, after=_principal_state(key) | {"name": name}, unit_path=unit_obj.path
        )
    return key, f"{KEY_PREFIX}{key_id}_{secret}"


def revoke_api_key(key: ApiKey, *, by: Any) -> ApiKey:
    with transaction.atomic():
        if key.revoked_at is None:
            key.revoked_at = timezone.now()
            key.save(update_fields=["revoked_at"])
            audit.record("apikeys.revoke", key, by=by, unit_path=key.unit.path if key.unit_id else "")
    return key


def authenticate_api_key(token: str) -> ApiKey | None:
    """The usable key that ``tc_<id>_<secret>`` names, or None. Records when it was last used."""
    if not token.startswith(KEY_PREFIX) or token.count("_") < 2:
        return None
    key_id, _, secret = token[len(KEY_PREFIX) :].partition("_")
    key = ApiKey.objects.usable().select_related("unit", "agency").filter(key_id=key_id).first()
    if key is None or not key.matches(secret):
        return None
    now = timezone.now()
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)  # a usage stamp, not a domain write
    return key
