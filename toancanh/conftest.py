"""Shared test set-up: the official unit tree is loaded once per test session, into the test
database (SQLite or PostgreSQL, whichever DATABASE_URL names), and each test runs in a
transaction that is rolled back."""

from __future__ import annotations

import pytest

from toancanh.units import official


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from toancanh.units import services

    with django_db_blocker.unblock():
        services.upsert_units(official.current_units() + official.former_units(), by=None, source=official.SOURCE)
        services.replace_successions(official.successions(), by=None, source=official.SUCCESSION_SOURCE)


@pytest.fixture
def world(db):
    """Agencies and principals of every role around Đà Nẵng: the shared cast of the access tests."""
    from toancanh.tests.cast import build_cast

    return build_cast()


# The browser tests' demo server, browser and page (shared by every context's browser tests).
from toancanh.tests.browser import browser, demo_env, demo_server, page  # noqa: E402, F401


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Passwords in the test process are hashed with a fast hasher: the shared cast alone has nine
    accounts, and the deployment's PBKDF2 costs most of a second each (servers the tests start keep it)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _live_bus_in_this_process():
    """In the test process the live bus delivers at once, in the process (the servers and workers
    the tests start use the deployment's transports, across processes)."""
    from toancanh.core import bus

    bus._transport = bus.LocalTransport()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back tests reuse primary keys and versions, so
    a key cached by one test could otherwise answer for another."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (``--dist loadgroup``) the tests that share the session's demo server run
    on one worker, so the demo database is built once, not once per worker."""
    for item in items:
        if "demo_env" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request made in English (Accept-Language: en)
    leaves English active in the thread after Django answers it, and would leak into the next test."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_working_day_calendar():
    """A test's edits of the working-day calendar are rolled back with it: the next test must not
    count deadlines on the years this process cached meanwhile (core.workdays)."""
    yield
    from toancanh.core import workdays

    workdays.invalidate()
