"""A template version read once into what entry, checks and consolidation need: the layout, the
cells' settings, the compiled formulas and rules; and the checks of a set of values against it.

Every problem names its cell in the reader's language: ``[03.KY_NAY]: không phải là số``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.utils.translation import gettext as _

from toancanh.reporting.formulas import FormulaError, XLError, parse
from toancanh.reporting.models import Aggregation, CellType, TemplateVersion
from toancanh.reporting.sheet import Layout, Sheet, cell_label, compile_sheet, evaluate, evaluate_formula, references


@dataclass(frozen=True)
class CellSpec:
    key: str
    type: str = CellType.NUMBER
    formula: str = ""
    required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    choices: tuple[str, ...] = ()
    aggregation: str = Aggregation.SUM
    weight: str = ""
    indicator_code: str = ""

    @property
    def numeric(self) -> bool:
        return self.type in (CellType.NUMBER, CellType.INTEGER, CellType.PERCENT)


@dataclass(frozen=True)
class RuleSpec:
    expression: str
    message: str
    blocking: bool = True


@dataclass
class Form:
    version_id: int | None
    layout: Layout
    cells: dict[str, CellSpec]
    rules: list[RuleSpec]
    sheet: Sheet = field(init=False)

    def __post_init__(self) -> None:
        formulas = {k: c.formula for k, c in self.cells.items() if c.formula}
        self.sheet = compile_sheet(self.layout, formulas)
        for i, rule in enumerate(self.rules, start=1):
            try:
                parse(rule.expression)
            except FormulaError as exc:
                raise FormulaError(_("Validation rule %(n)s: %(reason)s") % {"n": i, "reason": exc.message}) from exc
            for ref in references(rule.expression):
                cells = [ref] if not hasattr(ref, "first") else self.layout.expand(ref)
                if cells is None or any(not self.layout.has(c) for c in cells):
                    raise FormulaError(
                        _("Validation rule %(n)s refers to a cell that is not on the form: %(rule)s")
                        % {"n": i, "rule": rule.expression}
                    )
        for key, c in self.cells.items():
            if c.aggregation == Aggregation.WEIGHTED and c.weight not in self.cells and c.weight not in self.keys:
                raise FormulaError(
                    _("Cell %(cell)s is a weighted average without a weight cell on the form.")
                    % {"cell": cell_label(key)}
                )

    @cached_property
    def keys(self) -> list[str]:
        return self.layout.cells()

    def spec(self, key: str) -> CellSpec:
        return self.cells.get(key) or CellSpec(key)

    @cached_property
    def _entered(self) -> list[str]:
        return [k for k in self.keys if not self.spec(k).formula]

    def entered_keys(self) -> list[str]:
        return list(self._entered)


def form_from_version(version: TemplateVersion) -> Form:
    rows = tuple(version.rows.order_by("order", "id").values_list("code", flat=True))
    columns = tuple(version.columns.order_by("order", "id").values_list("code", flat=True))
    cells = {
        c.key: CellSpec(
            c.key, c.type, c.formula, c.required, c.min_value, c.max_value, tuple(c.choices or ()),
            c.aggregation, c.weight, c.indicator_code,
        )
        for c in version.cells.all()
    }  # fmt: skip
    rules = [RuleSpec(r.expression, r.message, r.blocking) for r in version.rules.all()]
    return Form(version.pk, Layout(rows, columns), cells, rules)


@lru_cache(maxsize=64)
def _locked_form(version_id: int, created_at: dt.datetime) -> Form:
    return form_from_version(TemplateVersion.objects.get(pk=version_id))


def form_of(version: TemplateVersion) -> Form:
    """The form of a version; a locked version never changes, so its form is read once (keyed by
    its creation time too: a database rebuilt by tests reuses keys)."""
    return _locked_form(version.pk, version.created_at) if version.locked else form_from_version(version)


# --- checking values --------------------------------------------------------------------------------


GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")


def _parse_number(raw: object) -> float | None:
    """A number as a clerk types it: ``1234``, ``1234.5``, ``12.500`` and ``1.234,5`` (Vietnamese),
    ``12,5``."""
    if isinstance(raw, bool):
        raise ValueError
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise ValueError
        return float(raw)
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if GROUPED.match(text):  # 12.500 and 1.234.567: dots group thousands, as Vietnamese write
        text = text.replace(".", "")
    elif "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    elif "," in text:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError
    return value


def clean_values(form: Form, raw: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """Entered values converted to their cells' types; problems name the cell. Formula cells and
    cells not on the form are refused."""
    values: dict[str, object] = {}
    problems: list[str] = []
    keys = set(form.keys)
    for key, value in raw.items():
        label = cell_label(key)
        if key not in keys:
            problems.append(_("%(cell)s: there is no such cell on the form.") % {"cell": label})
            continue
        spec = form.spec(key)
        if spec.formula:
            if value not in (None, ""):
                problems.append(_("%(cell)s: the cell is computed by its formula.") % {"cell": label})
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            values[key] = None
            continue
        if spec.numeric:
            try:
                number = _parse_number(value)
            except (ValueError, TypeError):
                problems.append(_("%(cell)s: “%(value)s” is not a number.") % {"cell": label, "value": str(value)[:40]})
                continue
            if spec.type == CellType.INTEGER and number is not None and number != int(number):
                problems.append(_("%(cell)s: a whole number is expected.") % {"cell": label})
                continue
            values[key] = number
        elif spec.type == CellType.DATE:
            try:
                values[key] = dt.date.fromisoformat(str(value).strip()).isoformat()
            except ValueError:
                problems.append(_("%(cell)s: “%(value)s” is not a date.") % {"cell": label, "value": str(value)[:40]})
        elif spec.type == CellType.CHOICE:
            if str(value) not in spec.choices:
                problems.append(
                    _("%(cell)s: choose one of %(choices)s.") % {"cell": label, "choices": ", ".join(spec.choices)}
                )
            else:
                values[key] = str(value)
        else:
            values[key] = str(value)[:1000]
    return values, problems


def check(
    form: Form, values: dict[str, object], shifts=None, *, complete: bool
) -> tuple[dict[str, object], list[str], list[str]]:
    """Compute the formulas and check the values: (all values, blocking problems, warnings).
    ``complete`` (on submission) also asks for required cells and applies the rules."""
    computed = evaluate(form.sheet, values, shifts)
    problems: list[str] = []
    warnings: list[str] = []
    for key in form.keys:
        spec = form.spec(key)
        label, value = cell_label(key), computed.get(key)
        if isinstance(value, XLError):
            warnings.append(_("%(cell)s: the formula gives %(error)s.") % {"cell": label, "error": value.code})
            continue
        if complete and spec.required and value in (None, ""):
            problems.append(_("%(cell)s: this cell is required.") % {"cell": label})
        if isinstance(value, float) and not spec.formula:
            if spec.min_value is not None and value < spec.min_value:
                problems.append(_("%(cell)s: below the lowest value %(low)s.") % {"cell": label, "low": spec.min_value})
            if spec.max_value is not None and value > spec.max_value:
                problems.append(
                    _("%(cell)s: above the highest value %(high)s.") % {"cell": label, "high": spec.max_value}
                )
    if complete:
        for rule in form.rules:
            result = evaluate_formula(rule.expression, form.layout, computed, shifts)
            if result is True:
                continue
            (problems if rule.blocking else warnings).append(rule.message)
    return computed, problems, warnings
