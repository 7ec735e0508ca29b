"""Which agency answers a report: category + place → agency.

An administrator's :class:`~toancanh.feedback.models.RoutingRule` decides first — the most specific
one: a sub-category's before its category's before a rule for any category, a commune's before its
province's. Without a rule, the category's defaults name the agency: its kind (a People's
Committee, a Department, the Police), its level (the commune's own, or the province's) and a
sector it must cover; e.g. urban order goes to the commune's People's Committee, food safety to the
Department of Agriculture and Environment. Failing both, the province's People's Committee office
takes it, to pass on.
"""

from __future__ import annotations

from toancanh.feedback.models import Category, RoutingRule
from toancanh.units.models import Agency, Unit


def _levels(unit: Unit) -> list[str]:
    """The unit's path and the paths above it, most specific first."""
    parts = [p for p in unit.path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))][::-1]


def by_rule(category: Category, unit: Unit) -> Agency | None:
    paths = _levels(unit)
    cats = [category.pk, category.parent_id, None] if category.parent_id else [category.pk, None]
    rules = list(
        RoutingRule.objects.filter(active=True, unit__path__in=paths, agency__active=True)
        .filter(category_id__in=[c for c in cats if c]) | RoutingRule.objects.filter(
            active=True, unit__path__in=paths, agency__active=True, category__isnull=True)
    )  # fmt: skip
    if not rules:
        return None
    units = dict(Unit.objects.filter(pk__in={r.unit_id for r in rules}).values_list("pk", "path"))

    def rank(rule: RoutingRule) -> tuple[int, int]:
        return cats.index(rule.category_id), paths.index(units[rule.unit_id])

    best = min(rules, key=rank)
    return Agency.objects.get(pk=best.agency_id)


def by_default(category: Category, unit: Unit) -> Agency | None:
    paths = _levels(unit)
    province = paths[-1]
    qs = Agency.objects.filter(active=True)
    if category.agency_kind:
        qs = qs.filter(kind=category.agency_kind)
    if category.agency_sector:
        qs = qs.filter(sectors__code=category.agency_sector)
    if category.agency_level == "commune":
        found = qs.filter(unit__path=unit.path).order_by("pk").first()
        if found is not None:
            return found
    found = qs.filter(unit__path=province, parent__isnull=True).order_by("pk").first()
    if found is not None:
        return found
    return Agency.objects.filter(active=True, kind="ubnd", unit__path=province).order_by("pk").first()


def route(category: Category, unit: Unit) -> Agency | None:
    """The agency that answers a report of ``category`` in ``unit`` (a commune), or ``None`` when
    nothing fits (the IOC's operators then route it by hand)."""
    return by_rule(category, unit) or by_default(category, unit)
