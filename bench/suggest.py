"""Benchmark: the suggested category of a citizen report (toancanh.feedback.suggest).

    python bench/suggest.py [--quick]

No database and no server: the model lives in files. The bench trains the model on the train
split of ``toancanh/feedback/data/labelled_reports.csv`` (timed), then measures, in the same run,
against a naive keyword matcher (per category a list of Vietnamese keywords matched on the text
without diacritics; the category with most hits wins):

* suggestions per second, one text per call as the citizen app asks (``suggest_category``'s
  path: normalise, three TF-IDF blocks, the SVM's margins, the softmax), with the p95 latency;
* the same in batches of 256 (the demo's or a re-classification's path);
* top-1 and top-3 accuracy of the category on the held-out hand-written reports (the honest
  figure) and on the whole test split, for both.

The last line is one JSON object with the figures; ``ratio_vs_baseline`` is our rate / the
keyword matcher's rate (below 1: the model is slower, the price of its accuracy).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toancanh.feedback import suggest  # noqa: E402
from toancanh.feedback.texts import strip_diacritics  # noqa: E402

# The naive baseline: words a clerk would look for, without diacritics.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "urban_order": ("via he", "lan chiem", "long duong", "xay dung", "khong phep", "trai phep", "quang cao", "rao vat",
                    "bang ron", "to roi", "coi noi", "sai phep", "ban hang"),
    "environment": ("rac", "o nhiem", "nuoc thai", "xa thai", "mui hoi", "boc mui", "khoi", "bui", "tieng on", "on ao",
                    "xac", "chet", "hoi thoi", "dot"),
    "food_safety": ("thuc pham", "ngo doc", "an xong", "dau bung", "non", "het han", "nguon goc", "ve sinh", "quan an",
                    "giet mo", "thit", "bep"),
    "traffic": ("ket xe", "un tac", "tac duong", "do xe", "dau xe", "den do", "den tin hieu", "bien bao", "dua xe",
                "lang lach", "boc dau", "o to"),
    "security": ("danh nhau", "gay roi", "trom", "cuop", "giat", "co bac", "danh bai", "ma tuy", "karaoke", "say xin",
                 "chui boi", "do de"),
    "infrastructure": ("o ga", "hu hong", "sut lun", "den duong", "chieu sang", "ngap", "cong", "mat nuoc", "ong nuoc",
                       "cay", "day dien", "mat dien", "tru dien"),
    "other": ("thu tuc", "cho hoi", "ho so", "xin hoi", "cam on", "giay to", "tro cap", "hoc phi"),
}  # fmt: skip


def keyword_suggest(text: str, k: int = 3) -> list[tuple[str, float]]:
    bare = f" {strip_diacritics(text.lower())} "
    scores = [(sum(bare.count(w) for w in words), code) for code, words in KEYWORDS.items()]
    scores.sort(key=lambda s: -s[0])
    total = sum(s for s, _ in scores) or 1
    return [(code, s / total) for s, code in scores[:k] if s > 0]


def accuracy(predict, rows: list[suggest.LabelledReport]) -> tuple[float, float]:
    top1 = top3 = 0
    for r in rows:
        got = [c for c, _ in predict(r.text)]
        top1 += bool(got) and got[0] == r.category
        top3 += r.category in got[:3]
    return round(top1 / len(rows), 4), round(top3 / len(rows), 4)


def rate(fn, texts: list[str], rounds: int) -> tuple[float, float]:
    """Calls per second and p95 latency in ms, one text per call."""
    samples = []
    for _ in range(rounds):
        for t in texts:
            started = time.perf_counter()
            fn(t)
            samples.append(time.perf_counter() - started)
    return len(samples) / sum(samples), float(np.percentile(samples, 95) * 1000)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer rounds; finishes well under a minute")
    args = ap.parse_args()
    rounds = 1 if args.quick else 5

    rows = suggest.load_labelled()
    train = [r for r in rows if r.split == "train"]
    test = [r for r in rows if r.split == "test"]
    hand = [r for r in test if r.source == "hand"]

    cpu, wall = time.process_time(), time.perf_counter()
    model = suggest.train(train)
    train_s, train_cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    print(f"trained on {len(train)} reports in {train_s:.2f} s ({train_cpu_s:.2f} s CPU)", file=sys.stderr)
    suggest._model = model  # suggest_category answers from the model trained on the train split only

    texts = [r.text for r in test]
    cpu = time.process_time()
    ours_rate, ours_p95 = rate(suggest.suggest_category, texts, rounds)
    cpu_ms = (time.process_time() - cpu) / (len(texts) * rounds) * 1000  # steadier than wall time on a busy machine
    base_rate, base_p95 = rate(keyword_suggest, texts, rounds * 5)
    batch = (texts * 8)[:2048]
    started = time.perf_counter()
    for i in range(0, len(batch), 256):
        model.category_proba(batch[i : i + 256])
    batch_rate = len(batch) / (time.perf_counter() - started)

    top1, top3 = accuracy(suggest.suggest_category, hand)
    all1, all3 = accuracy(suggest.suggest_category, test)
    b1, b3 = accuracy(keyword_suggest, hand)
    ball1, ball3 = accuracy(keyword_suggest, test)
    print(
        f"one at a time: {ours_rate:,.0f}/s (p95 {ours_p95:.2f} ms) vs keywords {base_rate:,.0f}/s; "
        f"batches: {batch_rate:,.0f}/s\nhand-written held-out ({len(hand)}): top-1 {top1} top-3 {top3} "
        f"(keywords {b1} / {b3}); whole test split ({len(test)}): {all1} / {all3} (keywords {ball1} / {ball3})",
        file=sys.stderr,
    )
    result = {
        "bench": "suggest",
        "quick": args.quick,
        "train_reports": len(train),
        "train_s": round(train_s, 2),
        "train_cpu_s": round(train_cpu_s, 2),
        "suggestions_per_s": round(ours_rate),
        "p95_ms": round(ours_p95, 2),
        "cpu_ms_per_suggestion": round(cpu_ms, 3),
        "batch_suggestions_per_s": round(batch_rate),
        "baseline_suggestions_per_s": round(base_rate),
        "baseline_p95_ms": round(base_p95, 3),
        "ratio_vs_baseline": round(ours_rate / base_rate, 4),
        "hand_test_reports": len(hand),
        "top1": top1,
        "top3": top3,
        "baseline_top1": b1,
        "baseline_top3": b3,
        "all_test_top1": all1,
        "all_test_top3": all3,
        "baseline_all_test_top1": ball1,
        "baseline_all_test_top3": ball3,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
