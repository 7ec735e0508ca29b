"""The page crawler of the language tests: every kind of page a person reaches by links, and three
checks of what they read.

- ``english_words``: English interface text on a page served in Vietnamese.
- ``machine_text``: what a person should never see in either language: ISO dates and timestamps
  (``2026-10-05``, ``2026-10-05T08:00``), periods as codes (``2026-10``, ``2026Q3``), English month
  names on a Vietnamese page, twelve-hour times, and date inputs whose format depends on the
  browser's own language (``<input type="date">`` shows 10/05/2026 to an English browser).
- ``vietnamese_words``: Vietnamese interface text on a page served in English. Names and data are
  what the database holds (units, people, agencies, alert messages …): the words of ``data`` strings
  are taken out before the check (``data_strings`` collects them).

Names, codes, numbers, addresses and texts marked as another language (``lang="en"``/``lang="vi"``),
and elements showing a value someone entered (``data-value``), are data, not interface.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

# English words that are not also Vietnamese syllables written without marks ("an", "to", "no", "do",
# "in", "can", "con", "tin", "sang", "ban", "ma" … are left out, so Vietnamese never trips the check).
ENGLISH = set(
    """
    the and of for with from this that these those is are was were will would should could your you
    our their there which when where what who whom how why not has have had been being into onto about
    above below after before between than then also only just more less most least many much every each
    any some all none yes save cancel delete remove edit create new add update back home list details
    detail open opened closed close active inactive disabled enabled enable disable user users role roles
    unit units agency agencies alert alerts rule rules situation situations warning warnings notification
    notifications channel channels subscription subscriptions procedure procedures step steps indicator
    indicators target targets value values date time created updated type kind severity sector sectors
    description title submit sign login logout password email phone help settings error errors required
    invalid field fields show hide total last first next previous page pages filter filters sort search
    export download upload import acknowledge acknowledged clear cleared assign assigned resolve resolved
    publish published draft cancelled expired reason note notes timeline attachment attachments map chart
    period month quarter year day days hour hours minute minutes ago today yesterday since change changes
    level plan actual overview tools menu scope whole system light dark mode video wall documentation
    read unread mark nothing found results result found shown showing apply reset confirm sure please
    select choose choice optional missing complete incomplete unknown ok failed success pending running
    audit log key keys issue issued revoke revoked never forever who what action actions object objects
    before after people person name names code codes address area areas boundary boundaries source
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# Words a Vietnamese page may show on purpose: the language switch and the brand.
ALLOWED = {"English"}
# Words an English page may show on purpose: the language switch and the brand.
ALLOWED_VI = {"tiếng", "việt", "toàn", "cảnh"}
SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "textarea", "svg", "noscript"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
WORD = re.compile(r"^[A-Za-z]+$")
DATE_INPUTS = {"date", "datetime-local", "month", "week", "time"}

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
]  # noqa: SIM905 - a word list reads better as text
MACHINE = [
    (re.compile(r"(?<![\w/.-])\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\w/-])"),
     "ISO date"),
    (re.compile(r"(?<![\w/.-])\d{4}-(?:0[1-9]|1[0-2])(?![\w/-])"), "period code"),
    (re.compile(r"(?<![\w/.-])\d{4}[Qq][1-4](?!\w)"), "period code"),
    (re.compile(r"(?<![\w/.-])\d{4}-[HhSs][12](?!\w)"), "period code"),
    (re.compile(r"\b\d{1,2}:\d{2}\s?(?:[AaPp]\.?[Mm]\.?)(?!\w)"), "twelve-hour time"),
]  # fmt: skip
MONTH_WORD = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b")
# Vietnamese letters that English never uses (after decomposition: the breve, circumflex, horn, the
# tone marks and đ).
VI_MARKS = {"\u0306", "\u0302", "\u031b", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


class _VisibleText(HTMLParser):
    """The text a person reads, with the tags, code, scripts and texts in another language left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, lang: str = "vi") -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.parts: list[str] = []
        self.values: list[str] = []  # what the form fields show
        self.links: list[str] = []
        self.date_inputs: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = self._skipped() or tag in SKIPPED_TAGS or (a.get("lang") or self.lang)[:2] != self.lang
        skip = skip or "data-value" in a  # an element that shows a value entered by someone
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "input" and (a.get("type") or "text") in DATE_INPUTS:
            self.date_inputs.append(f'<input type="{a["type"]}" name="{a.get("name", "")}">')
        if tag == "input" and (a.get("type") or "text") in {"text", "search"} and a.get("value"):
            self.values.append(a["value"])
        if not skip:
            self.parts.extend(a[n] for n in ATTRIBUTES if a.get(n))
            if tag == "input" and a.get("type") in {"submit", "button"} and a.get("value"):
                self.parts.append(a["value"])
        if tag not in self.VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._skipped():
            self.parts.append(data)


def _parse(html: str, lang: str = "vi") -> _VisibleText:
    parser = _VisibleText(lang)
    parser.feed(html)
    return parser


def _context(tokens: list[str], i: int) -> str:
    return " ".join(tokens[max(0, i - 3) : i + 4])


def english_words(html: str) -> tuple[list[str], list[str]]:
    """The English interface words of a page (with a little context each) and the page's links."""
    parser = _parse(html)
    found = []
    for part in parser.parts:
        tokens = part.split()
        for i, token in enumerate(tokens):
            word = token.strip(".,:;!?()[]{}«»\"'‹›…·*—–")
            # Codes, addresses, numbers and identifiers (level_m, so-y-te, a@b.vn, 2026Q3) are data.
            if not WORD.match(word) or word in ALLOWED or word.lower() not in ENGLISH:
                continue
            found.append(_context(tokens, i))
    return found, parser.links


def machine_text(html: str, lang: str = "vi") -> tuple[list[str], list[str]]:
    """Dates, times and periods a person should not read that way (see the module's docstring)."""
    parser = _parse(html, lang)
    found = list(parser.date_inputs)
    for part in [*parser.parts, *parser.values]:
        text = " ".join(part.split())
        for pattern, what in MACHINE:
            found.extend(f"{what}: …{text[max(0, m.start() - 30) : m.end() + 30]}…" for m in pattern.finditer(text))
        if lang == "vi":
            found.extend(
                f"English month: …{text[max(0, m.start() - 30) : m.end() + 30]}…" for m in MONTH_WORD.finditer(text)
            )
    return found, parser.links


def is_vietnamese(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word)
    return "đ" in word.lower() or any(ch in VI_MARKS for ch in decomposed)


PUNCTUATION = ".,:;!?()[]{}«»\"'‹›…·*—–/"
# Quoted examples and glosses in parentheses are Vietnamese on purpose on an English page
# (e.g. “Lễ hội Cầu Ngư”, yearly targets (chỉ tiêu kế hoạch)).
QUOTED = re.compile(r"“[^”]*”|\([^()]*\)|\"[^\"]*\"")


def _norm(token: str) -> str:
    return token.strip(PUNCTUATION).lower()


class DataPhrases:
    """What the database holds (names and data), as phrases to take out of a page's text."""

    def __init__(self, strings: Iterable[str] = ()) -> None:
        self.index: dict[str, list[tuple[str, ...]]] = {}
        for s in strings:
            words = tuple(w for w in (_norm(t) for t in str(s).split()) if w)
            if words:
                self.index.setdefault(words[0], []).append(words)
        for phrases in self.index.values():
            phrases.sort(key=len, reverse=True)

    def covered(self, words: list[str]) -> list[bool]:
        """Which of ``words`` (normalised) belong to a phrase of the data (punctuation alone, such
        as a dash, is skipped on both sides)."""
        out = [False] * len(words)
        kept = [i for i, w in enumerate(words) if w]
        plain = [words[i] for i in kept]
        j = 0
        while j < len(plain):
            for phrase in self.index.get(plain[j], ()):
                if tuple(plain[j : j + len(phrase)]) == phrase:
                    for i in kept[j : j + len(phrase)]:
                        out[i] = True
                    j += len(phrase) - 1
                    break
            j += 1
        return out


def _code_like(token: str) -> bool:
    """Document numbers, acronyms and identifiers (766/QĐ-TTg, HĐND, so-y-te) are codes."""
    word = token.strip(PUNCTUATION)
    return any(ch.isdigit() or ch in "/-_@" for ch in word) or (len(word) > 1 and word.upper() == word)


def vietnamese_words(html: str, data: DataPhrases | None = None) -> tuple[list[str], list[str]]:
    """The Vietnamese interface words of a page served in English: words with Vietnamese letters
    that are not part of a name or datum (``data``), a code, a quotation or a gloss in parentheses."""
    parser = _parse(html, "en")
    data = data or DataPhrases()
    found = []
    for part in parser.parts:
        tokens = part.split()
        covered = data.covered([_norm(t) for t in tokens])
        for i, token in enumerate(tokens):
            word = _norm(token)
            if not word or covered[i] or word in ALLOWED_VI or _code_like(token) or not is_vietnamese(word):
                continue
            # Quotations and glosses: the token's text with them taken out has no Vietnamese left.
            if not any(is_vietnamese(_norm(t)) for t in QUOTED.sub(" ", part).split() if _norm(t) == word):
                continue
            found.append(_context(tokens, i))
    return found, parser.links


SKIPPED_LINKS = ("/api/", "/static/", "/i18n/", "/accounts/logout", "/cap/", "/media/", "/ops/stream", "/theme/")


def _follow(href: str) -> str | None:
    href = urldefrag(href)[0]
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIPPED_LINKS):
        return None
    if parts.path.endswith((".pdf", ".xlsx", ".csv", ".json", ".xml", ".geojson", ".atom")):
        return None
    if "export" in parts.query or "format=" in parts.query:
        return None
    return parts.path  # each page once, whatever its filters or sort


def _shape(path: str) -> str:
    """Pages of one kind share a shape: /units/vn34-c20333/ and /units/vn34-c20275/ are both /units/*/."""
    return re.sub(r"/(\d+|vn\d+-[a-z]\d+|[a-z0-9-]*\d[a-z0-9-]*)/", "/*/", path)


# get(url) -> (status, content type, html)
Getter = Callable[[str], tuple[int, str, str]]
Check = Callable[[str], tuple[list[str], list[str]]]


def client_getter(client, lang: str = "vi") -> Getter:
    """A Django test client as a getter, with the interface in ``lang`` (the language switch's cookie)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang

    def get(url: str) -> tuple[int, str, str]:
        response = client.get(url)
        return response.status_code, response.get("Content-Type", ""), response.content.decode()

    return get


def walk(
    get, start: str = "/", limit: int = 300, per_shape: int = 2, check: Check | Iterable[Check] = english_words
) -> tuple[dict[str, list[str]], set[str]]:
    """Every kind of page reachable from ``start`` by links (two of each kind); what ``check`` (one
    check or several) finds on each. ``get`` is a getter or a Django test client (in Vietnamese)."""
    if not callable(get):
        get = client_getter(get)
    checks = [check] if callable(check) else list(check)
    seen, queue, problems, shapes = {start}, deque([start]), {}, Counter()
    while queue and len(seen) <= limit:
        url = queue.popleft()
        status, content_type, html = get(url)
        if status != 200 or "text/html" not in content_type:
            continue
        links: list[str] = []
        for one in checks:
            words, links = one(html)
            if words:
                problems.setdefault(url, []).extend(words)
        for href in links:
            nxt = _follow(href)
            if nxt and nxt not in seen and shapes[_shape(nxt)] < per_shape:
                shapes[_shape(nxt)] += 1
                seen.add(nxt)
                queue.append(nxt)
    return problems, seen


def report(problems: dict[str, list[str]], what: str) -> str:
    lines = "\n".join(f"{url}: {' | '.join(words[:6])}" for url, words in sorted(problems.items()))
    return f"{what} on {len(problems)} pages:\n{lines}"


def data_strings(limit: int = 50_000) -> list[str]:
    """What the database holds (names and data: units, people, agencies, indicator names, alert
    messages, procedure steps …), up to ``limit`` rows per model. A model with an English name beside
    its Vietnamese one (``name_en``) shows the English one on English pages, so its Vietnamese name
    is not data there."""
    from django.apps import apps
    from django.db import models

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    out: set[str] = set()
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and f"{f.name}_en" not in names and not f.choices
        ]  # fmt: skip
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields)[:limit]:
            for value in row:
                for s in strings(value):
                    out.update(line for line in s.splitlines() if line.strip())
    return sorted(out)


def session_getter(base: str, username: str, password: str, lang: str = "vi") -> Getter:
    """A signed-in session on a running server (the demo's) as a getter, in ``lang``."""
    import requests

    s = requests.Session()
    s.get(f"{base}/accounts/login/", timeout=30)
    s.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": s.cookies.get("csrftoken")},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    s.cookies.set("django_language", lang)

    def get(url: str) -> tuple[int, str, str]:
        r = s.get(base + url, timeout=300, allow_redirects=True)  # a loaded machine is slow
        return r.status_code, r.headers.get("Content-Type", ""), r.text

    return get


if __name__ == "__main__":  # the data words of a database (the demo's): python -m toancanh.tests.crawl
    import json
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toancanh.settings")
    import django

    django.setup()
    print(json.dumps(data_strings(), ensure_ascii=False))
