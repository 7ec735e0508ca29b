"""The one access-matrix helper every context uses.

A :class:`Case` is one request (method, path, body) and the exact status each principal must
get. :func:`check` runs every case as every principal and returns the mismatches, so a test
can assert there are none and show them all when there are.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

PRINCIPALS = [
    "anonymous",
    "citizen",
    "leader",
    "operator",
    "officer",
    "clerk_hiep_duc",
    "admin",
    "admin_hiep_duc",
    "admin_health",
    "key_tam_ky",
]


@dataclass
class Case:
    method: str
    template: str  # the OpenAPI path template this case exercises
    path: str | Callable[[Any], str]
    expect: dict[str, int]
    body: dict[str, Any] | Callable[[str], dict[str, Any]] | None = None
    default: int | None = None
    multipart: bool = False  # send the body as a form with files
    name: str = field(default="")

    def status_for(self, who: str) -> int:
        if who in self.expect:
            return self.expect[who]
        if self.default is None:
            raise KeyError(f"{self.method} {self.template}: no expectation for {who}")
        return self.default


def only(allowed: dict[str, int], *, others: int = 403, anonymous: int = 401) -> dict[str, int]:
    """Expectations where the named principals get their status, anonymous 401 and the rest 403."""
    out = {who: others for who in PRINCIPALS}
    out["anonymous"] = anonymous
    out.update(allowed)
    return out


def everyone(status: int = 200) -> dict[str, int]:
    return dict.fromkeys(PRINCIPALS, status)


def check(cast, cases: list[Case], prefix: str = "/api/v1") -> list[str]:
    mismatches = []
    for case in cases:
        for who in PRINCIPALS:
            path = case.path(cast) if callable(case.path) else case.path
            body = case.body(who) if callable(case.body) else case.body
            client = cast.client(who)
            if body is None:
                kwargs = {}
            elif case.multipart:
                kwargs = {"data": body}
            else:
                kwargs = {"content_type": "application/json", "data": json.dumps(body)}
            response = getattr(client, case.method.lower())(prefix + path, **kwargs)
            expected = case.status_for(who)
            if response.status_code != expected:
                mismatches.append(
                    f"{case.method} {path} as {who}: expected {expected}, got {response.status_code} "
                    f"{response.content[:160]!r}"
                )
    return mismatches


@dataclass
class ListCase:
    """A list endpoint and exactly which objects (named by ``key``) each principal sees.

    An expectation is a set of keys (or a function of the cast giving one); ``None`` means the
    list itself is out of scope (404). Principals not named get 401 (anonymous) or 403."""

    path: str
    key: str
    expect: dict[str, Any]
    paged: bool = True

    def expected_for(self, cast, who: str) -> tuple[int, list[str] | None]:
        if who not in self.expect:
            return (401 if who == "anonymous" else 403), None
        value = self.expect[who]
        if value is None:
            return 404, None
        value = value(cast) if callable(value) else value
        return 200, sorted(value)


def check_contents(cast, cases: list[ListCase], prefix: str = "/api/v1") -> list[str]:
    """Every list as every principal: the exact objects, each once (a repeated object is a mismatch)."""
    mismatches = []
    for case in cases:
        for who in PRINCIPALS:
            status, expected = case.expected_for(cast, who)
            sep = "&" if "?" in case.path else "?"
            url = f"{prefix}{case.path}{sep}limit=1000" if case.paged else prefix + case.path
            response = cast.client(who).get(url)
            if response.status_code != status:
                mismatches.append(f"GET {case.path} as {who}: expected {status}, got {response.status_code}")
                continue
            if expected is None:
                continue
            data = response.json()
            items = data["items"] if case.paged else data
            got = sorted(str(item[case.key]) for item in items)
            if got != expected:
                mismatches.append(f"GET {case.path} as {who}: expected {expected}, got {got}")
            if case.paged and data["count"] != len(items):
                mismatches.append(f"GET {case.path} as {who}: count {data['count']} for {len(items)} items")
    return mismatches
