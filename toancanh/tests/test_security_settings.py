"""What an HTTPS deployment needs: secure cookies, HSTS and a trusted proxy only when configured;
login throttling per account and per client address that a forged X-Forwarded-For cannot fool;
a Permissions-Policy; no server banner; the data directory readable by the service user only."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
from django.test import RequestFactory, override_settings

from toancanh.accounts.tests.factories import PASSWORD, StaffFactory
from toancanh.core.clientip import client_ip


def _settings_with(env: dict[str, str], tmp_path) -> dict:
    code = (
        "import json, toancanh.settings as s; print(json.dumps({k: getattr(s, k, None) for k in "
        "['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
        "'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_AGE', 'TOANCANH_TRUSTED_PROXIES']}))"
    )
    full = {k: v for k, v in os.environ.items() if not k.startswith("TOANCANH_")}
    full |= {"TOANCANH_DATA_DIR": str(tmp_path / "data"), "TOANCANH_SECRET_KEY": "x" * 50} | env
    out = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_https_settings_are_off_by_default_and_on_when_asked(tmp_path):
    plain = _settings_with({}, tmp_path)
    assert not plain["SESSION_COOKIE_SECURE"] and plain["SECURE_HSTS_SECONDS"] == 0
    assert plain["SECURE_PROXY_SSL_HEADER"] is None and plain["SESSION_COOKIE_AGE"] == 12 * 3600
    https = _settings_with(
        {"TOANCANH_HTTPS": "1", "TOANCANH_TRUSTED_PROXIES": "1", "TOANCANH_SESSION_HOURS": "8"}, tmp_path
    )
    assert https["SESSION_COOKIE_SECURE"] and https["CSRF_COOKIE_SECURE"] and https["SECURE_SSL_REDIRECT"]
    assert https["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert https["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert https["SESSION_COOKIE_AGE"] == 8 * 3600


def test_the_data_directory_is_the_service_users_alone(tmp_path):
    _settings_with({}, tmp_path)
    mode = stat.S_IMODE((tmp_path / "data").stat().st_mode)
    assert mode & 0o077 == 0, oct(mode)
    from django.conf import settings

    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600


def test_a_forged_forwarded_for_header_does_not_change_the_client_address():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"
    with override_settings(TOANCANH_TRUSTED_PROXIES=1):
        # Our proxy appended the address it saw; what the client wrote before it is not believed.
        behind = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
        assert client_ip(behind) == "198.51.100.7"
        junk = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-address")
        assert client_ip(junk) == "10.0.0.2"


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_guessing_one_accounts_password_from_many_forged_addresses_still_locks_it(client):
    StaffFactory(username="lanhdao", role="leader")
    for n in range(3):
        client.post("/accounts/login/", {"username": "lanhdao", "password": "nope"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}",
                    REMOTE_ADDR=f"198.51.100.{n}")  # fmt: skip
    response = client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD}, REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 429


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_guessing_many_accounts_from_one_address_locks_the_address_whatever_it_claims(client):
    StaffFactory(username="someone", role="leader")
    for n in range(3):
        client.post("/accounts/login/", {"username": f"user{n}", "password": "nope"}, HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    response = client.post("/accounts/login/", {"username": "someone", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.django_db
def test_answers_carry_a_permissions_policy(client):
    for path in ("/api/v1/health", "/accounts/login/"):
        policy = client.get(path).headers.get("Permissions-Policy", "")
        assert "camera=()" in policy and "microphone=()" in policy


def test_the_server_sends_no_banner(monkeypatch):
    import uvicorn

    from toancanh import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setattr("toancanh.core.health.health", lambda: {"migrations": {"ok": True}})
    args = type("Args", (), {"host": "127.0.0.1", "port": 8000, "workers": 2})()
    cli.cmd_serve(args)
    assert seen["server_header"] is False
