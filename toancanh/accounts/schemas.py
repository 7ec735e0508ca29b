"""API shapes of users and API keys."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from toancanh.accounts.roles import Role
from toancanh.core.schemas import BoundedStr, SaneDatetime


class PrincipalScopeRead(Schema):
    role: str
    role_label: str
    unit: str | None
    unit_name: str | None
    agency: str | None
    sectors: list[str]
    permissions: list[str]

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display()) if obj.role else ""

    @staticmethod
    def resolve_unit(obj) -> str | None:
        return obj.unit.key if obj.unit_id else None

    @staticmethod
    def resolve_unit_name(obj) -> str | None:
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_agency(obj) -> str | None:
        return obj.agency.code if obj.agency_id else None

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return sorted(s.code for s in obj.sectors.all())

    @staticmethod
    def resolve_permissions(obj) -> list[str]:
        return sorted(obj.permissions)


class MeRead(PrincipalScopeRead):
    kind: str
    name: str

    @staticmethod
    def resolve_kind(obj) -> str:
        return "apikey" if obj.__class__.__name__ == "ApiKey" else obj.kind

    @staticmethod
    def resolve_name(obj) -> str:
        return getattr(obj, "display_name", None) or obj.name


class UserRead(PrincipalScopeRead):
    id: int
    username: str
    full_name: str
    email: str
    kind: str
    is_active: bool
    last_login: dt.datetime | None


class UserCreate(Schema):
    username: str = Field(..., pattern=r"^[A-Za-z0-9_.@+-]{3,150}$")
    password: BoundedStr(128, 8)
    role: Role
    unit: BoundedStr(60) | None = None
    agency: BoundedStr(60) | None = None
    sectors: list[BoundedStr(40)] = Field([], max_length=20)
    full_name: BoundedStr(150) = ""
    email: BoundedStr(254, pattern=r"^$|^[^@\s]+@[^@\s]+$") = ""


class ApiKeyRead(PrincipalScopeRead):
    id: int
    name: str
    key_id: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ApiKeyCreate(Schema):
    name: BoundedStr(100, 2)
    role: Role
    unit: BoundedStr(60) | None = None
    agency: BoundedStr(60) | None = None
    sectors: list[BoundedStr(40)] = Field([], max_length=20)
    expires_at: SaneDatetime | None = None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(..., description="the key itself: shown only in this answer")
