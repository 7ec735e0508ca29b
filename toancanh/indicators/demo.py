"""Demo figures for Thành phố Đà Nẵng: a real-shaped catalogue of provincial indicators and five
years of monthly, quarterly and yearly history with plausible seasonality.

Before 1 July 2025 the figures are filed under the former units (the communes and the two
former provinces, Đà Nẵng and Quảng Nam), after it under the new ones, as they really were
reported; the roll-up joins the two through the succession mapping. The figures are generated
(seeded, so every demo shows the same) around real public levels
(shared/reference/demo-province-figures.md, cited per indicator in the catalogue's notes): the
2019 census population of each former district (``demo_population_2019.csv``), split over its
communes by area and urban/rural type; GRDP, budget revenue, retail sales, tourism and hospital
beds at the scale the statistics report. Every figure is consistent with the others: parts never
exceed their whole (dossiers settled on time or filed online ≤ dossiers received, international
≤ all tourists), shares stay within 0–100 %, and Đặc khu Hoàng Sa, with no resident population in
official statistics, reports nothing. Their shapes follow the usual pattern of each indicator:
retail sales peak before Tết, tourism in the summer, revenue in December.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Q
from django.utils import timezone

from toancanh.core.periods import Period, PeriodType
from toancanh.core.registry import registry
from toancanh.core.scoping import Scope
from toancanh.indicators import services
from toancanh.indicators.models import Category, CategoryOption, DataValue, Indicator, Target
from toancanh.indicators.services import ValueRow
from toancanh.units.models import REFORM_2025, Succession, Unit, UnitType

EVERYWHERE = Scope(everywhere=True)
FIRST_YEAR = 2022

POPULATION_FILE = Path(__file__).parent / "data" / "demo_population_2019.csv"
CENSUS_DAY = dt.date(2019, 4, 1)
# How much denser a ward or a township is than a rural commune of the same district, for
# splitting a district's census population over its communes by area (an assumption of the demo,
# not a published figure: Vietnamese wards are commonly 5–20 times as dense as rural communes).
DENSITY_BY_TYPE = {UnitType.WARD: 8.0, UnitType.TOWNSHIP: 3.0, UnitType.COMMUNE: 1.0, UnitType.SPECIAL_ZONE: 0.0}
DANANG_SHARE = 0.54  # the former Đà Nẵng's part of province-level totals before the merger (GRDP 2023 [E1][M1])


def catalogue() -> list[dict]:
    """The demo catalogue: the indicators that the installed packs declare (``indicators.py``), one
    row each with how its made-up history is shaped, in the packs' order; a row comes after those
    its formula, weight or ``part_of`` refers to."""
    rows = []
    for row in registry.indicators():
        d = dict(row)
        d["vi"], d["en"] = d.pop("name_vi"), d.pop("name_en")
        d["decimals"] = int(d.get("decimals") or 0)
        for key in ("base", "growth"):
            d[key] = float(d.get(key) or 0.0)
        d["level"] = d.get("level") or ""
        d["agg"] = d.get("agg") or "sum"
        d["time"] = d.get("time") or "sum"
        d["direction"] = d.get("direction") or "up"
        d["season"] = tuple(d.get("season") or FLAT)
        if len(d["season"]) != 12:
            raise ValueError(f"indicator {d['code']}: a season has twelve monthly factors")
        for key in ("formula", "weight", "source", "legal", "part_of"):
            d[key] = d.get(key) or ""
        d["min"] = float(d["min"]) if d.get("min") is not None else None
        d["max"] = float(d["max"]) if d.get("max") is not None else None
        rows.append(d)
    return _after_what_they_need(rows)


FLAT = (1.0,) * 12
_CODE = re.compile(r"\b[A-Z][A-Z0-9_]*\b")


def _after_what_they_need(rows: list[dict]) -> list[dict]:
    """A stable order in which every row follows the rows it refers to (the packs' order when it
    already does, as it should: the seeded figures depend on it)."""
    codes = {d["code"] for d in rows}
    placed: set[str] = set()
    out: list[dict] = []
    waiting = list(rows)
    while waiting:
        for d in waiting:  # the earliest row whose references are all placed goes next
            if (set(_CODE.findall(d["formula"])) | {d["weight"], d["part_of"]}) & codes - {d["code"]} <= placed:
                break
        else:
            raise ValueError(f"the catalogue refers in a circle: {', '.join(d['code'] for d in waiting)}")
        waiting.remove(d)
        placed.add(d["code"])
        out.append(d)
    return out


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
            formula=d["formula"], weight=d.get("weight") or "", order=order, min_value=d["min"], max_value=d["max"],
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


def _box_area_km2(bounds: list[float] | None) -> float | None:
    """The area of a [south, west, north, east] box, roughly (a commune's area where none is given)."""
    if not bounds:
        return None
    south, west, north, east = bounds
    return abs(north - south) * 111.0 * abs(east - west) * 111.0 * math.cos(math.radians((north + south) / 2))


def _census() -> dict[str, float]:
    with POPULATION_FILE.open(encoding="utf-8") as f:
        return {r["district"]: float(r["population_2019"]) for r in csv.DictReader(f)}


def _sizes(province: Unit) -> dict[int, float]:
    """Each commune's population at the 2019 census: its former district's census figure, split
    over the district's communes by area × density of their type; a new commune has the shares of
    the former communes it was formed from, so totals run on smoothly across the reform."""
    census = _census()
    old = _units_at("commune", REFORM_2025 - dt.timedelta(days=1), province)
    districts = {d.pk: d for d in Unit.objects.filter(pk__in={u.parent_id for u in old})}
    weights: dict[int, float] = {}
    for u in old:
        area = u.area_km2 or _box_area_km2(u.bounds) or 10.0
        weights[u.pk] = float(area) * DENSITY_BY_TYPE.get(u.type, 1.0)
    by_district: dict[int, float] = defaultdict(float)
    for u in old:
        by_district[u.parent_id] += weights[u.pk]
    sizes = {}
    for u in old:
        people = census.get(districts[u.parent_id].name, 0.0)
        sizes[u.pk] = people * weights[u.pk] / by_district[u.parent_id] if by_district[u.parent_id] else 0.0
    for s in Succession.objects.filter(old_id__in=sizes, new__level="commune").values_list("old_id", "new_id", "share"):
        sizes[s[1]] = sizes.get(s[1], 0.0) + sizes[s[0]] * float(s[2])
    return sizes


def _share(value: float, rng: np.random.Generator, spread: float, lead: float = 0.0) -> float:
    """A share in per cent with noise (and a unit's lead) on the logit scale: it never leaves 0–100."""
    p = min(max(value / 100, 1e-4), 1 - 1e-4)
    logit = math.log(p / (1 - p)) + lead + float(rng.normal(0, spread))
    return 100 / (1 + math.exp(-logit))


def build(province_key: str = "vn34-p48", until: dt.date | None = None) -> dict:
    """Define the catalogue, file the history, set this year's targets; returns what was stored."""
    _define()
    province = Unit.objects.get(key=province_key)
    until = until or (dt.date.today().replace(day=1) - dt.timedelta(days=1))  # noqa: DTZ011 - last complete month
    rng = np.random.default_rng(2025)
    sizes = _sizes(province)
    total_size = sum(sizes[u.pk] for u in _units_at("commune", REFORM_2025 - dt.timedelta(days=1), province))
    bias = {pk: float(rng.uniform(0.93, 1.07)) for pk in sizes}
    shift = {pk: float(rng.normal(0, 0.35)) for pk in sizes}  # a commune's lasting lead or lag in a share
    former_share = {
        u.pk: (DANANG_SHARE if u.code == "48" else 1 - DANANG_SHARE)
        for u in _units_at("province", dt.date(2024, 1, 1), province)
    }
    by_code = {d["code"]: d for d in catalogue()}
    made: dict[tuple[str, int, str], float] = {}
    rows: list[ValueRow] = []
    reporters: dict[tuple[str, bool], list[Unit]] = {}  # who reported, before and after the reform
    for d in catalogue():
        if d.get("formula"):
            continue
        season = d["season"]
        share_like = d["max"] == 100.0
        rate_like = d.get("agg") in ("avg", "wavg") or d["measure"] == "%"
        whole = by_code.get(d["part_of"]) if d.get("part_of") else None
        for period in _periods(d["period"], until):
            months = [s.start.month for s in period.subperiods(PeriodType.MONTH)] if d["period"] != "year" else [6]
            factor = sum(season[m - 1] for m in months) / len(months)
            years = (period.start - dt.date(FIRST_YEAR, 1, 1)).days / 365.25
            level = d["base"] * (1 + d["growth"]) ** years * factor
            era = (d["level"], period.end >= REFORM_2025)
            if era not in reporters:
                reporters[era] = _units_at(d["level"], period.end, province)
            for u in reporters[era]:
                if d["level"] == "commune" and not sizes.get(u.pk):
                    continue  # no resident population (Đặc khu Hoàng Sa): nothing to report
                if d["code"] in ("POP", "POP_Q"):  # the census, grown at the catalogue's rate
                    since = (period.end - CENSUS_DAY).days / 365.25
                    value = sizes[u.pk] * (1 + d["growth"]) ** since
                elif whole is not None:  # a part of another figure of the same unit: never above it
                    of = made.get((whole["code"], u.pk, period.code))
                    if of is None:
                        continue
                    ratio = d["base"] / whole["base"] * ((1 + d["growth"]) / (1 + whole["growth"])) ** years
                    value = min(of, of * min(ratio, 0.995) * float(rng.normal(1, 0.01)))
                elif share_like:  # around the year's level, each commune a little ahead or behind
                    value = _share(level, rng, 0.05, lead=shift.get(u.pk, 0.0))
                elif rate_like:
                    value = level * bias.get(u.pk, 1.0) * float(rng.normal(1, 0.02))
                elif d["level"] == "commune":  # ``base`` is the province's total, shared by population
                    value = level * sizes[u.pk] / total_size * float(rng.normal(1, 0.05))
                else:
                    value = level * former_share.get(u.pk, 1.0) * float(rng.normal(1, 0.02))
                if d["decimals"] == 0 and not rate_like and value < 50:  # small counts: whole events
                    value = float(rng.poisson(max(value, 0.0)))
                value = round(max(value, 0.0), d["decimals"])
                if whole is not None:
                    value = min(value, made[(whole["code"], u.pk, period.code)])
                made[(d["code"], u.pk, period.code)] = value
                rows.append(ValueRow(d["code"], u.key, period.code, value, status="official", source="demo"))
    report = services.record_values(rows, by=None, scope=EVERYWHERE, source="demo")
    _filed_when_they_were()
    from toancanh.indicators import refresh

    refresh.recompute_dirty(series_limit=0)  # the targets below read the roll-ups; anomaly checks: the runner
    _targets(province, until.year - 1)
    _targets(province, until.year)
    return {"indicators": len(catalogue()), "values": report.stored, "refused": len(report.refused)}


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _filed_when_they_were(days_after: int = 10) -> None:
    """Date each demo figure as if it had been filed ``days_after`` days after its period ended (never
    later than now), not all at the moment the demo was built: the leader's "changed since
    yesterday" then lists what really is new, not five years of history."""
    now = timezone.now()
    for code in DataValue.objects.filter(source="demo").values_list("period", flat=True).distinct():
        end = Period.parse(code).end + dt.timedelta(days=days_after)
        at = min(dt.datetime.combine(end, dt.time(9), tzinfo=VIETNAM), now)
        DataValue.objects.filter(source="demo", period=code).update(entered_at=at, updated_at=at)


def _targets(province: Unit, year: int) -> None:
    """This year's targets: last year's figure and the growth the plan asks for (some a stretch)."""
    from toancanh.indicators.queries import series

    rows = catalogue()
    stretch = {d["code"]: d["stretch"] for d in rows if d.get("stretch")}
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
            defaults={"kind": "at_least" if up else "at_most", "value": round(value, ind.decimals), "upper": None,
                      "note": "Nghị quyết HĐND thành phố (demo)"},
        )  # fmt: skip
    # Targets as the resolutions word them (shared/reference/demo-province-figures.md §4–5).
    official = [(d["code"], d["target"]) for d in rows if d.get("target")]
    for code, t in official:
        ind = Indicator.objects.filter(code=code).first()
        if ind is not None:
            Target.objects.update_or_create(
                indicator=ind, unit=province, year=year,
                defaults={"kind": t["kind"], "value": t["value"], "upper": t.get("upper"), "note": t["note"]},
            )  # fmt: skip
