"""The seed stations of the demo province (Đà Nẵng since the 2025 merger, with the former Quảng Nam):
the hydrological gauges of the Vu Gia – Thu Bồn (and Tam Kỳ) rivers with their flood alarm levels,
and a few rain, air-quality and surface-water stations. Plain data; the telemetry registry loads it.

Sources and marks:
- alarm levels I/II/III: shared/reference/environment.md § "Flood alarm levels (báo động, Decision
  05/2020/QĐ-TTg)" — the values of the official flood bulletins 2020–2025 [S]; Nông Sơn has no BĐ I;
- historic peaks (đỉnh lũ lịch sử): not in the reference — approximate values of the great floods
  (1964, 1999, 2009) as remembered from press reports, **[U]**, to be confirmed by the province;
- positions: approximate, placed on the river at the named place **[U]**;
- downstream communes: the places the bulletins warn for each gauge, by name **[U]**.

Every [U] value can be replaced by an administrator: ``settings.ENVIRONMENT_STATIONS`` maps a station
code to the fields to override, e.g. ``{"cau-lau": {"historic_peak_m": 5.6}}`` (see ``station()``).
"""

from __future__ import annotations

import copy
from typing import Any

RIVER_GAUGES: list[dict[str, Any]] = [
    {"code": "ai-nghia", "name_vi": "Trạm thủy văn Ái Nghĩa", "kind": "river_gauge", "river": "Vu Gia",
     "place": "Đại Lộc", "lat": 15.8838, "lon": 108.1171, "quantities": ["water_level", "rainfall"],
     "interval_s": 600, "alarm_m": [6.50, 8.00, 9.00], "historic_peak_m": 10.8, "historic_peak_year": 2009,
     "downstream": ["Đại Lộc", "Điện Bàn", "Hòa Vang"], "order": 1, "marks": {"historic_peak_m": "U", "position": "U"}},
    {"code": "giao-thuy", "name_vi": "Trạm thủy văn Giao Thủy", "kind": "river_gauge", "river": "Thu Bồn",
     "place": "Đại Lộc – Duy Xuyên", "lat": 15.8451, "lon": 108.1395, "quantities": ["water_level", "rainfall"],
     "interval_s": 600, "alarm_m": [6.50, 7.50, 8.80], "historic_peak_m": 10.5, "historic_peak_year": 2009,
     "downstream": ["Duy Xuyên", "Điện Bàn"], "order": 2, "marks": {"historic_peak_m": "U", "position": "U"}},
    {"code": "cau-lau", "name_vi": "Trạm thủy văn Câu Lâu", "kind": "river_gauge", "river": "Thu Bồn",
     "place": "Điện Bàn", "lat": 15.8627, "lon": 108.2605, "quantities": ["water_level"],
     "interval_s": 600, "alarm_m": [2.00, 3.00, 4.00], "historic_peak_m": 5.6, "historic_peak_year": 1964,
     "downstream": ["Điện Bàn", "Duy Xuyên", "Hội An"], "order": 3, "marks": {"historic_peak_m": "U", "position": "U"}},
    {"code": "hoi-an", "name_vi": "Trạm thủy văn Hội An", "kind": "river_gauge", "river": "Thu Bồn",
     "place": "Hội An", "lat": 15.8771, "lon": 108.3310, "quantities": ["water_level"],
     "interval_s": 600, "alarm_m": [1.00, 1.50, 2.00], "historic_peak_m": 3.3, "historic_peak_year": 1964,
     "downstream": ["Hội An", "Hội An Đông", "Hội An Tây"], "order": 4, "marks": {"historic_peak_m": "U", "position": "U"}},
    {"code": "nong-son", "name_vi": "Trạm thủy văn Nông Sơn", "kind": "river_gauge", "river": "Thu Bồn",
     "place": "Nông Sơn", "lat": 15.6983, "lon": 108.0331, "quantities": ["water_level", "rainfall"],
     "interval_s": 600, "alarm_m": [None, 13.0, 15.0], "historic_peak_m": 19.0, "historic_peak_year": 2009,
     "downstream": ["Nông Sơn", "Quế Sơn"], "order": 5, "marks": {"historic_peak_m": "U", "position": "U"}},
    {"code": "tam-ky", "name_vi": "Trạm thủy văn Tam Kỳ", "kind": "river_gauge", "river": "Tam Kỳ",
     "place": "Tam Kỳ", "lat": 15.5740, "lon": 108.4850, "quantities": ["water_level"],
     "interval_s": 600, "alarm_m": [1.70, 2.20, 2.70], "historic_peak_m": 3.4, "historic_peak_year": 1999,
     "downstream": ["Tam Kỳ", "Bàn Thạch"], "order": 6, "marks": {"historic_peak_m": "U", "position": "U"}},
]  # fmt: skip

RAIN_GAUGES: list[dict[str, Any]] = [
    {"code": "mua-tra-my", "name_vi": "Trạm đo mưa Trà My", "kind": "rain_gauge", "river": "Thu Bồn",
     "place": "Trà My", "lat": 15.3460, "lon": 108.2230, "quantities": ["rainfall"], "interval_s": 600,
     "marks": {"position": "U"}},
    {"code": "mua-hiep-duc", "name_vi": "Trạm đo mưa Hiệp Đức", "kind": "rain_gauge", "river": "Thu Bồn",
     "place": "Hiệp Đức", "lat": 15.5790, "lon": 108.1010, "quantities": ["rainfall"], "interval_s": 600,
     "marks": {"position": "U"}},
]  # fmt: skip

AIR_STATIONS: list[dict[str, Any]] = [
    {"code": "kk-hoa-khanh", "name_vi": "Trạm quan trắc không khí Hòa Khánh", "kind": "air_quality",
     "place": "Liên Chiểu", "lat": 16.0680, "lon": 108.1510, "interval_s": 3600,
     "quantities": ["pm25", "pm10", "o3", "co", "no2", "so2"], "marks": {"position": "U"}},
    {"code": "kk-hai-chau", "name_vi": "Trạm quan trắc không khí Hải Châu", "kind": "air_quality",
     "place": "Hải Châu", "lat": 16.0610, "lon": 108.2210, "interval_s": 3600,
     "quantities": ["pm25", "pm10", "o3", "co", "no2", "so2"], "marks": {"position": "U"}},
    {"code": "kk-tam-ky", "name_vi": "Trạm quan trắc không khí Tam Kỳ", "kind": "air_quality",
     "place": "Tam Kỳ", "lat": 15.5730, "lon": 108.4740, "interval_s": 3600,
     "quantities": ["pm25", "pm10", "o3", "co", "no2", "so2"], "marks": {"position": "U"}},
]  # fmt: skip

_WQ = ["temperature", "ph", "do", "bod5", "cod", "n_nh4", "n_no3", "n_no2", "p_po4", "coliform", "e_coli"]
WATER_STATIONS: list[dict[str, Any]] = [
    {"code": "nm-cau-lau", "name_vi": "Trạm quan trắc nước mặt sông Thu Bồn (Câu Lâu)", "kind": "water_quality",
     "river": "Thu Bồn", "place": "Điện Bàn", "lat": 15.8640, "lon": 108.2620, "interval_s": 3600,
     "quantities": _WQ, "marks": {"position": "U"}},
    {"code": "nm-cau-do", "name_vi": "Trạm quan trắc nước mặt sông Cẩm Lệ (Cầu Đỏ)", "kind": "water_quality",
     "river": "Cẩm Lệ", "place": "Cẩm Lệ", "lat": 15.9990, "lon": 108.1940, "interval_s": 3600,
     "quantities": _WQ, "marks": {"position": "U"}},
    {"code": "nm-song-han", "name_vi": "Trạm quan trắc nước mặt sông Hàn", "kind": "water_quality",
     "river": "Hàn", "place": "Hải Châu", "lat": 16.0720, "lon": 108.2260, "interval_s": 3600,
     "quantities": _WQ, "marks": {"position": "U"}},
]  # fmt: skip

STATIONS: list[dict[str, Any]] = [*RIVER_GAUGES, *RAIN_GAUGES, *AIR_STATIONS, *WATER_STATIONS]

#: The Vu Gia – Thu Bồn gauges of the flood scenario, upstream first.
FLOOD_GAUGES = ("ai-nghia", "giao-thuy", "cau-lau", "hoi-an")


def _overrides() -> dict[str, dict[str, Any]]:
    try:
        from django.conf import settings

        return dict(getattr(settings, "ENVIRONMENT_STATIONS", {}) or {})
    except Exception:  # outside Django
        return {}


def stations() -> list[dict[str, Any]]:
    """Every seed station, with the administrator's overrides applied (copies: safe to change)."""
    over = _overrides()
    return [{**copy.deepcopy(s), **over.get(s["code"], {})} for s in STATIONS]


def station(code: str) -> dict[str, Any]:
    """One seed station by code (``KeyError`` when unknown)."""
    for s in stations():
        if s["code"] == code:
            return s
    raise KeyError(code)
