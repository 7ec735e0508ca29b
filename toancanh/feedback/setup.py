"""Administrators' writes: categories (their agency, urgency and deadline), routing rules and the
handling settings. Each in one transaction with its audit record."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from toancanh.core import audit
from toancanh.core.errors import Forbidden, ServiceError
from toancanh.feedback.models import AgencyLevel, Category, DeadlineUnit, HandlingSettings, RoutingRule, Urgency
from toancanh.feedback.permissions import FEEDBACK_MANAGE

CATEGORY_FIELDS = ("name", "description", "agency_kind", "agency_level", "agency_sector", "urgency",
                   "deadline_value", "deadline_unit", "active")  # fmt: skip


def _require(by: Any) -> None:
    if by is not None and not by.permits(FEEDBACK_MANAGE):
        raise Forbidden(gettext("only an administrator changes categories and routing"))


def save_category(category: Category, *, by: Any, **fields: Any) -> Category:
    _require(by)
    if fields.get("urgency", category.urgency) not in Urgency.values:
        raise ServiceError(gettext("unknown urgency"))
    if fields.get("deadline_unit", category.deadline_unit) not in DeadlineUnit.values:
        raise ServiceError(gettext("a deadline is in working days or working hours"))
    if fields.get("agency_level", category.agency_level) not in AgencyLevel.values:
        raise ServiceError(gettext("unknown agency level"))
    if not 1 <= int(fields.get("deadline_value", category.deadline_value)) <= 365:
        raise ServiceError(gettext("a deadline is 1 to 365"))
    before = audit.snapshot(category)
    with transaction.atomic():
        for k in CATEGORY_FIELDS:
            if k in fields:
                setattr(category, k, fields[k] if fields[k] is not None else "")
        category.save()
        audit.record("feedback.category.save", category, by=by, before=before, after=audit.snapshot(category))
    return category


def save_rule(rule: RoutingRule | None, *, by: Any, category, unit, agency, active: bool = True) -> RoutingRule:
    _require(by)
    if by is not None:
        by.scope.require(unit.path)
    clash = RoutingRule.objects.filter(category=category, unit=unit).exclude(pk=rule.pk if rule else None)
    if clash.exists():
        raise ServiceError(gettext("a rule for this category and unit already exists"))
    before = audit.snapshot(rule)
    with transaction.atomic():
        rule = rule or RoutingRule()
        rule.category, rule.unit, rule.agency, rule.active = category, unit, agency, active
        rule.save()
        audit.record("feedback.rule.save", rule, by=by, before=before, after=audit.snapshot(rule), unit_path=unit.path)
    return rule


def delete_rule(rule: RoutingRule, *, by: Any) -> None:
    _require(by)
    with transaction.atomic():
        audit.record("feedback.rule.delete", rule, by=by, before=audit.snapshot(rule), unit_path=rule.unit.path)
        rule.delete()


# The handling settings an administrator edits on a page, with their bounds (SQLite enforces none).
SETTINGS_BOUNDS = {
    "max_reports_per_hour": (1, 100),
    "abuse_reports_to_lock": (1, 100),
    "abuse_window_days": (1, 365),
    "abuse_lock_days": (1, 365),
}


def save_settings(rules: HandlingSettings, *, by: Any, **fields: Any) -> HandlingSettings:
    """Change the rate limit and the abusive-account rule (how many reports refused as spam, within how
    many days, lock an account for how many days)."""
    _require(by)
    for name, value in fields.items():
        low, high = SETTINGS_BOUNDS[name]
        if not isinstance(value, int) or not low <= value <= high:
            raise ServiceError(gettext("%(value)s is not allowed here: a whole number from %(low)s to %(high)s")
                               % {"value": value, "low": low, "high": high})  # fmt: skip
    before = audit.snapshot(rules)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(rules, name, value)
        rules.save()
        audit.record("feedback.settings", rules, by=by, before=before, after=audit.snapshot(rules))
    return rules
