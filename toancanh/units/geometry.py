"""Unit geometry: boundary import from GeoJSON, and approximate cells where no boundary exists.

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
from django.db.models import Max
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.validation import explain_validity

from toancanh.core import audit
from toancanh.core.errors import ImportRejected, RowError, ServiceError
from toancanh.core.text import fold
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
        raise ServiceError(f"{where}: geometry must be a Polygon or MultiPolygon, not {got}")
    try:
        geom = shape(data)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise ServiceError(f"{where}: malformed coordinates ({exc})") from exc
    if geom.is_empty:
        raise ServiceError(f"{where}: the geometry is empty")
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ServiceError(f"{where}: coordinates are not longitude/latitude in WGS 84 (bounds {geom.bounds})")
    if not geom.is_valid:
        raise ServiceError(f"{where}: invalid geometry ({explain_validity(geom)}); use --repair to fix it")
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
        raise ServiceError(f"not valid JSON: {exc}") from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ServiceError("expected a GeoJSON FeatureCollection with a 'features' list")

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
        raise ImportRejected(errors, what="boundary import")

    by_key = {u.key: u for u in units}
    with transaction.atomic():
        for key, geom in geoms.items():
            Boundary.objects.update_or_create(
                unit=by_key[key],
                defaults={"geometry": mapping(geom), "display": to_display(geom), "source": source},
            )
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


def set_boundary(unit: Unit, geometry: dict[str, Any], *, by: Any, source: str = "") -> Boundary:
    """Set one unit's boundary from a GeoJSON geometry."""
    geom = parse_geometry(geometry, unit.key)
    with transaction.atomic():
        existed = Boundary.objects.filter(unit=unit).first()
        boundary, _ = Boundary.objects.update_or_create(
            unit=unit, defaults={"geometry": mapping(geom), "display": to_display(geom), "source": source}
        )
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


def approximate_cells(points: dict[str, tuple[float, float]], clip) -> dict[str, Any]:
    """Voronoi cells of unit centres, clipped to ``clip``: an approximation where no boundary exists."""
    if not points:
        return {}
    if len(points) == 1:
        key = next(iter(points))
        return {key: clip}
    pts = MultiPoint([Point(lon, lat) for lon, lat in points.values()])
    cells = shapely.voronoi_polygons(pts, extend_to=clip.envelope.buffer(1))
    out: dict[str, Any] = {}
    keyed = list(points.items())
    for cell in cells.geoms:
        for key, (lon, lat) in keyed:
            if key not in out and cell.covers(Point(lon, lat)):
                out[key] = cell.intersection(clip)
                break
    return out


def _clip_area(unit: Unit, children: list[Unit]):
    boundary = Boundary.objects.filter(unit=unit).first()
    if boundary:
        return shape(boundary.geometry), False
    pts = [(c.lon, c.lat) for c in children if c.lon is not None]
    if unit.bounds:
        s, w, n, e = unit.bounds
        return shapely.box(w, s, e, n).buffer(0.02), True
    if pts:
        return MultiPoint(pts).convex_hull.buffer(0.05), True
    return None, True


def _padded(bounds, ratio: float) -> list[float]:
    minx, miny, maxx, maxy = bounds
    dx, dy = max(maxx - minx, 0.01) * ratio, max(maxy - miny, 0.01) * ratio
    return [minx - dx, miny - dy, maxx + dx, maxy + dy]


def _main_bounds(geom) -> list[float]:
    """Bounds of the main body of a territory, so far-off islands do not shrink the map to a dot.

    Parts whose area is under 2 % of the largest are left out of the view (they stay drawn).
    """
    parts = list(getattr(geom, "geoms", [geom]))
    largest = max(p.area for p in parts)
    main = shapely.union_all([p for p in parts if p.area >= 0.02 * largest])
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
    clip, _approximate = _clip_area(unit, children)
    boundaries = {b.unit_id: b.display for b in Boundary.objects.filter(unit__in=children)}
    missing = {c.key: (c.lon, c.lat) for c in children if c.pk not in boundaries and c.lon is not None}
    cells = approximate_cells(missing, clip) if clip is not None and missing else {}
    features = []
    for c in children:
        geometry, approximate = boundaries.get(c.pk), False
        if geometry is None and c.key in cells and not cells[c.key].is_empty:
            geometry, approximate = to_display(cells[c.key]), True
        elif geometry is None and c.lon is not None:
            geometry, approximate = {"type": "Point", "coordinates": [c.lon, c.lat]}, True
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "key": c.key,
                    "name": c.name,
                    "type": c.get_type_display(),
                    "level": c.level,
                    "approximate": approximate,
                    "has_children": c.level != "commune",
                    "lat": c.lat,
                    "lon": c.lon,
                },
            }
        )
    own = Boundary.objects.filter(unit=unit).first()
    outline = own.display if own else (to_display(clip) if clip is not None else None)
    result = {
        "type": "FeatureCollection",
        "features": features,
        "unit": {"key": unit.key, "name": unit.name, "outline": outline, "outline_approximate": own is None},
        "bbox": _main_bounds(shape(outline)) if outline else None,
        "approximate": any(f["properties"]["approximate"] for f in features),
    }
    cache.set(cache_key, result, 3600)
    return result
