"""VN_WQI (Decision 1460/QĐ-TCMT). The reference says the decision's own worked example could not be
reproduced, so the cases are derived from the formula, each with its arithmetic."""

import math

import pytest

from toancanh.packs.environment import wqi


@pytest.mark.parametrize(
    ("parameter", "c", "q"),
    [
        ("bod5", 3, 100), ("bod5", 4, 100), ("bod5", 5, 87.5), ("bod5", 15, 50), ("bod5", 50, 10), ("bod5", 80, 10),
        ("cod", 40, 37.5),  # halfway from 30 (50) to 50 (25)
        ("n_nh4", 0.29, 100), ("n_nh4", 0.3, 75),  # "< 0.3" is 100, 0.3 itself 75
        ("n_nh4", 0.45, 62.5),
        ("n_no3", 15, 25), ("n_no3", 15.01, 10),  # "> 15" jumps to 10
        ("n_no2", 0.05, 100), ("n_no2", 0.06, 10),
        ("p_po4", 2.25, 17.5),  # halfway from 0.5 (25) to 4 (10)
        ("coliform", 6250, 62.5), ("coliform", 10001, 10),
        ("e_coli", 20, 100), ("e_coli", 150, 37.5),
    ],
)  # fmt: skip
def test_a_parameters_q_interpolates_between_the_breakpoints(parameter, c, q):
    assert wqi.sub_indices({parameter: c})[parameter] == pytest.approx(q)


@pytest.mark.parametrize(
    ("metal", "c", "q"),
    [("as", 0.01, 100), ("as", 0.2, 10), ("cd", 0.004, 100), ("cd", 0.005, 75), ("pb", 0.03, 62.5),
     ("cr6", 0.1, 10), ("cu", 1.5, 17.5), ("zn", 0.75, 87.5), ("hg", 0.0009, 100), ("hg", 0.001, 75)],
)  # fmt: skip
def test_heavy_metals_follow_their_own_breakpoints(metal, c, q):
    assert wqi.sub_indices({metal: c})[metal] == pytest.approx(q)


@pytest.mark.parametrize(("ph", "q"), [(5.4, 10), (5.5, 50), (5.75, 75), (6, 100), (7, 100), (8.5, 100),
                                       (8.75, 75), (9, 50), (9.1, 10)])  # fmt: skip
def test_the_ph_q_is_best_between_6_and_8_5(ph, q):
    assert wqi.q_ph(ph) == pytest.approx(q)


def test_do_saturation_follows_the_decisions_polynomial():
    assert wqi.do_saturation(0) == pytest.approx(14.652)
    assert wqi.do_saturation(25) == pytest.approx(14.652 - 0.41022 * 25 + 0.007991 * 625 - 0.000077774 * 15625)
    assert wqi.do_saturation(25) == pytest.approx(8.26, abs=0.1)  # near the textbook table's 8.26 mg/L at 25 °C


@pytest.mark.parametrize(("pct", "q"), [(10, 10), (20, 25), (35, 37.5), (88, 100), (100, 100), (112, 100),
                                        (137.5, 62.5), (200, 25), (210, 10)])  # fmt: skip
def test_the_do_q_rises_to_saturation_and_falls_past_it(pct, q):
    t = 25.0
    do = wqi.do_saturation(t) * pct / 100
    assert wqi.q_do(do, t) == pytest.approx(q)


def test_pesticides_pass_or_fail_their_limit():
    assert wqi.sub_indices({"aldrin": 0.1, "bhc": 0.03}) == {"aldrin": 100, "bhc": 10}


def test_the_index_multiplies_the_ph_and_metal_factors_into_the_root_of_the_organic_and_microbial_means():
    sample = {"ph": 8.75, "temperature": 25.0, "do": wqi.do_saturation(25.0),  # pH q 75; DO 100 %: q 100
              "bod5": 5, "cod": 40, "n_nh4": 0.45,  # 87.5, 37.5, 62.5
              "coliform": 6250, "e_coli": 20,  # 62.5, 100
              "cu": 1.5, "zn": 0.75}  # 17.5, 87.5  # fmt: skip
    r = wqi.wqi(sample)
    iv = (100 + 87.5 + 37.5 + 62.5) / 4
    v = (62.5 + 100) / 2
    iii = math.sqrt(17.5 * 87.5)
    expected = 0.75 * (iii / 100) * math.sqrt(iv * v)
    assert r.groups["IV"] == pytest.approx(iv) and r.groups["III"] == pytest.approx(iii)
    assert r.wqi == round(expected) == 22 and r.cls.name_vi == "Kém"  # 0.75 × 0.391 × 76.42 = 22.43


def test_the_weighted_form_counts_the_organic_group_twice_against_the_microbial(settings):
    sample = {"ph": 7, "bod5": 15, "cod": 30, "n_no3": 10, "coliform": 1000, "e_coli": 10}  # IV 50, V 100
    assert wqi.wqi(sample).wqi == round((50 * 100) ** 0.5) == 71
    assert wqi.wqi(sample, weighted=True).wqi == round((50**2 * 100) ** (1 / 3)) == 63
    settings.ENVIRONMENT_WQI_WEIGHTED = True
    assert wqi.wqi(sample).wqi == 63


def test_without_microbiology_the_index_uses_the_organic_mean_alone():
    sample = {"ph": 7, "bod5": 3, "cod": 10, "n_no3": 1, "p_po4": 0.1}
    r = wqi.wqi({**sample, "aldrin": 0.05})  # groups I, II, IV
    assert r.wqi == 100 and r.cls.name_vi == "Rất tốt" and r.cls.rgb == (51, 51, 255)
    r = wqi.wqi({**sample, "bod5": 15, "cu": 0.1})  # IV: (50 + 100 + 100 + 100)/4 = 87.5; I, III: 1
    assert r.wqi == 88 and r.cls.name_vi == "Tốt"


def test_an_index_needs_three_groups_and_three_organic_parameters():
    assert wqi.wqi({"ph": 7, "bod5": 3, "cod": 10, "coliform": 100}).reason == "group_iv"
    r = wqi.wqi({"bod5": 3, "cod": 10, "toc": 2, "coliform": 100})  # IV and V only
    assert (r.wqi, r.reason) == (None, "groups")
    assert wqi.wqi({"do": 7.0, "bod5": 3, "cod": 10, "coliform": 100, "ph": 7}).reason == "group_iv"  # DO without T


@pytest.mark.parametrize(("value", "name"), [(100, "Rất tốt"), (91, "Rất tốt"), (90, "Tốt"), (76, "Tốt"),
                                             (75, "Trung bình"), (51, "Trung bình"), (50, "Xấu"), (26, "Xấu"),
                                             (25, "Kém"), (10, "Kém"), (9, "Ô nhiễm rất nặng"), (0, "Ô nhiễm rất nặng")])  # fmt: skip
def test_the_classes_follow_the_decisions_ranges(value, name):
    assert wqi.wqi_class(value).name_vi == name
