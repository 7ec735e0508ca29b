"""The category suggestion: accuracy on held-out reports, text without diacritics, bad input,
determinism, the cached model. No database: the model lives in files."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from toancanh.feedback import suggest
from toancanh.feedback.texts import CATEGORIES, SUBCATEGORY_OF, labelled_rows, strip_diacritics

# Measured on 2026-11-23 (docs/feedback.md), trained on the train split only: the 219 held-out
# hand-written reports 0.927 top-1 and 0.995 top-3 for the category, 0.872 / 0.964 for the
# sub-category; the whole test split (344) 0.954 / 0.997. The floors sit a little under.
HAND_TOP1, HAND_TOP3 = 0.88, 0.97
HAND_SUB_TOP1, HAND_SUB_TOP3 = 0.82, 0.93
ALL_TOP1, ALL_TOP3 = 0.92, 0.98


@pytest.fixture(scope="module")
def rows():
    return suggest.load_labelled()


@pytest.fixture(scope="module")
def trained(rows):
    """The model fitted on the train split only."""
    return suggest.train(r for r in rows if r.split == "train")


@pytest.fixture(scope="module")
def held_out(trained):
    return suggest.held_out_report(model=trained)


def test_the_held_out_hand_written_reports_are_classified_above_the_stated_floor(held_out):
    hand = held_out["hand"]
    assert hand["n"] >= 200
    assert hand["top1"] >= HAND_TOP1, hand
    assert hand["top3"] >= HAND_TOP3, hand
    assert hand["sub_top1"] >= HAND_SUB_TOP1, hand
    assert hand["sub_top3"] >= HAND_SUB_TOP3, hand


def test_the_whole_test_split_is_classified_above_the_stated_floor(held_out):
    assert held_out["all"]["n"] >= 300
    assert held_out["all"]["top1"] >= ALL_TOP1, held_out["all"]
    assert held_out["all"]["top3"] >= ALL_TOP3, held_out["all"]


def test_the_labelled_set_is_what_its_builder_writes_and_large_enough(rows):
    built = labelled_rows()
    assert [(r.text, r.category, r.subcategory, r.source, r.split) for r in rows] == [
        (r["text"], r["category"], r["subcategory"], r["source"], r["split"]) for r in built
    ]
    assert len(rows) >= 1500
    assert all(SUBCATEGORY_OF[r.subcategory] == r.category for r in rows)
    assert {r.subcategory for r in rows} == set(SUBCATEGORY_OF)
    assert sum(r.source == "hand" for r in rows) >= 500
    assert {r.split for r in rows} == {"train", "test"}
    # Test and train never share a text.
    assert not {r.text for r in rows if r.split == "test"} & {r.text for r in rows if r.split == "train"}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("đường bị ngập sau mưa, cống nghẹt", "infrastructure"),
        ("quán nhậu lấn chiếm vỉa hè", "urban_order"),
        ("hàng xóm hát karaoke tới 1h sáng", "security"),
        ("ăn bánh mì xong cả nhà đau bụng, nôn ói", "food_safety"),
        ("đèn đỏ ở ngã tư bị hỏng", "traffic"),
        ("rác tồn đọng bốc mùi hôi thối", "environment"),
        ("cho hỏi thủ tục làm lại căn cước", "other"),
    ],
)
def test_a_text_without_diacritics_is_classified_like_the_same_text_with_them(text, category):
    with_marks = suggest.suggest_category(text)
    without = suggest.suggest_category(strip_diacritics(text))
    assert with_marks[0][0] == category
    assert without[0][0] == category


def test_held_out_reports_stripped_of_their_diacritics_keep_their_accuracy(rows, trained):
    model = trained
    test = [r for r in rows if r.split == "test" and r.source == "hand" and strip_diacritics(r.text) != r.text]
    assert len(test) >= 120
    bare = [
        suggest.LabelledReport(strip_diacritics(r.text), r.category, r.subcategory, r.source, r.split) for r in test
    ]
    with_marks, without = suggest.evaluate(model, test), suggest.evaluate(model, bare)
    assert without["top1"] >= with_marks["top1"] - 0.05, (with_marks, without)
    assert without["top3"] >= with_marks["top3"] - 0.03, (with_marks, without)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "!!!???...", "—…😀😀", None, 42])
def test_an_empty_or_wordless_text_gets_no_suggestion(text):
    assert suggest.suggest_category(text) == []
    assert suggest.suggest_subcategory(text) == []


def test_a_text_of_unknown_letters_gets_no_suggestion_rather_than_a_guess():
    assert suggest.suggest_category("ᚠᚢᚦᚨᚱᚲ ᚷᚹᚺ") == []


def test_k_bounds_the_answer_and_probabilities_are_ordered_and_sum_to_one():
    assert suggest.suggest_category("cây xanh gãy đổ", k=0) == []
    top1 = suggest.suggest_category("cây xanh gãy đổ", k=1)
    assert len(top1) == 1 and top1[0][0] == "infrastructure"
    every = suggest.suggest_category("cây xanh gãy đổ", k=100)
    assert [c for c, _ in every] and {c for c, _ in every} == set(CATEGORIES)
    probs = [p for _, p in every]
    assert probs == sorted(probs, reverse=True)
    assert sum(probs) == pytest.approx(1.0, abs=1e-3)
    sub = suggest.suggest_subcategory("cây xanh gãy đổ đè lên xe", k=2)
    assert sub[0][:2] == ("infrastructure", "trees")


def test_a_ten_thousand_character_text_is_answered_fast():
    suggest.get_model()
    text = ("Rác thải ở đầu kiệt không ai thu gom, bốc mùi hôi thối. " * 200)[:10_000]
    assert len(text) == 10_000
    started = time.perf_counter()
    result = suggest.suggest_category(text)
    assert time.perf_counter() - started < 0.5
    assert result[0][0] == "environment"
    junk = "x" * 10_000
    assert len(suggest.suggest_category(junk)) <= 3  # some answer or none, but quickly and no error


def test_training_twice_on_the_same_rows_gives_the_same_probabilities(rows):
    train = [r for r in rows if r.split == "train"][::3]
    texts = [r.text for r in rows if r.split == "test"][:40]
    a, _ = suggest.train(train).category_proba(texts)
    b, _ = suggest.train(train).category_proba(texts)
    assert np.array_equal(a, b)


def test_the_probabilities_are_calibrated_on_held_out_reports(rows, trained):
    model = trained
    test = [r for r in rows if r.split == "test" and r.source == "hand"]
    p, _ = model.category_proba([r.text for r in test])
    confidence = float(p.max(axis=1).mean())
    accuracy = suggest.evaluate(model, test)["top1"]
    assert abs(confidence - accuracy) < 0.15, (confidence, accuracy)


def test_the_model_is_cached_by_the_labelled_sets_hash_and_a_broken_cache_retrains(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = suggest._load_or_train()
    cached = list((tmp_path / "cache").glob("suggest-*.pickle"))
    assert len(cached) == 1
    again = suggest._load_or_train()
    text = "nước máy bị đục, có mùi lạ"
    assert np.array_equal(first.category_proba([text])[0], again.category_proba([text])[0])
    cached[0].write_bytes(b"not a pickle")
    retrained = suggest._load_or_train()
    assert np.array_equal(first.category_proba([text])[0], retrained.category_proba([text])[0])
    # Another labelled set is another file, which replaces the former one's.
    other = tmp_path / "other.csv"
    other.write_text(suggest.LABELLED.read_text(encoding="utf-8") + '"thêm một dòng",other,other,hand,train\n')
    suggest._load_or_train(other)
    now = list((tmp_path / "cache").glob("suggest-*.pickle"))
    assert len(now) == 1 and now != cached


def test_threads_asking_at_once_share_one_model(monkeypatch):
    monkeypatch.setattr(suggest, "_model", None)
    calls = []
    real = suggest._load_or_train

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest, "_load_or_train", counted)
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(suggest.get_model())) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len({id(m) for m in seen}) == 1


def test_one_text_is_scored_as_scikit_learn_scores_a_batch(rows, trained):
    texts = [r.text for r in rows if r.split == "test"][:60] + ["duong bi ngap", "x" * 10_000]
    batch, known = trained.subcategory_proba(texts)
    assert known.all()
    one = np.array([trained.subcategory_proba_one(t) for t in texts])
    assert np.allclose(batch, one, atol=1e-6)
    assert trained.subcategory_proba_one("ᚠᚢᚦ") is None
