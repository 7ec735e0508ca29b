"""The job runner in one process: retries with back-off, dead jobs, coalescing, periodic runs,
claims taken over, what the health check says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from toancanh.core import jobs
from toancanh.core.models import Job, JobStatus, Worker
from toancanh.core.tests import jobtasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _calls():
    jobtasks.CALLS.clear()


def test_a_failing_job_is_retried_with_growing_back_off_then_given_up_with_its_last_error():
    t0 = timezone.now()
    job = jobs.enqueue("tests.fail", {"reason": "the gateway answered 503"}, run_at=t0)
    assert jobs.run_pending(t0) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.run_at == t0 + dt.timedelta(seconds=10)
    assert "RuntimeError: the gateway answered 503" in job.last_error
    assert jobs.run_pending(t0 + dt.timedelta(seconds=9)) == 0  # not due yet
    assert jobs.run_pending(t0 + dt.timedelta(seconds=10)) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.run_at) == (JobStatus.FAILED, 2, t0 + dt.timedelta(seconds=30))
    assert jobs.run_pending(t0 + dt.timedelta(seconds=30)) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DEAD, 3)
    assert job.finished_at is not None
    assert jobs.run_pending(t0 + dt.timedelta(days=1)) == 0
    assert len(jobtasks.CALLS) == 3


def test_queuing_with_the_same_key_while_one_waits_coalesces_into_that_one():
    first = jobs.enqueue("tests.record", {"n": 1}, dedupe="recompute")
    second = jobs.enqueue("tests.record", {"n": 2}, dedupe="recompute")
    assert second.pk == first.pk
    assert Job.objects.filter(dedupe="recompute", status=JobStatus.WAITING).count() == 1
    assert jobs.run_pending() == 1
    assert jobtasks.CALLS == [{"n": 1}]
    third = jobs.enqueue("tests.record", {"n": 3}, dedupe="recompute")  # the first has run: a new one waits
    assert third.pk != first.pk


def test_a_key_of_a_running_job_still_takes_a_new_waiting_job():
    first = jobs.enqueue("tests.record", {}, dedupe="k")
    claimed = jobs.claim("w1")
    assert claimed.pk == first.pk and claimed.status == JobStatus.RUNNING
    assert jobs.enqueue("tests.record", {}, dedupe="k").pk != first.pk


def test_a_periodic_task_has_one_waiting_run_and_queues_the_next_when_it_ends():
    t0 = timezone.now().replace(microsecond=0)
    assert jobs.ensure_periodic(t0, names=["tests.every"]) == 1
    assert jobs.ensure_periodic(t0, names=["tests.every"]) == 0
    assert jobs.run_pending(t0) == 1
    waiting = Job.objects.get(name="tests.every", status=JobStatus.WAITING)
    assert waiting.run_at == t0 + dt.timedelta(seconds=60)
    assert jobs.run_pending(t0 + dt.timedelta(seconds=59)) == 0
    assert jobs.run_pending(t0 + dt.timedelta(seconds=200)) == 1  # late: the next slot on the minute grid
    nxt = Job.objects.get(name="tests.every", status=JobStatus.WAITING)
    assert nxt.run_at == t0 + dt.timedelta(seconds=240)
    assert Job.objects.filter(name="tests.every", status=JobStatus.DONE).count() == 2
    assert jobtasks.CALLS == [{"task": "every"}, {"task": "every"}]


def test_a_claim_without_heartbeat_is_taken_over_and_the_late_outcome_is_ignored():
    t0 = timezone.now()
    job = jobs.enqueue("tests.record", {"n": 7}, run_at=t0)
    ghost = jobs.claim("ghost", now=t0)
    timeout = jobs.tasks()["tests.record"].claim_timeout
    assert jobs.take_over_stale(t0 + dt.timedelta(seconds=timeout - 1)) == 0
    assert jobs.take_over_stale(t0 + dt.timedelta(seconds=timeout + 1)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "worker ghost stopped answering" in job.last_error
    assert jobs.run_pending(t0 + dt.timedelta(seconds=timeout + 2)) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert jobs.execute(ghost, "ghost") == "taken-over"  # the dead process's late answer changes nothing
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.claimed_by.startswith("inline:")


def test_done_jobs_are_pruned_after_a_day_and_failures_are_kept():
    t0 = timezone.now()
    jobs.enqueue("tests.record", {}, run_at=t0)
    jobs.enqueue("tests.fail", {}, run_at=t0)
    jobs.run_pending(t0)
    assert jobs.prune(t0 + dt.timedelta(hours=23)) == 0
    assert jobs.prune(t0 + dt.timedelta(hours=25)) == 1
    assert list(Job.objects.values_list("name", flat=True)) == ["tests.fail"]


def test_queuing_an_unknown_task_is_refused():
    with pytest.raises(ValueError, match="no task is named 'tests.nope'"):
        jobs.enqueue("tests.nope")


def test_every_context_registers_its_tasks_at_start_up():
    names = set(jobs.tasks())
    assert {"operations.tick", "notifications.deliver_due", "indicators.recompute"} <= names
    assert jobs.tasks()["operations.tick"].every == 60


def test_health_shows_live_workers_with_their_heartbeat_and_the_oldest_waiting_job(client):
    now = timezone.now()
    Worker.objects.create(name="h:1:a", host="h", pid=1, started_at=now, beat_at=now - dt.timedelta(seconds=3))
    Worker.objects.create(name="h:2:b", host="h", pid=2, started_at=now, beat_at=now - dt.timedelta(hours=1))
    jobs.enqueue("tests.record", {}, run_at=now - dt.timedelta(seconds=90))
    jobs.enqueue("tests.record", {}, run_at=now + dt.timedelta(hours=1))  # not due: not "waiting too long"
    jobs.enqueue("tests.fail", {}, run_at=now - dt.timedelta(days=1))
    Job.objects.filter(name="tests.fail").update(status=JobStatus.DEAD)
    body = client.get("/api/v1/health").json()["jobs"]
    assert [w["name"] for w in body["workers"]] == ["h:1:a"]  # the silent one is not live
    assert 2 <= body["workers"][0]["beat_age_seconds"] < 30
    assert 90 <= body["oldest_waiting_seconds"] < 120
    assert body["counts"]["waiting"] == 2 and body["dead"] == 1
    assert body["ok"] is True


def test_the_jobs_page_shows_administrators_runs_failures_and_heartbeats_in_vietnamese(world):
    now = timezone.now()
    Worker.objects.create(name="may-chu:42:abc", host="may-chu", pid=42, started_at=now, beat_at=now)
    jobs.enqueue("tests.fail", {"reason": "cổng SMS trả lời 503"}, run_at=now)
    jobs.enqueue("tests.record", {}, run_at=now)
    jobs.run_pending(now)
    page = world.client("admin").get("/jobs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tác vụ nền" in html and "may-chu:42:abc" in html
    assert "RuntimeError: cổng SMS trả lời 503" in html and "Lỗi, sẽ thử lại" in html
    assert "Đã xong" in html
    assert world.client("leader").get("/jobs/").status_code == 403
    assert world.client("citizen").get("/jobs/").status_code == 403
