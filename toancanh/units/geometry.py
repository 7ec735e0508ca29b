"""Unit geometry: boundary import from GeoJSON, and the GeoJSON of unit maps (approximate cells, see
``cells``, where no boundary exists).

Geometry work is done with Shapely (BSD-3-Clause, on GEOS).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import shapely
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext, gettext_noop
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

from toancanh.core import audit
from toancanh.core.errors import ImportRejected, RowError, ServiceError
from toancanh.core.text import fold
from toancanh.units import cells
from toancanh.units.models import Boundary, Unit
from toancanh.units.queries import children_on

DISPLAY_TOLERANCE = 0.001  # degrees, about 110 m: enough for a province or commune map
NAME_PROPERTIES = ("name", "ten", "ten_tinh", "ten_xa", "ten_huyen", "NAME_1", "NAME_2", "NAME_3", "shapeName")
CODE_PROPERTIES = ("gso_code", "ma", "ma_tinh", "ma_xa", "ma_huyen", "code")
_TYPE_WORDS = (
    "thanh pho",
    "tp.",
    "tp",
    "tinh",
    "quan",
    "huyen",
    "thi xa",
    "tx.",
    "tx",
    "phuong",
    "xa",
    "thi tran",
    "tt.",
    "tt",
    "dac khu",
)
# Abbreviations found in published boundary files ("TP HCM").
_ALIASES = {"hcm": "ho chi minh", "tphcm": "ho chi minh"}


def name_variants(text: str) -> set[str]:
    """Accent-insensitive forms of a unit name, with and without its type word (or its abbreviation)."""
    f = fold(text).replace("-", " ").replace("  ", " ")
    f = _ALIASES.get(f.replace(" ", ""), f)
    out = {f, f.replace(" ", "")}
    for word in _TYPE_WORDS:
        if f.startswith(word + " "):
            rest = f[len(word) + 1 :].strip()
            rest = _ALIASES.get(rest.replace(" ", ""), rest)
            out |= {rest, rest.replace(" ", "")}
    return out


def to_display(geom) -> dict[str, Any]:
    simple = shapely.simplify(geom, DISPLAY_TOLERANCE, preserve_topology=True)
    return mapping(shapely.set_precision(simple, 1e-5))


def parse_geometry(data: Any, where: str | int) -> Any:
    """A Polygon or MultiPolygon from GeoJSON, checked; raises ServiceError naming ``where``."""
    if not isinstance(data, dict) or data.get("type") not in {"Polygon", "MultiPolygon"}:
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise ServiceError(gettext("%(where)s: geometry must be a Polygon or MultiPolygon, not %(got)s")
                           % {"where": where, "got": got})  # fmt: skip
    try:
        geom = shape(data)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise ServiceError(
            gettext("%(where)s: malformed coordinates (%(error)s)") % {"where": where, "error": exc}
        ) from exc
    if geom.is_empty:
        raise ServiceError(gettext("%(where)s: the geometry is empty") % {"where": where})
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ServiceError(gettext("%(where)s: coordinates are not longitude/latitude in WGS 84 (bounds %(bounds)s)")
                           % {"where": where, "bounds": geom.bounds})  # fmt: skip
    if not geom.is_valid:
        raise ServiceError(gettext("%(where)s: invalid geometry (%(reason)s); use --repair to fix it")
                           % {"where": where, "reason": explain_validity(geom)})  # fmt: skip
    return geom


@dataclass
class BoundaryImport:
    matched: dict[str, str] = field(default_factory=dict)  # unit key -> how it matched
    unmatched_features: list[str] = field(default_factory=list)
    units_without_boundary: list[str] = field(default_factory=list)


def _feature_label(i: int, props: dict[str, Any]) -> str:
    shown = {k: props[k] for k in list(props)[:4]}
    return f"feature {i} {json.dumps(shown, ensure_ascii=False)}"


def import_boundaries(
    geojson: str | bytes | dict[str, Any],
    *,
    by: Any,
    level: str,
    on: dt.date,
    within: Unit | None = None,
    code_property: str | None = None,
    name_property: str | None = None,
    repair: bool = False,
    source: str = "",
) -> BoundaryImport:
    """Import unit boundaries from a GeoJSON FeatureCollection; all or nothing.

    A feature matches a unit of ``level`` valid on ``on`` by GSO code (``code_property``, or a
    usual code property) or, failing that, by accent-insensitive name. Features that match no
    unit, and units left without a boundary, are reported.
    """
    try:
        data = json.loads(geojson) if isinstance(geojson, str | bytes) else geojson
    except json.JSONDecodeError as exc:
        raise ServiceError(gettext("not valid JSON: %(error)s") % {"error": exc}) from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ServiceError(gettext("expected a GeoJSON FeatureCollection with a 'features' list"))

    units = Unit.objects.valid_on(on).filter(level=level)
    if within is not None:
        units = units.subtree_of(within)
    units = list(units)
    by_code = {u.code: u for u in units} | {u.code.lstrip("0"): u for u in units}
    by_name: dict[str, list[Unit]] = {}
    for u in units:
        for v in name_variants(u.name) | name_variants(u.short_name):
            by_name.setdefault(v, []).append(u)

    errors: list[RowError] = []
    result = BoundaryImport()
    geoms: dict[str, Any] = {}
    matched_by: dict[str, int] = {}
    for i, feature in enumerate(data["features"], start=1):
        props = (feature or {}).get("properties") or {}
        label = _feature_label(i, props)
        unit = None
        codes = [props.get(code_property)] if code_property else [props.get(p) for p in CODE_PROPERTIES]
        for code in codes:
            if code is not None and str(code).strip().lstrip("0") in by_code:
                unit, how = by_code[str(code).strip().lstrip("0")], "code"
                break
        if unit is None:
            names = [props.get(name_property)] if name_property else [props.get(p) for p in NAME_PROPERTIES]
            for name in filter(None, names):
                hits = {u.pk: u for v in name_variants(str(name)) for u in by_name.get(v, [])}
                if len(hits) == 1:
                    unit, how = next(iter(hits.values())), "name"
                    break
                if len(hits) > 1:
                    errors.append(
                        RowError(
                            label, f"name '{name}' matches several units: {', '.join(u.key for u in hits.values())}"
                        )
                    )
                    break
        if unit is None:
            result.unmatched_features.append(label)
            continue
        if unit.key in matched_by:
            errors.append(
                RowError(label, f"matches {unit.key} ({unit.name}), already matched by feature {matched_by[unit.key]}")
            )
            continue
        try:
            geom_data = feature.get("geometry")
            if repair and isinstance(geom_data, dict) and geom_data.get("type") in {"Polygon", "MultiPolygon"}:
                geom = shapely.make_valid(shape(geom_data))
                geom = shapely.union_all(
                    [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in {"Polygon", "MultiPolygon"}]
                )
                geom = parse_geometry(mapping(geom), label)
            else:
                geom = parse_geometry(geom_data, label)
        except ServiceError as exc:
            errors.append(RowError(label, exc.message.removeprefix(f"{label}: ")))
            continue
        matched_by[unit.key] = i
        geoms[unit.key] = geom
        result.matched[unit.key] = how
    if errors:
        raise ImportRejected(errors, what=gettext_noop("boundary import"))

    by_key = {u.key: u for u in units}
    with transaction.atomic():
        for key, geom in geoms.items():
            Boundary.objects.update_or_create(
                unit=by_key[key],
                defaults={"geometry": mapping(geom), "display": to_display(geom), "source": source},
            )
            _set_bounds(by_key[key], geom)
        audit.record(
            "units.boundaries.import",
            by=by,
            object_type="units.boundary",
            object_id="*",
            object_repr=f"{len(geoms)} boundaries from {source or 'GeoJSON'}",
            unit_path=within.path if within else "",
            after={"matched": len(geoms), "unmatched_features": len(result.unmatched_features), "source": source},
        )
    have = set(Boundary.objects.filter(unit__in=units).values_list("unit__key", flat=True))
    result.units_without_boundary = sorted(f"{u.key} {u.name}" for u in units if u.key not in have)
    return result


def _set_bounds(unit: Unit, geom) -> None:
    """The unit's bounding box ([south, west, north, east]) from its boundary."""
    west, south, east, north = geom.bounds
    unit.bounds = [round(south, 6), round(west, 6), round(north, 6), round(east, 6)]
    Unit.objects.filter(pk=unit.pk).update(bounds=unit.bounds)


def set_boundary(unit: Unit, geometry: dict[str, Any], *, by: Any, source: str = "") -> Boundary:
    """Set one unit's boundary from a GeoJSON geometry."""
    geom = parse_geometry(geometry, unit.key)
    with transaction.atomic():
        existed = Boundary.objects.filter(unit=unit).first()
        boundary, _ = Boundary.objects.update_or_create(
            unit=unit, defaults={"geometry": mapping(geom), "display": to_display(geom), "source": source}
        )
        _set_bounds(unit, geom)
        audit.record(
            "units.boundary.set",
            boundary,
            by=by,
            unit_path=unit.path,
            before={"source": existed.source} if existed else None,
            after={"source": source, "bounds": list(geom.bounds)},
        )
    return boundary


# --- Maps ---------------------------------------------------------------------------------------


def _padded(bounds, ratio: float) -> list[float]:
    minx, miny, maxx, maxy = bounds
    dx, dy = max(maxx - minx, 0.01) * ratio, max(maxy - miny, 0.01) * ratio
    return [minx - dx, miny - dy, maxx + dx, maxy + dy]


def _main_bounds(geom) -> list[float]:
    """Bounds of the main body of a territory, so far-off islands do not shrink the map to a dot.

    Parts whose area is under 2 % of the largest, or under 20 % and more than half a degree away
    from it (Hoàng Sa off Đà Nẵng), are left out of the view (they stay drawn).
    """
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(parts, key=lambda p: p.area)
    main = shapely.union_all(
        [
            p
            for p in parts
            if p.area >= 0.2 * largest.area or (p.area >= 0.02 * largest.area and p.distance(largest) < 0.5)
        ]
    )
    return list(main.bounds)


def unit_map(unit: Unit, day: dt.date) -> dict[str, Any]:
    """GeoJSON for a unit's map: its children (boundaries, or approximate cells labelled so), and its outline."""
    version = Boundary.objects.aggregate(v=Max("imported_at"))["v"]
    cache_key = f"unit-map:{unit.pk}:{day.isoformat()}:{version.timestamp() if version else 0}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    children = children_on(unit, day)
    if not children and unit.parent_id is not None:
        # A commune: its parent's map, with this unit in focus and its neighbours for context.
        parent_map = unit_map(unit.parent, day)
        features = [
            dict(f, properties=dict(f["properties"], focus=f["properties"]["key"] == unit.key))
            for f in parent_map["features"]
        ]
        focus = next((f for f in features if f["properties"]["focus"]), None)
        result = dict(parent_map, features=features, focus=unit.key)
        result["unit"] = dict(parent_map["unit"], key=unit.key, name=unit.name)
        if focus is not None:
            result["bbox"] = _padded(shape(focus["geometry"]).bounds, 0.6)
        cache.set(cache_key, result, 3600)
        return result
    anchor, clip = cells.anchor_of(unit)
    units = Unit.objects.aggregate(n=Count("pk"), m=Max("pk"))
    stamp = f"{version.timestamp() if version else 0}:{units['n']}:{units['m']}"
    drawn = cells.commune_cells(anchor, clip, day, stamp)
    boundaries = {b.unit_id: b.display for b in Boundary.objects.filter(unit__in=children)}
    features = []
    for c in children:
        geometry, approximate = boundaries.get(c.pk), False
        geom = shape(geometry) if geometry else None
        if geometry is None:
            geom, approximate = cells.territory(c, drawn)
            geometry = to_display(geom) if geom is not None and not geom.is_empty else None
        if geometry is None and c.lon is not None:
            geometry, approximate = {"type": "Point", "coordinates": [c.lon, c.lat]}, True
        if geometry is None:
            continue
        label_lon, label_lat = cells.label_point(geom, c.lon, c.lat)
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "key": c.key,
                    "name": c.name,
                    "label": c.short_name or c.name,
                    "type": c.get_type_display(),
                    "level": c.level,
                    "approximate": approximate,
                    "has_children": c.level != "commune",
                    "lat": c.lat,
                    "lon": c.lon,
                    "label_lon": label_lon,
                    "label_lat": label_lat,
                    "area": round(geom.area, 6) if geom is not None else 0,
                },
            }
        )
    own = Boundary.objects.filter(unit=unit).first()
    if own:
        outline = own.display
    else:
        whole, _approximate = cells.territory(unit, drawn)
        outline = to_display(whole) if whole is not None and not whole.is_empty else None
    result = {
        "type": "FeatureCollection",
        "features": features,
        "unit": {"key": unit.key, "name": unit.name, "outline": outline, "outline_approximate": own is None},
        "bbox": _main_bounds(shape(outline)) if outline else None,
        "approximate": any(f["properties"]["approximate"] for f in features),
    }
    cache.set(cache_key, result, 3600)
    return result


def area_of_units(units: list[Unit], day: dt.date | None = None) -> dict[str, Any] | None:
    """The area covered by some units, as one GeoJSON geometry: each unit's imported boundary, else
    the approximate cell its parent's map draws for it (for a geofence picked from units)."""
    from shapely.ops import unary_union

    from toancanh.units.queries import today

    day = day or today()
    shapes = []
    boundaries = {b.unit_id: b.geometry for b in Boundary.objects.filter(unit__in=units)}
    for unit in units:
        geometry = boundaries.get(unit.pk)
        if geometry is None:
            drawn = unit_map(unit, day)
            if drawn.get("focus") == unit.key:
                geometry = next((f["geometry"] for f in drawn["features"] if f["properties"]["key"] == unit.key), None)
            else:
                geometry = drawn["unit"]["outline"]
        if geometry is not None and geometry.get("type") in ("Polygon", "MultiPolygon"):
            shapes.append(shape(geometry))
    if not shapes:
        return None
    union = unary_union(shapes)
    if not union.is_valid:
        union = union.buffer(0)
    return mapping(union)
