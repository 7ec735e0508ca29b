"""Property-based probing of the whole API from its OpenAPI document (schemathesis, MIT): every
operation gets generated requests, valid and invalid, as a provincial administrator's API key and
anonymously; none may answer with a 5xx. Bounded: a few examples per operation and a hard time
budget, so it runs in every CI run (``-m fuzz`` runs it alone)."""

from __future__ import annotations

import time

import pytest

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=False)]

EXAMPLES_PER_OPERATION = 6
TIME_BUDGET_SECONDS = 60.0


def test_no_generated_request_gets_a_server_error(world):
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    from toancanh.accounts.services import create_api_key
    from toancanh.core.scoping import Scope
    from toancanh.indicators.tests.factories import indicator

    indicator("REV")
    _key, plain = create_api_key(by=None, scope=Scope(everywhere=True), name="fuzz", role="admin", unit="vn34-p48")
    # As Django's test client does: the test's connection (and transaction) outlives each request,
    # from the first one (the OpenAPI document's) on; else PostgreSQL's is closed under the test.
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        app = get_wsgi_application()
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
        operations = [op.ok() for op in schema.get_all_operations()]
        assert len(operations) >= 50
        failures: list[str] = []
        tried: list[int] = []
        deadline = time.monotonic() + TIME_BUDGET_SECONDS
        per_operation = TIME_BUDGET_SECONDS / len(operations)
        for operation in operations:
            if time.monotonic() > deadline:
                break
            _probe(operation, plain, time.monotonic() + per_operation * 2, failures, tried)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert len(tried) >= len(operations), f"only {len(tried)} requests within the budget"
    assert failures == [], "\n".join(failures[:30])


def _probe(operation, key: str, stop_at: float, failures: list[str], tried: list[int]):
    from hypothesis import HealthCheck, Phase, given, settings

    @settings(
        max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(case=operation.as_strategy())
    def probe(case):
        if time.monotonic() > stop_at:
            return
        tried.append(1)
        for headers in ({"Authorization": f"Bearer {key}"}, {}):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(
                    f"{operation.method.upper()} {operation.path}: {response.status_code} for "
                    f"{case.path_parameters} {case.query} {str(case.body)[:200]}"
                )

    return probe
