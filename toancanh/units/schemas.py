"""API shapes of units, successions and agencies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from toancanh.core.schemas import BoundedStr, SaneDate  # noqa: E402


class UnitRef(Schema):
    key: str
    code: str
    name: str
    level: str


class UnitRead(Schema):
    key: str
    edition: str
    code: str
    level: str
    type: str
    type_label: str
    name: str
    short_name: str
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    lat: float | None
    lon: float | None
    area_km2: float | None

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.ancestor_keys[-1] if obj.parent_id else None

    @staticmethod
    def resolve_type_label(obj) -> str:
        return str(obj.get_type_display())


class SuccessionRead(Schema):
    unit: UnitRef
    share: Decimal
    share_estimated: bool


class UnitDetail(UnitRead):
    ancestors: list[UnitRef]
    children_count: int
    successors: list[SuccessionRead]
    predecessors: list[SuccessionRead]
    has_boundary: bool
    bounds: list[float] | None


class UnitFilter(Schema):
    level: str | None = Field(None, description="province, district or commune")
    type: str | None = Field(None, description="unit type, e.g. xa, phuong, huyen")
    parent: str | None = Field(None, description="key of the parent unit")
    valid_at: SaneDate | None = Field(None, description="units in force on this day (default: today)")
    any_time: bool = Field(False, description="ignore validity: former and current units together")
    edition: str | None = Field(None, description="code list edition, e.g. vn34 or vn63")
    code: str | None = Field(None, description="GSO code")
    q: str | None = Field(None, description="accent-insensitive name search ('hiep duc' finds 'Hiệp Đức')")


class BoundaryWrite(Schema):
    geometry: dict[str, Any]
    source: BoundedStr(200) = ""


class BoundaryResult(Schema):
    unit: str
    bounds: list[float]


class AgencyRead(Schema):
    id: int
    code: str
    name: str
    kind: str
    unit: UnitRef
    parent: str | None
    sectors: list[str]
    email: str
    phone: str
    address: str
    active: bool

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_sectors(obj) -> list[str]:
        return sorted(s.code for s in obj.sectors.all())


class AgencyFilter(Schema):
    q: str | None = None
    unit: str | None = Field(None, description="agencies of this unit's subtree")
    kind: str | None = None
    sector: str | None = None


class AgencyCreate(Schema):
    code: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{1,59}$")
    name: str = Field(..., min_length=2, max_length=200)
    kind: str
    unit: str
    parent: str | None = None
    sectors: list[str] = []
    email: str = ""
    phone: str = ""
    address: str = ""


class AgencyUpdate(Schema):
    name: str | None = Field(None, min_length=2, max_length=200)
    kind: str | None = None
    unit: str | None = None
    parent: str | None = None
    sectors: list[str] | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    active: bool | None = None
