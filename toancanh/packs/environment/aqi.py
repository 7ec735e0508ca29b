"""The Vietnamese air quality index (chỉ số chất lượng không khí, VN_AQI) of Decision 1459/QĐ-TCMT
(12 November 2019): sub-indices per parameter, the hourly index (with the 12-hour NowCast for dust)
and the daily index, the six colour classes with their health advice.

Pure functions over plain numbers (µg/m³ for every parameter, CO included, as the decision writes
them): no database, no clock. Sources — ``shared/reference/environment.md`` § "VN_AQI — Decision
1459/QĐ-TCMT":

- breakpoints: the table of that section (``BREAKPOINTS``);
- sub-index: linear interpolation between the breakpoints around the concentration, the index is
  the largest sub-index, and at least one of PM10, PM2.5 is required — without dust there is no AQI;
- hourly: PM10 and PM2.5 use the 12-hour NowCast (at least 2 of the 3 latest hours), O₃ (1-hour row),
  NO₂, SO₂ and CO the current 1-hour value;
- daily: PM the 24-hour mean, O₃ the larger of the sub-indices of the day's largest 1-hour value and
  largest 8-hour mean (the 8-hour part dropped when that mean passes 400 µg/m³, where its row ends),
  NO₂, SO₂, CO the day's largest 1-hour value;
- colours: the RGB of the section (published by cem.gov.vn).

Not in the reference, so defaults an administrator may change (settings, marked [U]):
``ENVIRONMENT_AQI_DAILY_MIN_HOURS`` — hours a 24-hour PM mean needs (default 18 of 24);
``ENVIRONMENT_AQI_O3_8H_MIN_HOURS`` — hours an 8-hour O₃ mean needs (default 6 of 8).
The health advice is the decision's table as widely republished [S] (the reference gives the class
names and colours only).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# --- the decision's tables ------------------------------------------------------------------------

INDEX_BREAKPOINTS = (0, 50, 100, 150, 200, 300, 400, 500)

#: Concentration breakpoints (µg/m³) against ``INDEX_BREAKPOINTS``; ``None`` where the decision has none.
BREAKPOINTS: dict[str, tuple[float | None, ...]] = {
    "o3_1h": (0, 160, 200, 300, 400, 800, 1000, 1200),
    "o3_8h": (0, 100, 120, 170, 210, 400, None, None),
    "co": (0, 10000, 30000, 45000, 60000, 90000, 120000, 150000),
    "so2": (0, 125, 350, 550, 800, 1600, 2100, 2630),
    "no2": (0, 100, 200, 700, 1200, 2350, 3100, 3850),
    "pm10": (0, 50, 150, 250, 350, 420, 500, 600),
    "pm25": (0, 25, 50, 80, 150, 250, 350, 500),
}

DUST = ("pm25", "pm10")
GASES = ("o3", "no2", "so2", "co")


@dataclass(frozen=True)
class AqiClass:
    """A VN_AQI class: its range, Vietnamese and English names, official colour and health advice
    for everyone and for sensitive people (người nhạy cảm: the old, children, people with heart or
    lung disease)."""

    low: int
    high: int
    code: str
    name_vi: str
    name_en: str
    rgb: tuple[int, int, int]
    effect_vi: str
    advice_vi: str
    advice_sensitive_vi: str

    @property
    def hex(self) -> str:
        return "#{:02x}{:02x}{:02x}".format(*self.rgb)

    def as_dict(self) -> dict:
        return {"code": self.code, "low": self.low, "high": self.high, "name_vi": self.name_vi,
                "name_en": self.name_en, "rgb": list(self.rgb), "hex": self.hex, "effect_vi": self.effect_vi,
                "advice_vi": self.advice_vi, "advice_sensitive_vi": self.advice_sensitive_vi}  # fmt: skip


_OUTDOORS = "Tự do thực hiện các hoạt động ngoài trời."
_MASK = "Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn."
CLASSES: tuple[AqiClass, ...] = (
    AqiClass(0, 50, "good", "Tốt", "Good", (0, 228, 0),
             "Chất lượng không khí tốt, không ảnh hưởng tới sức khỏe.", _OUTDOORS, _OUTDOORS),
    AqiClass(51, 100, "moderate", "Trung bình", "Moderate", (255, 255, 0),
             "Chất lượng không khí ở mức chấp nhận được; người nhạy cảm có thể chịu những tác động nhất định "
             "tới sức khỏe.", _OUTDOORS,
             "Nên theo dõi các triệu chứng như ho hoặc khó thở, nhưng vẫn có thể hoạt động bên ngoài."),
    AqiClass(101, 150, "poor", "Kém", "Poor", (255, 126, 0),
             "Người nhạy cảm gặp phải các vấn đề về sức khỏe, người bình thường ít ảnh hưởng.",
             "Những người thấy có triệu chứng đau mắt, ho hoặc đau họng nên cân nhắc giảm các hoạt động "
             "ngoài trời.",
             "Nên giảm các hoạt động mạnh và giảm thời gian hoạt động ngoài trời; người mắc bệnh hen suyễn "
             "có thể cần sử dụng thuốc thường xuyên hơn."),
    AqiClass(151, 200, "bad", "Xấu", "Bad", (255, 0, 0),
             "Người bình thường bắt đầu có các ảnh hưởng tới sức khỏe, người nhạy cảm có thể gặp những vấn "
             "đề sức khỏe nghiêm trọng hơn.",
             "Mọi người nên giảm các hoạt động mạnh khi ở ngoài trời, tránh tập thể dục kéo dài và nghỉ ngơi "
             "nhiều hơn trong nhà.",
             "Nên ở trong nhà và giảm hoạt động mạnh. " + _MASK),
    AqiClass(201, 300, "very_bad", "Rất xấu", "Very bad", (143, 63, 151),
             "Cảnh báo ảnh hưởng tới sức khỏe: mọi người bị ảnh hưởng tới sức khỏe nghiêm trọng hơn.",
             "Mọi người hạn chế tối đa các hoạt động ngoài trời và chuyển tất cả các hoạt động vào trong "
             "nhà. " + _MASK,
             "Nên ở trong nhà và giảm hoạt động mạnh."),
    AqiClass(301, 500, "hazardous", "Nguy hại", "Hazardous", (126, 0, 35),
             "Cảnh báo khẩn cấp về sức khỏe: toàn bộ dân số bị ảnh hưởng tới sức khỏe tới mức nghiêm trọng.",
             "Mọi người nên ở trong nhà, đóng cửa ra vào và cửa sổ. " + _MASK,
             "Mọi người nên ở trong nhà, đóng cửa ra vào và cửa sổ. " + _MASK),
)  # fmt: skip


def aqi_class(aqi: int | float | None) -> AqiClass | None:
    """The class of an index value (values past 500 stay in the last class)."""
    if aqi is None:
        return None
    for c in CLASSES:
        if aqi <= c.high:
            return c
    return CLASSES[-1]


# --- sub-indices ----------------------------------------------------------------------------------


def round_half_up(x: float) -> int:
    """The decision rounds an index to a whole number, halves up (not Python's banker's rounding)."""
    return int(math.floor(x + 0.5))


def sub_index(parameter: str, concentration: float | None) -> int | None:
    """The sub-index AQIx of one parameter (a key of ``BREAKPOINTS``): linear interpolation
    AQIx = (I(i+1) − I(i)) / (BP(i+1) − BP(i)) × (C − BP(i)) + I(i), rounded; past the last
    breakpoint 500. ``None`` for a missing or negative value, and for O₃ 8-hour past 400 µg/m³
    (the decision then uses the 1-hour row)."""
    if concentration is None or not math.isfinite(concentration) or concentration < 0:
        return None
    bps = BREAKPOINTS[parameter]
    for i in range(len(bps) - 1):
        lo, hi = bps[i], bps[i + 1]
        if hi is None:
            return None  # past the end of a short row (O₃ 8-hour above 400)
        if concentration <= hi:
            i_lo, i_hi = INDEX_BREAKPOINTS[i], INDEX_BREAKPOINTS[i + 1]
            return round_half_up((i_hi - i_lo) / (hi - lo) * (concentration - lo) + i_lo)
    return INDEX_BREAKPOINTS[-1]


# --- hourly ---------------------------------------------------------------------------------------


def nowcast(hours: Sequence[float | None]) -> float | None:
    """The 12-hour NowCast of PM10 or PM2.5 (reference § VN_AQI, "Hourly"). ``hours`` are the hourly
    means, the latest first (c1 = the current hour), up to 12; ``None`` for a missing hour. It needs
    at least 2 of the 3 latest hours, else ``None``. w* = Cmin/Cmax over the hours present;
    w = 1/2 if w* ≤ 1/2 else w*; NowCast = Σ w^(i−1)·c(i) / Σ w^(i−1) over the hours present."""
    hours = list(hours[:12])
    if sum(1 for c in hours[:3] if c is not None) < 2:
        return None
    present = [(i, c) for i, c in enumerate(hours) if c is not None and c >= 0]
    values = [c for _i, c in present]
    c_max = max(values)
    if c_max == 0:
        return 0.0
    w = min(values) / c_max
    w = 0.5 if w <= 0.5 else w
    num = sum(w**i * c for i, c in present)
    den = sum(w**i for i, _c in present)
    return num / den


@dataclass(frozen=True)
class AqiResult:
    """An index: its value (``None`` when the data do not allow one), the class, the parameter that
    decided it and every sub-index, with the concentrations used."""

    aqi: int | None
    dominant: str | None
    sub_indices: dict[str, int]
    concentrations: dict[str, float]

    @property
    def cls(self) -> AqiClass | None:
        return aqi_class(self.aqi)

    def as_dict(self) -> dict:
        c = self.cls
        return {"aqi": self.aqi, "dominant": self.dominant, "sub_indices": dict(self.sub_indices),
                "concentrations": dict(self.concentrations), "class": c.as_dict() if c else None}  # fmt: skip


def _combine(subs: dict[str, int | None], conc: dict[str, float]) -> AqiResult:
    subs = {k: v for k, v in subs.items() if v is not None}
    if not any(k in subs for k in DUST):  # the decision: no AQI without PM10 or PM2.5
        return AqiResult(None, None, subs, conc)
    order = ("pm25", "pm10", "o3", "no2", "so2", "co")  # ties go to the first, dust before gases
    dominant = max(subs, key=lambda k: (subs[k], -order.index(k)))
    return AqiResult(subs[dominant], dominant, subs, conc)


def _last(values: float | Sequence[float | None] | None) -> float | None:
    """The current hour of a value given alone or as a series latest first."""
    if values is None or isinstance(values, int | float):
        return values
    return values[0] if values else None


def hourly_aqi(data: Mapping[str, float | Sequence[float | None] | None]) -> AqiResult:
    """The hourly VN_AQI. ``data`` maps ``pm25``, ``pm10`` to their last 12 hourly means, the latest
    first (``None`` for missing hours), and ``o3``, ``no2``, ``so2``, ``co`` to the current hour's
    mean (a number, or a series whose first value is taken). Missing gases are left out; missing
    dust (fewer than 2 of the 3 latest hours of both; a single number is one hour) leaves no index."""
    subs: dict[str, int | None] = {}
    conc: dict[str, float] = {}
    for p in DUST:
        series = data.get(p)
        if series is None:
            continue
        c = nowcast([series] if isinstance(series, int | float) else series)
        if c is not None:
            conc[p], subs[p] = c, sub_index(p, c)
    for p in GASES:
        c = _last(data.get(p))
        if c is not None:
            conc[p], subs[p] = c, sub_index("o3_1h" if p == "o3" else p, c)
    return _combine(subs, conc)


# --- daily ----------------------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    try:
        from django.conf import settings

        return int(getattr(settings, name, default))
    except Exception:  # outside Django (a script, a notebook): the default
        return default


def daily_mean(hours: Sequence[float | None], min_hours: int | None = None) -> float | None:
    """The mean of a day's hourly values, if enough are present (``ENVIRONMENT_AQI_DAILY_MIN_HOURS``, [U])."""
    need = _setting("ENVIRONMENT_AQI_DAILY_MIN_HOURS", 18) if min_hours is None else min_hours
    present = [c for c in hours if c is not None]
    return sum(present) / len(present) if present and len(present) >= need else None


def max_8h_mean(hours: Sequence[float | None], min_hours: int | None = None) -> float | None:
    """The largest 8-hour running mean of hourly values in time order (oldest first; pass the 7
    hours before the day too so the day's first windows are whole). A window needs
    ``ENVIRONMENT_AQI_O3_8H_MIN_HOURS`` values ([U], default 6)."""
    need = _setting("ENVIRONMENT_AQI_O3_8H_MIN_HOURS", 6) if min_hours is None else min_hours
    best = None
    for end in range(7, len(hours)):
        window = [c for c in hours[end - 7 : end + 1] if c is not None]
        if len(window) >= need:
            mean = sum(window) / len(window)
            best = mean if best is None else max(best, mean)
    return best


def daily_aqi(data: Mapping[str, Sequence[float | None]], *, o3_before: Sequence[float | None] = ()) -> AqiResult:
    """The daily VN_AQI from a day's hourly means per parameter (oldest first, ``None`` for a missing
    hour). PM: the 24-hour mean; O₃: the larger of the sub-indices of the day's largest 1-hour value
    and its largest 8-hour mean (``o3_before``: the 7 hours before the day, for the first windows);
    the 8-hour part is dropped past 400 µg/m³; NO₂, SO₂, CO: the day's largest 1-hour value."""
    subs: dict[str, int | None] = {}
    conc: dict[str, float] = {}
    for p in DUST:
        c = daily_mean(data.get(p) or ())
        if c is not None:
            conc[p], subs[p] = c, sub_index(p, c)
    o3 = [c for c in data.get("o3") or () if c is not None]
    if o3:
        one = max(o3)
        eight = max_8h_mean([*o3_before, *(data.get("o3") or ())])
        s1 = sub_index("o3_1h", one)
        s8 = sub_index("o3_8h", eight) if eight is not None else None  # None past 400: dropped
        conc["o3"], conc["o3_1h"] = one, one
        if eight is not None:
            conc["o3_8h"] = eight
        subs["o3"] = max(s for s in (s1, s8) if s is not None)
    for p in ("no2", "so2", "co"):
        values = [c for c in data.get(p) or () if c is not None]
        if values:
            conc[p], subs[p] = max(values), sub_index(p, max(values))
    return _combine(subs, conc)


def unit_aqi(results: Sequence[AqiResult]) -> AqiResult | None:
    """The index of an administrative unit from its stations' indices: the worst station, as a
    province reports its worst place (a choice of this project, not of the decision)."""
    known = [r for r in results if r.aqi is not None]
    return max(known, key=lambda r: r.aqi) if known else None


# --- from hourly means keyed by hour --------------------------------------------------------------


def _hour(t: dt.datetime) -> dt.datetime:
    return t.replace(minute=0, second=0, microsecond=0)


def latest_first(by_hour: Mapping[dt.datetime, float | None], at: dt.datetime, hours: int = 12) -> list[float | None]:
    """The hourly means of the ``hours`` hours ending with the hour of ``at``, latest first, ``None``
    for an hour without a mean (as ``nowcast`` takes them). Keys are the hours' starts (aware)."""
    end = _hour(at)
    table = {_hour(k): v for k, v in by_hour.items()}
    return [table.get(end - dt.timedelta(hours=i)) for i in range(hours)]


def hourly_aqi_at(means: Mapping[str, Mapping[dt.datetime, float | None]], at: dt.datetime) -> AqiResult:
    """The hourly VN_AQI of a station for the hour of ``at``, from its hourly means per parameter
    (``{"pm25": {hour: mean, ...}, "no2": {...}}``, as the telemetry rollups keep them)."""
    data: dict[str, Any] = {}
    for p, by_hour in means.items():
        data[p] = latest_first(by_hour, at, 12 if p in DUST else 1)
    return hourly_aqi(data)


def daily_aqi_on(means: Mapping[str, Mapping[dt.datetime, float | None]], day_start: dt.datetime) -> AqiResult:
    """The daily VN_AQI of the 24 hours from ``day_start`` (local midnight, aware), from hourly means."""
    start = _hour(day_start)
    data = {}
    before: list[float | None] = []
    for p, by_hour in means.items():
        table = {_hour(k): v for k, v in by_hour.items()}
        data[p] = [table.get(start + dt.timedelta(hours=i)) for i in range(24)]
        if p == "o3":
            before = [table.get(start - dt.timedelta(hours=i)) for i in range(7, 0, -1)]
    return daily_aqi(data, o3_before=before)
