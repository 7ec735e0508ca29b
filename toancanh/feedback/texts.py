"""Real-shaped Vietnamese citizen field reports (phản ánh hiện trường) and agency answers.

Used by the demo (a year of reports across Đà Nẵng and the former Quảng Nam) and, mixed with
hand-written reports, by the labelled set the category suggestion model learns from
(``data/labelled_reports.csv``, see ``docs/feedback.md``).

A report is composed, not filled into one template per category: an optional greeting, one or
two problem sentences of the sub-category (several phrasings each, with a place, a landmark and
a time), optional details, impact, feelings and a request in varied order, sometimes a sentence
on another topic. Then, like real reports typed on a phone, part of them lose their diacritics,
use abbreviations (ko, k, dc, j, ng, vs), carry typos or shout. Everything is drawn from the
``random.Random`` passed in, so one seed gives one sequence, and a report takes some tens of
microseconds.

The category codes and sub-categories are fixed (issue 9); names are the Vietnamese ones citizens
see. The place names are real streets, hamlets and landmarks of Đà Nẵng and Quảng Nam.
"""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from toancanh.feedback.phrases import (
    ANSWER_ACTS,
    ANSWER_VAGUE,
    ASKS,
    FEELINGS,
    GREETINGS,
    HAMLETS,
    LANDMARKS,
    OLD_DISTRICTS,
    PHRASES,
    STREETS,
    TEENCODE,
    TIMES,
    WARDS,
)


class Category(NamedTuple):
    """A field of citizen reports (lĩnh vực phản ánh) with its sub-categories (code → name)."""

    code: str
    name: str
    subcategories: dict[str, str]


CATEGORIES: dict[str, Category] = {
    c.code: c
    for c in (
        Category(
            "urban_order",
            "Trật tự đô thị",
            {
                "sidewalk": "Lấn chiếm vỉa hè, lòng đường",
                "construction": "Xây dựng trái phép",
                "advertising": "Quảng cáo, rao vặt sai quy định",
            },
        ),
        Category(
            "environment",
            "Môi trường và vệ sinh",
            {
                "waste": "Rác thải",
                "water_pollution": "Ô nhiễm nguồn nước",
                "noise": "Tiếng ồn",
                "smoke_dust": "Khói, bụi, mùi hôi",
                "dead_animal": "Xác động vật",
            },
        ),
        Category(
            "food_safety",
            "An toàn thực phẩm",
            {
                "unsafe_food": "Thực phẩm không rõ nguồn gốc",
                "poisoning": "Nghi ngộ độc thực phẩm",
                "unhygienic": "Cơ sở mất vệ sinh",
            },
        ),
        Category(
            "traffic",
            "Giao thông",
            {
                "congestion": "Ùn tắc",
                "parking": "Đỗ xe sai quy định",
                "signals": "Đèn tín hiệu, biển báo hỏng",
                "racing": "Đua xe, lạng lách",
            },
        ),
        Category(
            "security",
            "An ninh trật tự",
            {
                "disturbance": "Gây rối, đánh nhau",
                "theft": "Trộm cắp",
                "gambling_drugs": "Cờ bạc, ma túy",
                "karaoke": "Karaoke gây ồn về đêm",
            },
        ),
        Category(
            "infrastructure",
            "Hạ tầng kỹ thuật",
            {
                "road_damage": "Đường hư hỏng, ổ gà",
                "streetlight": "Đèn chiếu sáng hỏng",
                "drainage": "Ngập úng, cống thoát nước",
                "water_supply": "Mất nước, vỡ ống",
                "trees": "Cây xanh gãy đổ",
                "power": "Điện, dây điện võng",
            },
        ),
        Category("other", "Khác", {"other": "Khác"}),
    )
}

# --- places --------------------------------------------------------------------------------------


_UNIT_WORDS = ("phường ", "xã ", "thị trấn ", "đặc khu ")
_VILLAGES = tuple(h for h in HAMLETS if h.startswith("thôn "))


def place_within(unit: str, rng: random.Random) -> str:
    """A place inside an administrative unit as a citizen writes it ("kiệt 12 Lê Lợi, phường Hải Châu",
    "thôn 3, xã Hiệp Đức"), or the unit alone; any other ``unit`` text is taken as a place."""
    if not unit.lower().startswith(_UNIT_WORDS):
        return unit
    r = rng.random()
    if r < 0.25:
        return unit
    if unit.lower().startswith("xã ") or r < 0.4:
        local = rng.choice((f"thôn {rng.randint(1, 9)}", f"tổ {rng.randint(1, 30)}", rng.choice(_VILLAGES)))
    elif r < 0.7:
        local = f"kiệt {rng.randint(2, 300)} {rng.choice(STREETS)}"
    else:
        local = f"{rng.randint(1, 480)} {rng.choice(STREETS)}"
    return f"{local}, {unit}"


def sample_place(rng: random.Random) -> str:
    """A place as a citizen writes it: a house number on a street, an alley (kiệt), a hamlet or a landmark."""
    r = rng.random()
    street = rng.choice(STREETS)
    if r < 0.28:
        return f"{rng.randint(1, 480)} {street}"
    if r < 0.45:
        return f"kiệt {rng.randint(2, 300)} {street}"
    if r < 0.58:
        return f"đường {street}, {rng.choice(WARDS + OLD_DISTRICTS)}"
    if r < 0.72:
        return f"{rng.choice(HAMLETS)}, {rng.choice(WARDS)}"
    if r < 0.86:
        return f"{rng.choice(('gần', 'trước', 'đối diện', 'phía sau', 'cạnh'))} {rng.choice(LANDMARKS)}"
    return f"đoạn {street} giao {rng.choice(STREETS)}"


# --- phrases -------------------------------------------------------------------------------------


# Per sub-category: titles, problem sentences ({p} place, {t} time, {l} landmark) and details.

SUBCATEGORY_OF: dict[str, str] = {sub: cat.code for cat in CATEGORIES.values() for sub in cat.subcategories}
_SUBCODES = tuple(SUBCATEGORY_OF)

# --- how people type -----------------------------------------------------------------------------

TEENCODE_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, TEENCODE), key=len, reverse=True)) + r")\b")


def strip_diacritics(text: str) -> str:
    """'Đường bị ngập' → 'Duong bi ngap' (Vietnamese written without accent marks)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def _teencode(text: str, rng: random.Random, rate: float) -> str:
    def swap(m: re.Match[str]) -> str:
        return rng.choice(TEENCODE[m.group(1)]) if rng.random() < rate else m.group(1)

    return TEENCODE_RE.sub(swap, text)


def _typos(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        if len(w) > 3 and rng.random() < rate:
            j = rng.randrange(1, len(w) - 1)
            kind = rng.random()
            if kind < 0.4:
                words[i] = w[:j] + w[j + 1 :]  # a letter dropped
            elif kind < 0.7:
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]  # two letters swapped
            else:
                words[i] = w[:j] + w[j] + w[j:]  # a letter doubled
    return " ".join(words)


def roughen(text: str, rng: random.Random) -> str:
    """Make a clean text look typed in a hurry on a phone, as about half the real ones are."""
    r = rng.random()
    if r < 0.18:
        text = strip_diacritics(text)
    if rng.random() < 0.22:
        text = _teencode(text.lower() if rng.random() < 0.5 else text, rng, 0.7)
    if rng.random() < 0.3:
        text = _typos(text, rng, 0.04)
    if rng.random() < 0.05:
        text = text.upper()
    elif rng.random() < 0.12:
        text = text.replace(".", rng.choice(("!!", "...", " ", "!!!")), 1)
    return text


# --- reports -------------------------------------------------------------------------------------


_ROAD_TWICE = re.compile(r"\bđường (đường|kiệt|đoạn) ")
_NOUN_HERE = re.compile(r"\b(đường|nhà|quán|hàng|kiệt|trường|chợ|nhậu|cống|xã|phường) đây\b")


def _fill(template: str, rng: random.Random, place: str) -> str:
    text = template.format(p=place, t=rng.choice(TIMES), l=rng.choice(LANDMARKS))
    text = _ROAD_TWICE.sub(r"\1 ", text)  # "đường {p}" with p = "đường Lê Duẩn" or "kiệt 12 Lê Duẩn"
    return _NOUN_HERE.sub(r"\1 này", text)  # "quán nhậu đây" → "quán nhậu này"


def sample_report(
    category: str, subcategory: str | None, rng: random.Random, place: str | None = None
) -> tuple[str, str]:
    """A (title, description) a citizen could have written about ``category``/``subcategory``.

    ``subcategory`` None picks one of the category's. ``place`` (e.g. a commune's name) is used
    instead of a random Đà Nẵng/Quảng Nam place. Deterministic for a given state of ``rng``.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    subs = CATEGORIES[category].subcategories
    if subcategory is None:
        subcategory = rng.choice(list(subs))
    elif subcategory not in subs:
        raise ValueError(f"{subcategory!r} is not a sub-category of {category!r}")
    ph = PHRASES[subcategory]
    where = place_within(place, rng) if place else sample_place(rng)
    length = rng.random()
    problems = list(ph["problem"])
    rng.shuffle(problems)
    parts = [_fill(problems[0], rng, where)]
    if length < 0.22:  # one line, often without the place
        if rng.random() < 0.4:
            parts = [_fill(problems[0], rng, rng.choice(("đây", "xóm tôi", "khu này", where)))]
    else:
        if rng.random() < 0.35:
            parts.insert(0, rng.choice(GREETINGS))
        if rng.random() < 0.6:
            parts.append(rng.choice(ph["detail"]))
        if length > 0.6:
            parts.append(_fill(problems[1], rng, rng.choice(("đây", "khu này", where))))
        if rng.random() < 0.5:
            parts.append(rng.choice(FEELINGS))
        if length > 0.8 and rng.random() < 0.5:  # a second topic, as real reports often have
            aside = _fill(rng.choice(PHRASES[rng.choice(_SUBCODES)]["problem"]), rng, "gần đó")
            lead = rng.choice(("Ngoài ra ", "Thêm nữa, ", "Tiện đây phản ánh luôn: ", "Còn nữa "))
            parts.append(lead + aside[0].lower() + aside[1:])
        if rng.random() < 0.6:
            parts.append(rng.choice(ASKS))
    description = roughen(" ".join(parts), rng)
    title = rng.choice(ph["title"])
    if rng.random() < 0.5:
        title = f"{title} {rng.choice(('tại', 'ở', 'khu vực'))} {where}"
    if rng.random() < 0.15:
        title = strip_diacritics(title)
    return title, description


# --- answers -------------------------------------------------------------------------------------


def sample_answer(category: str, subcategory: str | None, rng: random.Random) -> str:
    """An agency's public answer: about one in six vague, the others name what was done."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}")
    if subcategory is None:
        subcategory = rng.choice(list(CATEGORIES[category].subcategories))
    if rng.random() < 0.16:
        return rng.choice(ANSWER_VAGUE)
    act = rng.choice(ANSWER_ACTS[subcategory]).format(
        n=rng.randint(2, 25),
        m=f"{rng.choice((1, 2, 3, 5, 7, 10, 15, 20)) * 500_000:,}".replace(",", "."),
        d=rng.choice((3, 5, 7, 10, 15)),
        date=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}",
        h=rng.randint(6, 21),
    )
    opening = rng.choice(("", "Sau khi tiếp nhận phản ánh, ", "Ngày tiếp nhận, ", "Qua kiểm tra thực tế, "))
    closing = rng.choice(("", " Cảm ơn người dân đã phản ánh.", " Đơn vị sẽ tiếp tục theo dõi, xử lý nếu tái diễn."))
    if opening and act.startswith("Đã "):
        act = act[0].lower() + act[1:]
    else:
        opening = ""
    return f"{opening}{act}{closing}"


# --- the labelled set ----------------------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent / "data"
HANDWRITTEN = DATA_DIR / "handwritten_reports.txt"
LABELLED = DATA_DIR / "labelled_reports.csv"
LABELLED_SEED = 20261123  # the generated part: another seed than the demo's
GENERATED_PER_SUBCATEGORY = 48

_HEADER = """\
# Labelled citizen reports (phản ánh hiện trường) for the category suggestion (toancanh.feedback.suggest).
# Built by `python -m toancanh.feedback.texts` from two sources (column `source`):
#   hand      - data/handwritten_reports.txt: written one by one by hand, other words and shapes than the generator;
#   generated - texts.sample_report with seed {seed}, {per} per sub-category (title and description, or description only).
# split: a hand-written report is `test` when the first byte of the SHA-256 of its text is below 102 (about 40 %),
# a generated one when its index is a multiple of 10; the rest `train`. The honest figure is the accuracy on the
# hand-written test rows: the generator shares phrasings between its train and test rows.
# Columns: text, category, subcategory, source, split. Karaoke at night is security/karaoke; other noise environment/noise.
"""


def handwritten_rows() -> list[tuple[str, str, str]]:
    """(text, category, subcategory) of the hand-written reports."""
    rows = []
    for line in HANDWRITTEN.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        sub, text = line.split("|", 1)
        rows.append((text.strip(), SUBCATEGORY_OF[sub.strip()], sub.strip()))
    return rows


def labelled_rows() -> list[dict[str, str]]:
    """The labelled set as written to ``data/labelled_reports.csv`` (deterministic)."""
    import hashlib

    out = []
    for text, cat, sub in handwritten_rows():
        test = hashlib.sha256(text.encode()).digest()[0] < 102
        out.append(
            {"text": text, "category": cat, "subcategory": sub, "source": "hand", "split": "test" if test else "train"}
        )
    rng = random.Random(LABELLED_SEED)
    i = 0
    for cat in CATEGORIES.values():
        for sub in cat.subcategories:
            for _ in range(GENERATED_PER_SUBCATEGORY):
                title, description = sample_report(cat.code, sub, rng)
                text = f"{title}. {description}" if rng.random() < 0.5 else description
                split = "test" if i % 10 == 0 else "train"
                out.append(
                    {"text": text, "category": cat.code, "subcategory": sub, "source": "generated", "split": split}
                )
                i += 1
    return out


def write_labelled(path=LABELLED) -> int:
    import csv

    rows = labelled_rows()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(_HEADER.format(seed=LABELLED_SEED, per=GENERATED_PER_SUBCATEGORY))
        writer = csv.DictWriter(
            f, fieldnames=["text", "category", "subcategory", "source", "split"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    print(f"{write_labelled()} reports written to {LABELLED}")
