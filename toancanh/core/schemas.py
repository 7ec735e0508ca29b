"""API shapes shared by the core: health, sectors, audit entries, errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class HealthRead(Schema):
    status: str
    version: str
    database: dict[str, Any]
    migrations: dict[str, Any]
    time: dt.datetime


class SectorRead(Schema):
    code: str
    name_vi: str
    name_en: str


class AuditRead(Schema):
    id: int
    at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    unit_path: str
    before: Any = None
    after: Any = None

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label
