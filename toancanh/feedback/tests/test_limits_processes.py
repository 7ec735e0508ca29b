"""The citizens' rate limits hold across processes: two servers on one database (a temporary SQLite
file, or a fresh PostgreSQL database when the suite runs on PostgreSQL) take a flood of submissions
and of sign-in codes for one phone at the same moment, and together let through no more than the limit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack

import pytest

from toancanh.feedback.tests.conftest import HAI_CHAU
from toancanh.tests.browser import _database_url, running_server

SETUP = "import django, os, json, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup();"
LIMIT = 3


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fblimits")
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp), DATABASE_URL=_database_url(tmp, "fblimits"))
    for command in (["migrate"], ["units", "load", "--province", "48", "--edition", "current"]):  # Đà Nẵng
        subprocess.run([sys.executable, "-m", "toancanh.cli", *command], env=env, check=True, capture_output=True,
                       timeout=300)  # fmt: skip
    _py(env, f"from toancanh.feedback.models import HandlingSettings; "
             f"HandlingSettings.objects.update(max_reports_per_hour={LIMIT})")  # fmt: skip
    with ExitStack() as stack:
        bases = [stack.enter_context(running_server(env, "--workers", "1")) for _ in range(2)]
        yield env, bases


def _py(env: dict, code: str) -> str:
    done = subprocess.run([sys.executable, "-c", SETUP + code], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout.decode()


def _csrf(base: str) -> str:
    with urllib.request.urlopen(f"{base}/phan-anh/dang-nhap/", timeout=30) as r:  # noqa: S310 - our own server
        cookie = r.headers.get("Set-Cookie", "")
    return re.search(r"csrftoken=([^;]+)", cookie).group(1)


def _post(base: str, path: str, token: str, data: dict) -> int:
    req = urllib.request.Request(  # noqa: S310 - our own server
        f"{base}{path}", data=urllib.parse.urlencode(data).encode(), method="POST",
        headers={"Cookie": f"csrftoken={token}", "X-CSRFToken": token, "Referer": f"{base}/phan-anh/"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310
            return r.status
    except urllib.error.HTTPError as exc:
        if exc.code not in (403, 429):
            print(exc.code, exc.read()[:300].decode(errors="replace"))  # the reason, shown when the test fails
        return exc.code


def _all_at_once(bases: list[str], path: str, n: int, data: dict) -> list[int]:
    tokens = {b: _csrf(b) for b in bases}
    start, answers = threading.Barrier(n), [0] * n

    def one(i: int) -> None:
        base = bases[i % len(bases)]
        start.wait()
        mine = {k: v[i] if isinstance(v, list) else v for k, v in data.items()}
        answers[i] = _post(base, path, tokens[base], {**mine, "device": f"dev-{i}"})

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return answers


def test_a_flood_from_one_phone_through_two_servers_lets_through_only_the_hourly_limit(servers):
    env, bases = servers
    answers = _all_at_once(bases, "/phan-anh/gui/", 12, {
        "category": "urban_order.sidewalk", "lat": HAI_CHAU[0], "lon": HAI_CHAU[1], "phone": "0905777888",
        "description": "Quán nước lấn chiếm toàn bộ vỉa hè đường Trần Phú, người đi bộ phải đi xuống lòng đường.",
    })  # fmt: skip
    assert sorted(answers) == [201] * LIMIT + [429] * (12 - LIMIT), answers
    stored = json.loads(_py(env, "from toancanh.feedback.models import Report; "
                                 "print(Report.objects.filter(reporter_phone='0905777888').count())"))  # fmt: skip
    assert stored == LIMIT


def test_sign_in_codes_asked_at_once_through_two_servers_are_rationed_to_three_an_hour(servers):
    env, bases = servers
    answers = _all_at_once(bases, "/phan-anh/dang-nhap/", 10, {"phone": "0905666555"})
    assert answers == [200] * 10  # the page answers each (with the throttling message for most)
    sent = json.loads(_py(env, "from toancanh.feedback.models import PhoneCode; "
                               "print(PhoneCode.objects.filter(phone='0905666555').count())"))  # fmt: skip
    assert sent == 3


def test_wrong_codes_guessed_at_once_through_two_servers_use_up_exactly_the_five_tries(servers):
    env, bases = servers
    _py(env, "import hashlib, datetime as dt; from django.utils import timezone; "
             "from toancanh.feedback.models import PhoneCode; now = timezone.now(); "
             "PhoneCode.objects.create(phone='0905444333', code_hash=hashlib.sha256(b'0905444333:123456').hexdigest(), "
             "created_at=now, expires_at=now + dt.timedelta(minutes=10))")  # fmt: skip
    wrong = [f"{n:06d}" for n in range(200000, 200010)]
    answers = _all_at_once(bases, "/phan-anh/dang-nhap/", 10, {"phone": "0905444333", "code": wrong})
    assert answers == [200] * 10  # each told the code is not right (or has run out)
    tries = json.loads(_py(env, "from toancanh.feedback.models import PhoneCode; "
                                "print(PhoneCode.objects.get(phone='0905444333').attempts)"))  # fmt: skip
    assert tries == 5
    right = _post(bases[0], "/phan-anh/dang-nhap/", _csrf(bases[0]), {"phone": "0905444333", "code": "123456"})
    assert right == 200  # not signed in (302): the tries are used up


def _open311(base: str, data: dict) -> tuple[int, object]:
    req = urllib.request.Request(f"{base}/open311/v2/requests.json", data=urllib.parse.urlencode(data).encode(),
                                 method="POST")  # noqa: S310 - our own server  # fmt: skip
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_open311_posts_for_one_phone_through_two_servers_let_through_only_the_hourly_limit(servers):
    env, bases = servers
    key = _py(env, "from toancanh.accounts.tests.factories import api_key; "
                   "print(api_key('open311-flood', 'operator', 'vn34-p48')[1])").strip()  # fmt: skip
    n, start, answers = 12, threading.Barrier(12), [None] * 12

    def one(i: int) -> None:
        start.wait()
        answers[i] = _open311(bases[i % 2], {
            "api_key": key, "service_code": "environment.waste", "lat": HAI_CHAU[0], "long": HAI_CHAU[1],
            "phone": "0905 121 212" if i % 2 else "+84905121212", "device_id": f"bot-{i}",
            "description": "Rác thải tồn đọng nhiều ngày ở đầu kiệt 45 đường Hoàng Diệu, bốc mùi hôi thối.",
        })  # fmt: skip

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(status for status, _ in answers) == [201] * LIMIT + [429] * (n - LIMIT), answers
    for status, body in answers:  # GeoReport v2's error format: [{code, description}]
        if status == 429:
            assert body[0]["code"] == 429 and "giờ" in body[0]["description"]
    stored = json.loads(
        _py(
            env,
            "from toancanh.feedback.models import Report; "
            "print(Report.objects.filter(reporter_phone='0905121212', channel='open311').count())",
        )
    )
    assert stored == LIMIT
