"""Roll-ups and anomaly checks run in the job runner: filing figures marks what they touched and
queues one job; the runner brings the province total up to date and stores the unusual figures."""

from __future__ import annotations

import pytest

from toancanh.core import jobs
from toancanh.core.models import Job, JobStatus
from toancanh.core.scoping import Scope
from toancanh.indicators import refresh, services
from toancanh.indicators.models import AnomalyFlag, DirtySeries, DirtySlice, Indicator
from toancanh.indicators.services import ValueRow
from toancanh.indicators.tests.factories import indicator
from toancanh.indicators.tests.test_rollup import HIEP_DUC, PROVINCE, TAM_KY, figure

pytestmark = pytest.mark.django_db
EVERYWHERE = Scope(everywhere=True)


def _file(*rows):
    return services.record_values([ValueRow(*r, row=n) for n, r in enumerate(rows, 1)], by=None, scope=EVERYWHERE)


def test_an_import_marks_slices_dirty_and_the_runner_brings_the_province_total_up_to_date():
    indicator("REV")
    report = _file(("REV", HIEP_DUC, "2026-01", 10), ("REV", TAM_KY, "2026-01", 30), ("REV", TAM_KY, "2025-12", 5))
    rev = Indicator.objects.get(code="REV")
    assert sorted(DirtySlice.objects.values_list("indicator_id", "year")) == [(rev.pk, 2025), (rev.pk, 2026)]
    assert DirtySeries.objects.count() == 2
    assert figure("REV", PROVINCE, "2026-01") is None  # not rolled up inside the request
    assert (report.job, report.queued_slices, report.queued_series) == (Job.objects.get().pk, 2, 2)
    assert jobs.run_pending() == 1
    assert figure("REV", PROVINCE, "2026-01") == 40
    assert figure("REV", PROVINCE, "2025-12") == 5
    assert not DirtySlice.objects.exists() and not DirtySeries.objects.exists()
    assert Job.objects.get().status == JobStatus.DONE


def test_many_imports_before_the_runner_comes_coalesce_into_one_recompute():
    indicator("REV")
    for n in range(5):
        _file(("REV", HIEP_DUC, f"2026-0{n + 1}", n))
    assert Job.objects.filter(name="indicators.recompute", status=JobStatus.WAITING).count() == 1
    assert DirtySlice.objects.get().version == 5
    assert jobs.run_pending() == 1
    assert figure("REV", PROVINCE, "2026-05") == 4


def test_a_slice_marked_again_while_the_runner_rebuilds_it_stays_marked_for_the_next_run(monkeypatch):
    from toancanh.indicators import rollup

    indicator("REV")
    _file(("REV", HIEP_DUC, "2026-01", 10))
    real = rollup.recompute

    def meanwhile(slices):  # a clerk files a correction while the worker rebuilds the slice
        stats = real(slices)
        _file(("REV", HIEP_DUC, "2026-01", 12))
        return stats

    monkeypatch.setattr(rollup, "recompute", meanwhile)
    jobs.run_pending(limit=1)
    assert DirtySlice.objects.get().claimed_by == ""  # left for the next run, and that run is queued
    assert Job.objects.filter(name="indicators.recompute", status=JobStatus.WAITING).exists()
    monkeypatch.setattr(rollup, "recompute", real)
    jobs.run_pending()
    assert figure("REV", PROVINCE, "2026-01") == 12
    assert not DirtySlice.objects.exists()


def test_a_slice_claimed_by_another_worker_is_not_rebuilt_twice(monkeypatch):
    from toancanh.indicators import rollup

    indicator("REV")
    _file(("REV", HIEP_DUC, "2026-01", 10))
    DirtySlice.objects.update(claimed_by="other:1")
    from django.utils import timezone

    DirtySlice.objects.update(claimed_at=timezone.now())
    rebuilt = []
    monkeypatch.setattr(rollup, "recompute", lambda slices: rebuilt.append(slices))
    assert refresh.recompute_dirty()["slices"] == 0
    assert rebuilt == []


def test_the_runner_stores_unusual_figures_where_the_api_lists_them(world):
    indicator("REV")
    from toancanh.indicators.tests.test_forecast import _seasonal_history

    history = _seasonal_history(spike=(2024, 5))  # one month far outside the series' own pattern
    _file(*[("REV", HIEP_DUC, p, round(v, 2)) for p, v in history], *[("REV", TAM_KY, p, round(v, 2))
                                                                        for p, v in _seasonal_history()])  # fmt: skip
    assert not AnomalyFlag.objects.exists()
    jobs.run_pending()
    assert list(AnomalyFlag.objects.values_list("unit__key", "period")) == [(HIEP_DUC, "2024-05")]
    body = world.client("admin").get("/api/v1/indicators/anomalies?unit=vn34-p48").json()
    assert [(a["indicator"], a["unit"], a["period"]) for a in body["items"]] == [("REV", HIEP_DUC, "2024-05")]
    assert world.client("operator_tam_ky").get("/api/v1/indicators/anomalies").json()["items"] == []  # out of scope


def test_filing_through_the_api_says_the_roll_ups_and_checks_are_queued(world):
    indicator("REV")
    body = world.client("admin").post(
        "/api/v1/indicators/values", {"values": [{"indicator": "REV", "unit": HIEP_DUC, "period": "2026-01",
                                                  "value": 3}]}, content_type="application/json",
    ).json()  # fmt: skip
    assert body["recompute"]["status"] == "queued" and body["recompute"]["slices"] == 1
    assert body["recompute"]["job"] == Job.objects.get(name="indicators.recompute").pk
    assert "/api/v1/indicators/anomalies" in body["recompute"]["note"]
