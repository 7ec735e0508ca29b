"""The generator of real-shaped report texts: every category, deterministic, varied, fast."""

from __future__ import annotations

import random
import time

import pytest

from toancanh.feedback.texts import (
    CATEGORIES,
    SUBCATEGORY_OF,
    sample_answer,
    sample_place,
    sample_report,
    strip_diacritics,
)


def test_the_category_codes_are_the_fixed_ones():
    assert list(CATEGORIES) == [
        "urban_order",
        "environment",
        "food_safety",
        "traffic",
        "security",
        "infrastructure",
        "other",
    ]
    assert CATEGORIES["security"].subcategories["karaoke"] == "Karaoke gây ồn về đêm"
    assert len(SUBCATEGORY_OF) == 26


def test_every_sub_category_yields_a_title_and_a_description():
    rng = random.Random(1)
    for code, cat in CATEGORIES.items():
        for sub in [*cat.subcategories, None]:
            title, description = sample_report(code, sub, rng)
            assert 3 <= len(title) <= 200
            assert 10 <= len(description) <= 1200
            assert "{" not in description and "}" not in description


def test_the_same_seed_gives_the_same_reports_and_answers():
    def run(seed):
        rng = random.Random(seed)
        return [
            (sample_report("traffic", None, rng), sample_answer("traffic", None, rng), sample_place(rng))
            for _ in range(50)
        ]

    assert run(7) == run(7)
    assert run(7) != run(8)


def test_a_given_place_is_used():
    rng = random.Random(3)
    texts = [" ".join(sample_report("environment", "waste", rng, place="xã Hiệp Đức")) for _ in range(30)]
    assert sum("Hiệp Đức" in t or "Hiep Duc" in t.title() for t in texts) >= 20


def test_a_commune_given_as_the_place_gets_streets_or_hamlets_inside_it():
    rng = random.Random(9)
    texts = [" ".join(sample_report("infrastructure", None, rng, place="xã Hiệp Đức")) for _ in range(200)]
    assert any("thôn" in t and "Hiệp Đức" in t for t in texts)
    assert not any("khu công nghiệp" in t for t in texts)  # no industrial park passed for a hamlet
    wards = [" ".join(sample_report("traffic", None, rng, place="phường Hải Châu")) for _ in range(200)]
    assert any("kiệt" in t and "Hải Châu" in t for t in wards)


def test_reports_are_varied_like_real_ones():
    rng = random.Random(11)
    reports = [sample_report("infrastructure", "drainage", rng)[1] for _ in range(400)]
    assert len(set(reports)) >= 390  # a one-liner may come twice, as in life
    lengths = sorted(len(r) for r in reports)
    assert lengths[20] < 90 and lengths[-20] > 250  # one line to a paragraph
    no_marks = sum(strip_diacritics(r) == r for r in reports)
    assert 30 <= no_marks <= 150  # some typed without diacritics
    assert any(w in r.split() for r in reports for w in ("ko", "k", "dc", "đc", "j", "ng", "vs"))
    assert any("Ngoài ra" in r or "Tiện đây" in r or "Thêm nữa" in r or "Còn nữa" in r for r in reports)


def test_answers_are_mostly_concrete():
    rng = random.Random(5)
    answers = [sample_answer("urban_order", "sidewalk", rng) for _ in range(300)]
    concrete = sum(any(ch.isdigit() for ch in a) or "biên bản" in a or "tạm giữ" in a for a in answers)
    assert concrete > 200


def test_an_unknown_category_or_sub_category_is_refused():
    rng = random.Random(0)
    with pytest.raises(ValueError):
        sample_report("weather", None, rng)
    with pytest.raises(ValueError):
        sample_report("traffic", "waste", rng)


def test_a_year_of_reports_is_generated_in_well_under_a_second_per_thousand():
    rng = random.Random(2026)
    codes = list(CATEGORIES)
    started = time.perf_counter()
    for _ in range(5000):
        sample_report(rng.choice(codes), None, rng)
    assert time.perf_counter() - started < 5
