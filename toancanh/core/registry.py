"""The registry of what the core and its packs contribute: rule kinds, notification senders,
connectors, map layers, navigation entries, page panels, permissions, sectors, situation types,
default alert rules, indicators and demo builders.

Built-in contributions and every pack's are declared through the same calls while Django starts
(each app's ``ready()``); :func:`freeze` then closes the registry, so nothing changes while the
server runs and every process sees the same. Packs reach this module only through
:mod:`toancanh.packs.api`.

This module knows no context: it holds plain declarations, and the contexts look things up here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


class RegistryError(Exception):
    """A contribution that cannot be accepted (a code used twice, the registry already frozen)."""


@dataclass(frozen=True)
class RuleKind:
    """A kind of alert rule: its parameters (a pydantic model that also builds the form) and the
    evaluator class that decides (see ``toancanh.operations.rules.Evaluator``)."""

    code: str
    label: Any
    params: type
    evaluator: type
    description: Any = ""
    pack: str = "core"
    order: int = 100  # where its tab stands on the rule form: the everyday kinds first


@dataclass(frozen=True)
class SenderKind:
    """A way of sending notifications (a channel kind): a ``Sender`` subclass with its ``Config``."""

    code: str
    label: Any
    sender: type
    pack: str = "core"


@dataclass(frozen=True)
class ConnectorKind:
    """A kind of data source: a ``Connector`` subclass with its ``Config`` (see ``core.connectors``)."""

    code: str
    label: Any
    connector: type
    pack: str = "core"


@dataclass(frozen=True)
class MapLayer:
    """A layer of the maps: a GeoJSON endpoint (a URL name or path), a legend and a MapLibre style."""

    code: str
    label: Any
    url: str
    legend: tuple[tuple[Any, str], ...] = ()
    style: dict[str, Any] = field(default_factory=dict)
    sector: str | None = None
    permission: str | None = None
    pack: str = "core"


@dataclass(frozen=True)
class NavEntry:
    """An entry of the application's navigation."""

    code: str
    label: Any
    url: str
    permission: str | None = None
    sector: str | None = None
    order: int = 100
    pack: str = "core"


PLACES = frozenset({"wall", "home", "sector"})


@dataclass(frozen=True)
class Panel:
    """A panel on the wall, the home page or a sector's page: a template rendered with the context
    that ``context(request, principal)`` returns (an empty dict hides nothing; ``None`` hides the panel)."""

    code: str
    label: Any
    template: str
    places: frozenset[str]
    context: Callable[..., dict[str, Any] | None] | None = None
    sector: str | None = None
    permission: str | None = None
    order: int = 100
    pack: str = "core"


@dataclass(frozen=True)
class Permission:
    """A permission code a context or pack declares, and the roles that hold it."""

    code: str
    label: Any
    roles: frozenset[str]
    pack: str = "core"


@dataclass(frozen=True)
class SectorDecl:
    """A sector (lĩnh vực); its row is created at ``migrate`` (added, never removed)."""

    code: str
    name_vi: str
    name_en: str
    order: int = 100
    pack: str = "core"


@dataclass(frozen=True)
class SituationTypeDecl:
    """A kind of situation (loại tình huống) with its standard procedure: steps of
    ``(title, owner, due_minutes)``. Created when missing by ``toancanh demo`` (an administrator
    edits them afterwards on the procedures page)."""

    code: str
    name: str
    sector: str
    steps: tuple[tuple[str, str, int], ...] = ()
    pack: str = "core"


@dataclass(frozen=True)
class DefaultRule:
    """An alert rule a sector usually wants (a flood alarm level, an air-quality band), installed for
    the demo province by ``toancanh demo`` on a database without rules. ``kind`` is a rule kind's
    code and ``params`` its parameters (checked by the kind's model when the rule is saved)."""

    code: str
    name: str
    kind: str
    params: dict[str, Any]
    sector: str
    severity: str = "Moderate"
    event_type: str = ""
    order: int = 100
    pack: str = "core"


@dataclass(frozen=True)
class DemoBuilder:
    """Builds a pack's part of the demo; called by ``toancanh demo`` in ``order``."""

    code: str
    build: Callable[[], Any]
    order: int = 100
    pack: str = "core"


@dataclass(frozen=True)
class Quantity:
    """A measured quantity (đại lượng quan trắc) that telemetry stations report — PM2.5, a river's water
    level, rainfall — with its unit of measure and the plausible range outside which a reading is
    refused as impossible (a sensor fault, a wrong unit), not merely flagged."""

    code: str
    name_vi: str
    name_en: str
    unit: str
    min: float
    max: float
    pack: str = "core"

    def __post_init__(self) -> None:
        if not self.min < self.max:
            raise RegistryError(f"quantity '{self.code}': its plausible range {self.min}..{self.max} is empty")


@dataclass(frozen=True)
class Routes:
    """A pack's pages (a urls module, mounted at ``/<prefix>/``) and API router (at ``/api/v1/<prefix>/``)."""

    prefix: str
    urls: str | None = None
    api_router: Callable[[], Any] | None = None
    pack: str = "core"


@dataclass(frozen=True)
class ReadingsHook:
    """Called with the new readings of each stored batch of the quantities it names, inside the batch's
    transaction (so what it writes commits or rolls back with the readings, whatever process stored
    them): ``handle(readings)`` with ``readings`` a list of ``(station code, quantity, t, value)``
    sorted by station and time (``t`` in seconds since the epoch). A pack's floods watch, say."""

    code: str
    quantities: tuple[str, ...]
    handle: Callable[[list[tuple[str, str, int, float]]], Any]
    pack: str = "core"


_KINDS = (
    RuleKind, SenderKind, ConnectorKind, MapLayer, NavEntry, Panel, Permission, SectorDecl, SituationTypeDecl,
    DefaultRule, DemoBuilder, Routes, Quantity, ReadingsHook,
)  # fmt: skip


class Registry:
    def __init__(self) -> None:
        self._items: dict[type, dict[str, Any]] = {k: {} for k in _KINDS}
        self._indicators: list[dict[str, Any]] = []
        self._roles: dict[str, frozenset[str]] = {}
        self.frozen = False

    def add(self, item: Any) -> Any:
        if self.frozen:
            raise RegistryError(f"the registry is frozen: {type(item).__name__} '{_code(item)}' came too late")
        kind = type(item)
        if kind not in self._items:
            raise RegistryError(f"not something a pack can declare: {item!r}")
        code = _code(item)
        if code in self._items[kind]:
            raise RegistryError(
                f"{kind.__name__} '{code}' is declared twice ({self._items[kind][code].pack}, {item.pack})"
            )
        self._items[kind][code] = item
        return item

    def add_indicators(self, rows: Iterable[dict[str, Any]], pack: str) -> None:
        """Catalogue rows (see ``toancanh.indicators.demo.catalogue``), kept in the order the packs
        are installed and declare them."""
        if self.frozen:
            raise RegistryError("the registry is frozen")
        known = {row["code"]: row["pack"] for row in self._indicators}
        for row in rows:
            if row.get("code") in known:
                raise RegistryError(f"indicator '{row['code']}' is declared twice ({known[row['code']]}, {pack})")
            known[row.get("code")] = pack
            self._indicators.append({**row, "pack": pack})

    def freeze(self) -> None:
        self.frozen = True

    # --- reading -----------------------------------------------------------------------------------
    def all(self, kind: type) -> list[Any]:
        items = list(self._items[kind].values())
        return sorted(items, key=lambda i: (getattr(i, "order", 0), _code(i)))

    def get(self, kind: type, code: str) -> Any | None:
        return self._items[kind].get(code)

    def codes(self, kind: type) -> list[str]:
        return list(self._items[kind])

    def indicators(self) -> list[dict[str, Any]]:
        return list(self._indicators)

    def permissions_for(self, role: str) -> frozenset[str]:
        cached = self._roles.get(role)
        if cached is None:
            cached = frozenset(p.code for p in self._items[Permission].values() if role in p.roles)
            if self.frozen:
                self._roles[role] = cached
        return cached


def _code(item: Any) -> str:
    return getattr(item, "code", None) or getattr(item, "prefix", "")


registry = Registry()


def declare(*items: Any) -> None:
    """Add contributions to the registry (at start-up, from an app's ``ready()``)."""
    for item in items:
        registry.add(item)


def freeze() -> None:
    registry.freeze()
