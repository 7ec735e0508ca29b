"""One way to scope reads.

Every queryset that reaches a user or an API key goes through ``visible_to(principal)``.
A principal (a user or an API key) has a :class:`Scope`: the administrative-unit subtrees it
may see (as materialized path prefixes, former units that its units succeeded included), an
optional agency and optional sectors. A model's queryset says where its unit path, agency and
sector are; ``visible_to`` builds the filter from that. Objects outside the scope are simply
not there, so views answer 404 for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import Any, ClassVar, Self

from django.db import models


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
        return self.everywhere or any(path.startswith(p) for p in self.unit_paths)


def scope_of(principal: Any) -> Scope:
    if principal is None:
        return Scope.nothing()
    return getattr(principal, "scope", None) or Scope.nothing()


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a principal may see.

    Subclasses name their lookups; ``None`` means the model has no such dimension.
    """

    scope_unit_path: ClassVar[str | None] = None
    scope_agency: ClassVar[str | None] = None
    scope_sector: ClassVar[str | None] = None

    def visible_to(self, principal: Any) -> Self:
        return self.within(scope_of(principal))

    def within(self, scope: Scope) -> Self:
        if scope.everywhere:
            qs = self.all()
        elif not scope.unit_paths:
            return self.none()
        elif self.scope_unit_path is None:
            qs = self.all()
        else:
            lookup = f"{self.scope_unit_path}__startswith"
            qs = self.filter(reduce(or_, (models.Q(**{lookup: p}) for p in scope.unit_paths)))
        if scope.agency_id is not None and self.scope_agency:
            qs = qs.filter(**{self.scope_agency: scope.agency_id})
        if scope.sectors and self.scope_sector:
            qs = qs.filter(**{f"{self.scope_sector}__in": sorted(scope.sectors)})
        return qs
