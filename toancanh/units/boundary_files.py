"""The province boundaries shipped with Toàn Cảnh, for both structures, so a fresh installation draws
the real outline without any file beside it.

The shipped files are built from the full-resolution files of TaliaCao/Vietnam-Shape-Map (MIT, see
NOTICE) by :func:`build`: the 63 former provinces come as TopoJSON and are decoded to GeoJSON; both
sets are simplified as a *coverage* (``shapely.coverage_simplify``: the border two provinces share
is simplified once, so no gaps or overlaps appear between them) and rounded to about 10 m.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "TaliaCao/Vietnam-Shape-Map (MIT)"

# structure -> (shipped file, source file in ../shared/data, a day on which its provinces are in force)
SHIPPED: dict[str, tuple[str, str, dt.date]] = {
    "vn34": ("vn-provinces-2025.geojson", "vn-provinces-2025.geojson", dt.date(2025, 7, 1)),
    "vn63": ("vn-provinces-63.geojson", "vn-provinces-63-before-2025.topojson", dt.date(2025, 6, 30)),
}
TOLERANCE = 0.004  # degrees, about 400 m: the outline of a province on a screen
PRECISION = 1e-4  # about 10 m


def decode_topojson(topology: dict[str, Any], name: str | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection from one object of a TopoJSON topology (Polygon and MultiPolygon).

    Arcs are delta-encoded when the topology is quantized (``transform``); a negative arc index ``~i``
    means arc ``i`` reversed (TopoJSON specification, section 2.2)."""
    transform = topology.get("transform")
    arcs: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for position in arc:
            if transform:
                x, y = x + position[0], y + position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((position[0], position[1]))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points[1:] if out else points)  # consecutive arcs share their end point
        return out

    objects = topology["objects"]
    obj = objects[name] if name else next(iter(objects.values()))
    geometries = obj["geometries"] if obj.get("type") == "GeometryCollection" else [obj]
    features = []
    for g in geometries:
        if g.get("type") == "Polygon":
            geometry = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
        elif g.get("type") == "MultiPolygon":
            geometry = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in g["arcs"]]}
        else:
            continue
        features.append({"type": "Feature", "properties": g.get("properties") or {}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}


def simplify_coverage(
    collection: dict[str, Any], tolerance: float = TOLERANCE, precision: float = PRECISION
) -> dict[str, Any]:
    """The collection simplified as a coverage: shared borders stay shared, every feature keeps its
    properties and stays a valid (Multi)Polygon."""
    features = collection["features"]
    geoms = [shapely.make_valid(shape(f["geometry"])) for f in features]
    geoms = [_polygons(g) for g in geoms]
    simple = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    out = []
    for feature, original, geom in zip(features, geoms, simple, strict=True):
        geom = shapely.set_precision(geom, precision)
        if geom.is_empty or not geom.is_valid:  # a tiny island rounded away: keep the original, rounded
            geom = shapely.set_precision(original, precision)
        geom = _polygons(shapely.make_valid(geom))
        out.append({"type": "Feature", "properties": feature["properties"], "geometry": mapping(geom)})
    return {"type": "FeatureCollection", "features": out}


def _polygons(geom):
    """Only the polygonal parts of a geometry (make_valid may add lines or points)."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in {"Polygon", "MultiPolygon"}]
    return shapely.union_all(parts) if len(parts) != 1 else parts[0]


def _compact(collection: dict[str, Any]) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def build(source_dir: Path, target_dir: Path = DATA_DIR) -> dict[str, int]:
    """Write the shipped files from the full-resolution ones; returns their sizes in bytes."""
    target_dir.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for shipped, source, _day in SHIPPED.values():
        data = json.loads((source_dir / source).read_text(encoding="utf-8"))
        if data.get("type") == "Topology":
            data = decode_topojson(data)
        path = target_dir / shipped
        path.write_text(_compact(simplify_coverage(data)), encoding="utf-8")
        sizes[shipped] = path.stat().st_size
    return sizes


def shipped(structure: str) -> tuple[bytes, dt.date, str]:
    """The shipped boundary file of a structure (``vn34`` or ``vn63``), the day its provinces are
    in force, and the source to record."""
    name, _source, day = SHIPPED[structure]
    return (DATA_DIR / name).read_bytes(), day, f"{name} ({SOURCE}, simplified)"
