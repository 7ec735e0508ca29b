"""Demo figures for Thành phố Đà Nẵng: a real-shaped catalogue of provincial indicators and five
years of monthly, quarterly and yearly history with plausible seasonality.

Before 1 July 2025 the figures are filed under the former units (the communes and the two
former provinces, Đà Nẵng and Quảng Nam), after it under the new ones, as they really were
reported; the roll-up joins the two through the succession mapping. The numbers are made up
(seeded, so every demo shows the same); their shapes follow the usual pattern of each indicator:
retail sales peak before Tết, tourism in the summer, revenue in December.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np
from django.db.models import Q

from toancanh.core.periods import Period, PeriodType
from toancanh.core.scoping import Scope
from toancanh.indicators import services
from toancanh.indicators.models import Category, CategoryOption, Indicator, Target
from toancanh.indicators.services import ValueRow
from toancanh.units.models import REFORM_2025, Succession, Unit

EVERYWHERE = Scope(everywhere=True)
FIRST_YEAR = 2022

CATALOGUE_FILE = Path(__file__).parent / "data" / "demo_catalogue.csv"


def catalogue() -> list[dict]:
    """The demo catalogue: one row per indicator, with how its made-up history is shaped."""
    with CATALOGUE_FILE.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for d in rows:
        d["decimals"] = int(d["decimals"] or 0)
        for key in ("base", "growth"):
            d[key] = float(d[key]) if d[key] else 0.0
        d["agg"] = d["agg"] or "sum"
        d["time"] = d["time"] or "sum"
        d["direction"] = d["direction"] or "up"
        d["season"] = d["season"] or "flat"
    return rows


_SEASONS = {
    "flat": [1] * 12,
    "retail": [1.25, 1.18, 0.92, 0.94, 0.96, 0.97, 0.98, 0.98, 0.97, 0.99, 1.0, 1.12],
    "tourism": [0.85, 0.95, 1.0, 1.05, 1.18, 1.32, 1.35, 1.28, 0.95, 0.7, 0.62, 0.75],
    "tourism_rate": [0.92, 0.98, 1.0, 1.03, 1.1, 1.18, 1.2, 1.16, 0.95, 0.8, 0.76, 0.86],
    "budget": [0.95, 0.7, 0.85, 1.0, 0.95, 1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 1.5],
    "trade": [0.9, 0.75, 1.0, 1.0, 1.02, 1.05, 1.05, 1.06, 1.04, 1.04, 1.02, 1.07],
    "lumpy": [0.6, 0.5, 0.9, 1.0, 1.2, 0.8, 1.0, 1.3, 0.9, 1.1, 1.2, 1.5],
    "iip": [0.97, 0.94, 1.01, 1.0, 1.01, 1.01, 1.02, 1.01, 1.0, 1.01, 1.01, 1.01],
    "cpi": [1.003, 1.006, 1.0, 0.999, 0.999, 1.0, 1.0, 1.0, 1.0, 0.999, 0.999, 1.001],
    "business": [0.7, 0.6, 1.05, 1.0, 1.05, 1.05, 1.1, 1.05, 1.0, 1.1, 1.1, 1.2],
    "disbursement": [0.3, 0.35, 0.6, 0.7, 0.8, 0.9, 1.0, 1.05, 1.15, 1.3, 1.5, 2.3],
    "health": [0.95, 0.85, 1.0, 1.0, 1.02, 1.05, 1.05, 1.03, 1.03, 1.02, 1.0, 1.0],
    "dengue": [0.4, 0.25, 0.2, 0.2, 0.4, 0.8, 1.3, 1.9, 2.2, 2.1, 1.5, 0.85],
    "dossiers": [1.05, 0.7, 1.05, 1.02, 1.03, 1.02, 1.0, 1.0, 1.02, 1.03, 1.02, 1.06],
    "tet_traffic": [1.2, 1.35, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.9, 0.92, 0.95, 1.1],
    "fishing": [0.7, 0.8, 1.1, 1.2, 1.25, 1.2, 1.15, 1.1, 0.95, 0.75, 0.8, 0.9],
}


def _define() -> None:
    sex = Category.objects.get_or_create(code="sex", defaults={"name_vi": "Giới tính", "name_en": "Sex"})[0]
    for order, (code, vi, en) in enumerate([("male", "Nam", "Male"), ("female", "Nữ", "Female")]):
        CategoryOption.objects.get_or_create(
            category=sex, code=code, defaults={"name_vi": vi, "name_en": en, "order": order}
        )
    for order, d in enumerate(catalogue(), start=1):
        services.define_indicator(
            by=None, code=d["code"], name_vi=d["vi"], name_en=d["en"], measure=d["measure"], sector=d["sector"],
            period_type=d["period"], unit_aggregation=d["agg"], time_aggregation=d["time"],
            direction=d["direction"], decimals=d["decimals"], source=d["source"] or "Cục Thống kê",
            legal_basis=d["legal"] or "Quyết định 05/2023/QĐ-TTg (hệ thống chỉ tiêu thống kê cấp tỉnh)",
            formula=d["formula"], weight=d.get("weight") or "", order=order,
        )  # fmt: skip


def _periods(ptype: str, until: dt.date) -> list[Period]:
    p, out = Period.containing(dt.date(FIRST_YEAR, 1, 1), ptype), []
    while p.end <= until:
        out.append(p)
        p = p.next()
    return out


def _units_at(level: str, day: dt.date, province: Unit) -> list[Unit]:
    """The units that reported for a period ending on ``day``: the former structure before the reform."""
    if day >= REFORM_2025:
        return [province] if level == "province" else list(province.children.valid_on(day).order_by("key"))
    formers = list(Unit.objects.filter(successors__new=province, level="province").distinct().order_by("key"))
    if level == "province":
        return formers
    within = Q()
    for f in formers:
        within |= Q(path__startswith=f.path)
    return list(Unit.objects.filter(within, level="commune").order_by("key"))


def _sizes(province: Unit, rng: np.random.Generator) -> dict[int, float]:
    """A size for each commune; a new commune is as large as the parts of former ones it took,
    so totals run on smoothly across the reform."""
    old = _units_at("commune", REFORM_2025 - dt.timedelta(days=1), province)
    sizes = {u.pk: float(rng.lognormal(0, 0.55)) for u in old}
    for s in Succession.objects.filter(old_id__in=sizes, new__level="commune").values_list("old_id", "new_id", "share"):
        sizes[s[1]] = sizes.get(s[1], 0.0) + sizes[s[0]] * float(s[2])
    return sizes


def build(province_key: str = "vn34-p48", until: dt.date | None = None) -> dict:
    """Define the catalogue, file the history, set this year's targets; returns what was stored."""
    _define()
    province = Unit.objects.get(key=province_key)
    until = until or (dt.date.today().replace(day=1) - dt.timedelta(days=1))  # noqa: DTZ011 - last complete month
    rng = np.random.default_rng(2025)
    sizes = _sizes(province, rng)
    total_size = sum(sizes[u.pk] for u in _units_at("commune", REFORM_2025 - dt.timedelta(days=1), province))
    bias = {pk: float(rng.uniform(0.93, 1.07)) for pk in sizes}
    former_share = {
        u.pk: (0.62 if u.code == "48" else 0.38) for u in _units_at("province", dt.date(2024, 1, 1), province)
    }
    rows: list[ValueRow] = []
    reporters: dict[tuple[str, bool], list[Unit]] = {}  # who reported, before and after the reform
    for d in catalogue():
        if d.get("formula"):
            continue
        season = _SEASONS[d["season"]]
        rate_like = d.get("agg") in ("avg", "wavg") or d["measure"] == "%"
        for period in _periods(d["period"], until):
            months = [s.start.month for s in period.subperiods(PeriodType.MONTH)] if d["period"] != "year" else [6]
            factor = sum(season[m - 1] for m in months) / len(months)
            years = (period.start - dt.date(FIRST_YEAR, 1, 1)).days / 365.25
            level = d["base"] * (1 + d["growth"]) ** years * factor
            era = (d["level"], period.end >= REFORM_2025)
            if era not in reporters:
                reporters[era] = _units_at(d["level"], period.end, province)
            for u in reporters[era]:
                if rate_like:
                    value = level * bias.get(u.pk, 1.0) * float(rng.normal(1, 0.02))
                elif d["level"] == "commune":  # ``base`` is the province's total, shared by size
                    value = level * sizes.get(u.pk, 1.0) / total_size * float(rng.normal(1, 0.05))
                else:
                    value = level * former_share.get(u.pk, 1.0) * float(rng.normal(1, 0.02))
                if d["measure"] == "%" and d["direction"] == "up" and d["base"] < 100:  # a share, not an index
                    value = min(value, 100.0)
                if d["decimals"] == 0 and not rate_like and value < 50:  # small counts: whole events
                    value = float(rng.poisson(max(value, 0.0)))
                value = round(max(value, 0.0), d["decimals"])
                rows.append(ValueRow(d["code"], u.key, period.code, value, status="official", source="demo"))
    report = services.record_values(rows, by=None, scope=EVERYWHERE, source="demo")
    _targets(province, until.year - 1)
    _targets(province, until.year)
    return {"indicators": len(catalogue()), "values": report.stored, "refused": len(report.refused)}


def _targets(province: Unit, year: int) -> None:
    """This year's targets: last year's figure and the growth the plan asks for (some a stretch)."""
    from toancanh.indicators.queries import series

    stretch = {"EXPORT": 1.16, "FDI": 1.3, "TOURISTS": 1.12, "RETAIL": 1.1, "BUDGET_REVENUE": 1.12}
    for ind in Indicator.objects.filter(formula=""):
        last = [v for p, v, _c in series(ind, province, "year") if p == str(year - 1) and v is not None]
        if not last:
            continue
        up = ind.direction == "up"
        factor = stretch.get(ind.code, 1.07 if up else 0.95)
        if ind.measure == "%":
            factor = 1.01 if up else 0.97
        value = last[0] * factor
        if ind.measure == "%" and up:
            value = min(value, 100)
        Target.objects.update_or_create(
            indicator=ind, unit=province, year=year,
            defaults={"value": round(value, ind.decimals), "note": "Nghị quyết HĐND thành phố (demo)"},
        )  # fmt: skip
