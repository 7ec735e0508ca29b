"""Periods (kỳ báo cáo) as first-class values: ``Period.month(2025, 6)``, not strings.

Codes: day ``2025-06-15``, month ``2025-06``, quarter ``2025Q2``, half-year ``2025H1``, year ``2025``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache

# The range of years anything may be about: older or later periods and dates are typing errors.
MIN_YEAR, MAX_YEAR = 1900, 2100


class PeriodType(StrEnum):
    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def per_year(self) -> int:
        return {PeriodType.MONTH: 12, PeriodType.QUARTER: 4, PeriodType.HALF_YEAR: 2, PeriodType.YEAR: 1}.get(self, 365)


_RANK = {PeriodType.DAY: 0, PeriodType.MONTH: 1, PeriodType.QUARTER: 2, PeriodType.HALF_YEAR: 3, PeriodType.YEAR: 4}
_MONTHS_IN = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.HALF_YEAR: 6, PeriodType.YEAR: 12}
_PATTERNS = [
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), PeriodType.DAY),
    (re.compile(r"^(\d{4})-(\d{2})$"), PeriodType.MONTH),
    (re.compile(r"^(\d{4})Q([1-4])$"), PeriodType.QUARTER),
    (re.compile(r"^(\d{4})H([12])$"), PeriodType.HALF_YEAR),
    (re.compile(r"^(\d{4})$"), PeriodType.YEAR),
]


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period. ``index`` is the month (1–12), quarter (1–4), half (1–2), day of year, or 1."""

    year: int
    type: PeriodType
    index: int

    # --- constructors ---------------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise PeriodError(f"month {month} is not 1–12")
        return cls(year, PeriodType.MONTH, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise PeriodError(f"quarter {quarter} is not 1–4")
        return cls(year, PeriodType.QUARTER, quarter)

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        if half not in (1, 2):
            raise PeriodError(f"half-year {half} is not 1 or 2")
        return cls(year, PeriodType.HALF_YEAR, half)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year, PeriodType.YEAR, 1)

    @classmethod
    def day(cls, date: dt.date) -> Period:
        return cls(date.year, PeriodType.DAY, date.timetuple().tm_yday)

    @classmethod
    def parse(cls, code: str) -> Period:
        return _parse(code)

    @classmethod
    def from_text(cls, text: str) -> Period:
        """A period as a person types it, in either language, or its code: "06/2025", "Tháng 6/2025",
        "Quý II/2025", "Q2 2025", "6 tháng đầu năm 2025", "H1 2025", "Năm 2025", "15/06/2025"
        (and "2025-06", "2025Q2" …). Raises ``PeriodError`` for anything else."""
        raw = " ".join((text or "").split())
        plain = "".join(
            ch for ch in unicodedata.normalize("NFD", raw.lower().replace("đ", "d")) if not unicodedata.combining(ch)
        )
        for pattern, make in _TYPED:
            m = pattern.match(plain)
            if m:
                try:
                    return make(*m.groups())
                except ValueError as exc:
                    raise PeriodError(f"'{text}' is not a period") from exc
        return cls.parse(raw.upper() if re.fullmatch(r"\d{4}[qh]\d", raw) else raw)

    @classmethod
    def _parse_uncached(cls, code: str) -> Period:
        text = (code or "").strip()
        for pattern, ptype in _PATTERNS:
            m = pattern.match(text)
            if not m:
                continue
            year = int(m.group(1))
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise PeriodError(f"'{code}': the year must be between {MIN_YEAR} and {MAX_YEAR}")
            if ptype is PeriodType.DAY:
                try:
                    return cls.day(dt.date(year, int(m.group(2)), int(m.group(3))))
                except ValueError as exc:
                    raise PeriodError(f"'{code}' is not a valid day") from exc
            if ptype is PeriodType.YEAR:
                return cls.of_year(year)
            return {PeriodType.MONTH: cls.month, PeriodType.QUARTER: cls.quarter, PeriodType.HALF_YEAR: cls.half_year}[
                ptype
            ](year, int(m.group(2)))
        raise PeriodError(f"'{code}' is not a period (e.g. 2025-06, 2025Q2, 2025H1, 2025, 2025-06-15)")

    @classmethod
    def containing(cls, date: dt.date, ptype: PeriodType | str) -> Period:
        ptype = PeriodType(ptype)
        if ptype is PeriodType.DAY:
            return cls.day(date)
        months = _MONTHS_IN[ptype]
        return cls(date.year, ptype, (date.month - 1) // months + 1)

    # --- properties (periods are immutable, so each is computed once) ----------------------------
    @cached_property
    def code(self) -> str:
        match self.type:
            case PeriodType.DAY:
                return self.start.isoformat()
            case PeriodType.MONTH:
                return f"{self.year}-{self.index:02d}"
            case PeriodType.QUARTER:
                return f"{self.year}Q{self.index}"
            case PeriodType.HALF_YEAR:
                return f"{self.year}H{self.index}"
        return str(self.year)

    def __str__(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        """The period as people say it in the active language: "Tháng 10/2026", "Quý III/2026" in
        Vietnamese; "10/2026", "Q3 2026" in English (the same words as ``periodLabel`` in indicators.js)."""
        from django.utils.translation import get_language

        if (get_language() or "vi").startswith("vi"):
            return self.label_vi
        match self.type:
            case PeriodType.DAY:
                return self.start.strftime("%d/%m/%Y")
            case PeriodType.MONTH:
                return f"{self.index:02d}/{self.year}"
            case PeriodType.QUARTER:
                return f"Q{self.index} {self.year}"
            case PeriodType.HALF_YEAR:
                return f"H{self.index} {self.year}"
        return str(self.year)

    @property
    def label_vi(self) -> str:
        match self.type:
            case PeriodType.DAY:
                return self.start.strftime("%d/%m/%Y")
            case PeriodType.MONTH:
                return f"Tháng {self.index:02d}/{self.year}"
            case PeriodType.QUARTER:
                return f"Quý {['I', 'II', 'III', 'IV'][self.index - 1]}/{self.year}"
            case PeriodType.HALF_YEAR:
                return f"{'6 tháng đầu năm' if self.index == 1 else '6 tháng cuối năm'} {self.year}"
        return f"Năm {self.year}"

    @cached_property
    def start(self) -> dt.date:
        if self.type is PeriodType.DAY:
            return dt.date(self.year, 1, 1) + dt.timedelta(days=self.index - 1)
        return dt.date(self.year, (self.index - 1) * _MONTHS_IN[self.type] + 1, 1)

    @cached_property
    def end(self) -> dt.date:
        if self.type is PeriodType.DAY:
            return self.start
        last_month = self.index * _MONTHS_IN[self.type]
        return dt.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    # --- arithmetic -----------------------------------------------------------------------------
    def containing_period(self, ptype: PeriodType | str) -> Period:
        """The coarser period of ``ptype`` that holds this one (a month's quarter, year …)."""
        ptype = PeriodType(ptype)
        if ptype.rank < self.type.rank:
            raise PeriodError(f"a {self.type} is not inside a {ptype}")
        return Period.containing(self.start, ptype)

    def subperiods(self, ptype: PeriodType | str) -> list[Period]:
        """The finer periods of ``ptype`` that make up this one, in order."""
        return list(_subperiods(self, PeriodType(ptype)))

    def _subperiods(self, ptype: PeriodType) -> list[Period]:
        if ptype.rank > self.type.rank:
            raise PeriodError(f"a {self.type} has no {ptype}s inside it")
        out, p = [], Period.containing(self.start, ptype)
        while p.start <= self.end:
            out.append(p)
            p = p.next()
        return out

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier when negative)."""
        if self.type is PeriodType.DAY:
            return Period.day(self.start + dt.timedelta(days=steps))
        n = self.type.per_year
        total = self.year * n + (self.index - 1) + steps
        return Period(total // n, self.type, total % n + 1)

    def next(self) -> Period:
        return self.shift(1)

    def previous(self) -> Period:
        return self.shift(-1)

    def same_period_last_year(self) -> Period:
        if self.type is PeriodType.DAY:
            try:
                return Period.day(self.start.replace(year=self.year - 1))
            except ValueError:  # 29 February
                return Period.day(dt.date(self.year - 1, 2, 28))
        return Period(self.year - 1, self.type, self.index)

    @cached_property
    def ordinal_value(self) -> int:
        return self.ordinal()

    def ordinal(self) -> int:
        """A number that orders periods of one type: consecutive periods differ by one."""
        if self.type is PeriodType.DAY:
            return self.start.toordinal()
        return self.year * self.type.per_year + self.index - 1

    @classmethod
    def from_ordinal(cls, ptype: PeriodType | str, ordinal: int) -> Period:
        ptype = PeriodType(ptype)
        if ptype is PeriodType.DAY:
            return cls.day(dt.date.fromordinal(ordinal))
        n = ptype.per_year
        return cls(ordinal // n, ptype, ordinal % n + 1)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _checked_year(year: str) -> int:
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        raise ValueError(year)
    return int(year)


def _typed_day(d: str, m: str, y: str) -> Period:
    return Period.day(dt.date(_checked_year(y), int(m), int(d)))


def _typed_month(m: str, y: str) -> Period:
    if not 1 <= int(m) <= 12:
        raise ValueError(m)
    return Period.month(_checked_year(y), int(m))


# What people type (lower case, without accents), and the period it means.
_TYPED = [
    (re.compile(r"^(?:ngay\s*)?(\d{1,2})[/.](\d{1,2})[/.](\d{4})$"), _typed_day),
    (re.compile(r"^(?:thang\s*)?(\d{1,2})\s*[/.-]\s*(\d{4})$"), _typed_month),
    (re.compile(r"^(?:quy|q)\s*(iv|iii|ii|i|[1-4])\s*[/ -]?\s*(\d{4})$"),
     lambda q, y: Period.quarter(_checked_year(y), _ROMAN[q])),
    (re.compile(r"^(?:6 thang dau nam|h1)\s*[/ -]?\s*(\d{4})$"), lambda y: Period.half_year(_checked_year(y), 1)),
    (re.compile(r"^(?:6 thang cuoi nam|h2)\s*[/ -]?\s*(\d{4})$"), lambda y: Period.half_year(_checked_year(y), 2)),
    (re.compile(r"^(?:nam|year)\s+(\d{4})$"), lambda y: Period.of_year(_checked_year(y))),
]  # fmt: skip


@lru_cache(maxsize=65536)
def _parse(code: str) -> Period:
    """Parsing is pure, and the same few hundred codes recur on every page: remember them."""
    return Period._parse_uncached(code)


@lru_cache(maxsize=65536)
def _subperiods(period: Period, ptype: PeriodType) -> tuple[Period, ...]:
    return tuple(period._subperiods(ptype))
