"""Vietnamese throughout: every staff page a role can reach (lists, details, forms, error pages), walked
as each role with the interface in Vietnamese, shows no English interface text. Names, codes, numbers,
addresses and texts marked as English (``lang="en"``, such as a warning's English version) are data,
not interface, and are left out."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.utils import timezone

from toancanh.core.scoping import Scope
from toancanh.tests.cast import HIEP_DUC, TAM_KY

pytestmark = pytest.mark.django_db

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
SKIPPED_TAGS = {"script", "style", "code", "pre", "kbd", "samp", "textarea", "svg", "noscript"}
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
WORD = re.compile(r"^[A-Za-z]+$")


class _VisibleText(HTMLParser):
    """The text a person reads, with the tags, code, scripts and texts in another language left out."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text skipped?
        self.parts: list[str] = []
        self.links: list[str] = []

    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = self._skipped() or tag in SKIPPED_TAGS or (a.get("lang") or "vi")[:2] != "vi"
        skip = skip or "data-value" in a  # an element that shows a value entered by someone
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
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


def english_words(html: str) -> tuple[list[str], list[str]]:
    """The English interface words of a page (with a little context each) and the page's links."""
    parser = _VisibleText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        tokens = part.split()
        for i, token in enumerate(tokens):
            word = token.strip(".,:;!?()[]{}«»\"'‹›…·*—–")
            # Codes, addresses, numbers and identifiers (level_m, so-y-te, a@b.vn, 2026Q3) are data.
            if not WORD.match(word) or word in ALLOWED or word.lower() not in ENGLISH:
                continue
            found.append(" ".join(tokens[max(0, i - 3) : i + 4]))
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


def walk(client, start: str = "/", limit: int = 300, per_shape: int = 2) -> tuple[dict[str, list[str]], set[str]]:
    """Every kind of page reachable from ``start`` by links (two of each kind); the English words on each."""
    seen, queue, problems, shapes = {start}, deque([start]), {}, Counter()
    while queue and len(seen) <= limit:
        url = queue.popleft()
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        words, links = english_words(response.content.decode())
        if words:
            problems[url] = words
        for href in links:
            nxt = _follow(href)
            if nxt and nxt not in seen and shapes[_shape(nxt)] < per_shape:
                shapes[_shape(nxt)] += 1
                seen.add(nxt)
                queue.append(nxt)
    return problems, seen


@pytest.fixture
def busy_world(world):
    """The shared cast with work in hand: rules, live alerts, an open situation, a draft warning,
    channels, and a notification."""
    from toancanh.operations import demo, engine, services
    from toancanh.operations.models import InAppNotification

    engine.reset()
    demo.build("vn34-p48")
    now = timezone.now()
    rows = [
        {"source": "t", "source_id": f"e{i}", "sector": "environment", "type": kind, "subject": subject,
         "unit": unit, "occurred_at": (now - dt.timedelta(minutes=5 - i)).isoformat(), "payload": payload}
        for i, (subject, unit, kind, payload) in enumerate([
            ("Trạm Hiệp Đức", HIEP_DUC, "air", {"pm25": 90}),
            ("Trạm Tam Kỳ", TAM_KY, "water_level", {"level_m": 4.8}),
        ])
    ]  # fmt: skip
    services.ingest_events(rows, by=None, scope=Scope(everywhere=True))
    InAppNotification.objects.create(user=world.users["operator"], title="Cảnh báo mới tại Hiệp Đức", link="/alerts/")
    yield world
    engine.reset()


ROLES = ["admin", "operator", "leader", "officer", "clerk_hiep_duc"]


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_in_vietnamese(busy_world, role):
    problems, seen = walk(busy_world.client(role))
    assert len(seen) > 15  # the walk reached the role's consoles
    report = "\n".join(f"{url}: {' | '.join(words[:6])}" for url, words in sorted(problems.items()))
    assert not problems, f"English interface text on {len(problems)} pages:\n{report}"


def test_error_pages_are_in_vietnamese_inside_the_frame_with_a_way_back(busy_world):
    client = busy_world.client("operator")
    for url, status in [("/alerts/999999/", 404), ("/users/", 403)]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
        html = response.content.decode()
        assert response.status_code == status
        assert 'class="sidenav"' in html and 'data-testid="error-page"' in html and 'href="/"' in html
        assert english_words(html)[0] == []


def test_the_check_finds_english_and_leaves_vietnamese_names_and_codes_alone():
    words, _ = english_words(
        "<p>Lưu thay đổi · Đơn vị · <code>level_m = 3.8</code> so-y-te an toàn, to lớn, no đủ, do đó, in ấn</p>"
        '<p lang="en">Heavy rain and flooding</p><button title="Save">Lưu</button><p>No results found</p>'
    )
    assert len(words) == 3  # "Save", "results", "found"; nothing from the Vietnamese, the code or the English text
    assert not any("Heavy" in w or "toàn" in w for w in words)
