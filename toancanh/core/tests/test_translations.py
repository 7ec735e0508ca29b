"""Vietnamese first: every text of the interface has its Vietnamese translation."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_interface_text_is_translated_into_vietnamese():
    with PO.open("rb") as f:
        catalog = read_po(f, locale="vi")
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []


def test_no_message_is_translated_twice():
    """Merged branches append to the catalogue: a message defined twice (same context) is refused
    by GNU msgfmt, and the compiler here would silently keep one of the two translations."""
    import itertools
    from collections import Counter
    from pathlib import Path

    import toancanh

    lines = (Path(toancanh.__file__).parent / "locale/vi/LC_MESSAGES/django.po").read_text(encoding="utf-8").split("\n")
    keys = Counter()
    for i, line in enumerate(lines):
        if not line.startswith("msgid "):
            continue
        text = [line[6:]] + list(itertools.takewhile(lambda x: x.startswith('"'), lines[i + 1 :]))
        context = lines[i - 1] if i and lines[i - 1].startswith("msgctxt ") else None
        if text != ['""']:
            keys[(context, "".join(text))] += 1
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize(("language", "expected"), [("vi", "lĩnh vực 'astrology' không có"),
                                                    ("en", "unknown sector 'astrology'")])  # fmt: skip
def test_a_services_refusal_answers_in_the_callers_language_with_the_code_kept(world, language, expected):
    import json

    body = {"title": "Ngập", "severity": "Severe", "unit": "vn34-p48", "sector": "astrology"}
    response = world.client("admin").post("/api/v1/situations", data=json.dumps(body),
                                          content_type="application/json", headers={"Accept-Language": language})  # fmt: skip
    assert response.status_code == 400
    assert expected in response.json()["detail"]
