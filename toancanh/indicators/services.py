"""Writes to indicators: the catalogue, data values (batch upsert with a per-row report), targets."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from toancanh.core import audit
from toancanh.core.errors import ServiceError, full_clean_or_raise
from toancanh.core.periods import Period, PeriodError
from toancanh.core.scoping import Scope
from toancanh.core.sql import insert_many, marks
from toancanh.indicators import formulas, rollup
from toancanh.indicators.models import (
    CategoryOption,
    Indicator,
    RollupState,
    Target,
    UnitAggregation,
    ValueStatus,
)
from toancanh.units.models import Unit

MAX_ABS = Decimal("1e17")


# --- the catalogue ------------------------------------------------------------------------------


def _formula_refs(code: str) -> list[str] | None:
    ind = Indicator.objects.filter(code=code).only("formula").first()
    if ind is None:
        return None
    return [r.code for r in formulas.references(ind.formula)] if ind.formula else []


def define_indicator(*, by: Any, code: str, **fields: Any) -> Indicator:
    """Create or update an indicator of the catalogue; a formula is checked before it is saved."""
    if not formulas.CODE.match(code or ""):
        raise ServiceError(f"indicator code '{code}' must be upper-case letters, digits and _ (e.g. GRDP_PER_CAPITA)")
    with transaction.atomic():
        indicator = Indicator.objects.filter(code=code).first()
        before = audit.snapshot(indicator)
        indicator = indicator or Indicator(code=code)
        sector = fields.pop("sector", None)
        weight = fields.pop("weight", None)
        category = fields.pop("category", None)
        for name, value in fields.items():
            setattr(indicator, name, value)
        if sector is not None:
            from toancanh.core.sectors import resolve_sectors

            indicator.sector = resolve_sectors([sector])[0]
        if weight is not None:
            indicator.weight = Indicator.objects.filter(code=weight).first() if weight else None
            if weight and indicator.weight is None:
                raise ServiceError(f"weight indicator '{weight}' is unknown")
        if category is not None:
            from toancanh.indicators.models import Category

            indicator.category = Category.objects.filter(code=category).first() if category else None
            if category and indicator.category is None:
                raise ServiceError(f"category '{category}' is unknown")
        if indicator.unit_aggregation == UnitAggregation.WEIGHTED_AVERAGE and indicator.weight_id is None:
            raise ServiceError("a weighted average needs a weight indicator")
        if indicator.formula:
            formulas.check(code, indicator.formula, _formula_refs)
        full_clean_or_raise(indicator, exclude=["sector", "weight", "category"])
        indicator.save()
        audit.record("indicators.define", indicator, by=by, before=before, after=audit.snapshot(indicator))
    return indicator


# --- data values --------------------------------------------------------------------------------


@dataclass
class ValueRow:
    indicator: str
    unit: str
    period: str
    value: Any
    option: str = ""
    status: str = ValueStatus.PRELIMINARY
    source: str = ""
    row: int | str = ""


@dataclass
class ValuesReport:
    """What a batch did, row by row: stored (new), changed, unchanged, refused (with reasons)."""

    created: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    anomalies: list[dict[str, Any]] = field(default_factory=list)
    rollup_seconds: float = 0.0

    @property
    def stored(self) -> int:
        return self.created + self.changed


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("a value must be a number, not true/false")
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text and "." in text:  # 1.234.567,89 (Vietnamese) or 1,234,567.89
            text = (
                text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
            )
        elif "," in text:
            text = text.replace(",", ".")
        value = text
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"'{value}' is not a number") from exc
    if not number.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"'{value}' is not a finite number")
    if abs(number) >= MAX_ABS:
        raise ValueError(f"{value} is too large")
    if number.as_tuple().exponent < -6:  # type: ignore[operator]
        raise ValueError(f"{value} has more than 6 decimals")
    return number


class _Lookup:
    """Caches for checking many rows: indicators, units within scope, category options."""

    def __init__(self, scope: Scope):
        self.indicators = {i.code: i for i in Indicator.objects.within(scope).select_related("category")}
        self.scope = scope
        self.units: dict[str, Unit | None] = {}
        self.options: dict[int, set[str]] = {}
        for cat_id, code in CategoryOption.objects.values_list("category_id", "code"):
            self.options.setdefault(cat_id, set()).add(code)

    def unit(self, key: str) -> Unit | None:
        if key not in self.units:
            self.units[key] = Unit.objects.within(self.scope).filter(key=key).only("id", "key", "path").first()
        return self.units[key]

    def preload_units(self, keys: Iterable[str]) -> None:
        missing = [k for k in set(keys) if k not in self.units]
        for i in range(0, len(missing), 900):
            chunk = missing[i : i + 900]
            found = {u.key: u for u in Unit.objects.within(self.scope).filter(key__in=chunk).only("id", "key", "path")}
            for k in chunk:
                self.units[k] = found.get(k)


def _check_row(r: ValueRow, look: _Lookup) -> tuple[Indicator, Unit, Period, Decimal]:
    ind = look.indicators.get(r.indicator)
    if ind is None:
        raise ValueError(f"unknown indicator '{r.indicator}'")
    if ind.is_derived:
        raise ValueError(f"{ind.code} is computed by its formula ({ind.formula}); it takes no values")
    unit = look.unit(r.unit)
    if unit is None:
        raise ValueError(f"unit '{r.unit}' not found (or outside your scope)")
    try:
        period = Period.parse(r.period)
    except PeriodError as exc:
        raise ValueError(str(exc)) from exc
    if period.type != ind.period_type:
        raise ValueError(f"{ind.code} is reported by {ind.period_type}; '{r.period}' is a {period.type}")
    if r.option and (ind.category_id is None or r.option not in look.options.get(ind.category_id, set())):
        raise ValueError(f"'{r.option}' is not a disaggregation of {ind.code}")
    if r.status not in ValueStatus.values:
        raise ValueError(f"status '{r.status}' is not one of {', '.join(ValueStatus.values)}")
    return ind, unit, period, _decimal(r.value)


def record_values(
    rows: Sequence[ValueRow], *, by: Any, scope: Scope, source: str = "", recompute: bool = True
) -> ValuesReport:
    """Store a batch of figures: an idempotent upsert. Every refused row is reported with its
    reason and the others are stored; every change keeps its history; roll-ups are rebuilt."""
    report = ValuesReport()
    look = _Lookup(scope)
    look.preload_units(r.unit for r in rows)
    checked: dict[tuple[int, int, str, str], tuple[ValueRow, Indicator, Unit, Period, Decimal]] = {}
    first_row: dict[tuple[int, int, str, str], int | str] = {}
    for r in rows:
        try:
            ind, unit, period, value = _check_row(r, look)
        except ValueError as exc:
            report.refused.append({"row": r.row, "error": str(exc)})
            continue
        key = (ind.pk, unit.pk, period.code, r.option)
        if key in checked:
            report.refused.append(
                {"row": r.row, "error": f"the same figure is given twice (also row {first_row[key]})"}
            )
            continue
        checked[key] = (r, ind, unit, period, value)
        first_row[key] = r.row
    actor = audit.actor_fields(by)["actor_label"]
    now = timezone.now()
    with transaction.atomic():
        existing = _existing(checked.keys())
        inserts, updates, corrections = [], [], []
        touched: set[tuple[int, str]] = set()
        changed_keys: set[tuple[int, int, str, str]] = set()
        for key, (r, ind, unit, period, value) in checked.items():
            old = existing.get(key)
            status = r.status
            if old is None:
                inserts.append(
                    (
                        ind.pk,
                        unit.pk,
                        period.code,
                        period.start,
                        r.option,
                        value,
                        status,
                        r.source or source,
                        actor,
                        now,
                        now,
                    )
                )
                report.created += 1
            elif Decimal(old[1]) == value and old[2] == status:
                report.unchanged += 1
                continue
            else:
                updates.append((value, status, r.source or source, now, old[0]))
                corrections.append((old[0], Decimal(old[1]), value, old[2], status, r.source or source, actor, now))
                report.changed += 1
            touched.add((ind.pk, period.code))
            changed_keys.add(key)
        _bulk_write(inserts, updates, corrections, checked, existing, actor)
        if report.stored:
            audit.record(
                "indicators.values", by=by, object_type="indicators.datavalue", object_id="*",
                object_repr=f"{report.stored} figures ({report.created} new, {report.changed} corrected)",
                unit_path=_common_path([checked[k][2].path for k in checked]),
                after={"created": report.created, "changed": report.changed, "refused": len(report.refused),
                       "source": source},
            )  # fmt: skip
        if recompute and touched:
            report.rollup_seconds = rollup.recompute(rollup.slices_of(touched)).seconds
        elif touched:
            RollupState.bump()
    report.anomalies = _anomalies([checked[k] for k in checked if k in changed_keys])
    return report


ANOMALY_SERIES_LIMIT = 200  # checking a series costs a decomposition: large imports check a sample


def _anomalies(stored: list[tuple]) -> list[dict[str, Any]]:
    """Stored figures that lie far outside their own series' history (see forecast.anomalies)."""
    from toancanh.indicators import forecast, queries

    by_series: dict[tuple[int, int], list[tuple]] = {}
    for item in stored:
        by_series.setdefault((item[1].pk, item[2].pk), []).append(item)
    out = []
    for (_ind, _unit), items in list(by_series.items())[:ANOMALY_SERIES_LIMIT]:
        ind, unit = items[0][1], items[0][2]
        history = [(p, v) for p, v, _c in queries.series(ind, unit)]
        flagged = forecast.anomalies(ind, history)
        out.extend(
            {
                "row": r.row,
                "indicator": ind.code,
                "unit": unit.key,
                "period": period.code,
                "z": round(flagged[period.code], 1),
            }
            for r, _i, _u, period, _v in items
            if period.code in flagged
        )
    return out


def _common_path(paths: list[str]) -> str:
    if not paths:
        return ""
    first, last = min(paths), max(paths)
    i = 0
    while i < min(len(first), len(last)) and first[i] == last[i]:
        i += 1
    prefix = first[:i]
    return prefix[: prefix.rfind("/") + 1]


def _existing(keys: Iterable[tuple[int, int, str, str]]) -> dict[tuple[int, int, str, str], tuple[int, Any, str]]:
    """Stored (id, value, status) of the given (indicator, unit, period, option) keys."""
    by_ind_period: dict[tuple[int, str], set[int]] = {}
    for ind, unit, period, _opt in keys:
        by_ind_period.setdefault((ind, period), set()).add(unit)
    out = {}
    with connection.cursor() as cur:
        groups: dict[int, set[str]] = {}
        for ind, period in by_ind_period:
            groups.setdefault(ind, set()).add(period)
        for ind, periods in groups.items():
            periods = sorted(periods)
            for i in range(0, len(periods), 500):
                chunk = periods[i : i + 500]
                cur.execute(
                    "SELECT id, unit_id, period, option, value, status FROM indicators_datavalue "  # noqa: S608
                    f"WHERE indicator_id = %s AND period IN ({marks(len(chunk))})",
                    [ind, *chunk],
                )
                for pk, unit, period, option, value, status in cur.fetchall():
                    out[(ind, unit, period, option)] = (pk, value, status)
    return out


VALUE_COLUMNS = [
    "indicator_id", "unit_id", "period", "period_start", "option", "value", "status", "source", "entered_by",
    "entered_at", "updated_at",
]  # fmt: skip
CORRECTION_COLUMNS = [
    "data_value_id",
    "old_value",
    "new_value",
    "old_status",
    "new_status",
    "source",
    "corrected_by",
    "at",
]


def _bulk_write(inserts, updates, corrections, checked, existing, actor: str) -> None:
    insert_many("indicators_datavalue", VALUE_COLUMNS, inserts)
    with connection.cursor() as cur:
        if updates:
            cur.executemany(
                "UPDATE indicators_datavalue SET value = %s, status = %s, source = %s, updated_at = %s WHERE id = %s",
                updates,
            )
        # History: every new figure and every correction.
        new_keys = [k for k in checked if k not in existing]
        if new_keys:
            ids = _existing(new_keys)
            corrections = corrections + [
                (ids[k][0], None, checked[k][4], "", checked[k][0].status, checked[k][0].source, actor, timezone.now())
                for k in new_keys
                if k in ids
            ]
    insert_many("indicators_datavaluecorrection", CORRECTION_COLUMNS, corrections)


# --- targets ------------------------------------------------------------------------------------


def set_target(*, by: Any, scope: Scope, indicator: str, unit: str, year: int, value: Any, note: str = "") -> Target:
    """Set the yearly target (chỉ tiêu kế hoạch) of an indicator for a unit within the actor's scope."""
    ind = Indicator.objects.filter(code=indicator).first()
    if ind is None:
        raise ServiceError(f"unknown indicator '{indicator}'")
    unit_obj = Unit.objects.within(scope).filter(key=unit).first()
    if unit_obj is None:
        from toancanh.core.errors import NotFound

        raise NotFound(f"unit '{unit}' not found")
    if not 2000 <= int(year) <= 2100:
        raise ServiceError(f"year {year} is out of range")
    try:
        number = _decimal(value)
    except ValueError as exc:
        raise ServiceError(str(exc)) from exc
    with transaction.atomic():
        existing = Target.objects.filter(indicator=ind, unit=unit_obj, year=year).first()
        before = {"value": existing.value} if existing else None
        target, _ = Target.objects.update_or_create(
            indicator=ind, unit=unit_obj, year=year,
            defaults={"value": number, "note": note, "set_by": audit.actor_fields(by)["actor_label"]},
        )  # fmt: skip
        audit.record("indicators.target", target, by=by, before=before, after={"value": number, "year": year},
                     unit_path=unit_obj.path)  # fmt: skip
        if _used_as_target(ind.code):  # a formula such as REV / target(REV) changes with it
            rollup.recompute({(ind.pk, int(year))})
    return target


def _used_as_target(code: str) -> bool:
    return any(
        r.code == code and r.function == "target"
        for f in Indicator.objects.exclude(formula="").values_list("formula", flat=True)
        for r in formulas.references(f)
    )
