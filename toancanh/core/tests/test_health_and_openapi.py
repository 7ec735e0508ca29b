"""Health, the OpenAPI document, its committed snapshot, and Vietnamese formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from openapi_spec_validator import validate

SNAPSHOT = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
pytestmark = pytest.mark.django_db


def test_health_reports_version_database_and_migrations(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["migrations"] == {"pending": [], "ok": True}
    assert body["version"]


def test_the_openapi_document_is_valid_openapi_3(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    validate(spec)


def test_the_api_matches_its_committed_snapshot(client):
    """API changes are deliberate: regenerate docs/openapi.json with `python -m toancanh.openapi`."""
    spec = client.get("/api/v1/openapi.json").json()
    # The pack that lives only in the test suite is no part of the documented API.
    spec["paths"] = {p: ops for p, ops in spec["paths"].items() if not p.startswith("/api/v1/harbour/")}
    assert spec == json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def test_the_docs_page_loads_nothing_from_another_site(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()


def test_dates_and_numbers_are_shown_the_vietnamese_way():
    import datetime as dt

    with translation.override("vi"):
        out = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ n|floatformat:"2g" }}').render(
            Context({"d": dt.date(2025, 7, 1), "n": 1234567.891})
        )
    assert out == "01/07/2025 1.234.567,89"
