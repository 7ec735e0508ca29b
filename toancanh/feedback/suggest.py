"""The suggested category of a citizen report, from its text (issue 9).

Offline and tolerant of Vietnamese typed without diacritics: the text is normalised (Unicode NFC,
lower case, spaces collapsed, cut at ``MAX_CHARS``) and read three ways, each a TF-IDF block of
scikit-learn (BSD):

* character n-grams (``char_wb``, 2–5) of the text with its diacritics removed, so that
  "duong bi ngap" and "đường bị ngập" are the same features, and typos or abbreviations
  ("ko", "dc") still share most of their n-grams with the proper words;
* word unigrams and bigrams of the same bare text;
* word unigrams and bigrams of the text with its diacritics, which tell apart what the bare text
  merges ("ma" / "mà" / "má", "đèn" / "đen").

A linear SVM (``LinearSVC``) learns the 26 sub-categories; its margins become probabilities by a
softmax whose temperature is fitted at training time (lowest log loss on a third of the rows held
out from a first fit): calibrated like ``CalibratedClassifierCV`` but in 1.5 fits instead of 4, and
one product at prediction. A category's probability is the sum
of its sub-categories': one model for both questions, and it scored better on the held-out
hand-written reports than a model of the seven categories alone (``docs/feedback.md``).

The model learns from ``data/labelled_reports.csv`` at first use, in a few seconds, and keeps a
pickle in ``settings.DATA_DIR / "cache"`` named by the SHA-256 of that file, the model's version and
scikit-learn's, so a new labelled set or a new library retrains by itself. Loading is lazy and
thread-safe.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import logging
import os
import pickle
import re
import tempfile
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from toancanh.feedback.texts import LABELLED, SUBCATEGORY_OF, strip_diacritics

log = logging.getLogger(__name__)

MODEL_VERSION = 4  # bump when the Model class changes: the cached pickles are keyed by it
SVM_C = 0.5  # 0.3 and 1.0 scored within one held-out report of it (docs/feedback.md)
SVM_TOL = 1e-3  # the same answers as 1e-4 on the held-out reports, a third faster
MAX_CHARS = 4000  # Open311's limit for a description; a longer text is read up to here
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w", re.UNICODE)
_TOKEN = r"(?u)\b\w+\b"  # one-letter words count in Vietnamese ("k", "j", "ô")


def normalise(text: str) -> str:
    """NFC, lower case, one space between words, at most ``MAX_CHARS`` characters."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text[: MAX_CHARS * 2]).lower()).strip()[:MAX_CHARS]


@functools.lru_cache(maxsize=2048)
def bare(text: str) -> str:
    """The normalised text without diacritics ("đường bị ngập" → "duong bi ngap"). Two feature
    blocks read it: the cache strips each text once (a fifth of the training time)."""
    return strip_diacritics(text)


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class LabelledReport:
    text: str
    category: str
    subcategory: str
    source: str  # "hand" or "generated"
    split: str  # "train" or "test"


def load_labelled(path: Path = LABELLED) -> list[LabelledReport]:
    """The labelled reports of ``path`` (lines starting with ``#`` are its header comment)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return [LabelledReport(r["text"], r["category"], r["subcategory"], r["source"], r["split"]) for r in rows]


class Model:
    """TF-IDF features and a linear SVM over sub-categories, its margins calibrated by a temperature."""

    def __init__(self) -> None:
        self.features = FeatureUnion(
            [
                (
                    "chars",
                    TfidfVectorizer(
                        preprocessor=bare, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, dtype=np.float32
                    ),
                ),
                (
                    "words",
                    TfidfVectorizer(
                        preprocessor=bare, ngram_range=(1, 2), token_pattern=_TOKEN, sublinear_tf=True, dtype=np.float32
                    ),
                ),
                (
                    "accented",
                    TfidfVectorizer(
                        preprocessor=_same,
                        ngram_range=(1, 2),
                        token_pattern=_TOKEN,
                        sublinear_tf=True,
                        dtype=np.float32,
                    ),
                ),
            ]
        )
        self.classifier = LinearSVC(C=SVM_C, tol=SVM_TOL, random_state=0)
        self.temperature = 1.0
        self.subcategories: np.ndarray = np.array([])
        self.categories: np.ndarray = np.array([])
        self._to_category: np.ndarray = np.zeros((0, 0))
        self._compiled: tuple | None = None

    def fit(self, texts: Sequence[str], subcategories: Sequence[str]) -> Model:
        x = self.features.fit_transform([normalise(t) for t in texts])
        y = np.asarray(subcategories)
        # Calibration: fit on two thirds, choose the softmax temperature that best predicts the
        # last third (lowest log loss), then fit on everything. One and a half fits, not four.
        held = np.arange(len(y)) % 3 == 2
        if len(set(y[~held])) == len(set(y)) and held.any():
            probe = LinearSVC(C=SVM_C, tol=SVM_TOL, random_state=0).fit(x[~held], y[~held])
            self.temperature = _best_temperature(probe.decision_function(x[held]), probe.classes_, y[held])
        self.classifier.fit(x, y)
        self.subcategories = self.classifier.classes_
        self.categories = np.array(sorted({SUBCATEGORY_OF[s] for s in self.subcategories}))
        index = {c: i for i, c in enumerate(self.categories)}
        self._to_category = np.zeros((len(self.subcategories), len(self.categories)), dtype=np.float64)
        for i, sub in enumerate(self.subcategories):
            self._to_category[i, index[SUBCATEGORY_OF[sub]]] = 1.0
        return self

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_compiled": None}  # rebuilt on first use after loading

    def _compile(self) -> tuple[list, np.ndarray, np.ndarray]:
        """What scoring one text needs, without scikit-learn's per-call checks (most of the time
        of a single suggestion): each block's analyser, vocabulary, idf and column offset, and the
        SVM's weights with one row per feature."""
        blocks, offset = [], 0
        for _, vectorizer in self.features.transformer_list:
            blocks.append(
                (vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_.astype(np.float64), offset)
            )
            offset += len(vectorizer.vocabulary_)
        compiled = (blocks, np.ascontiguousarray(self.classifier.coef_.T, dtype=np.float64), self.classifier.intercept_)
        self._compiled = compiled
        return compiled

    def margins_one(self, text: str) -> np.ndarray | None:
        """The SVM's margins for one text, as ``classifier.decision_function`` of the TF-IDF
        vector computes them (sublinear tf × idf, each block L2-normalised); None when no
        feature of the text is known."""
        blocks, weights, intercept = getattr(self, "_compiled", None) or self._compile()
        norm = normalise(text)
        columns, values = [], []
        for analyze, vocabulary, idf, offset in blocks:
            counts = Counter(term for term in analyze(norm) if term in vocabulary)
            if not counts:
                continue
            index = np.fromiter((vocabulary[t] for t in counts), dtype=np.intp, count=len(counts))
            value = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[index]
            columns.append(index + offset)
            values.append(value / np.linalg.norm(value))
        if not columns:
            return None
        return np.concatenate(values) @ weights[np.concatenate(columns)] + intercept

    def subcategory_proba_one(self, text: str) -> np.ndarray | None:
        margins = self.margins_one(text)
        return None if margins is None else _softmax(margins[None, :], self.temperature)[0]

    def subcategory_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities over ``self.subcategories`` per text, and which texts had any known feature."""
        x = self.features.transform([normalise(t) for t in texts])
        known = np.diff(x.indptr) > 0
        return _softmax(self.classifier.decision_function(x), self.temperature), known

    def category_proba(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        p, known = self.subcategory_proba(texts)
        return p @ self._to_category, known


def _softmax(margins: np.ndarray, temperature: float) -> np.ndarray:
    z = np.asarray(margins, dtype=np.float64).reshape(len(margins), -1) / temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _best_temperature(margins: np.ndarray, classes: np.ndarray, truth: np.ndarray) -> float:
    col = {c: i for i, c in enumerate(classes)}
    idx = np.array([col[t] for t in truth])
    best, best_loss = 1.0, np.inf
    for t in np.geomspace(0.02, 2.0, 60):
        p = _softmax(margins, float(t))[np.arange(len(idx)), idx]
        loss = -np.mean(np.log(np.clip(p, 1e-12, None)))
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def train(rows: Iterable[LabelledReport]) -> Model:
    """A model fitted on ``rows`` (all of them: pass the train split to measure)."""
    rows = list(rows)
    return Model().fit([r.text for r in rows], [r.subcategory for r in rows])


# --- the shared model ----------------------------------------------------------------------------

_lock = threading.Lock()
_model: Model | None = None


def _cache_path(csv_bytes: bytes) -> Path | None:
    from django.conf import settings

    if not settings.configured:
        return None
    key = hashlib.sha256(csv_bytes + f"|{MODEL_VERSION}|{sklearn.__version__}".encode()).hexdigest()[:24]
    return Path(settings.DATA_DIR) / "cache" / f"suggest-{key}.pickle"


def _load_or_train(path: Path = LABELLED) -> Model:
    data = path.read_bytes()
    cache = _cache_path(data)
    if cache is not None and cache.exists():
        try:
            with open(cache, "rb") as f:
                # Our own file, written below into the private data directory, named by the
                # labelled set's hash: whoever can write there can already change the code.
                return pickle.load(f)  # noqa: S301
        except Exception:  # a truncated or incompatible pickle: train again
            log.warning("could not read the cached category model %s; training again", cache, exc_info=True)
    model = train(load_labelled(path))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=cache.parent, prefix=".suggest.", delete=False) as tmp:
                pickle.dump(model, tmp, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp.name, cache)
            for stale in cache.parent.glob("suggest-*.pickle"):  # models of former labelled sets
                if stale != cache:
                    stale.unlink(missing_ok=True)
        except OSError:
            log.warning("could not cache the category model in %s", cache.parent, exc_info=True)
    return model


def get_model() -> Model:
    """The model of the shipped labelled set, trained or loaded once per process."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _load_or_train()
    return _model


def _usable(text: object) -> bool:
    return isinstance(text, str) and _WORD.search(text[: MAX_CHARS * 2]) is not None


def _subcategory_proba(text: str, k: int) -> tuple[Model | None, np.ndarray | None]:
    """The model and its sub-category probabilities for ``text``; ``None`` for a text it cannot
    judge (empty, no letter or digit, nothing seen) or when nothing is asked for (``k < 1``)."""
    if not _usable(text) or k < 1:
        return None, None
    model = get_model()
    return model, model.subcategory_proba_one(text)


def suggest_category(text: str, k: int = 3) -> list[tuple[str, float]]:
    """Up to ``k`` category codes for ``text``, most likely first, with their probabilities.

    An empty text, or one with no letter or digit or nothing the model has seen, gives ``[]``.
    """
    model, p = _subcategory_proba(text, k)
    if p is None:
        return []
    p = p @ model._to_category
    order = np.argsort(-p, kind="stable")[:k]
    return [(str(model.categories[i]), round(float(p[i]), 4)) for i in order]


def suggest_subcategory(text: str, k: int = 3) -> list[tuple[str, str, float]]:
    """Up to ``k`` (category, sub-category, probability) for ``text``, most likely first."""
    model, p = _subcategory_proba(text, k)
    if p is None:
        return []
    order = np.argsort(-p, kind="stable")[:k]
    return [
        (SUBCATEGORY_OF[str(s)], str(s), round(float(p[i]), 4))
        for i, s in zip(order, model.subcategories[order], strict=True)
    ]


def evaluate(model: Model, rows: Sequence[LabelledReport]) -> dict[str, float]:
    """Top-1 and top-3 accuracy of categories and sub-categories on ``rows``."""
    if not rows:
        return {"n": 0}
    texts = [r.text for r in rows]
    pc, _ = model.category_proba(texts)
    ps, _ = model.subcategory_proba(texts)

    def accuracy(p: np.ndarray, classes: np.ndarray, truth: list[str], k: int) -> float:
        top = np.argsort(-p, axis=1, kind="stable")[:, :k]
        return round(float(np.mean([truth[i] in classes[top[i]] for i in range(len(truth))])), 4)

    cats, subs = [r.category for r in rows], [r.subcategory for r in rows]
    return {
        "n": len(rows),
        "top1": accuracy(pc, model.categories, cats, 1),
        "top3": accuracy(pc, model.categories, cats, 3),
        "sub_top1": accuracy(ps, model.subcategories, subs, 1),
        "sub_top3": accuracy(ps, model.subcategories, subs, 3),
    }


def held_out_report(path: Path = LABELLED, model: Model | None = None) -> dict[str, dict[str, float]]:
    """Train on the train split (unless given that ``model``), measure on the test split: the
    hand-written test rows (the honest figure), the generated ones, and all."""
    rows = load_labelled(path)
    model = model or train(r for r in rows if r.split == "train")
    test = [r for r in rows if r.split == "test"]
    return {
        "hand": evaluate(model, [r for r in test if r.source == "hand"]),
        "generated": evaluate(model, [r for r in test if r.source == "generated"]),
        "all": evaluate(model, test),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(held_out_report(), indent=1))
