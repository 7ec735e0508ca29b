"""Formulas of derived indicators (chỉ tiêu tính toán), e.g. ``GRDP / POP * 1000``.

A formula is an arithmetic expression over indicator codes, numbers, ``+ - * /`` and three
functions: ``prev_year(X)`` (the same period one year earlier, for growth rates),
``prev(X)`` (the previous period) and ``target(X)`` (the unit's yearly target of X). It is read
with Python's ``ast`` module and nothing else is allowed, so a formula can never run code.
Formulas are evaluated after aggregation: a ratio is computed from the aggregated numerator and
denominator, never summed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from toancanh.core.errors import ServiceError

CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
FUNCTIONS = {"prev_year", "prev", "target"}


class FormulaError(ServiceError):
    pass


@dataclass(frozen=True)
class Reference:
    code: str
    function: str | None = None  # None, "prev_year", "prev" or "target"

    @property
    def column(self) -> str:
        return f"{self.function}:{self.code}" if self.function else self.code


def parse(formula: str) -> ast.Expression:
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(
            _("The formula “%(formula)s” is not a valid expression (check brackets and operators).")
            % {"formula": formula}
        ) from exc
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
                raise FormulaError(
                    _("Unknown function in the formula (allowed: %(names)s).") % {"names": ", ".join(sorted(FUNCTIONS))}
                )
            if len(node.args) != 1 or not isinstance(node.args[0], ast.Name) or node.keywords:
                raise FormulaError(_("%(name)s() takes one indicator code.") % {"name": node.func.id})
        elif isinstance(node, ast.Name):
            if node.id not in FUNCTIONS and not CODE.match(node.id):
                raise FormulaError(
                    _("“%(name)s” is not an indicator code (upper-case letters, digits and _).") % {"name": node.id}
                )
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float) or isinstance(node.value, bool):
                raise FormulaError(
                    _("Only numbers and indicator codes may stand in a formula, not %(value)r.") % {"value": node.value}
                )
        elif not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.USub
            | ast.UAdd
            | ast.Load,
        ):
            raise FormulaError(_("“%(part)s” is not allowed in a formula.") % {"part": ast.unparse(node)})
    return tree


def references(formula: str) -> list[Reference]:
    tree = parse(formula)
    refs: list[Reference] = []
    called = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            arg = node.args[0]
            called.add(id(arg))
            refs.append(Reference(arg.id, node.func.id))
    refs.extend(
        Reference(node.id)
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and id(node) not in called
    )
    return list(dict.fromkeys(refs))


def check(code: str, formula: str, known: Callable[[str], list[str] | None]) -> list[Reference]:
    """Check a formula before it is saved: known codes, no cycle through other derived indicators.

    ``known(code)`` gives the codes an indicator's formula refers to ([] for a plain indicator),
    or None when no indicator has that code.
    """
    refs = references(formula)
    unknown = sorted({r.code for r in refs if r.code != code and known(r.code) is None})
    if unknown:
        raise FormulaError(
            _("The formula of %(code)s refers to unknown indicators: %(codes)s.")
            % {"code": code, "codes": ", ".join(unknown)}
        )
    # Depth-first search for a path back to ``code``.
    stack = [(r.code, [code, r.code]) for r in refs]
    seen = set()
    while stack:
        current, path = stack.pop()
        if current == code:
            raise FormulaError(
                _("The formula of %(code)s makes a cycle: %(path)s.") % {"code": code, "path": " → ".join(path)}
            )
        if current in seen:
            continue
        seen.add(current)
        stack.extend((nxt, [*path, nxt]) for nxt in known(current) or [])
    return refs


def evaluate(formula: str, columns: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Evaluate over a frame with one column per reference; returns (values, reasons).

    A missing input gives an empty value with reason 'missing X'; a zero divisor gives an empty
    value with reason 'division by zero'.
    """
    tree = parse(formula)
    n = len(columns)
    reasons = pd.Series([""] * n, index=columns.index, dtype=object)

    def ref_column(ref: Reference) -> np.ndarray:
        values = columns[ref.column].to_numpy(dtype=float) if ref.column in columns else np.full(n, np.nan)
        missing = np.isnan(values) & (reasons.to_numpy() == "")
        if missing.any():
            reasons[missing] = f"missing {ref.function + '(' + ref.code + ')' if ref.function else ref.code}"
        return values

    def walk(node: ast.AST) -> np.ndarray:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return np.full(n, float(node.value))
        if isinstance(node, ast.Name):
            return ref_column(Reference(node.id))
        if isinstance(node, ast.Call):
            return ref_column(Reference(node.args[0].id, node.func.id))
        if isinstance(node, ast.UnaryOp):
            operand = walk(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        left, right = walk(node.left), walk(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        zero = (right == 0) & ~np.isnan(left)
        if zero.any():
            reasons[zero & (reasons.to_numpy() == "")] = "division by zero"
        with np.errstate(divide="ignore", invalid="ignore"):
            out = left / np.where(right == 0, np.nan, right)
        return out

    values = pd.Series(walk(tree), index=columns.index)
    values[~np.isfinite(values.to_numpy())] = np.nan
    reasons[values.notna()] = ""
    return values, reasons


def dependencies(formulas: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    return {code: [r.code for r in references(f)] for code, f in formulas if f}
