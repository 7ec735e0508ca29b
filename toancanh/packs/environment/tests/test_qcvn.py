"""Exceedances of QCVN 05 (air) and QCVN 08 (surface water)."""

from toancanh.packs.environment import qcvn, quantities


def test_an_air_value_over_its_limit_for_its_averaging_time_is_an_exceedance():
    found = qcvn.check_air({"24h": {"pm25": 80, "pm10": 90}, "1h": {"no2": 250, "so2": 100}})
    assert sorted((e["quantity"], e["averaging"], e["limit"], e["ratio"]) for e in found) == [
        ("no2", "1h", 200, 1.25), ("pm25", "24h", 50, 1.6)]  # fmt: skip
    assert qcvn.check_air({"24h": {"pm25": 50}}) == []  # at the limit is within it


def test_water_is_checked_against_a_column_with_minimum_and_range_limits():
    sample = {"do": 4.5, "ph": 9.2, "bod5": 5, "coliform": 3000, "n_nh4": None}
    a1 = {e["quantity"]: e for e in qcvn.check_water(sample, "A1")}
    assert set(a1) == {"do", "ph", "bod5", "coliform"} and a1["do"]["kind"] == "min" and a1["do"]["ratio"] is None
    b1 = {e["quantity"] for e in qcvn.check_water(sample, "B1")}
    assert b1 == {"ph"}


def test_an_administrator_replaces_a_limit_and_adds_a_regulation(settings):
    settings.ENVIRONMENT_QCVN_LIMITS = [
        {"regulation": qcvn.AIR, "quantity": "pm25", "averaging": "24h", "kind": "max", "limit": 45},
        {"regulation": "QCVN 08:2023/BTNMT", "column": "A", "quantity": "bod5", "kind": "max", "limit": 4},
    ]
    assert [e["limit"] for e in qcvn.check_air({"24h": {"pm25": 48}})] == [45]
    assert qcvn.check({"bod5": 5}, regulation="QCVN 08:2023/BTNMT", column="A")[0]["limit"] == 4


def test_every_limit_names_a_quantity_of_the_pack_and_is_marked_unconfirmed():
    codes = {q["code"] for q in quantities.QUANTITIES}
    assert {r["quantity"] for r in qcvn.LIMITS} <= codes
    assert {r["mark"] for r in qcvn.LIMITS} == {"U"}


def test_the_quantities_have_exactly_the_keys_the_telemetry_registry_reads():
    for q in quantities.QUANTITIES:
        assert set(q) == {"code", "name_vi", "name_en", "unit", "min", "max"} and q["min"] < q["max"] and q["unit"]
    codes = [q["code"] for q in quantities.QUANTITIES]
    assert len(codes) == len(set(codes))
    assert {"pm25", "pm10", "o3", "co", "no2", "so2", "water_level", "rainfall", "do", "bod5", "coliform"} <= set(codes)
