"""Reads of the unit tree that need care: resolving references, scopes, maps."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from toancanh.core.collation import order_by_name
from toancanh.core.errors import NotFound
from toancanh.units.models import Succession, Unit


def resolve_unit(ref: str, *, on: dt.date | None = None) -> Unit:
    """Find a unit by its key (``vn34-p48``) or by a bare GSO code valid on a day (default today).

    A bare code must name exactly one unit valid that day; otherwise the error says which
    keys it could mean.
    """
    ref = (ref or "").strip()
    unit = Unit.objects.filter(key=ref).first()
    if unit:
        return unit
    day = on or today()
    candidates = list(Unit.objects.valid_on(day).filter(code=ref))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound(f"unknown unit '{ref}': give a unit key such as vn34-p48, or a GSO code valid on {day:%d/%m/%Y}")
    keys = ", ".join(sorted(u.key for u in candidates))
    raise NotFound(f"unit code '{ref}' is ambiguous on {day:%d/%m/%Y} ({keys}): give the unit key")


def predecessors(unit: Unit) -> list[Unit]:
    """Every former unit whose territory passed, directly or through other former units, to ``unit``."""
    found: dict[int, Unit] = {}
    frontier = [unit.pk]
    while frontier:
        olds = Unit.objects.filter(successors__new_id__in=frontier).exclude(pk__in=found.keys()).distinct()
        frontier = []
        for old in olds:
            if old.pk != unit.pk and old.pk not in found:
                found[old.pk] = old
                frontier.append(old.pk)
    return sorted(found.values(), key=lambda u: u.path)


def scope_paths(unit: Unit) -> tuple[str, ...]:
    """The path prefixes a principal scoped to ``unit`` sees: its subtree and its predecessors' subtrees."""
    paths = [unit.path] + [u.path for u in predecessors(unit)]
    # Drop prefixes covered by shorter ones.
    kept: list[str] = []
    for p in sorted(set(paths), key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))


def children_on(unit: Unit, day: dt.date | None) -> list[Unit]:
    """The unit's children valid on a day (all of them when ``day`` is None)."""
    qs = unit.children.all()
    if day is not None:
        qs = qs.valid_on(day)
    return list(order_by_name(qs))


def today() -> dt.date:
    """Today's date in Vietnam (the project's time zone)."""
    from django.utils import timezone

    return timezone.localdate()


def display_day(unit: Unit) -> dt.date:
    """The day on which to show a unit: today, or its last valid day if it no longer exists."""
    today_ = today()
    if unit.valid_to and unit.valid_to < today_:
        return unit.valid_to
    if unit.valid_from and unit.valid_from > today_:
        return unit.valid_from
    return today_


def successions_of(unit: Unit) -> tuple[list[Succession], list[Succession]]:
    """(where this unit went, where this unit came from)."""
    went = list(order_by_name(Succession.objects.filter(old=unit).select_related("new"), "new__name"))
    came = list(order_by_name(Succession.objects.filter(new=unit).select_related("old"), "old__name"))
    return went, came


def ancestors(unit: Unit) -> list[Unit]:
    keys = unit.ancestor_keys
    by_key = {u.key: u for u in Unit.objects.filter(key__in=keys)}
    return [by_key[k] for k in keys if k in by_key]


def text_filter(qs, q: str | None):
    if not q:
        return qs
    if q.strip().isdigit():
        return qs.filter(Q(code=q.strip()) | Q(search_name__contains=q.strip()))
    return qs.search(q)


_boundary_shapes: dict[str, object] = {}


def _prepared_boundaries(version: str) -> list[tuple[int, object]]:
    """(unit id, prepared shape) of every commune boundary, parsed once per boundary version."""
    if version not in _boundary_shapes:
        from shapely.geometry import shape
        from shapely.prepared import prep

        from toancanh.units.models import Boundary

        _boundary_shapes.clear()
        _boundary_shapes[version] = [
            (unit_id, prep(shape(geometry)))
            for unit_id, geometry in Boundary.objects.filter(unit__level="commune").values_list("unit_id", "geometry")
        ]
    return _boundary_shapes[version]  # type: ignore[return-value]


def locate_commune(lat: float, lon: float, scope) -> Unit | None:
    """The commune in force, within a scope, that contains a point: by imported boundary, else the
    nearest centre (within about 50 km)."""
    from django.db.models import Count, Max
    from shapely.geometry import Point

    from toancanh.units.models import Boundary

    candidates = Unit.objects.within(scope).current().filter(level="commune")
    stamp = Boundary.objects.aggregate(n=Count("id"), t=Max("imported_at"))
    point = Point(lon, lat)
    inside = [uid for uid, geom in _prepared_boundaries(f"{stamp['n']}:{stamp['t']}") if geom.contains(point)]
    if inside:
        found = candidates.filter(pk__in=inside).only("id", "key", "path").first()
        if found is not None:
            return found
    near = candidates.exclude(lat=None).only("id", "key", "path", "lat", "lon")
    best = min(near, key=lambda u: (u.lat - lat) ** 2 + (u.lon - lon) ** 2, default=None)
    if best is not None and (best.lat - lat) ** 2 + (best.lon - lon) ** 2 < 0.25:
        return best
    return None
