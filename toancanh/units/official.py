"""The official code lists, read from the ``vietnamadminunits`` package (MIT).

Its ``data/dataset.db`` holds the current two-level structure (table ``admin_units``: 34
provinces, 3,321 communes, GSO codes, centres, areas) and the former three-level structure
in force until 30 June 2025 (table ``admin_units_legacy``: 63 provinces, 696 districts, 10,035
communes, with centres and bounds). Its ``data/converter_2025.json`` says which former
communes each new commune was formed from and, for the 471 former communes that were split,
which new communes they went to (shared/reference/administrative-units.md).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from toancanh.units.models import REFORM_2025, Level, UnitType, unit_key

CURRENT = "vn34"
FORMER = "vn63"
FORMER_VALID_TO = REFORM_2025 - dt.timedelta(days=1)
SOURCE = "vietnamadminunits 1.0.4 (danh mục mã đơn vị hành chính của Tổng cục Thống kê)"
SUCCESSION_SOURCE = (
    "vietnamadminunits converter_2025 (Nghị quyết 202/2025/QH15 và các nghị quyết sắp xếp đơn vị hành chính cấp xã)"
)

_PROVINCE_TYPES = {"Tỉnh": UnitType.PROVINCE, "Thành phố": UnitType.CENTRAL_CITY}
_DISTRICT_TYPES = {
    "Quận": UnitType.URBAN_DISTRICT,
    "Huyện": UnitType.RURAL_DISTRICT,
    "Thị xã": UnitType.TOWN,
    "Thành phố": UnitType.PROVINCIAL_CITY,
}
_COMMUNE_TYPES = {
    "Phường": UnitType.WARD,
    "Xã": UnitType.COMMUNE,
    "Thị trấn": UnitType.TOWNSHIP,
    "Đặc khu": UnitType.SPECIAL_ZONE,
}


@dataclass
class UnitRow:
    """One unit as an import carries it; ``row`` names where it came from for error messages."""

    key: str
    edition: str
    code: str
    level: str
    type: str
    name: str
    short_name: str
    parent_key: str | None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    lat: float | None = None
    lon: float | None = None
    area_km2: float | None = None
    bounds: list[float] | None = None
    source: str = ""
    row: int | str = ""


@dataclass
class SuccessionRow:
    old_key: str
    new_key: str
    share: Decimal
    share_estimated: bool = False
    source: str = ""
    row: int | str = ""


def _data_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


def _connect() -> sqlite3.Connection:
    con = sqlite3.connect(f"file:{_data_dir() / 'dataset.db'}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    return con


def _province_type(name: str) -> str:
    return _PROVINCE_TYPES["Thành phố" if name.startswith("Thành phố") else "Tỉnh"]


def _bounds(text: str | None) -> list[float] | None:
    """'15.99,108.17 – 16.09,108.23' -> [south, west, north, east]."""
    if not text:
        return None
    try:
        a, b = (part.strip() for part in text.split("–"))
        s, w = (float(x) for x in a.split(","))
        n, e = (float(x) for x in b.split(","))
    except ValueError:
        return None
    return [s, w, n, e]


def _spelt(name: str, type_word: str | None) -> str:
    """The name with its type word spelt as the official list spells it: the dataset has a few
    capitalised wrongly ("Thị Trấn Prao", "Thành Phố Đồng Hới" for "Thị trấn Prao", "Thành phố …")."""
    if name and type_word and name.lower().startswith(type_word.lower() + " ") and not name.startswith(type_word):
        return type_word + name[len(type_word) :]
    return name


def _in(codes: set[str] | None, code: str) -> bool:
    return codes is None or code in codes


def _province(edition: str, r: sqlite3.Row, **validity) -> UnitRow:
    key = unit_key(edition, Level.PROVINCE, r["provinceCode"])
    return UnitRow(
        key, edition, r["provinceCode"], Level.PROVINCE, _province_type(r["province"]), r["province"],
        r["provinceShort"], None, lat=r["provinceLat"], lon=r["provinceLon"], source=SOURCE, **validity,
    )  # fmt: skip


def current_units(provinces: set[str] | None = None) -> list[UnitRow]:
    """The 34 provinces and their communes, valid from 1 July 2025."""
    rows: dict[str, UnitRow] = {}
    with _connect() as con:
        for r in con.execute("SELECT * FROM admin_units ORDER BY provinceCode, wardCode"):
            if not _in(provinces, r["provinceCode"]):
                continue
            province = rows.setdefault(
                unit_key(CURRENT, Level.PROVINCE, r["provinceCode"]), _province(CURRENT, r, valid_from=REFORM_2025)
            )
            ckey = unit_key(CURRENT, Level.COMMUNE, r["wardCode"])
            rows[ckey] = UnitRow(
                ckey, CURRENT, r["wardCode"], Level.COMMUNE, _COMMUNE_TYPES[r["wardType"]], _spelt(r["ward"], r["wardType"]),
                r["wardShort"],
                province.key, REFORM_2025, None, r["wardLat"], r["wardLon"], r["wardAreaKm2"], source=SOURCE,
            )  # fmt: skip
    return list(rows.values())


def former_units(provinces: set[str] | None = None) -> list[UnitRow]:
    """The 63 provinces, their districts and communes, valid until 30 June 2025."""
    rows: dict[str, UnitRow] = {}
    until = {"valid_to": FORMER_VALID_TO}
    with _connect() as con:
        for r in con.execute("SELECT * FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"):
            if not _in(provinces, r["provinceCode"]):
                continue
            pkey = unit_key(FORMER, Level.PROVINCE, r["provinceCode"])
            if pkey not in rows:
                rows[pkey] = _province(FORMER, r, **until)
                rows[pkey].bounds = _bounds(r["provinceBounds"])
            dkey = unit_key(FORMER, Level.DISTRICT, r["districtCode"])
            rows.setdefault(dkey, UnitRow(
                dkey, FORMER, r["districtCode"], Level.DISTRICT, _DISTRICT_TYPES[r["districtType"]],
                _spelt(r["district"], r["districtType"]),
                r["districtShort"], pkey, lat=r["districtLat"], lon=r["districtLon"],
                bounds=_bounds(r["districtBounds"]), source=SOURCE, **until,
            ))  # fmt: skip
            if r["wardCode"]:
                ckey = unit_key(FORMER, Level.COMMUNE, r["wardCode"])
                rows[ckey] = UnitRow(
                    ckey, FORMER, r["wardCode"], Level.COMMUNE, _COMMUNE_TYPES[r["wardType"]], _spelt(r["ward"], r["wardType"]),
                    r["wardShort"], dkey, lat=r["wardLat"], lon=r["wardLon"], bounds=_bounds(r["wardBounds"]),
                    source=SOURCE, **until,
                )  # fmt: skip
    return list(rows.values())


def _split_shares(n: int) -> list[Decimal]:
    """Equal shares of one that add up to exactly one at six decimals."""
    base = (Decimal(1) / n).quantize(Decimal("0.000001"))
    return [base] * (n - 1) + [Decimal(1) - base * (n - 1)]


def successions(provinces: set[str] | None = None) -> list[SuccessionRow]:
    """Former units → current units.

    Provinces go to the province they merged into; districts (abolished) to their successor
    province, or — for the island districts without communes — to the special zone that
    replaced them; communes to the new commune(s). A commune split between several new
    communes gets equal shares, marked estimated, until a province imports the real ones.
    """
    with _connect() as con:
        prov_code = {
            r[0]: r[1] for r in con.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy")
        }
        new_prov_code = {r[0]: r[1] for r in con.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units")}
        new_ward_code = {
            (r[0], r[1]): r[2] for r in con.execute("SELECT provinceKey, wardKey, wardCode FROM admin_units")
        }
        old_ward = {}
        old_district = {}
        district_province = {}
        for r in con.execute(
            "SELECT provinceKey, districtKey, wardKey, wardCode, districtCode FROM admin_units_legacy"
        ):
            old_ward[f"{r[0]}_{r[1]}_{r[2] or ''}"] = r[3]
            old_district[f"{r[0]}_{r[1]}_{r[2] or ''}"] = r[4]
            district_province[r[4]] = r[0]
    conv = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))

    out: list[SuccessionRow] = []
    new_prov_of_old: dict[str, str] = {}
    for new_pk, olds in conv["DICT_PROVINCE"].items():
        for old_pk in olds:
            new_prov_of_old[old_pk] = new_prov_code[new_pk]
            if _in(provinces, prov_code[old_pk]) or _in(provinces, new_prov_code[new_pk]):
                out.append(
                    SuccessionRow(
                        unit_key(FORMER, Level.PROVINCE, prov_code[old_pk]),
                        unit_key(CURRENT, Level.PROVINCE, new_prov_code[new_pk]),
                        Decimal(1),
                        source=SUCCESSION_SOURCE,
                    )
                )

    targets: dict[str, list[str]] = defaultdict(list)  # old full key -> new commune codes
    for new_pk, wards in conv["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wk, olds in wards.items():
            for old_full in olds:
                targets[old_full].append(new_ward_code[(new_pk, new_wk)])
    for new_pk, olds in conv["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_full, news in olds.items():
            targets[old_full].extend(new_ward_code[(new_pk, n["newWardKey"])] for n in news)

    districts_to_commune: set[str] = set()
    for old_full, codes in targets.items():
        if old_full not in old_ward:
            raise ValueError(f"converter_2025.json names an unknown former unit '{old_full}'")
        old_code = old_ward[old_full]
        province_key = old_full.split("_", 1)[0]
        if not (_in(provinces, prov_code[province_key]) or _in(provinces, new_prov_of_old[province_key])):
            continue
        if old_code is None:  # an island district without communes became a special zone
            districts_to_commune.add(old_district[old_full])
            old_key = unit_key(FORMER, Level.DISTRICT, old_district[old_full])
        else:
            old_key = unit_key(FORMER, Level.COMMUNE, old_code)
        codes = sorted(set(codes))
        estimated = len(codes) > 1
        for code, share in zip(codes, _split_shares(len(codes)), strict=True):
            out.append(
                SuccessionRow(old_key, unit_key(CURRENT, Level.COMMUNE, code), share, estimated, SUCCESSION_SOURCE)
            )

    for district_code, province_key in sorted(district_province.items()):
        if district_code in districts_to_commune:
            continue
        if not (_in(provinces, prov_code[province_key]) or _in(provinces, new_prov_of_old[province_key])):
            continue
        out.append(
            SuccessionRow(
                unit_key(FORMER, Level.DISTRICT, district_code),
                unit_key(CURRENT, Level.PROVINCE, new_prov_of_old[province_key]),
                Decimal(1),
                source=SUCCESSION_SOURCE,
            )
        )
    return out


def provinces_merged_into(codes: Iterable[str]) -> set[str]:
    """The former province codes that make up the given current provinces (e.g. 48 -> {48, 49})."""
    wanted = set(codes)
    with _connect() as con:
        new_prov_code = {r[0]: r[1] for r in con.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units")}
        prov_code = {
            r[0]: r[1] for r in con.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy")
        }
    conv = json.loads((_data_dir() / "converter_2025.json").read_text(encoding="utf-8"))
    return {prov_code[o] for n, olds in conv["DICT_PROVINCE"].items() if new_prov_code[n] in wanted for o in olds}
