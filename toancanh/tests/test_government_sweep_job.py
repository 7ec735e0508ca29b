"""The government pack's sweep of overdue dossiers and tasks is a periodic job of the core runner
(it needs the runner, the pack and the operations' events at once, hence here)."""

import datetime as dt

import pytest
from django.utils import timezone

from toancanh.core import jobs
from toancanh.core.models import Job, JobStatus
from toancanh.operations.models import Event
from toancanh.packs.government import services, tasks
from toancanh.packs.government.tests.helpers import dossier, setup_world

pytestmark = pytest.mark.django_db
NAME = "government.sweep"


def test_the_sweep_is_an_hourly_job_of_the_runner():
    task = jobs.tasks()[NAME]
    assert task.every == 3600


def test_the_runner_sweeps_overdue_items_into_events_once_a_day():
    setup_world()
    services.store_dossiers([dossier("LATE-1", TrangThaiHoSo=4, NgayKetThucXuLy=None)], source="test")
    tasks.save_tasks([{"code": "NV-LATE", "title": "Rà soát thủ tục", "lead": "gov-test-a",
                       "assigned_on": "2026-01-05", "deadline": "2026-01-20"}], by=None)  # fmt: skip
    now = timezone.now()
    assert jobs.ensure_periodic(now, names=[NAME]) == 1
    assert jobs.run_pending(now) == 1

    first = Job.objects.get(name=NAME, status=JobStatus.DONE)
    assert first.result["events"] >= 2
    swept = Event.objects.filter(source="government")
    assert {"gov_dossier_overdue", "gov_task_overdue"} <= set(swept.values_list("type", flat=True))
    count = swept.count()

    # the next run is queued an hour later; run it the same day: no duplicate event
    following = Job.objects.get(name=NAME, status=JobStatus.WAITING)
    assert following.run_at == first.run_at + dt.timedelta(hours=1)
    assert jobs.run_pending(following.run_at) == 1
    assert Job.objects.filter(name=NAME, status=JobStatus.DONE).count() == 2
    assert Event.objects.filter(source="government").count() == count
