"""Every write to units, successions, boundaries and agencies goes through here.

Imports are all-or-nothing: rows are checked first, every problem is reported with its
row, and nothing is written unless all of them pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from toancanh.core import audit
from toancanh.core.errors import ImportRejected, NotFound, RowError, ServiceError, full_clean_or_raise
from toancanh.core.scoping import Scope
from toancanh.core.sectors import resolve_sectors
from toancanh.core.text import fold
from toancanh.units.models import LEVEL_DEPTH, LEVEL_OF_TYPE, Agency, Level, Succession, Unit, UnitType
from toancanh.units.official import SuccessionRow, UnitRow

SHARE_TOLERANCE = Decimal("0.0001")
_UNIT_FIELDS = [
    "edition",
    "code",
    "level",
    "type",
    "name",
    "short_name",
    "search_name",
    "parent",
    "path",
    "valid_from",
    "valid_to",
    "lat",
    "lon",
    "area_km2",
    "bounds",
    "source",
]


def search_text(name: str, short_name: str, code: str) -> str:
    return f"{fold(name)} {fold(short_name)} {code}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    details: dict[str, Any] = field(default_factory=dict)


# --- The unit tree ------------------------------------------------------------------------------


def _check_unit_rows(rows: Sequence[UnitRow], existing: dict[str, tuple[str, str]]) -> list[RowError]:
    """Problems with unit rows; ``existing`` maps the keys already stored to (level, path)."""
    errors: list[RowError] = []
    seen: dict[str, UnitRow] = {}
    types = set(UnitType.values)
    for r in rows:
        if not r.key or not r.code or not r.name:
            errors.append(RowError(r.row, "key, code and name are required"))
            continue
        if not r.code.isdigit():
            errors.append(RowError(r.row, f"GSO code '{r.code}' must be digits"))
        if r.key in seen:
            errors.append(RowError(r.row, f"duplicate unit '{r.key}' (also row {seen[r.key].row})"))
        seen[r.key] = r
        if r.type not in types:
            errors.append(RowError(r.row, f"unknown unit type '{r.type}' (one of: {', '.join(sorted(types))})"))
        elif LEVEL_OF_TYPE[r.type] != r.level:
            errors.append(RowError(r.row, f"type '{r.type}' is a {LEVEL_OF_TYPE[r.type]}-level type, not {r.level}"))
        if r.valid_from and r.valid_to and r.valid_from > r.valid_to:
            errors.append(RowError(r.row, f"valid_from {r.valid_from} is after valid_to {r.valid_to}"))
    for r in seen.values():
        if r.parent_key is None:
            if r.level != Level.PROVINCE:
                errors.append(RowError(r.row, f"a {r.level} needs a parent unit"))
            continue
        parent_level = seen[r.parent_key].level if r.parent_key in seen else existing.get(r.parent_key, (None,))[0]
        if parent_level is None:
            errors.append(RowError(r.row, f"unknown parent unit '{r.parent_key}'"))
        elif r.level in LEVEL_DEPTH and LEVEL_DEPTH[parent_level] >= LEVEL_DEPTH[r.level]:
            errors.append(RowError(r.row, f"a {r.level} cannot be placed under a {parent_level} ('{r.parent_key}')"))
    errors.extend(_cycles(seen, existing))
    return errors


def _cycles(rows: dict[str, UnitRow], existing: dict[str, tuple[str, str]]) -> list[RowError]:
    parent = {k: r.parent_key for k, r in rows.items()}
    # Stored units: their parent is the second-to-last key of their path.
    for k, (_level, path) in existing.items():
        if k not in parent:
            parts = path.strip("/").split("/")
            parent[k] = parts[-2] if len(parts) > 1 else None
    errors, reported = [], set()
    for start in rows:
        chain, k = [], start
        while k is not None and k not in chain:
            chain.append(k)
            k = parent.get(k)
        if k is not None and k == start and start not in reported:
            cycle = chain[chain.index(k) :]
            reported.update(cycle)
            errors.append(RowError(rows[start].row, f"cycle in the hierarchy: {' → '.join([*cycle, k])}"))
    return errors


def _generations(rows: Sequence[UnitRow]) -> list[list[UnitRow]]:
    by_key = {r.key: r for r in rows}
    depth: dict[str, int] = {}

    def depth_of(key: str) -> int:
        if key not in depth:
            p = by_key[key].parent_key
            depth[key] = 0 if p is None or p not in by_key else depth_of(p) + 1
        return depth[key]

    gens: dict[int, list[UnitRow]] = defaultdict(list)
    for r in rows:
        gens[depth_of(r.key)].append(r)
    return [gens[d] for d in sorted(gens)]


def _chunks(items: Sequence[Any], size: int = 900) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _stored(keys: Iterable[str]) -> dict[str, tuple[int, str, str]]:
    """key -> (id, level, path) for the given keys that are stored."""
    out: dict[str, tuple[int, str, str]] = {}
    for chunk in _chunks(sorted(set(keys))):
        for k, pk, level, path in Unit.objects.filter(key__in=chunk).values_list("key", "id", "level", "path"):
            out[k] = (pk, level, path)
    return out


def upsert_units(rows: Sequence[UnitRow], *, by: Any, source: str = "") -> ImportResult:
    """Create or update units from rows (an official list, or a province's CSV); all or nothing."""
    keys = {r.key for r in rows} | {r.parent_key for r in rows if r.parent_key}
    stored = _stored(keys)
    errors = _check_unit_rows(rows, {k: (lvl, path) for k, (_pk, lvl, path) in stored.items()})
    if errors:
        raise ImportRejected(errors, what="unit import")
    result = ImportResult()
    with transaction.atomic():
        ids = {k: (pk, path) for k, (pk, _lvl, path) in stored.items()}
        moved: list[tuple[str, str]] = []
        for generation in _generations(rows):
            objs = []
            for r in generation:
                parent = ids.get(r.parent_key) if r.parent_key else None
                path = f"{parent[1] if parent else '/'}{r.key}/"
                if r.key in ids and ids[r.key][1] != path:
                    moved.append((ids[r.key][1], path))
                objs.append(
                    Unit(
                        key=r.key,
                        edition=r.edition,
                        code=r.code,
                        level=r.level,
                        type=r.type,
                        name=r.name,
                        short_name=r.short_name or r.name,
                        search_name=search_text(r.name, r.short_name, r.code),
                        parent_id=parent[0] if parent else None,
                        path=path,
                        valid_from=r.valid_from,
                        valid_to=r.valid_to,
                        lat=r.lat,
                        lon=r.lon,
                        area_km2=r.area_km2,
                        bounds=r.bounds,
                        source=r.source or source,
                    )
                )
            result.updated += sum(1 for o in objs if o.key in stored)
            result.created += sum(1 for o in objs if o.key not in stored)
            for chunk in _chunks(objs, 500):
                Unit.objects.bulk_create(
                    chunk, update_conflicts=True, unique_fields=["key"], update_fields=_UNIT_FIELDS
                )
            ids.update({k: (pk, path) for k, (pk, _l, path) in _stored(o.key for o in objs).items()})
        for old_path, new_path in moved:
            _move_descendants(old_path, new_path)
        audit.record(
            "units.import",
            by=by,
            object_type="units.unit",
            object_id="*",
            object_repr=f"{len(rows)} units from {source or 'rows'}",
            after={"created": result.created, "updated": result.updated, "source": source},
        )
    return result


def _move_descendants(old_path: str, new_path: str) -> None:
    for unit in Unit.objects.filter(path__startswith=old_path).exclude(path=old_path).only("id", "path"):
        unit.path = new_path + unit.path[len(old_path) :]
        unit.save(update_fields=["path"])


# --- Succession ---------------------------------------------------------------------------------


def replace_successions(rows: Sequence[SuccessionRow], *, by: Any, source: str = "") -> ImportResult:
    """Set where each named former unit went, replacing what was stored for it; all or nothing.

    The shares of one former unit must add up to 1.
    """
    stored = _stored([r.old_key for r in rows] + [r.new_key for r in rows])
    errors: list[RowError] = []
    pairs: dict[tuple[str, str], SuccessionRow] = {}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    first_row: dict[str, int | str] = {}
    for r in rows:
        errors.extend(RowError(r.row, f"unknown unit '{k}'") for k in (r.old_key, r.new_key) if k not in stored)
        if r.old_key == r.new_key:
            errors.append(RowError(r.row, f"a unit cannot succeed itself ('{r.old_key}')"))
        if not (Decimal(0) < r.share <= Decimal(1)):
            errors.append(RowError(r.row, f"share {r.share} must be more than 0 and at most 1"))
        if (r.old_key, r.new_key) in pairs:
            errors.append(
                RowError(
                    r.row, f"duplicate pair {r.old_key} → {r.new_key} (also row {pairs[(r.old_key, r.new_key)].row})"
                )
            )
        pairs[(r.old_key, r.new_key)] = r
        totals[r.old_key] += r.share
        first_row.setdefault(r.old_key, r.row)
    for old, total in totals.items():
        if abs(total - 1) > SHARE_TOLERANCE:
            errors.append(RowError(first_row[old], f"the shares of '{old}' add up to {total}, not 1"))
    if errors:
        raise ImportRejected(errors, what="succession import")
    with transaction.atomic():
        old_ids = [stored[k][0] for k in totals]
        for chunk in _chunks(old_ids):
            Succession.objects.filter(old_id__in=chunk).delete()
        Succession.objects.bulk_create(
            [
                Succession(
                    old_id=stored[r.old_key][0],
                    new_id=stored[r.new_key][0],
                    share=r.share,
                    share_estimated=r.share_estimated,
                    source=r.source or source,
                )
                for r in pairs.values()
            ],
            batch_size=500,
        )
        audit.record(
            "units.succession.import",
            by=by,
            object_type="units.succession",
            object_id="*",
            object_repr=f"{len(pairs)} successions of {len(totals)} former units",
            after={"rows": len(pairs), "former_units": len(totals), "source": source},
        )
    return ImportResult(created=len(pairs), details={"former_units": len(totals)})


# --- Agencies -----------------------------------------------------------------------------------


def _agency_state(agency: Agency) -> dict[str, Any]:
    state = audit.snapshot(agency, exclude=("search_name",)) or {}
    state["sectors"] = sorted(s.code for s in agency.sectors.all())
    return state


def _unit_in_scope(unit_key: str, scope: Scope) -> Unit:
    unit = Unit.objects.within(scope).filter(key=unit_key).first()
    if unit is None:
        raise NotFound(f"unit '{unit_key}' not found")
    return unit


def create_agency(
    *,
    by: Any,
    scope: Scope,
    code: str,
    name: str,
    kind: str,
    unit: str,
    sectors: Iterable[str] = (),
    parent: str | None = None,
    **contact: str,
) -> Agency:
    """Register an agency (cơ quan, đơn vị) under a unit within the actor's scope."""
    with transaction.atomic():
        if Agency.objects.filter(code=code).exists():
            raise ServiceError(f"an agency with code '{code}' already exists")
        agency = Agency(code=code, name=name, kind=kind, unit=_unit_in_scope(unit, scope), **contact)
        if parent:
            agency.parent = _agency_in_scope(parent, scope)
        full_clean_or_raise(agency, exclude=["search_name", "unit", "parent"])
        agency.save()
        agency.sectors.set(resolve_sectors(sectors))
        audit.record("agencies.create", agency, by=by, after=_agency_state(agency), unit_path=agency.unit.path)
    return agency


def _agency_in_scope(code: str, scope: Scope) -> Agency:
    agency = Agency.objects.within(scope).filter(code=code).first()
    if agency is None:
        raise NotFound(f"agency '{code}' not found")
    return agency


def update_agency(agency: Agency, *, by: Any, scope: Scope, **changes: Any) -> Agency:
    """Change an agency's details; moving it to another unit stays within the actor's scope."""
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        before = _agency_state(agency)
        sectors = changes.pop("sectors", None)
        if "unit" in changes:
            agency.unit = _unit_in_scope(changes.pop("unit"), scope)
        if "parent" in changes:
            parent = changes.pop("parent")
            agency.parent = _agency_in_scope(parent, scope) if parent else None
            if agency.parent_id == agency.pk:
                raise ServiceError("an agency cannot be its own parent")
        for name, value in changes.items():
            setattr(agency, name, value)
        full_clean_or_raise(agency, exclude=["search_name", "unit", "parent"])
        agency.save()
        if sectors is not None:
            agency.sectors.set(resolve_sectors(sectors))
        audit.record(
            "agencies.update", agency, by=by, before=before, after=_agency_state(agency), unit_path=agency.unit.path
        )
    return agency
