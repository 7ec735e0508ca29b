"""Text helpers for Vietnamese: accent-insensitive folding for search and matching."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Fold Vietnamese text for accent-insensitive comparison: "Hiệp Đức" -> "hiep duc".

    Strips combining marks after NFD decomposition; đ/Đ are letters of their own (not a
    base letter with a mark), so they are mapped to d explicitly.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()
