"""Writes to accounts: users and API keys. Each names the act, checks the actor's scope, and audits."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from toancanh.accounts.models import KEY_PREFIX, ApiKey, Kind, User, hash_secret
from toancanh.accounts.roles import Role, permissions_of
from toancanh.core import audit
from toancanh.core.errors import Forbidden, NotFound, ServiceError
from toancanh.core.scoping import Scope, get_visible_or_404
from toancanh.core.sectors import resolve_sectors
from toancanh.units.models import Agency, Unit


def _resolve_scope_targets(scope: Scope, unit: str | None, agency: str | None) -> tuple[Unit | None, Agency | None]:
    """The unit and agency a new principal is scoped to; both must lie within the actor's scope."""
    unit_obj = agency_obj = None
    if unit:
        unit_obj = get_visible_or_404(Unit, None, scope=scope, what="unit", key=unit)
    if agency:
        agency_obj = get_visible_or_404(Agency.objects.select_related("unit"), None, scope=scope, what="agency",
                                        code=agency)  # fmt: skip
        if unit_obj is None:
            unit_obj = agency_obj.unit
        elif not agency_obj.unit.path.startswith(unit_obj.path):
            raise ServiceError(
                gettext("agency '%(agency)s' is not within unit '%(unit)s'") % {"agency": agency, "unit": unit_obj.key}
            )
    return unit_obj, agency_obj


def _narrowed(
    by: Any, scope: Scope, role: str, unit: str | None, agency: str | None, sectors: Iterable[str]
) -> tuple[Unit | None, Agency | None, list]:
    """What a new account or key is scoped to: never wider than its creator. Its unit lies in the
    creator's subtree; the creator's agency and sectors are inherited when none are given, and
    can only be narrowed; its role grants nothing its creator's role does not."""
    _check_role(role)
    if by is not None and hasattr(by, "permissions") and not permissions_of(role) <= by.permissions:
        raise Forbidden(gettext("you cannot give a role wider than your own (%(role)s)") % {"role": role})
    unit_obj, agency_obj = _resolve_scope_targets(scope, unit, agency)
    if scope.agency_id is not None and agency_obj is None:  # inherited
        agency_obj = Agency.objects.select_related("unit").get(pk=scope.agency_id)
        unit_obj = unit_obj or agency_obj.unit
    sector_objs = resolve_sectors(sectors)
    if scope.sectors:
        codes = {s.code for s in sector_objs}
        if not codes:  # inherited
            sector_objs = resolve_sectors(scope.sectors)
        elif not codes <= scope.sectors:
            outside = ", ".join(sorted(codes - scope.sectors))
            raise Forbidden(gettext("sector(s) outside your scope: %(sectors)s") % {"sectors": outside})
    return unit_obj, agency_obj, sector_objs


def _check_narrower(scope: Scope, principal: User | ApiKey) -> None:
    """The last word, on what was actually stored: the new principal's scope lies within the creator's."""
    principal.__dict__.pop("scope", None)
    if not scope.narrows(principal.scope):
        raise Forbidden(gettext("the new scope would be wider than your own"))


def _require_managed(by: Any, principal: User | ApiKey) -> None:
    """An administrator acts only on accounts and keys whose scope lies within its own (the same
    filter its lists use); others are not there for it (404). ``by=None`` is the system itself."""
    if by is None:
        return
    if not type(principal).objects.managed_by(by).filter(pk=principal.pk).exists():
        raise NotFound.of("user" if isinstance(principal, User) else "API key", principal.pk)


def _save_with_password(user: User, password: str) -> None:
    """Check a password against the validators, then store its hash and the user."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(gettext("password refused: %(reasons)s") % {"reasons": " ".join(exc.messages)}) from exc
    user.set_password(password)
    user.save()


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ServiceError(
            gettext("unknown role '%(role)s' (one of: %(roles)s)") % {"role": role, "roles": ", ".join(Role.values)}
        )


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
    unit_obj, agency_obj, sector_objs = _narrowed(by, scope, role, unit, agency, sectors)
    if unit_obj is None and not (superuser and scope.everywhere):
        raise ServiceError(
            gettext("a staff account needs a unit (its scope); only a system administrator may have none")
        )
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise ServiceError(gettext("user '%(username)s' already exists") % {"username": username})
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
        user.sectors.set(sector_objs)
        _check_narrower(scope, user)
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
            raise ServiceError(gettext("user '%(username)s' already exists") % {"username": username})
        user = User(username=username, kind=Kind.CITIZEN, full_name=full_name, phone=phone, email=email)
        _save_with_password(user, password)
        audit.record("citizens.register", user, by=user, after={"username": username})
    return user


def set_password(user: User, password: str, *, by: Any) -> None:
    if not (isinstance(by, User) and by.pk == user.pk):  # one's own password, or an administrator's act
        _require_managed(by, user)
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
    unit_obj, agency_obj, sector_objs = _narrowed(by, scope, role, unit, agency, sectors)
    if unit_obj is None:
        raise ServiceError(gettext("an API key needs a unit (its scope)"))
    key_id = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        if ApiKey.objects.filter(name=name).exists():
            raise ServiceError(gettext("an API key named '%(name)s' already exists") % {"name": name})
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
        key.sectors.set(sector_objs)
        _check_narrower(scope, key)
        audit.record(
            "apikeys.create", key, by=by, after=_principal_state(key) | {"name": name}, unit_path=unit_obj.path
        )
    return key, f"{KEY_PREFIX}{key_id}_{secret}"


def revoke_api_key(key: ApiKey, *, by: Any) -> ApiKey:
    _require_managed(by, key)
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


def update_staff_user(
    user: User,
    *,
    by: Any,
    scope: Scope,
    role: str,
    unit: str | None,
    agency: str | None = None,
    sectors: Iterable[str] = (),
    full_name: str = "",
    email: str = "",
) -> User:
    """Change a staff account's role, scope and details; the new scope stays within the actor's
    (as for a new account: agency and sectors inherited, only narrowed)."""
    _require_managed(by, user)
    unit_obj, agency_obj, sector_objs = _narrowed(by, scope, role, unit, agency, sectors)
    if unit_obj is None and not user.is_superuser:
        raise ServiceError(_("A staff account needs a unit (its scope)."))
    with transaction.atomic():
        before = _principal_state(user) | {"full_name": user.full_name, "email": user.email}
        user.role, user.unit, user.agency = role, unit_obj, agency_obj
        user.full_name, user.email = full_name, email
        user.save(update_fields=["role", "unit", "agency", "full_name", "email"])
        user.sectors.set(sector_objs)
        _check_narrower(scope, user)
        audit.record(
            "users.update",
            user,
            by=by,
            before=before,
            after=_principal_state(user) | {"full_name": full_name, "email": email},
            unit_path=unit_obj.path if unit_obj else "",
        )
    return user


def set_user_active(user: User, active: bool, *, by: Any) -> User:
    """Disable a staff account (it can no longer sign in; its history stays) or enable it again."""
    if not active and isinstance(by, User) and by.pk == user.pk:
        raise ServiceError(_("You cannot disable your own account."))
    _require_managed(by, user)
    with transaction.atomic():
        if user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
            audit.record(
                "users.enable" if active else "users.disable",
                user,
                by=by,
                unit_path=user.unit.path if user.unit_id else "",
            )
    return user
