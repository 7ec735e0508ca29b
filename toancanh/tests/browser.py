"""A real demo server for the browser tests: `toancanh demo --no-serve`, then `toancanh serve`,
on a database of their own (a temporary SQLite file, or a fresh PostgreSQL database when the
suite runs on PostgreSQL)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import dj_database_url
import pytest

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # MapLibre draws with WebGL: a software renderer stands in for the missing GPU.
    "--use-gl=angle",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp: Path, purpose: str = "browser") -> str:
    """A database of its own for a server or worker started by a test: SQLite beside the test's
    files, or a fresh PostgreSQL database named after the suite's when it runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{tmp / (purpose + '.sqlite3')}"
    import psycopg

    cfg = dj_database_url.parse(url)
    # Each pytest-xdist worker (gw0, gw1 …) has databases of its own.
    name = f"{cfg['NAME']}_{purpose}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    with psycopg.connect(
        host=cfg["HOST"],
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


CLI = [sys.executable, "-m", "toancanh.cli"]


@pytest.fixture(scope="session")
def demo_env(tmp_path_factory) -> dict[str, str]:
    """The environment of a demo database built once per session (SQLite file or PostgreSQL)."""
    tmp = tmp_path_factory.mktemp("demo")
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp), DATABASE_URL=_database_url(tmp))
    done = subprocess.run([*CLI, "demo", "--no-serve"], env=env, capture_output=True, timeout=900)
    if done.returncode:
        pytest.fail(f"toancanh demo failed ({done.returncode}): {(done.stdout + done.stderr).decode()[-3000:]}")
    return env


@contextlib.contextmanager
def running_server(env: dict[str, str], *args: str):
    """``toancanh serve`` on a free port until the block ends; yields its base URL."""
    port = _free_port()
    server = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2) as r:  # noqa: S310 - our own server
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"the demo server did not start: {server.stdout.read(4000) if server.stdout else ''}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def demo_server(demo_env):
    with running_server(demo_env) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh --test installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextlib.contextmanager
def open_page(browser, base: str, **context_options):
    """A page of a fresh browser context on ``base`` that notes console errors, page errors and any
    request that leaves the server (nothing may come from the internet)."""
    options = {"viewport": {"width": 1440, "height": 900}, "locale": "vi-VN"} | context_options
    context = browser.new_context(base_url=base, **options)
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(f"console: {m.text}"))
    pg.on("pageerror", lambda e: pg.problems.append(f"page error: {e}"))
    pg.on(
        "request",
        lambda r: r.url.startswith((base, "data:", "blob:")) or pg.problems.append(f"outside request: {r.url}"),
    )
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser, demo_server):
    with open_page(browser, demo_server) as pg:
        yield pg


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


@contextlib.contextmanager
def htmx_settled(page):
    """Wait, after what the block does, until htmx has swapped its answer in and settled. The
    response arriving is not enough: the page is read before the swap on a loaded machine."""
    page.evaluate(
        "() => { window.__tcSettled = new Promise((done) =>"
        " document.body.addEventListener('htmx:afterSettle', done, {once: true})); }"
    )
    yield
    page.evaluate("() => window.__tcSettled.then(() => true)")


def number(page, selector: str) -> int:
    """A whole number as the page prints it in Vietnamese (``1.320``: dots group the thousands)."""
    return int(page.inner_text(selector).strip().replace(".", "").replace("\u202f", "").replace(" ", ""))


def pick(page, field: str, typed: str, *, value: str | None = None, label: str | None = None) -> None:
    """Pick in a picker as a person does: it opens on focus, the name is typed without accents, then
    the result (by ``value`` or the start of its ``label``) is clicked. htmx binds the picker once the
    page has loaded, and each answer is awaited: a search that replaces one still running aborts it,
    which htmx reports on the console as an error (and the browser tests count console errors)."""
    page.wait_for_load_state("load")
    if page.evaluate("(id) => document.activeElement?.id !== id", f"id_{field}"):
        with page.expect_response(lambda r: "/pick/" in r.url):
            page.focus(f"#id_{field}")
    with page.expect_response(lambda r: "/pick/" in r.url and f"__q={typed.split()[0]}" in r.url):
        page.fill(f"#id_{field}", typed)
    results = f"[data-picker][data-name={field}] .picker-results"
    chosen = f"[data-pick-value='{value}']" if value is not None else f"[data-pick-label^='{label}']"
    page.locator(f"{results} {chosen}").click()
