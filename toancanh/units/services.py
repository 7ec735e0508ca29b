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
from django.utils.translation import gettext, gettext_noop

from toancanh.core import audit
from toancanh.core.errors import ImportRejected, RowError, ServiceError, TooLarge, full_clean_or_raise
from toancanh.core.scoping import Scope, get_visible_or_404
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


def _level(level: str) -> str:
    """A level as a person reads it: "commune level", "cấp xã"."""
    return str(Level(level).label).lower() if level in Level.values else level


def _check_unit_rows(rows: Sequence[UnitRow], existing: dict[str, tuple[str, str]]) -> list[RowError]:
    """Problems with unit rows; ``existing`` maps the keys already stored to (level, path)."""
    errors: list[RowError] = []
    seen: dict[str, UnitRow] = {}
    types = set(UnitType.values)
    for r in rows:
        if not r.key or not r.code or not r.name:
            errors.append(RowError(r.row, gettext("key, code and name are required")))
            continue
        if not r.code.isdigit():
            errors.append(RowError(r.row, gettext("GSO code '%(code)s' must be digits") % {"code": r.code}))
        if r.key in seen:
            errors.append(
                RowError(
                    r.row,
                    gettext("duplicate unit '%(key)s' (also row %(row)s)") % {"key": r.key, "row": seen[r.key].row},
                )
            )
        seen[r.key] = r
        if r.type not in types:
            errors.append(
                RowError(
                    r.row,
                    gettext("unknown unit type '%(type)s' (one of: %(types)s)")
                    % {"type": r.type, "types": ", ".join(sorted(types))},
                )
            )
        elif LEVEL_OF_TYPE[r.type] != r.level:
            errors.append(
                RowError(
                    r.row,
                    gettext("type '%(type)s' is %(level)s, not %(row_level)s")
                    % {"type": r.type, "level": _level(LEVEL_OF_TYPE[r.type]), "row_level": _level(r.level)},
                )
            )
        if r.valid_from and r.valid_to and r.valid_from > r.valid_to:
            errors.append(
                RowError(
                    r.row,
                    gettext("valid_from %(start)s is after valid_to %(end)s")
                    % {"start": r.valid_from, "end": r.valid_to},
                )
            )
    for r in seen.values():
        if r.parent_key is None:
            if r.level != Level.PROVINCE:
                errors.append(
                    RowError(r.row, gettext("a %(level)s unit needs a parent unit") % {"level": _level(r.level)})
                )
            continue
        parent_level = seen[r.parent_key].level if r.parent_key in seen else existing.get(r.parent_key, (None,))[0]
        if parent_level is None:
            errors.append(RowError(r.row, gettext("unknown parent unit '%(key)s'") % {"key": r.parent_key}))
        elif r.level in LEVEL_DEPTH and LEVEL_DEPTH[parent_level] >= LEVEL_DEPTH[r.level]:
            errors.append(
                RowError(
                    r.row,
                    gettext("a %(level)s unit cannot be placed under a %(parent_level)s unit ('%(parent)s')")
                    % {"level": _level(r.level), "parent_level": _level(parent_level), "parent": r.parent_key},
                )
            )
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
            errors.append(
                RowError(
                    rows[start].row, gettext("cycle in the hierarchy: %(cycle)s") % {"cycle": " → ".join([*cycle, k])}
                )
            )
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
        raise ImportRejected(errors, what=gettext_noop("unit import"))
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
        errors.extend(
            RowError(r.row, gettext("unknown unit '%(key)s'") % {"key": k})
            for k in (r.old_key, r.new_key)
            if k not in stored
        )
        if r.old_key == r.new_key:
            errors.append(RowError(r.row, gettext("a unit cannot succeed itself ('%(key)s')") % {"key": r.old_key}))
        if not (Decimal(0) < r.share <= Decimal(1)):
            errors.append(
                RowError(r.row, gettext("share %(share)s must be more than 0 and at most 1") % {"share": r.share})
            )
        if (r.old_key, r.new_key) in pairs:
            errors.append(
                RowError(
                    r.row,
                    gettext("duplicate pair %(old)s → %(new)s (also row %(row)s)")
                    % {"old": r.old_key, "new": r.new_key, "row": pairs[(r.old_key, r.new_key)].row},
                )
            )
        pairs[(r.old_key, r.new_key)] = r
        totals[r.old_key] += r.share
        first_row.setdefault(r.old_key, r.row)
    for old, total in totals.items():
        if abs(total - 1) > SHARE_TOLERANCE:
            errors.append(
                RowError(
                    first_row[old],
                    gettext("the shares of '%(key)s' add up to %(total)s, not 1") % {"key": old, "total": total},
                )
            )
    if errors:
        raise ImportRejected(errors, what=gettext_noop("succession import"))
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
    return get_visible_or_404(Unit, None, scope=scope, what="unit", key=unit_key)


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
            raise ServiceError(gettext("an agency with code '%(code)s' already exists") % {"code": code})
        agency = Agency(code=code, name=name, kind=kind, unit=_unit_in_scope(unit, scope), **contact)
        if parent:
            agency.parent = _agency_in_scope(parent, scope)
        full_clean_or_raise(agency, exclude=["search_name", "unit", "parent"])
        agency.save()
        agency.sectors.set(resolve_sectors(sectors))
        audit.record("agencies.create", agency, by=by, after=_agency_state(agency), unit_path=agency.unit.path)
    return agency


def _agency_in_scope(code: str, scope: Scope) -> Agency:
    return get_visible_or_404(Agency, None, scope=scope, what="agency", code=code)


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
                raise ServiceError(gettext("an agency cannot be its own parent"))
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


# --- The administrator's console: a units file previewed, then applied within scope ---------------

PREVIEW_FIELDS = ("name", "short_name", "type", "level", "parent", "valid_from", "valid_to", "lat", "lon", "area_km2")


@dataclass
class UnitChange:
    row: int | str
    key: str
    name: str
    action: str  # "create", "update" or "same"
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, before, after)


def _scope_errors(rows: Sequence[UnitRow], scope: Scope) -> list[RowError]:
    """Rows that would place or change a unit outside the actor's units."""
    if scope.everywhere:
        return []
    keys = {r.key for r in rows}
    stored = {u.key: u for u in Unit.objects.filter(key__in=keys | {r.parent_key for r in rows if r.parent_key})}
    visible = set(Unit.objects.within(scope).filter(key__in=list(stored)).values_list("key", flat=True))
    errors = []
    for r in rows:
        outside = (r.key in stored and r.key not in visible) or (
            r.parent_key is None or (r.parent_key not in keys and r.parent_key not in visible)
        )
        if outside:
            errors.append(RowError(r.row, gettext("unit '%(key)s' lies outside your scope") % {"key": r.key}))
    return errors


def check_unit_import(rows: Sequence[UnitRow], *, scope: Scope) -> list[UnitChange]:
    """What importing ``rows`` would change, unit by unit, refused (ImportRejected) as
    :func:`upsert_units` would refuse it, or when a row lies outside the actor's scope. Writes nothing."""
    keys = {r.key for r in rows} | {r.parent_key for r in rows if r.parent_key}
    stored = _stored(keys)
    errors = _check_unit_rows(rows, {k: (lvl, path) for k, (_pk, lvl, path) in stored.items()})
    errors += _scope_errors(rows, scope)
    if errors:
        raise ImportRejected(sorted(errors, key=lambda e: int(e.row) if str(e.row).isdigit() else 0),
                             what=gettext_noop("unit import"))  # fmt: skip
    existing = {u.key: u for u in Unit.objects.filter(key__in=[r.key for r in rows]).select_related("parent")}
    out = []
    for r in rows:
        unit = existing.get(r.key)
        if unit is None:
            out.append(UnitChange(r.row, r.key, r.name, "create"))
            continue
        before = {f: getattr(unit, f) for f in PREVIEW_FIELDS if f != "parent"}
        before["parent"] = unit.parent.key if unit.parent_id else None
        after = {f: getattr(r, f) for f in PREVIEW_FIELDS if f != "parent"} | {"parent": r.parent_key}
        after["short_name"] = r.short_name or r.name
        changes = [(f, before[f], after[f]) for f in PREVIEW_FIELDS if before[f] != after[f]]
        out.append(UnitChange(r.row, r.key, r.name, "update" if changes else "same", changes))
    return out


def import_units(rows: Sequence[UnitRow], *, by: Any, scope: Scope, source: str = "") -> ImportResult:
    """A province's units file, from the console: checked within the actor's scope, then stored
    all or nothing (:func:`upsert_units`, audited)."""
    check_unit_import(rows, scope=scope)
    return upsert_units(rows, by=by, source=source)


# --- Succession entries, one by one ------------------------------------------------------------


def _succession_state(s: Succession) -> dict[str, Any]:
    return {"old": s.old.key, "new": s.new.key, "share": str(s.share), "share_estimated": s.share_estimated,
            "source": s.source}  # fmt: skip


def save_succession(
    *, by: Any, scope: Scope, old: str, new: str, share: Decimal, share_estimated: bool = False, source: str = "",
    instance: Succession | None = None,
) -> Succession:  # fmt: skip
    """Record (or correct) where a former unit went: both units within the actor's scope, the share
    in (0, 1], and the shares of the former unit not above 1 in all."""
    old_unit = get_visible_or_404(Unit, None, scope=scope, what="unit", key=old)
    new_unit = get_visible_or_404(Unit, None, scope=scope, what="unit", key=new)
    if old_unit.pk == new_unit.pk:
        raise ServiceError(gettext("a unit cannot succeed itself"))
    if not (Decimal(0) < share <= Decimal(1)):
        raise ServiceError(gettext("the share must be more than 0 and at most 1"))
    with transaction.atomic():
        others = Succession.objects.filter(old=old_unit).exclude(pk=instance.pk if instance else None)
        if others.filter(new=new_unit).exists():
            raise ServiceError(gettext("this succession is recorded already"))
        total = sum((s.share for s in others), Decimal(0)) + share
        if total > 1 + SHARE_TOLERANCE:
            raise ServiceError(gettext("the shares of %(unit)s would add up to %(total)s, more than 1")
                               % {"unit": old_unit.name, "total": total.normalize()})  # fmt: skip
        before = _succession_state(instance) if instance else None
        entry = instance or Succession()
        entry.old, entry.new, entry.share = old_unit, new_unit, share
        entry.share_estimated, entry.source = share_estimated, source
        entry.save()
        audit.record("units.succession.update" if before else "units.succession.create", entry, by=by,
                     before=before, after=_succession_state(entry), unit_path=new_unit.path)  # fmt: skip
    return entry


def delete_succession(entry: Succession, *, by: Any, scope: Scope) -> None:
    get_visible_or_404(Succession, None, scope=scope, what="succession", pk=entry.pk)
    with transaction.atomic():
        state, path = _succession_state(entry), entry.new.path
        audit.record("units.succession.delete", entry, by=by, before=state, unit_path=path)
        entry.delete()


# --- A boundary uploaded for one unit -----------------------------------------------------------

BOUNDARY_MAX_BYTES = 5 * 2**20
# Viet Nam with its islands (Hoàng Sa, Trường Sa), in degrees: west, south, east, north.
VIETNAM_BBOX = (102.0, 6.0, 118.0, 23.6)


def upload_boundary(unit: Unit, data: bytes, *, by: Any, scope: Scope, source: str = "") -> Any:
    """A unit's boundary from an uploaded GeoJSON file (a Polygon or MultiPolygon, or a Feature or a
    one-feature collection holding one), inside Viet Nam, within the actor's scope; audited."""
    import json

    from toancanh.units import geometry

    get_visible_or_404(Unit, None, scope=scope, what="unit", pk=unit.pk)
    if len(data) > BOUNDARY_MAX_BYTES:
        raise TooLarge(gettext("the file is larger than %(mb)s MB") % {"mb": BOUNDARY_MAX_BYTES // 2**20})
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ServiceError(gettext("the file is not GeoJSON (JSON in UTF-8)")) from exc
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        features = doc.get("features") or []
        if len(features) != 1:
            raise ServiceError(gettext("the file holds %(n)s features; upload one boundary") % {"n": len(features)})
        doc = features[0]
    if isinstance(doc, dict) and doc.get("type") == "Feature":
        doc = doc.get("geometry")
    geom = geometry.parse_geometry(doc, unit.name)
    west, south, east, north = geom.bounds
    w, s, e, n = VIETNAM_BBOX
    if not (w <= west and s <= south and east <= e and north <= n):
        raise ServiceError(gettext("the boundary lies outside Viet Nam (longitude %(w)s–%(e)s, latitude %(s)s–%(n)s): "
                                   "are longitude and latitude swapped?") % {"w": w, "e": e, "s": s, "n": n})  # fmt: skip
    return geometry.set_boundary(unit, doc, by=by, source=source)
