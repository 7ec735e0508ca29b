"""Exceedances of the national technical regulations (quy chuẩn kỹ thuật quốc gia, QCVN): the limits
as data and a check that names each value outside them.

**Every limit here is [U].** The reference (shared/reference/environment.md) names QCVN but gives no
table, so the values are those of the regulations as widely republished:

- ambient air, QCVN 05:2023/BTNMT — µg/m³ for an averaging time (1 h, 8 h, 24 h, a year);
- surface water, QCVN 08-MT:2015/BTNMT — columns A1 (drinking-water supply), A2, B1 (irrigation),
  B2 (waterways); the breakpoints of VN_WQI (Decision 1460/QĐ-TCMT) follow its columns. It has been
  replaced by QCVN 08:2023/BTNMT, whose tables are organised otherwise; a province enters them here.

An administrator replaces or adds rows with ``settings.ENVIRONMENT_QCVN_LIMITS`` (a list of rows with
the keys of ``LIMITS``; a row with the same regulation, column, quantity and averaging replaces the seed).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

AIR = "QCVN 05:2023/BTNMT"
SURFACE_WATER = "QCVN 08-MT:2015/BTNMT"

_AIR_ROWS = {  # quantity: {averaging: limit µg/m³}
    "so2": {"1h": 350, "24h": 125, "year": 50},
    "co": {"1h": 30000, "8h": 10000},
    "no2": {"1h": 200, "24h": 100, "year": 40},
    "o3": {"1h": 200, "8h": 120},
    "pm10": {"24h": 100, "year": 50},
    "pm25": {"24h": 50, "year": 25},
}
_WATER_COLUMNS = ("A1", "A2", "B1", "B2")
_WATER_ROWS: dict[str, tuple[str, tuple[Any, ...]]] = {  # quantity: (kind, limits per column)
    "ph": ("range", ((6, 8.5), (6, 8.5), (5.5, 9), (5.5, 9))),
    "do": ("min", (6, 5, 4, 2)),
    "bod5": ("max", (4, 6, 15, 25)),
    "cod": ("max", (10, 15, 30, 50)),
    "n_nh4": ("max", (0.3, 0.3, 0.9, 0.9)),
    "n_no2": ("max", (0.05, 0.05, 0.05, 0.05)),
    "n_no3": ("max", (2, 5, 10, 15)),
    "p_po4": ("max", (0.1, 0.2, 0.3, 0.5)),
    "as": ("max", (0.01, 0.02, 0.05, 0.1)),
    "cd": ("max", (0.005, 0.005, 0.01, 0.01)),
    "pb": ("max", (0.02, 0.02, 0.05, 0.05)),
    "cr6": ("max", (0.01, 0.02, 0.04, 0.05)),
    "cu": ("max", (0.1, 0.2, 0.5, 1)),
    "zn": ("max", (0.5, 1, 1.5, 2)),
    "hg": ("max", (0.001, 0.001, 0.001, 0.002)),
    "coliform": ("max", (2500, 5000, 7500, 10000)),
    "e_coli": ("max", (20, 50, 100, 200)),
    "aldrin": ("max", (0.1,) * 4),
    "bhc": ("max", (0.02,) * 4),
    "dieldrin": ("max", (0.1,) * 4),
    "ddts": ("max", (1.0,) * 4),
    "heptachlor": ("max", (0.2,) * 4),
}

LIMITS: list[dict[str, Any]] = [
    *({"regulation": AIR, "column": "", "quantity": q, "averaging": avg, "kind": "max", "limit": v, "mark": "U"}
      for q, rows in _AIR_ROWS.items() for avg, v in rows.items()),
    *({"regulation": SURFACE_WATER, "column": col, "quantity": q, "averaging": "", "kind": kind, "limit": lim, "mark": "U"}
      for q, (kind, lims) in _WATER_ROWS.items() for col, lim in zip(_WATER_COLUMNS, lims, strict=True)),
]  # fmt: skip


def _key(row: Mapping[str, Any]) -> tuple:
    return (row["regulation"], row.get("column", ""), row["quantity"], row.get("averaging", ""))


def limits() -> list[dict[str, Any]]:
    """The seed limits with the administrator's rows (``ENVIRONMENT_QCVN_LIMITS``) over them."""
    try:
        from django.conf import settings

        extra = list(getattr(settings, "ENVIRONMENT_QCVN_LIMITS", []) or [])
    except Exception:  # outside Django
        extra = []
    rows = {_key(r): dict(r) for r in LIMITS}
    for r in extra:
        rows[_key(r)] = {"column": "", "averaging": "", "mark": "", **r}
    return list(rows.values())


def _outside(kind: str, limit: Any, value: float) -> bool:
    if kind == "max":
        return value > limit
    if kind == "min":
        return value < limit
    low, high = limit
    return not low <= value <= high


def check(
    values: Mapping[str, float | None], *, regulation: str, column: str = "", averaging: str = ""
) -> list[dict[str, Any]]:
    """The values outside the regulation's limits (for a water column or an air averaging time), one
    dict each: quantity, value, limit, kind (max, min, range), regulation, column, averaging and, for a
    maximum, ``ratio`` (value / limit: 1.6 is 1.6 times the limit)."""
    out = []
    for row in limits():
        if row["regulation"] != regulation or row.get("column", "") != column or row.get("averaging", "") != averaging:
            continue
        value = values.get(row["quantity"])
        if value is None or not _outside(row["kind"], row["limit"], value):
            continue
        out.append({"quantity": row["quantity"], "value": value, "limit": row["limit"], "kind": row["kind"],
                    "regulation": regulation, "column": column, "averaging": averaging,
                    "ratio": round(value / row["limit"], 3) if row["kind"] == "max" and row["limit"] else None})  # fmt: skip
    return out


def check_air(averages: Mapping[str, Mapping[str, float | None]]) -> list[dict[str, Any]]:
    """Air values per averaging time (``{"1h": {"no2": 250}, "24h": {"pm25": 80}}``) against QCVN 05."""
    return [e for avg, values in averages.items() for e in check(values, regulation=AIR, averaging=avg)]


def check_water(sample: Mapping[str, float | None], column: str = "A2") -> list[dict[str, Any]]:
    """A surface-water sample against a column of QCVN 08 (A2 by default: supply after treatment)."""
    return check(sample, regulation=SURFACE_WATER, column=column)
