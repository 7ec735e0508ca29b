"""Approximate territories where no official boundary has been imported.

Every commune without a boundary gets the Voronoi cell of its centre, clipped to the real outline of
the nearest unit above it that has one (the province, from the boundaries shipped with the project).
A district, or any unit above the communes, is drawn as the union of its communes' cells, so former
districts tile their former province instead of overlapping as rounded boxes. All of it is labelled
approximate on the map.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import shapely
from shapely.geometry import MultiPoint, Point, shape

from toancanh.units.models import Boundary, Level, Unit

_CACHE_SIZE = 8
_cache: dict[tuple, dict[str, Cell]] = {}


@dataclass(frozen=True)
class Cell:
    """The drawn territory of a commune: its boundary, or an approximate cell."""

    path: str
    geom: object
    approximate: bool


def approximate_cells(points: dict[str, tuple[float, float]], clip) -> dict[str, object]:
    """Voronoi cells of unit centres (lon, lat), clipped to ``clip``."""
    if not points:
        return {}
    if len(points) == 1:
        return {next(iter(points)): clip}
    cells = shapely.voronoi_polygons(
        MultiPoint([Point(lon, lat) for lon, lat in points.values()]), extend_to=clip.envelope.buffer(1)
    )
    out: dict[str, object] = {}
    pending = dict(points)
    for cell in cells.geoms:
        for key, (lon, lat) in pending.items():
            if cell.covers(Point(lon, lat)):
                out[key] = cell.intersection(clip)
                del pending[key]
                break
    return out


def anchor_of(unit: Unit) -> tuple[Unit, object | None]:
    """The unit itself or its nearest ancestor with a boundary, and that boundary; else the root
    ancestor and None."""
    keys = [unit.key, *reversed(unit.ancestor_keys)]
    found = {b.unit.key: b for b in Boundary.objects.filter(unit__key__in=keys).select_related("unit")}
    for key in keys:
        if key in found:
            return found[key].unit, shape(found[key].geometry)
    root = unit if unit.key == keys[-1] else Unit.objects.filter(key=keys[-1]).first() or unit
    return root, None


def commune_cells(anchor: Unit, clip, day: dt.date, version: str = "") -> dict[str, Cell]:
    """The drawn territory of every commune under ``anchor`` valid on ``day``, by key.

    Without a ``clip`` (no boundary anywhere above), the communes' hull stands in for the outline."""
    cache_key = (anchor.pk, day, version, clip is None)
    if cache_key in _cache:
        return _cache[cache_key]
    communes = list(
        Unit.objects.valid_on(day)
        .filter(level=Level.COMMUNE)
        .subtree_of(anchor)
        .values_list("pk", "key", "path", "lon", "lat")
    )
    own = {b.unit_id: b.display for b in Boundary.objects.filter(unit_id__in=[c[0] for c in communes])}
    points = {key: (lon, lat) for pk, key, _p, lon, lat in communes if pk not in own and lon is not None}
    if clip is None and points:
        clip = MultiPoint(list(points.values())).convex_hull.buffer(0.05)
    cells = approximate_cells(points, clip) if points else {}
    out: dict[str, Cell] = {}
    for pk, key, path, _lon, _lat in communes:
        if pk in own:
            out[key] = Cell(path, shape(own[pk]), False)
        elif key in cells and not cells[key].is_empty:
            out[key] = Cell(path, cells[key], True)
    if len(_cache) >= _CACHE_SIZE:
        _cache.pop(next(iter(_cache)))
    _cache[cache_key] = out
    return out


def territory(unit: Unit, cells: dict[str, Cell]):
    """The union of the cells of the communes in ``unit``'s subtree (a commune: its own cell), and
    whether any of them is approximate; (None, True) when none is known."""
    parts = [c for c in cells.values() if c.path.startswith(unit.path)]
    if not parts:
        return None, True
    geom = shapely.union_all([c.geom for c in parts])
    return geom, any(c.approximate for c in parts)


def label_point(geom, lon: float | None, lat: float | None) -> tuple[float, float]:
    """Where a unit's name goes: its centre when that lies inside what is drawn, else a point that
    surely does (the drawn part nearest the centre would be cut by the clip)."""
    if lon is not None and lat is not None and geom is not None and geom.covers(Point(lon, lat)):
        return lon, lat
    if geom is None or geom.is_empty:
        return lon, lat  # type: ignore[return-value]
    if geom.geom_type == "Point":
        return geom.x, geom.y
    parts = list(getattr(geom, "geoms", [geom]))
    point = max(parts, key=lambda p: p.area).representative_point()
    return round(point.x, 5), round(point.y, 5)
