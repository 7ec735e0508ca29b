"""Writes to indicators: the catalogue, data values (batch upsert with a per-row report), targets."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core import audit
from toancanh.core.errors import ServiceError, full_clean_or_raise
from toancanh.core.periods import Period, PeriodError
from toancanh.core.scoping import NOT_SCOPED, Scope, get_visible_or_404
from toancanh.core.sql import insert_many, marks
from toancanh.indicators import formulas, refresh, rollup
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


def _refuse(message: str, field: str) -> ServiceError:
    """A refusal that names the form field it belongs beside (pages show it there)."""
    exc = ServiceError(message)
    exc.field = field  # type: ignore[attr-defined]
    return exc


def _formula_refs(code: str) -> list[str] | None:
    ind = Indicator.objects.filter(code=code).only("formula").first()
    if ind is None:
        return None
    return [r.code for r in formulas.references(ind.formula)] if ind.formula else []


def check_formula(code: str, formula: str) -> list[formulas.Reference]:
    """What a formula refers to, if it holds for the indicator ``code`` (known codes, no cycle);
    otherwise a :class:`formulas.FormulaError` that says why, in the reader's language."""
    return formulas.check(code, formula, _formula_refs)


def define_indicator(*, by: Any, code: str, scope: Scope | None = None, **fields: Any) -> Indicator:
    """Create or update an indicator of the catalogue; a formula is checked before it is saved.
    With the actor's ``scope``, an indicator of another sector can be neither changed nor made."""
    if not formulas.CODE.match(code or ""):
        raise _refuse(
            _("The code “%(code)s” must be upper-case letters, digits and _ (e.g. GRDP_PER_CAPITA).") % {"code": code},
            "code",
        )
    with transaction.atomic():
        indicator = Indicator.objects.filter(code=code).first()
        if scope is not None and indicator is not None:
            get_visible_or_404(Indicator, by, scope=scope, what="indicator", code=code)
        if scope is not None and "sector" in fields:
            scope.require(NOT_SCOPED, fields["sector"])
        before = audit.snapshot(indicator)
        how = _how_figures_are_made(indicator)
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
                raise _refuse(_("The weight indicator “%(code)s” is unknown.") % {"code": weight}, "weight")
        if category is not None:
            from toancanh.indicators.models import Category

            indicator.category = Category.objects.filter(code=category).first() if category else None
            if category and indicator.category is None:
                raise _refuse(_("The disaggregation “%(code)s” is unknown.") % {"code": category}, "category")
        if indicator.unit_aggregation == UnitAggregation.WEIGHTED_AVERAGE and indicator.weight_id is None:
            raise _refuse(_("A weighted average needs a weight indicator."), "weight")
        if indicator.formula:
            formulas.check(code, indicator.formula, _formula_refs)
        low, high = indicator.min_value, indicator.max_value
        if low is not None and high is not None and float(low) > float(high):
            raise _refuse(
                _("The lowest valid figure %(low)s is above the highest %(high)s.") % {"low": low, "high": high},
                "max_value",
            )
        full_clean_or_raise(indicator, exclude=["sector", "weight", "category"])
        indicator.save()
        if how is not None and how != _how_figures_are_made(indicator):
            # Its roll-ups and overview figures are made another way now: rebuilt by the job runner.
            refresh.queue({(indicator.pk, y) for y in _years_with_figures(indicator)})
            RollupState.bump()
        audit.record("indicators.define", indicator, by=by, before=before, after=audit.snapshot(indicator))
    return indicator


def _how_figures_are_made(indicator: Indicator | None) -> tuple | None:
    if indicator is None:
        return None
    return (indicator.period_type, indicator.unit_aggregation, indicator.time_aggregation, indicator.decimals,
            indicator.formula, indicator.weight_id)  # fmt: skip


def _years_with_figures(indicator: Indicator) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT DISTINCT substr(period, 1, 4) FROM indicators_datavalue WHERE indicator_id = %s "
            "UNION SELECT DISTINCT substr(period, 1, 4) FROM indicators_rollupvalue WHERE indicator_id = %s",
            [indicator.pk, indicator.pk],
        )
        return sorted(int(y) for (y,) in cur.fetchall())


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
    anomalies: list[dict[str, Any]] = field(default_factory=list)  # filled by callers that wait for the check
    rollup_seconds: float = 0.0  # likewise
    job: int | None = None  # the queued recompute job (roll-ups and anomaly checks)
    queued_slices: int = 0
    queued_series: int = 0

    @property
    def stored(self) -> int:
        return self.created + self.changed


def _decimal(value: Any) -> Decimal:
    if type(value) is float and math.isfinite(value) and abs(value) < 1e17:  # the common case, quickly
        text = repr(value)
        point = text.find(".")
        if "e" not in text and len(text) - point <= 7:  # at most 6 decimals
            return Decimal(text)
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


def _number(value: Any) -> Decimal | float:
    """A checked figure: a float as given when it is one with at most 6 decimals (the common case
    of imports, checked without making a Decimal of it), otherwise :func:`_decimal`."""
    if value.__class__ is float and -1e17 < value < 1e17:
        text = repr(value)
        if "e" not in text and len(text) - text.find(".") <= 7:
            return value
    return _decimal(value)


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


def _check_rows(rows: Sequence[ValueRow], look: _Lookup, report: ValuesReport) -> dict[tuple, tuple]:
    """Check every row (each distinct indicator, unit and period once), refusing bad ones in the
    report; the good ones by key: (indicator id, unit id, period, option) -> (row, indicator, unit,
    period, value). Each check is the one :func:`_check_row` makes, cached by its input."""
    checked: dict[tuple[int, int, str, str], tuple[ValueRow, Indicator, Unit, Period, Decimal]] = {}
    first_row: dict[tuple[int, int, str, str], int | str] = {}
    inds: dict[str, Indicator | str] = {}
    periods: dict[tuple[str, str], Period | str] = {}
    statuses = set(ValueStatus.values)
    refused = report.refused
    units = look.units
    for r in rows:
        ind = inds.get(r.indicator)
        if ind is None:
            ind = inds[r.indicator] = _indicator_or_error(r.indicator, look)
        if ind.__class__ is str:
            refused.append({"row": r.row, "error": ind})
            continue
        unit = units[r.unit] if r.unit in units else look.unit(r.unit)
        if unit is None:
            refused.append({"row": r.row, "error": f"unit '{r.unit}' not found (or outside your scope)"})
            continue
        period = periods.get((ind.period_type, r.period))
        if period is None:
            period = periods[(ind.period_type, r.period)] = _period_or_error(ind, r.period)
        if period.__class__ is str:
            refused.append({"row": r.row, "error": period})
            continue
        if r.option and (ind.category_id is None or r.option not in look.options.get(ind.category_id, set())):
            refused.append({"row": r.row, "error": f"'{r.option}' is not a disaggregation of {ind.code}"})
            continue
        if r.status not in statuses:
            refused.append(
                {"row": r.row, "error": f"status '{r.status}' is not one of {', '.join(ValueStatus.values)}"}
            )
            continue
        try:
            value = _number(r.value)
        except ValueError as exc:
            refused.append({"row": r.row, "error": str(exc)})
            continue
        key = (ind.id, unit.id, period.code, r.option)
        if key in checked:
            refused.append({"row": r.row, "error": f"the same figure is given twice (also row {first_row[key]})"})
            continue
        checked[key] = (r, ind, unit, period, value)
        first_row[key] = r.row
    return checked


def _indicator_or_error(code: str, look: _Lookup) -> Indicator | str:
    ind = look.indicators.get(code)
    if ind is None:
        return f"unknown indicator '{code}'"
    if ind.is_derived:
        return f"{ind.code} is computed by its formula ({ind.formula}); it takes no values"
    return ind


def _period_or_error(ind: Indicator, code: str) -> Period | str:
    try:
        period = Period.parse(code)
    except PeriodError as exc:
        return str(exc)
    if period.type != ind.period_type:
        return f"{ind.code} is reported by {ind.period_type}; '{code}' is a {period.type}"
    return period


def record_values(
    rows: Sequence[ValueRow], *, by: Any, scope: Scope, source: str = "", check_anomalies: bool = True
) -> ValuesReport:
    """Store a batch of figures: an idempotent upsert. Every refused row is reported with its
    reason and the others are stored; every change keeps its history. The roll-ups (and the
    anomaly checks of the changed series) are queued for the job runner (``report.job``);
    ``refresh.recompute_dirty()`` brings them up to date at once where a caller must wait."""
    report = ValuesReport()
    look = _Lookup(scope)
    look.preload_units(r.unit for r in rows)
    checked = _check_rows(rows, look, report)
    actor = audit.actor_fields(by)["actor_label"]
    now = timezone.now()
    stamp = _adapt(now)  # adapted once for the whole batch, not once a row
    starts: dict[str, Any] = {}
    # SQLite stores a number as a double whatever it is given: a float given as a float is stored
    # exactly as given (and without turning it into text and back).
    floats_as_given = connection.vendor == "sqlite"
    with transaction.atomic():
        existing = _existing(checked.keys())
        inserts, updates, corrections = [], [], []
        touched: set[tuple[int, str]] = set()
        changed_keys: list[tuple[int, int, str, str]] = []
        for key, (r, ind, unit, period, value) in checked.items():
            old = existing.get(key)
            status = r.status
            if old is None:
                start = starts.get(period.code)
                if start is None:
                    start = starts[period.code] = _adapt(period.start)
                number = r.value if floats_as_given and r.value.__class__ is float else value
                inserts.append((ind.id, unit.id, period.code, start, r.option, number, status,
                                r.source or source, actor, stamp, stamp))  # fmt: skip
            elif _same(old[1], value) and old[2] == status:
                report.unchanged += 1
                continue
            else:
                updates.append((value, status, r.source or source, now, old[0]))
                corrections.append((old[0], Decimal(old[1]), value, old[2], status, r.source or source, actor, now))
                report.changed += 1
            touched.add((ind.pk, period.code))
            changed_keys.append(key)
        report.created = len(inserts)
        _bulk_write(inserts, updates, corrections)
        if report.stored:
            audit.record(
                "indicators.values", by=by, object_type="indicators.datavalue", object_id="*",
                object_repr=_figures_summary(report),
                unit_path=_common_path(list({v[2].path for v in checked.values()})),
                after={"created": report.created, "changed": report.changed, "refused": len(report.refused),
                       "source": source},
            )  # fmt: skip
        if touched:
            # Roll-ups and anomaly checks run in the job runner, not in this write transaction:
            # mark what changed and queue one (coalescing) recompute job.
            slices = rollup.slices_of(touched)
            series = {(ind, unit) for ind, unit, _p, _o in changed_keys} if check_anomalies else set()
            report.job = refresh.queue(slices, series).pk
            report.queued_slices, report.queued_series = len(slices), len(series)
            RollupState.bump()  # the entered figures changed already; cached pages must not wait for the job
    return report


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


def _adapt(value: dt.date) -> Any:
    """A date or time as the database takes it in bulk statements (as Django's SQLite adapters write it)."""
    if connection.vendor != "sqlite":
        return value
    return value.isoformat(" ") if isinstance(value, dt.datetime) else value.isoformat()


def _same(stored: Any, value: Decimal | float) -> bool:
    """Whether a stored figure equals a checked one (SQLite gives floats back, PostgreSQL Decimals)."""
    if isinstance(stored, float) or value.__class__ is float:
        return float(stored) == float(value)
    return Decimal(stored) == value


def _bulk_write(inserts: list[tuple], updates: list[tuple], corrections: list[tuple]) -> None:
    """Write a batch: new figures with their first history row, corrections of stored ones with
    theirs. A few statements per batch, whatever its size: the new figures sorted by key (so each
    index is walked in order) go in by one prepared INSERT run many times on SQLite, or by COPY
    into a temporary table on PostgreSQL; their history rows are copied from them by one
    INSERT … SELECT."""
    inserts.sort(key=itemgetter(0, 1, 2, 4))
    if connection.vendor == "postgresql":
        _insert_new_figures_pg(inserts)
    elif inserts:
        with connection.cursor() as cur:
            cur.executemany(
                f"INSERT INTO indicators_datavalue ({', '.join(VALUE_COLUMNS)}) VALUES ({marks(len(VALUE_COLUMNS))})",  # noqa: S608
                inserts,
            )
            # The write lock is held from the first row to the commit and ids grow one by one,
            # so the batch's rows are the last len(inserts) ids.
            cur.execute("SELECT last_insert_rowid()")
            last = cur.fetchone()[0]
            cur.execute(_HISTORY_OF_NEW + " FROM indicators_datavalue WHERE id BETWEEN %s AND %s",  # noqa: S608
                        [last - len(inserts) + 1, last])  # fmt: skip
    if updates:
        with connection.cursor() as cur:
            cur.executemany(
                "UPDATE indicators_datavalue SET value = %s, status = %s, source = %s, updated_at = %s WHERE id = %s",
                updates,
            )
    insert_many("indicators_datavaluecorrection", CORRECTION_COLUMNS, corrections)


_HISTORY_OF_NEW = (
    f"INSERT INTO indicators_datavaluecorrection ({', '.join(CORRECTION_COLUMNS)}) "  # noqa: S608
    "SELECT id, NULL, value, '', status, source, entered_by, entered_at"
)


def _insert_new_figures_pg(inserts: list[tuple]) -> None:
    if not inserts:
        return
    cols = ", ".join(VALUE_COLUMNS)
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS tc_new_figures")
        cur.execute(
            f"CREATE TEMPORARY TABLE tc_new_figures ON COMMIT DROP AS SELECT {cols} "  # noqa: S608
            "FROM indicators_datavalue WITH NO DATA"
        )
        with cur.cursor.copy(f"COPY tc_new_figures ({cols}) FROM STDIN") as copy:
            for row in inserts:
                copy.write_row(row)
        cur.execute(
            f"WITH new AS (INSERT INTO indicators_datavalue ({cols}) SELECT {cols} FROM tc_new_figures "  # noqa: S608
            "ORDER BY indicator_id, unit_id, period, option RETURNING id, value, status, source, entered_by, entered_at) "
            + _HISTORY_OF_NEW
            + " FROM new"
        )
        cur.execute("DROP TABLE tc_new_figures")


# --- targets ------------------------------------------------------------------------------------


def _figures_summary(report) -> str:
    """What an import of figures did, in the installation's language (the audit log is read later by anyone)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        return _("%(stored)s figures (%(new)s new, %(changed)s corrected)") % {
            "stored": report.stored, "new": report.created, "changed": report.changed}  # fmt: skip


def set_target(
    *, by: Any, scope: Scope, indicator: str, unit: str, year: int, value: Any, note: str = "",
    kind: str | None = None, upper: Any = None,
) -> Target:  # fmt: skip
    """Set the yearly target (chỉ tiêu kế hoạch) of an indicator for a unit within the actor's scope:
    a floor, a ceiling (the default for lower-is-better indicators) or a range ``value``–``upper``."""
    ind = get_visible_or_404(Indicator, by, scope=scope, what="indicator", code=indicator)
    unit_obj = get_visible_or_404(Unit, by, scope=scope, what="unit", key=unit)
    if not 2000 <= int(year) <= 2100:
        raise _refuse(_("The year %(year)s is out of range (2000–2100).") % {"year": year}, "year")
    number, high, kind = _target_value(ind, value, kind, upper)
    with transaction.atomic():
        existing = Target.objects.filter(indicator=ind, unit=unit_obj, year=year).first()
        before = {"kind": existing.kind, "value": existing.value, "upper": existing.upper} if existing else None
        target, _created = Target.objects.update_or_create(
            indicator=ind, unit=unit_obj, year=year,
            defaults={"kind": kind, "value": number, "upper": high, "note": note,
                      "set_by": audit.actor_fields(by)["actor_label"]},
        )  # fmt: skip
        audit.record("indicators.target", target, by=by, before=before,
                     after={"kind": kind, "value": number, "upper": high, "year": year},
                     unit_path=unit_obj.path)  # fmt: skip
        if _used_as_target(ind.code):  # a formula such as REV / target(REV) changes with it: queued
            refresh.queue({(ind.pk, int(year))})
        RollupState.bump()  # the overview's judgement reads the target: cached pages are stale now
    return target


_NOT_A_TARGET = gettext_lazy("“%(value)s” is not a number a target can take (at most 6 decimals, e.g. 7,5).")


def _target_value(ind: Indicator, value: Any, kind: str | None, upper: Any) -> tuple[Decimal, Decimal | None, str]:
    from toancanh.indicators.models import Direction, TargetKind

    kind = kind or (TargetKind.AT_MOST if ind.direction == Direction.LOWER_IS_BETTER else TargetKind.AT_LEAST)
    if kind not in TargetKind.values:
        raise _refuse(_("Unknown kind of target “%(kind)s”.") % {"kind": kind}, "kind")
    try:
        number = _decimal(value)
    except ValueError as exc:
        raise _refuse(_NOT_A_TARGET % {"value": value}, "value") from exc
    try:
        high = None if upper is None or upper == "" else _decimal(upper)
    except ValueError as exc:
        raise _refuse(_NOT_A_TARGET % {"value": upper}, "upper") from exc
    if kind == TargetKind.RANGE:
        if high is None:
            raise _refuse(_("A range target needs its upper end."), "upper")
        if high < number:
            raise _refuse(
                _("The range's upper end %(high)s is below its lower end %(low)s.") % {"high": high, "low": number},
                "upper",
            )
    elif high is not None:
        raise _refuse(_("Only a range target has an upper end."), "upper")
    return number, high, kind


def _used_as_target(code: str) -> bool:
    return any(
        r.code == code and r.function == "target"
        for f in Indicator.objects.exclude(formula="").values_list("formula", flat=True)
        for r in formulas.references(f)
    )
