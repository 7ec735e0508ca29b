"""The formula language of report forms (công thức trong biểu mẫu báo cáo): small, safe, Excel-like.

A formula refers to cells by the row and column codes printed on the form, so it survives
reordering::

    [03.KY_NAY] + [04.KY_NAY]
    SUM([05:09].KY_NAY)                      # rows 05 to 09 in the form's order, column KY_NAY
    IFERROR([03.KY_NAY] / [03.CUNG_KY] * 100 - 100, 0)
    ROUND(YTD([03.KY_NAY]) / LASTYEAR([03.KY_NAY]), 2)

References: ``[ROW.COL]`` (the last dot separates the column, so row codes may hold dots:
``[1.1.KY_NAY]``), also written ``[ROW].COL``; a range of rows ``[ROW1:ROW2].COL``.
Literals: numbers (``12``, ``0.5``, ``1e3``), text in double quotes (``"có"``, ``""`` escapes a
quote), ``TRUE`` and ``FALSE``.
Operators with Excel's precedence, tightest first: unary ``-`` and ``+`` (so ``-2^2`` is 4, as in
Excel), postfix ``%``, ``^`` (left-associative: ``2^3^2`` is 64), ``* /``, ``+ -``, ``&`` (joins
text), comparisons ``= <> < <= > >=``.
Functions: ``SUM AVERAGE MIN MAX`` (over references, ranges and values; blanks and text in
references are skipped), ``ROUND(x; digits)`` (half away from zero), ``ABS``, ``IF(c, a, b)``
(lazy), ``IFERROR(x, alt)``, ``AND OR NOT``.
Shifts to other periods of the same unit's report (the argument is a reference or a range):

* ``PREV(ref)`` — the value in the previous period (kỳ trước);
* ``LASTYEAR(ref)`` — the value in the same period of last year (cùng kỳ năm trước);
* ``YTD(ref)`` — year to date (lũy kế từ đầu năm): the sum of the year's earlier periods plus
  this period's value of the cell.

Values are numbers (IEEE doubles, as in Excel and JavaScript), text, booleans, blank (None) and
error values (``#DIV/0!``, ``#REF!``, ``#VALUE!``, ``#NUM!``) that propagate through operators and
functions and that ``IFERROR`` catches. The tokenizer and the Pratt parser below build an AST once;
nothing is ever handed to ``eval``. ``static/reporting/formulas.js`` is the same language, line for
line, for live results in the browser; ``tests/test_formulas_js.py`` runs a generated set of forms
through both and compares the results exactly. The dependency graph and the cycle check are in
``sheet.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from toancanh.core.errors import ServiceError


class FormulaError(ServiceError):
    """A formula that cannot be read or that refers to what does not exist; the message names it."""


@dataclass(frozen=True)
class XLError:
    """An Excel error value: it is a result, not an exception."""

    code: str

    def __repr__(self) -> str:
        return self.code


DIV0, REF, VALUE, NUM = XLError("#DIV/0!"), XLError("#REF!"), XLError("#VALUE!"), XLError("#NUM!")
ERRORS = {e.code: e for e in (DIV0, REF, VALUE, NUM)}

# --- AST ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: float


@dataclass(frozen=True)
class Str:
    value: str


@dataclass(frozen=True)
class Bool:
    value: bool


@dataclass(frozen=True)
class Ref:
    row: str
    col: str

    @property
    def key(self) -> str:
        return f"{self.row}.{self.col}"


@dataclass(frozen=True)
class Range:
    first: str
    last: str
    col: str


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "+" or "%"
    operand: object


@dataclass(frozen=True)
class Binary:
    op: str
    left: object
    right: object


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple


@dataclass(frozen=True)
class Shift:
    kind: str  # "PREV", "LASTYEAR" or "YTD"
    ref: Ref | Range


AGGREGATES = {"SUM", "AVERAGE", "MIN", "MAX", "AND", "OR"}
SHIFTS = {"PREV", "LASTYEAR", "YTD"}
# name -> (least, most) arguments
ARITY = {
    **{name: (1, 255) for name in AGGREGATES},
    "ROUND": (1, 2), "ABS": (1, 1), "IF": (2, 3), "IFERROR": (2, 2), "NOT": (1, 1),
    **{name: (1, 1) for name in SHIFTS},
}  # fmt: skip

# --- tokenizer ------------------------------------------------------------------------------------

TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<ref>\[[^\[\]]*\](?:\.[A-Za-z0-9_]+)?)
    | (?P<str>"(?:[^"]|"")*")
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<op><>|<=|>=|[-+*/^&=<>%(),;])
    )""",
    re.VERBOSE,
)
CELL = re.compile(r"^\s*([A-Za-z0-9_.]+?)\.([A-Za-z0-9_]+)\s*$")
ROW = re.compile(r"^\s*([A-Za-z0-9_.]+)\s*$")


def tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip()
    if text.startswith("="):
        pos = 1
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise FormulaError(_("Unexpected “%(text)s” in the formula.") % {"text": text[pos:].strip()[:20]})
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    tokens.append(("end", ""))
    return tokens


def _reference(text: str) -> Ref | Range:
    inside, _sep, col = text[1:].partition("]")
    col = col[1:] if col else ""
    if ":" in inside:
        first, _c, last = inside.partition(":")
        if col and ROW.match(first) and ROW.match(last):
            return Range(first.strip(), last.strip(), col)
    elif col and ROW.match(inside):
        return Ref(inside.strip(), col)
    elif not col and (m := CELL.match(inside)):
        return Ref(m.group(1), m.group(2))
    raise FormulaError(
        _("“%(ref)s” is not a cell reference: write [ROW.COLUMN] or [ROW1:ROW2].COLUMN.") % {"ref": text}
    )


# --- Pratt parser ---------------------------------------------------------------------------------

BINARY = {"=": 10, "<>": 10, "<": 10, "<=": 10, ">": 10, ">=": 10, "&": 20, "+": 30, "-": 30, "*": 40, "/": 40, "^": 50}
PERCENT, PREFIX = 60, 70


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos]

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, value: str) -> None:
        kind, text = self.take()
        if text != value or kind != "op":
            raise FormulaError(_("Expected “%(want)s” in the formula, found “%(got)s”.") % {"want": value, "got": text})

    def parse(self) -> object:
        if self.peek()[0] == "end":
            raise FormulaError(_("The formula is empty."))
        node = self.expression(0)
        if self.peek()[0] != "end":
            raise FormulaError(_("Unexpected “%(text)s” in the formula.") % {"text": self.peek()[1]})
        return node

    def expression(self, min_bp: int) -> object:
        node = self.prefix()
        while True:
            kind, op = self.peek()
            if kind != "op":
                if kind != "end":
                    raise FormulaError(_("Missing operator before “%(text)s”.") % {"text": op})
                return node
            if op == "%" and min_bp < PERCENT:
                self.take()
                node = Unary("%", node)
                continue
            bp = BINARY.get(op)
            if bp is None or bp <= min_bp:
                return node
            self.take()
            node = Binary(op, node, self.expression(bp))  # left-associative, ^ included (as Excel)

    def prefix(self) -> object:
        kind, text = self.take()
        if kind == "num":
            return Num(float(text))
        if kind == "str":
            return Str(text[1:-1].replace('""', '"'))
        if kind == "ref":
            return _reference(text)
        if kind == "op" and text in ("-", "+"):
            return Unary(text, self.expression(PREFIX))
        if kind == "op" and text == "(":
            node = self.expression(0)
            self.expect(")")
            return node
        if kind == "name":
            name = text.upper()
            if name in ("TRUE", "FALSE") and self.peek()[1] != "(":
                return Bool(name == "TRUE")
            if name not in ARITY:
                raise FormulaError(
                    _("Unknown function %(name)s (allowed: %(names)s).")
                    % {"name": text, "names": ", ".join(sorted(ARITY))}
                )
            self.expect("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.expression(0))
                while self.peek()[1] in (",", ";"):
                    self.take()
                    args.append(self.expression(0))
            self.expect(")")
            least, most = ARITY[name]
            if not least <= len(args) <= most:
                raise FormulaError(
                    _("%(name)s takes %(least)s to %(most)s arguments, not %(count)s.")
                    % {"name": name, "least": least, "most": most, "count": len(args)}
                )
            if name in SHIFTS:
                if not isinstance(args[0], Ref | Range):
                    raise FormulaError(_("%(name)s() takes a cell reference or a range of rows.") % {"name": name})
                return Shift(name, args[0])
            return Call(name, tuple(args))
        if kind == "end":
            raise FormulaError(_("The formula ends too early."))
        raise FormulaError(_("Unexpected “%(text)s” in the formula.") % {"text": text})


def parse(text: str) -> object:
    """The AST of a formula; FormulaError says what is wrong with it."""
    return _Parser(text).parse()


def walk(node: object):
    yield node
    if isinstance(node, Unary):
        yield from walk(node.operand)
    elif isinstance(node, Binary):
        yield from walk(node.left)
        yield from walk(node.right)
    elif isinstance(node, Call):
        for arg in node.args:
            yield from walk(arg)
    elif isinstance(node, Shift):
        yield from walk(node.ref)


# --- values ---------------------------------------------------------------------------------------

NUMERIC = re.compile(r"^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$")


def is_number(v: object) -> bool:
    return isinstance(v, float | int) and not isinstance(v, bool)


def to_number(v: object) -> float | XLError:
    if isinstance(v, XLError):
        return v
    if v is None:
        return 0.0
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, str) and NUMERIC.match(v):
        return float(v)
    return VALUE


def to_bool(v: object) -> bool | XLError:
    if isinstance(v, XLError):
        return v
    if v is None:
        return False
    if isinstance(v, bool):
        return v
    if is_number(v):
        return v != 0
    if isinstance(v, str) and v.upper() in ("TRUE", "FALSE"):
        return v.upper() == "TRUE"
    return VALUE


def number_text(x: float) -> str:
    """A number as JavaScript's ``String(x)`` writes it (shortest round-trip digits)."""
    if x == 0:
        return "0"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    sign = "-" if x < 0 else ""
    t = Decimal(repr(abs(x))).as_tuple()
    digits, exponent = "".join(map(str, t.digits)).lstrip("0"), t.exponent
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    digits = stripped
    n = len(digits) + exponent  # the value is 0.DIGITS × 10**n
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    tail = ("." + digits[1:]) if k > 1 else ""
    return f"{sign}{digits[0]}{tail}e{'+' if e >= 0 else '-'}{abs(e)}"


def to_text(v: object) -> str | XLError:
    if isinstance(v, XLError):
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if is_number(v):
        return number_text(float(v))
    return str(v)


def _finite(x: float) -> float | XLError:
    if math.isfinite(x):
        return 0.0 if x == 0 else x  # no negative zero, as in Excel
    return NUM


def ipow(base: float, n: int) -> float:
    """base**n by squaring: the same operations in Python and JavaScript, so the same bits."""
    negative, n, result = n < 0, abs(n), 1.0
    while n:
        if n & 1:
            result *= base
        n >>= 1
        if n:
            base *= base
    return 1.0 / result if negative else result


def power(a: float, b: float) -> float | XLError:
    if a == 0 and b < 0:
        return DIV0
    if b == int(b) and abs(b) <= 1_000_000:
        return _finite(ipow(a, int(b)))
    if a < 0:
        return NUM
    return _finite(math.pow(a, b))


def excel_round(x: float, digits: float) -> float | XLError:
    d = int(digits)  # truncated toward zero, as Excel does
    factor = ipow(10.0, abs(d))
    y = abs(x) * factor if d >= 0 else abs(x) / factor
    if not math.isfinite(y):
        return NUM
    y = float(f"{y:.15g}")  # Excel's 15 significant digits: ROUND(2.675; 2) is 2.68
    r = float(math.floor(y + 0.5))
    r = r / factor if d >= 0 else r * factor
    return _finite(-r if x < 0 else r)


def compare(op: str, a: object, b: object) -> bool | XLError:
    for v in (a, b):
        if isinstance(v, XLError):
            return v
    if a is None:
        a = "" if isinstance(b, str) else False if isinstance(b, bool) else 0.0
    if b is None:
        b = "" if isinstance(a, str) else False if isinstance(a, bool) else 0.0
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        a, b = ra, rb
    elif ra == 1:
        a, b = a.lower(), b.lower()
    return {
        "=": a == b, "<>": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b,
    }[op]  # fmt: skip


def _rank(v: object) -> int:
    return 2 if isinstance(v, bool) else 1 if isinstance(v, str) else 0
