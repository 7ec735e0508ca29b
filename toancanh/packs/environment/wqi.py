"""The Vietnamese water quality index (chỉ số chất lượng nước, VN_WQI) of Decision 1460/QĐ-TCMT
(2019) for surface water stations: the sub-index q of each parameter, the five parameter groups and
their aggregation into one index, and its six classes.

Pure functions over plain numbers. Source: ``shared/reference/environment.md`` § "VN_WQI — Decision
1460/QĐ-TCMT":

- groups: I pH; II pesticides; III heavy metals; IV organic matter and nutrients (DO, BOD5, COD,
  TOC, N-NH4, N-NO3, N-NO2, P-PO4); V microbiology (Coliform, E. coli). An index needs at least 3
  of the 5 groups, group IV always, with at least 3 of its parameters;
- q of groups III, IV, V: linear interpolation on the breakpoints for q = 100 / 75 / 50 / 25 / 10,
  worse than the last breakpoint 10; where the table writes "< x" for q = 100, q is 100 below x and
  starts at the next q on x itself (N-NH4, Cd, Pb, Hg);
- DO: per cent of saturation, DO_sat = 14.652 − 0.41022·T + 0.007991·T² − 0.000077774·T³ (T in °C);
- pH: 10 below 5.5; 50 at 5.5; 100 from 6 to 8.5; 50 at 9; 10 above 9;
- pesticides: 100 within the limit, 10 above;
- WQI = (WQI_I/100) × geomean(WQI_II)/100 × geomean(WQI_III)/100 × [mean(WQI_IV) · mean(WQI_V)]^(1/2),
  without group V mean(WQI_IV); a missing group I, II or III leaves its factor out; rounded.
  The decision also gives a weighted form, [mean(WQI_IV)² · mean(WQI_V)]^(1/3), that stresses the
  organic group [S] (not in the reference; as independent implementations transcribe it):
  ``wqi(sample, weighted=True)``, or ``settings.ENVIRONMENT_WQI_WEIGHTED = True`` for every index.

The reference notes that the decision's own worked example could not be reproduced (an unsigned
copy), so the tests derive their cases from the formula itself.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# --- the decision's tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """Breakpoints of one parameter: ``points`` are (concentration, q) in rising concentration; with
    ``strict_best`` q is 100 *below* the first point (the table's "< x") and the first point's own q
    applies on it. Worse than the last point: q = 10."""

    points: tuple[tuple[float, float], ...]
    strict_best: bool = False


def _s(*bps: float, strict: bool = False, open_end: bool = False) -> Scale:
    """Breakpoints BP1..BP5 for q = 100/75/50/25/10. ``strict``: BP1 is "< x" (and BP2 = x, q 75);
    ``open_end``: BP5 is "> x" (q jumps to 10 past BP4)."""
    qs = (75, 50, 25, 10) if strict else (100, 75, 50, 25, 10)
    points = tuple(zip(bps, qs, strict=False))
    if open_end:
        points = tuple(p for p in points if p[1] != 10)
    return Scale(points, strict_best=strict)


GROUP_IV: dict[str, Scale] = {
    "bod5": _s(4, 6, 15, 25, 50),
    "cod": _s(10, 15, 30, 50, 150),
    "toc": _s(4, 6, 15, 25, 50),
    "n_nh4": _s(0.3, 0.6, 0.9, 5, strict=True),
    "n_no3": _s(2, 5, 10, 15, open_end=True),
    "n_no2": Scale(((0.05, 100),)),
    "p_po4": _s(0.1, 0.2, 0.3, 0.5, 4),
}
GROUP_V: dict[str, Scale] = {
    "coliform": _s(2500, 5000, 7500, 10000, open_end=True),
    "e_coli": _s(20, 50, 100, 200, open_end=True),
}
GROUP_III: dict[str, Scale] = {
    "as": _s(0.01, 0.02, 0.05, 0.1, open_end=True),
    "cd": _s(0.005, 0.008, 0.01, 0.1, strict=True),
    "pb": _s(0.02, 0.04, 0.05, 0.5, strict=True),
    "cr6": _s(0.01, 0.02, 0.04, 0.05, 0.1),
    "cu": _s(0.1, 0.2, 0.5, 1, 2),
    "zn": _s(0.5, 1, 1.5, 2, 3),
    "hg": _s(0.001, 0.0015, 0.002, 0.01, strict=True),
}
#: Pesticides (µg/L): q = 100 within the limit, 10 above.
GROUP_II: dict[str, float] = {"aldrin": 0.1, "bhc": 0.02, "dieldrin": 0.1, "ddts": 1.0, "heptachlor": 0.2}

#: DO as % of saturation: (DO%, q); below the first and above the last q = 10.
DO_POINTS = ((20, 25), (50, 50), (75, 75), (88, 100), (112, 100), (125, 75), (150, 50), (200, 25))
PH_POINTS = ((5.5, 50), (6, 100), (8.5, 100), (9, 50))

GROUPS = {"I": ("ph",), "II": tuple(GROUP_II), "III": tuple(GROUP_III), "IV": ("do", *GROUP_IV),
          "V": tuple(GROUP_V)}  # fmt: skip


@dataclass(frozen=True)
class WqiClass:
    """A VN_WQI class with its colour and the use the water is fit for (the decision's table as
    republished [S]; the reference gives the names and ranges, and the blue)."""

    low: int
    high: int
    code: str
    name_vi: str
    name_en: str
    rgb: tuple[int, int, int]
    use_vi: str

    @property
    def hex(self) -> str:
        return "#{:02x}{:02x}{:02x}".format(*self.rgb)


CLASSES: tuple[WqiClass, ...] = (
    WqiClass(91, 100, "very_good", "Rất tốt", "Very good", (51, 51, 255), "Sử dụng tốt cho mục đích cấp nước sinh hoạt."),
    WqiClass(76, 90, "good", "Tốt", "Good", (0, 228, 0),
             "Sử dụng cho mục đích cấp nước sinh hoạt nhưng cần các biện pháp xử lý phù hợp."),
    WqiClass(51, 75, "medium", "Trung bình", "Medium", (255, 255, 0),
             "Sử dụng cho mục đích tưới tiêu và các mục đích tương đương khác."),
    WqiClass(26, 50, "bad", "Xấu", "Bad", (255, 126, 0), "Sử dụng cho giao thông thủy và các mục đích tương đương khác."),
    WqiClass(10, 25, "poor", "Kém", "Poor", (255, 0, 0), "Nước ô nhiễm nặng, cần các biện pháp xử lý trong tương lai."),
    WqiClass(0, 9, "heavily_polluted", "Ô nhiễm rất nặng", "Heavily polluted", (126, 0, 35),
             "Nước nhiễm độc, cần có biện pháp khắc phục, xử lý."),
)  # fmt: skip


def wqi_class(wqi: int | None) -> WqiClass | None:
    if wqi is None:
        return None
    for c in CLASSES:
        if wqi >= c.low:
            return c
    return CLASSES[-1]


# --- sub-indices ----------------------------------------------------------------------------------


def _interpolate(points: tuple[tuple[float, float], ...], c: float) -> float:
    """q between the points around ``c`` (the caller handles the ends)."""
    for (x0, q0), (x1, q1) in zip(points, points[1:], strict=False):
        if x0 <= c <= x1:
            return q0 if x1 == x0 else q0 + (q1 - q0) * (c - x0) / (x1 - x0)
    raise ValueError(c)


def q_scale(scale: Scale, c: float) -> float:
    """q of a group III, IV or V parameter from its concentration."""
    first, last = scale.points[0], scale.points[-1]
    if scale.strict_best and c < first[0]:
        return 100.0
    if c <= first[0]:
        return float(first[1])
    if c > last[0]:
        return 10.0
    return _interpolate(scale.points, c)


def do_saturation(temperature_c: float) -> float:
    """Dissolved oxygen at saturation (mg/L) at a water temperature (°C), the decision's polynomial."""
    t = temperature_c
    return 14.652 - 0.41022 * t + 0.007991 * t**2 - 0.000077774 * t**3


def q_do(do_mg_l: float, temperature_c: float) -> float:
    """q of dissolved oxygen from its per cent of saturation at the water's temperature."""
    pct = do_mg_l / do_saturation(temperature_c) * 100
    if pct < DO_POINTS[0][0] or pct > DO_POINTS[-1][0]:
        return 10.0
    return _interpolate(DO_POINTS, pct)


def q_ph(ph: float) -> float:
    if ph < PH_POINTS[0][0] or ph > PH_POINTS[-1][0]:
        return 10.0
    return _interpolate(PH_POINTS, ph)


def q_pesticide(name: str, c: float) -> float:
    return 100.0 if c <= GROUP_II[name] else 10.0


def sub_indices(sample: Mapping[str, float | None]) -> dict[str, float]:
    """q of every parameter of a sample present (keys as in ``GROUPS``; DO needs ``temperature``)."""
    out: dict[str, float] = {}
    for name, c in sample.items():
        if c is None or not math.isfinite(c):
            continue
        if name == "ph":
            out[name] = q_ph(c)
        elif name == "do":
            t = sample.get("temperature")
            if t is not None:
                out[name] = q_do(c, t)
        elif name in GROUP_II:
            out[name] = q_pesticide(name, c)
        elif name in GROUP_III:
            out[name] = q_scale(GROUP_III[name], c)
        elif name in GROUP_IV:
            out[name] = q_scale(GROUP_IV[name], c)
        elif name in GROUP_V:
            out[name] = q_scale(GROUP_V[name], c)
    return out


# --- the index ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WqiResult:
    wqi: int | None
    reason: str | None  # why there is no index ("groups", "group_iv")
    q: dict[str, float]
    groups: dict[str, float]  # the value of each group present (I: q, II/III: geometric mean, IV/V: mean)

    @property
    def cls(self) -> WqiClass | None:
        return wqi_class(self.wqi)


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _weighted_default() -> bool:
    try:
        from django.conf import settings

        return bool(getattr(settings, "ENVIRONMENT_WQI_WEIGHTED", False))
    except Exception:  # outside Django
        return False


def wqi(sample: Mapping[str, float | None], *, weighted: bool | None = None) -> WqiResult:
    """VN_WQI of one sample (a mapping of parameter code to value; ``temperature`` in °C for DO).
    ``weighted``: the form that weighs group IV twice against group V (needs group V)."""
    q = sub_indices(sample)
    by_group = {g: [q[p] for p in params if p in q] for g, params in GROUPS.items()}
    present = [g for g, values in by_group.items() if values]
    if len(by_group["IV"]) < 3:
        return WqiResult(None, "group_iv", q, {})
    if len(present) < 3:
        return WqiResult(None, "groups", q, {})
    g: dict[str, float] = {}
    if by_group["I"]:
        g["I"] = by_group["I"][0]
    for name in ("II", "III"):
        if by_group[name]:
            g[name] = _geomean(by_group[name])
    g["IV"] = sum(by_group["IV"]) / len(by_group["IV"])
    if by_group["V"]:
        g["V"] = sum(by_group["V"]) / len(by_group["V"])
    weighted = _weighted_default() if weighted is None else weighted
    if "V" not in g:
        value = g["IV"]
    elif weighted:
        value = (g["IV"] ** 2 * g["V"]) ** (1 / 3)
    else:
        value = (g["IV"] * g["V"]) ** 0.5
    for name in ("I", "II", "III"):
        if name in g:
            value *= g[name] / 100
    return WqiResult(int(math.floor(value + 0.5)), None, q, g)
