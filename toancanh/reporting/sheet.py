"""A form's formulas as one sheet: references resolved, a dependency graph over cells, a cycle check
that names the cells, and evaluation in topological order (see ``formulas.py`` for the language).

``static/reporting/formulas.js`` mirrors this module (``compileSheet`` / ``evaluateSheet``).

Data handed to ``evaluate``: ``inputs`` maps a cell key ``"ROW.COL"`` to its entered value (a number,
text, a boolean or None); ``shifts`` maps ``"PREV"``, ``"LASTYEAR"`` and ``"YTD"`` to such maps for
the previous period, the same period last year, and the sum of the year's earlier periods.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext as _

from toancanh.reporting.formulas import (
    DIV0,
    REF,
    VALUE,
    Binary,
    Bool,
    Call,
    FormulaError,
    Num,
    Range,
    Ref,
    Shift,
    Str,
    Unary,
    XLError,
    _finite,
    compare,
    excel_round,
    is_number,
    parse,
    power,
    to_bool,
    to_number,
    to_text,
    walk,
)


@dataclass(frozen=True)
class Layout:
    """The row codes and column codes of a form, in the order printed."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]

    def has(self, ref: Ref) -> bool:
        return ref.row in self._row_index and ref.col in self._column_set

    @cached_property
    def _column_set(self) -> frozenset[str]:
        return frozenset(self.columns)

    @cached_property
    def _row_index(self) -> dict[str, int]:
        return {r: i for i, r in enumerate(self.rows)}

    def expand(self, rng: Range) -> list[Ref] | None:
        index = self._row_index
        if rng.first not in index or rng.last not in index or rng.col not in self.columns:
            return None
        a, b = sorted((index[rng.first], index[rng.last]))
        return [Ref(r, rng.col) for r in self.rows[a : b + 1]]

    def cells(self) -> list[str]:
        return [f"{r}.{c}" for r in self.rows for c in self.columns]


@dataclass
class Sheet:
    layout: Layout
    formulas: dict[str, object]  # cell key -> AST
    order: list[str]  # formula cells in the order they are evaluated
    depends: dict[str, list[str]] = field(default_factory=dict)


def cell_label(key: str) -> str:
    return f"[{key}]"


def _refs(node: object, layout: Layout, *, current_only: bool) -> list[Ref | Range]:
    """References in a formula; with ``current_only``, those that read this period's cells
    (everything except inside PREV and LASTYEAR)."""
    out: list[Ref | Range] = []

    def visit(n: object) -> None:
        if isinstance(n, Shift):
            if n.kind == "YTD" or not current_only:
                out.append(n.ref)
            return
        if isinstance(n, Ref | Range):
            out.append(n)
        elif isinstance(n, Unary):
            visit(n.operand)
        elif isinstance(n, Binary):
            visit(n.left)
            visit(n.right)
        elif isinstance(n, Call):
            for a in n.args:
                visit(a)

    visit(node)
    return out


def compile_sheet(layout: Layout, formulas: Mapping[str, str], *, strict: bool = True) -> Sheet:
    """Parse every formula once, check references and cycles, and order the cells.

    With ``strict`` (saving a template), a reference to a cell not on the form is refused naming
    both cells; without it (a live preview), such a reference evaluates to #REF!.
    """
    keys = set(layout.cells())
    asts: dict[str, object] = {}
    for key, text in formulas.items():
        if key not in keys:
            raise FormulaError(_("There is no cell %(cell)s on the form for a formula.") % {"cell": cell_label(key)})
        try:
            asts[key] = parse(text)
        except FormulaError as exc:
            raise FormulaError(
                _("The formula of cell %(cell)s: %(reason)s") % {"cell": cell_label(key), "reason": exc.message}
            ) from exc
    depends: dict[str, list[str]] = {}
    for key, node in asts.items():
        deps: list[str] = []
        for ref in _refs(node, layout, current_only=False):
            cells = [ref] if isinstance(ref, Ref) else layout.expand(ref)
            if strict and (cells is None or (isinstance(ref, Ref) and not layout.has(ref))):
                shown = cell_label(ref.key) if isinstance(ref, Ref) else f"[{ref.first}:{ref.last}].{ref.col}"
                raise FormulaError(
                    _("The formula of cell %(cell)s refers to %(ref)s, which is not on the form.")
                    % {"cell": cell_label(key), "ref": shown}
                )
        for ref in _refs(node, layout, current_only=True):
            cells = [ref] if isinstance(ref, Ref) else (layout.expand(ref) or [])
            deps.extend(c.key for c in cells if c.key in asts)
        depends[key] = list(dict.fromkeys(deps))
    order = _topological(layout, depends)
    return Sheet(layout, asts, order, depends)


def _topological(layout: Layout, depends: dict[str, list[str]]) -> list[str]:
    """Depth-first post-order in the form's order; a cycle is refused naming its cells."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the path, 2 = done
    for start in [k for k in layout.cells() if k in depends]:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            key, i = stack[-1]
            deps = depends[key]
            if i < len(deps):
                stack[-1] = (key, i + 1)
                nxt = deps[i]
                if state.get(nxt) == 1:
                    cycle = [*path[path.index(nxt) :], nxt]
                    raise FormulaError(
                        _("The formula of cell %(cell)s makes a cycle: %(path)s.")
                        % {"cell": cell_label(nxt), "path": " → ".join(map(cell_label, cycle))}
                    )
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                stack.pop()
                path.pop()
                state[key] = 2
                order.append(key)
    return order


def evaluate(
    sheet: Sheet, inputs: Mapping[str, object], shifts: Mapping[str, Mapping[str, object]] | None = None
) -> dict[str, object]:
    """Every cell's value: the entered ones, and the formula cells computed in order."""
    values: dict[str, object] = {k: _clean(v) for k, v in inputs.items() if k not in sheet.formulas}
    ev = _Evaluator(sheet.layout, values, shifts or {})
    for key in sheet.order:
        result = ev.value(sheet.formulas[key])
        values[key] = 0.0 if result is None else result  # a formula over blanks shows 0, as in Excel
    return values


def _clean(v: object) -> object:
    if is_number(v) and not isinstance(v, bool):
        return 0.0 if v == 0 else float(v)
    return v


class _Evaluator:
    def __init__(self, layout: Layout, values: dict[str, object], shifts: Mapping[str, Mapping[str, object]]):
        self.layout, self.values, self.shifts = layout, values, shifts

    def cell(self, ref: Ref, shift: str | None = None) -> object:
        if not self.layout.has(ref):
            return REF
        if shift is None:
            return self.values.get(ref.key)
        if shift == "YTD":
            before = _clean(self.shifts.get("YTD", {}).get(ref.key))
            now = self.values.get(ref.key)
            if before is None and now is None:
                return None
            a, b = to_number(before), to_number(now)
            if isinstance(a, XLError):
                return a
            return b if isinstance(b, XLError) else _finite(a + b)
        return _clean(self.shifts.get(shift, {}).get(ref.key))

    def cells(self, node: Ref | Range, shift: str | None = None) -> list[object] | XLError:
        refs = [node] if isinstance(node, Ref) else self.layout.expand(node)
        if refs is None:
            return REF
        return [self.cell(r, shift) for r in refs]

    def value(self, node: object) -> object:
        if isinstance(node, Num | Str | Bool):
            return node.value
        if isinstance(node, Ref):
            return self.cell(node)
        if isinstance(node, Range):
            return VALUE  # a range only stands inside a function
        if isinstance(node, Shift):
            if isinstance(node.ref, Range):
                return VALUE
            return self.cell(node.ref, node.kind)
        if isinstance(node, Unary):
            v = self.value(node.operand)
            if node.op == "+":
                return v
            n = to_number(v)
            if isinstance(n, XLError):
                return n
            return _finite(-n if node.op == "-" else n / 100)
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def binary(self, node: Binary) -> object:
        a, b = self.value(node.left), self.value(node.right)
        op = node.op
        if op in ("=", "<>", "<", "<=", ">", ">="):
            return compare(op, a, b)
        if op == "&":
            ta, tb = to_text(a), to_text(b)
            if isinstance(ta, XLError):
                return ta
            return tb if isinstance(tb, XLError) else ta + tb
        x, y = to_number(a), to_number(b)
        if isinstance(x, XLError):
            return x
        if isinstance(y, XLError):
            return y
        if op == "+":
            return _finite(x + y)
        if op == "-":
            return _finite(x - y)
        if op == "*":
            return _finite(x * y)
        if op == "/":
            return DIV0 if y == 0 else _finite(x / y)
        return power(x, y)

    def collect(self, args: tuple, *, logical: bool) -> list[object] | XLError:
        """The values an aggregate sees: numbers (or booleans for AND/OR) from references, skipping
        blanks and text; direct arguments coerced."""
        out: list[object] = []
        for arg in args:
            if isinstance(arg, Ref | Range | Shift):
                items = self.cells(arg.ref, arg.kind) if isinstance(arg, Shift) else self.cells(arg)
                if isinstance(items, XLError):
                    return items
                for v in items:
                    if isinstance(v, XLError):
                        return v
                    if is_number(v) or (logical and isinstance(v, bool)):
                        out.append(v)
            else:
                v = self.value(arg)
                v = to_bool(v) if logical else to_number(v)
                if isinstance(v, XLError):
                    return v
                out.append(v)
        return out

    def call(self, node: Call) -> object:
        name, args = node.name, node.args
        if name == "IF":
            c = to_bool(self.value(args[0]))
            if isinstance(c, XLError):
                return c
            if c:
                return self.value(args[1])
            return self.value(args[2]) if len(args) > 2 else False
        if name == "IFERROR":
            v = self.value(args[0])
            return self.value(args[1]) if isinstance(v, XLError) else v
        if name in ("AND", "OR"):
            items = self.collect(args, logical=True)
            if isinstance(items, XLError):
                return items
            if not items:
                return VALUE
            truth = [bool(v) for v in items]
            return all(truth) if name == "AND" else any(truth)
        if name == "NOT":
            c = to_bool(self.value(args[0]))
            return c if isinstance(c, XLError) else not c
        if name in ("SUM", "AVERAGE", "MIN", "MAX"):
            items = self.collect(args, logical=False)
            if isinstance(items, XLError):
                return items
            if name == "SUM" or name == "AVERAGE":
                total = 0.0
                for v in items:
                    total += v
                if name == "SUM":
                    return _finite(total)
                return DIV0 if not items else _finite(total / len(items))
            if not items:
                return 0.0
            return float(min(items) if name == "MIN" else max(items))
        x = to_number(self.value(args[0]))
        if isinstance(x, XLError):
            return x
        if name == "ABS":
            return math.fabs(x)
        digits = to_number(self.value(args[1])) if len(args) > 1 else 0.0
        if isinstance(digits, XLError):
            return digits
        return excel_round(x, digits)


def evaluate_formula(text: str, layout: Layout, inputs: Mapping[str, object], shifts=None) -> object:
    """One formula over a form's values (for validation rules and tests)."""
    ev = _Evaluator(layout, {k: _clean(v) for k, v in inputs.items()}, shifts or {})
    return ev.value(parse(text))


def references(text: str) -> list[Ref | Range]:
    return [n for n in walk(parse(text)) if isinstance(n, Ref | Range)]
