"""The surface of the core that a pack may use — and the only module of Toàn Cảnh it may import
(an import contract checked in CI). Everything else inside the core may change without notice;
what is named here changes only with a note in docs/packs.md.

A pack is a Django app under ``toancanh/packs/<name>/`` whose ``apps.py`` subclasses
:class:`PackConfig`; see docs/packs.md for a whole example.

Names are resolved when first used, so a pack's ``apps.py`` can import ``PackConfig`` from here
while Django is still loading its apps (before any model may be imported).
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    # packs
    "PackConfig": "toancanh.packs.base",
    # declarations
    "ConnectorKind": "toancanh.core.registry",
    "DefaultRule": "toancanh.core.registry",
    "MapLayer": "toancanh.core.registry",
    "NavEntry": "toancanh.core.registry",
    "Panel": "toancanh.core.registry",
    "Permission": "toancanh.core.registry",
    "Quantity": "toancanh.core.registry",
    "ReadingsHook": "toancanh.core.registry",
    "RuleKind": "toancanh.core.registry",
    "Sector": "toancanh.core.registry:SectorDecl",
    "SenderKind": "toancanh.core.registry",
    "SituationType": "toancanh.core.registry:SituationTypeDecl",
    # alert rule kinds
    "CLEAR": "toancanh.operations.rules",
    "FIRE": "toancanh.operations.rules",
    "Evaluator": "toancanh.operations.rules",
    "EventView": "toancanh.operations.rules",
    "RuleParams": "toancanh.operations.rules",
    "Signal": "toancanh.operations.rules",
    "num": "toancanh.operations.rules",
    # notification senders
    "Message": "toancanh.operations.notify.base",
    "SendError": "toancanh.operations.notify.base",
    "Sender": "toancanh.operations.notify.base",
    # connectors
    "Connector": "toancanh.core.connectors",
    "ConnectorError": "toancanh.core.connectors",
    "Outcome": "toancanh.core.connectors",
    # pages
    "staff_page": "toancanh.core.page_access",
    "PageSet": "toancanh.core.pages",
    "Column": "toancanh.core.pages",
    "Filter": "toancanh.core.pages",
    "unit_picker": "toancanh.units.pages",
    # background jobs (a pack's tasks.py registers them, as the contexts' do)
    "job": "toancanh.core.jobs:task",
    # scope and errors
    "NotFound": "toancanh.core.errors",
    "ServiceError": "toancanh.core.errors",
    "Scope": "toancanh.core.scoping",
    "ScopedQuerySet": "toancanh.core.scoping",
    "scope_of": "toancanh.core.scoping",
    # working-day calendar (docs/calendar.md)
    "Deadline": "toancanh.core.deadlines",
    "add_working_days": "toancanh.core.workdays",
    "add_working_hours": "toancanh.core.workdays",
    "is_working_day": "toancanh.core.workdays",
    "next_working_day": "toancanh.core.workdays",
    "working_days_between": "toancanh.core.workdays",
    "working_hours_between": "toancanh.core.workdays",
    # events
    "publish_event": "toancanh.core.bus:publish",
    "submit_events": "toancanh.operations.services",
    # units and agencies (read them; write them through the units context)
    "Agency": "toancanh.units.models",
    "Unit": "toancanh.units.models",
    "unit_map": "toancanh.units.geometry",
    # periods, bulk SQL, audit, API permissions, pushed records
    "Period": "toancanh.core.periods",
    "insert_many": "toancanh.core.sql",
    "upsert_many": "toancanh.core.sql",
    "record_audit": "toancanh.core.audit:record",
    "require": "toancanh.core.http",
    "push_records": "toancanh.core.connectors:push",
    # declaring at start-up what has no conventional module (e.g. a pack's quantities, from apps.py)
    "declare": "toancanh.core.registry",
    # telemetry (docs/telemetry.md): register stations, send readings, read them back
    "register_station": "toancanh.telemetry.services",
    "ingest_readings": "toancanh.telemetry.services",
    "TelemetryStation": "toancanh.telemetry.models:Station",
    "telemetry_series": "toancanh.telemetry.queries:series",
    "TELEMETRY_VIEW": "toancanh.telemetry.permissions",
    "publish_readings": "toancanh.telemetry.publisher:publish_rows",
    # public warnings (docs/operations.md): a draft for the operators to check and publish
    "draft_public_warning": "toancanh.operations.warnings:draft_warning",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    target = _NAMES.get(name)
    if target is None:
        raise AttributeError(f"toancanh.packs.api has no '{name}' (a pack may use: {', '.join(__all__)})")
    module, _, attr = target.partition(":")
    value = getattr(importlib.import_module(module), attr or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
