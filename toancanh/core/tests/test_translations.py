"""Vietnamese first: every text of the interface has its Vietnamese translation."""

from pathlib import Path

from babel.messages.pofile import read_po

PO = Path(__file__).resolve().parents[2] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_every_interface_text_is_translated_into_vietnamese():
    with PO.open("rb") as f:
        catalog = read_po(f, locale="vi")
    untranslated = [m.id for m in catalog if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
