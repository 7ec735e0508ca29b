"""One way to decide scope, for reads, writes and the live stream.

A principal (a user or an API key) has a :class:`Scope`: the administrative-unit subtrees it
may see (as materialized path prefixes, former units that its units succeeded included), an
optional agency and optional sectors. :meth:`Scope.allows` is THE decision: may a principal with
this scope see or touch an object at this unit path, of this sector, led by this agency?

Every queryset that reaches a user or an API key goes through ``visible_to(principal)``, which
states the same decision as a database filter: a model's queryset says where its unit path,
agency and sector are. Objects outside the scope are simply not there, so views answer 404 for
them (:func:`get_visible_or_404`). Writes ask :meth:`Scope.allows` (or :meth:`Scope.require`)
about the object they are about to create; the live stream asks it about each bus event.

The dimensions: an object is *in* a scope when its unit path lies in one of the scope's
subtrees, and — where the scope is limited to sectors or an agency and the object has such a
dimension — its sector is one of those sectors and its agency is that agency. An object that has
the dimension but no value for it (a rule for every sector, a situation without a lead agency)
is outside a limited scope: a health officer does not see what is not known to be health's.
A dimension the object does not have at all (an event has no agency) is passed as
:data:`NOT_SCOPED` (the default) and limits nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, ClassVar, Final, Self

from django.db import models


class _NotScoped:
    """The marker of a dimension an object does not have (events have no agency)."""

    _instance: ClassVar[_NotScoped | None] = None

    def __new__(cls) -> _NotScoped:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_SCOPED"

    def __bool__(self) -> bool:
        return False


NOT_SCOPED: Final = _NotScoped()


@dataclass(frozen=True)
class Scope:
    everywhere: bool = False
    unit_paths: tuple[str, ...] = ()
    agency_id: int | None = None
    sectors: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def nothing(cls) -> Scope:
        return cls()

    @property
    def is_empty(self) -> bool:
        return not self.everywhere and not self.unit_paths

    def covers_path(self, path: str) -> bool:
        """Whether an object at this unit path lies inside the scope's units."""
        return self.everywhere or bool(path) and any(path.startswith(p) for p in self.unit_paths)

    def allows(self, path: Any, sector: Any = NOT_SCOPED, agency_id: Any = NOT_SCOPED) -> bool:
        """THE scope decision: whether an object at unit ``path``, of ``sector``, led by ``agency_id``
        is within this scope. Pass :data:`NOT_SCOPED` (the default) for a dimension the object
        does not have; ``None`` for one it has but leaves empty (refused by a limited scope)."""
        if self.everywhere:
            return True
        if self.is_empty or path is not NOT_SCOPED and not self.covers_path(path or ""):
            return False
        if self.sectors and sector is not NOT_SCOPED and sector not in self.sectors:
            return False
        return not (self.agency_id is not None and agency_id is not NOT_SCOPED and agency_id != self.agency_id)

    def require(self, path: Any, sector: Any = NOT_SCOPED, agency_id: Any = NOT_SCOPED) -> None:
        """:meth:`allows`, for writes: a 403 that names what lies outside the scope."""
        if self.allows(path, sector, agency_id):
            return
        from django.utils.translation import gettext

        from toancanh.core.errors import Forbidden

        if self.is_empty or path is not NOT_SCOPED and not self.covers_path(path or ""):
            raise Forbidden(gettext("the place lies outside your scope"))
        if self.sectors and sector is not NOT_SCOPED and sector not in self.sectors:
            if sector is None:
                raise Forbidden(gettext("choose a sector within your scope: %(sectors)s")
                                % {"sectors": ", ".join(sorted(self.sectors))})  # fmt: skip
            raise Forbidden(gettext("sector '%(sector)s' is outside your scope") % {"sector": sector})
        raise Forbidden(gettext("only your own agency may lead this"))

    def inherits(self, path: str | None) -> bool:
        """Whether ``path`` is a unit above this scope's units (what a province provides for its
        communes, such as notification channels), or the scope covers it."""
        if self.is_empty:
            return False
        if self.everywhere or not path:  # a unit-less object is provided to everyone
            return True
        return self.covers_path(path) or any(path in ancestor_paths(p) for p in self.unit_paths)

    def narrows(self, other: Scope) -> bool:
        """Whether ``other`` lies entirely within this scope: the rule for anything a principal
        creates that itself carries a scope (an account, an API key)."""
        if self.everywhere or other.is_empty:
            return True
        if other.everywhere or not all(self.covers_path(p) for p in other.unit_paths):
            return False
        if self.agency_id is not None and other.agency_id != self.agency_id:
            return False
        return not self.sectors or bool(other.sectors) and other.sectors <= self.sectors


def ancestor_paths(path: str) -> list[str]:
    """The paths of a unit and of every unit above it: ``/a/b/`` -> ``/a/``, ``/a/b/``."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def scope_of(principal: Any) -> Scope:
    if principal is None:
        return Scope.nothing()
    return getattr(principal, "scope", None) or Scope.nothing()


def _crosses_to_many(model: type[models.Model], lookup: str) -> bool:
    """Whether a lookup such as ``units__path`` passes through a to-many relation."""
    for name in lookup.split("__"):
        try:
            f = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a transform or a column, not a relation: the walk ends
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        model = f.related_model
    return False


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a principal may see.

    Subclasses name their lookups; ``None`` means the model has no such dimension. The filter
    is :meth:`Scope.allows` written for the database; a lookup through a to-many relation
    (a warning's units) still returns each object once.
    """

    scope_unit_path: ClassVar[str | None] = None
    scope_agency: ClassVar[str | None] = None
    scope_sector: ClassVar[str | None] = None

    # What itself carries a scope (an account, an API key) names where its own agency and sectors
    # are, so that an administrator sees and acts on only those whose scope lies within its own.
    scope_grant_agency: ClassVar[str | None] = None
    scope_grant_sectors: ClassVar[str | None] = None  # e.g. "sectors__code" (a to-many relation)

    def visible_to(self, principal: Any) -> Self:
        return self.within(scope_of(principal))

    def managed_by(self, principal: Any) -> Self:
        """The principals (accounts, keys) that ``principal`` may administer: :meth:`narrower_than`
        its scope."""
        return self.narrower_than(scope_of(principal))

    def narrower_than(self, scope: Scope) -> Self:
        """:meth:`Scope.narrows` as a filter, for objects that carry a scope of their own: their unit
        lies in the scope's subtrees; where the scope is bound to an agency, theirs is that agency;
        where it is limited to sectors, theirs are some of those sectors (and not none, which means
        every sector). A sector-limited administrator does not manage an all-sectors account."""
        qs = self.within(scope)
        if scope.everywhere or scope.is_empty:
            return qs
        if scope.agency_id is not None and self.scope_grant_agency:
            qs = qs.filter(**{self.scope_grant_agency: scope.agency_id})
        if scope.sectors and self.scope_grant_sectors:
            relation, _, column = self.scope_grant_sectors.partition("__")
            related = self.model._meta.get_field(relation).related_model
            outside = related._default_manager.exclude(**{f"{column}__in": sorted(scope.sectors)})
            base = self.model._base_manager
            qs = qs.filter(pk__in=base.filter(**{f"{relation}__isnull": False}).values("pk")).exclude(
                pk__in=base.filter(**{f"{relation}__in": outside}).values("pk")
            )
        return qs

    def scope_filter(self, scope: Scope) -> models.Q | None:
        """The scope as a database condition (``None``: nothing is visible)."""
        if scope.everywhere:
            return models.Q()
        if not scope.unit_paths:
            return None
        q = models.Q()
        if self.scope_unit_path is not None:
            lookup = f"{self.scope_unit_path}__startswith"
            q &= reduce(or_, (models.Q(**{lookup: p}) for p in scope.unit_paths))
        if scope.agency_id is not None and self.scope_agency:
            q &= models.Q(**{self.scope_agency: scope.agency_id})
        if scope.sectors and self.scope_sector:
            q &= models.Q(**{f"{self.scope_sector}__in": sorted(scope.sectors)})
        return q

    def within(self, scope: Scope) -> Self:
        q = self.scope_filter(scope)
        if q is None:
            return self.none()
        if not q:
            return self.all()
        lookups = [lk for lk in (self.scope_unit_path, self.scope_agency, self.scope_sector) if lk]
        if any(_crosses_to_many(self.model, lk) for lk in lookups):
            # A join through a to-many relation repeats rows: filter by the matching keys instead.
            return self.filter(pk__in=self.model._base_manager.filter(q).values("pk"))
        return self.filter(q)


def get_visible_or_404(qs_or_model: Any, principal: Any, *, what: str = "", scope: Scope | None = None, **lookup: Any):
    """The one object ``lookup`` names among those ``principal`` (or ``scope``) may see, or a
    404 that does not reveal whether it exists elsewhere.

    ``qs_or_model`` is a model with a scoped manager, or a scoped queryset (with its
    ``select_related`` and the like). ``what`` names it in the message ("situation").
    """
    from toancanh.core.errors import NotFound

    qs = qs_or_model if isinstance(qs_or_model, models.QuerySet) else qs_or_model._default_manager.all()
    qs = qs.within(scope) if scope is not None else qs.visible_to(principal)
    obj = qs.filter(**lookup).first()
    if obj is None:
        label = what or str(qs.model._meta.verbose_name)
        ref = ", ".join(str(v) for v in lookup.values())
        raise NotFound.of(label, ref)
    return obj


def _values_at(obj: Any, lookup: str) -> list[Any]:
    """The values a lookup such as ``unit__path`` or ``units__path`` reaches from an instance."""
    name, _, rest = lookup.partition("__")
    f = obj._meta.get_field(name)
    if f.many_to_many or f.one_to_many:
        related = list(getattr(obj, f.get_accessor_name() if f.one_to_many else name).all())
        return [v for r in related for v in (_values_at(r, rest) if rest else [r.pk])]
    if f.is_relation and not rest:
        return [getattr(obj, f.attname)]
    value = getattr(obj, name)
    if rest:
        return [None] if value is None else _values_at(value, rest)
    return [value]


def allows_object(scope: Scope, obj: models.Model) -> bool:
    """:meth:`Scope.allows` asked about a model instance, along its queryset's declared lookups (an
    object with several units is in scope when one of them is)."""
    qs = type(obj)._default_manager.all()
    paths = _values_at(obj, qs.scope_unit_path) if qs.scope_unit_path else [NOT_SCOPED]
    sector = _values_at(obj, qs.scope_sector)[0] if qs.scope_sector else NOT_SCOPED
    agency = _values_at(obj, qs.scope_agency)[0] if qs.scope_agency else NOT_SCOPED
    return any(scope.allows(p, sector, agency) for p in paths)
