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
    from toancanh.core.tests.cast import build_cast

    return build_cast()


# The browser tests' demo server, browser and page (shared by every context's browser tests).
from toancanh.web.tests.browser import browser, demo_server, page  # noqa: E402, F401
