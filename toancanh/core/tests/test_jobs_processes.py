"""The job runner across real worker processes on a database of their own (a temporary SQLite
file, or a fresh PostgreSQL database when the suite runs on PostgreSQL): shared jobs run once,
a killed worker's job is taken over, the health check sees a live worker."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from toancanh.tests.browser import _database_url

SETUP = "import django, os, json, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup(); import toancanh.core.tests.jobtasks;"
TEST_TASKS = ["tests.append", "tests.slow_once"]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jobs")
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp), DATABASE_URL=_database_url(tmp, "jobs"),
               TOANCANH_JOB_HEARTBEAT="0.5")  # fmt: skip
    subprocess.run([sys.executable, "-m", "toancanh.cli", "migrate"], env=env, check=True, capture_output=True,
                   timeout=300)  # fmt: skip
    return env


def _py(env: dict, code: str, timeout: float = 120) -> str:
    done = subprocess.run([sys.executable, "-c", SETUP + code], env=env, capture_output=True, timeout=timeout)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout.decode()


def _worker(env: dict, idle: float, **extra: str) -> subprocess.Popen:
    code = (f"from toancanh.core import jobs; print(jobs.run_worker(poll=0.1, stop_after_idle={idle}, "
            f"names={TEST_TASKS!r}))")  # fmt: skip
    return subprocess.Popen([sys.executable, "-c", SETUP + code], env=dict(env, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip


def test_two_worker_processes_share_fifty_jobs_and_each_runs_exactly_once(env, tmp_path):
    out = tmp_path / "runs.txt"
    _py(env, f"from toancanh.core import jobs; [jobs.enqueue('tests.append', {{'path': {str(out)!r}, 'n': n, "
             f"'sleep': 0.05}}) for n in range(50)]")  # fmt: skip
    workers = [_worker(env, idle=2), _worker(env, idle=2)]
    ran = []
    for w in workers:
        stdout, stderr = w.communicate(timeout=180)
        assert w.returncode == 0, stderr.decode()[-3000:]
        ran.append(int(stdout.decode().split()[-1]))
    lines = [line.split() for line in out.read_text().splitlines()]
    runs = Counter(int(n) for n, _pid in lines)
    assert sorted(runs) == list(range(50)) and set(runs.values()) == {1}  # every job once, none twice
    assert sum(ran) == 50 and min(ran) > 0, f"both workers should take a share: {ran}"
    assert len({pid for _n, pid in lines}) == 2
    states = json.loads(_py(env, "from toancanh.core.models import Job; print(json.dumps(sorted(set(Job.objects"
                                 ".filter(name='tests.append').values_list('status', 'attempts')))))"))  # fmt: skip
    assert states == [["done", 1]]


def test_a_job_whose_worker_is_killed_mid_run_is_taken_over_and_completes(env, tmp_path):
    marker = tmp_path / "started"
    job = int(_py(env, f"from toancanh.core import jobs; print(jobs.enqueue('tests.slow_once', "
                       f"{{'marker': {str(marker)!r}}}).pk)"))  # fmt: skip
    fast_takeover = {"TOANCANH_JOB_CLAIM_TIMEOUT": "2"}
    first = _worker(env, idle=60, **fast_takeover)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline, "the first worker never started the job"
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)  # mid-run: no chance to record anything
    first.wait(timeout=10)
    second = _worker(env, idle=6, **fast_takeover)
    _stdout, stderr = second.communicate(timeout=120)
    assert second.returncode == 0, stderr.decode()[-3000:]
    assert Path(str(marker) + ".done").read_text() == str(second.pid)
    row = json.loads(_py(env, f"from toancanh.core.models import Job; j = Job.objects.get(pk={job}); "
                              "print(json.dumps([j.status, j.attempts, j.result, j.last_error, j.claimed_by]))"))  # fmt: skip
    status, attempts, result, last_error, claimed_by = row
    assert (status, attempts, result) == ("done", 2, "finished")
    assert "stopped answering" in last_error and f":{first.pid}:" in last_error
    assert f":{second.pid}:" in claimed_by


def test_health_shows_a_running_workers_heartbeat_and_the_oldest_waiting_job(env):
    # A job no worker knows waits; the CLI's worker beats while it idles.
    _py(env, "from django.utils import timezone; import datetime as dt; from toancanh.core.models import Job;"
             "Job.objects.create(name='tests.nobody', run_at=timezone.now() - dt.timedelta(seconds=400))")  # fmt: skip
    worker = subprocess.Popen([sys.executable, "-m", "toancanh.cli", "worker", "--poll", "0.2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            state = json.loads(_py(env, "from toancanh.core.health import health; "
                                        "print(json.dumps(health()['jobs'], default=str))"))  # fmt: skip
            mine = [w for w in state["workers"] if w["pid"] == worker.pid]
            if mine:
                break
            assert time.monotonic() < deadline, f"the worker never showed in the health check: {state}"
            time.sleep(0.3)
        assert mine[0]["beat_age_seconds"] < 5
        assert state["oldest_waiting_seconds"] >= 400
        assert state["ok"] is False  # a due job has waited over five minutes
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    stopped = json.loads(_py(env, "from toancanh.core.health import health; "
                                  "print(json.dumps(health()['jobs'], default=str))"))  # fmt: skip
    assert not [w for w in stopped["workers"] if w["pid"] == worker.pid]  # stopped cleanly: no longer live


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state


def test_the_runner_the_demo_starts_beside_the_server_stops_when_the_server_is_gone(env):
    # The "server": starts its runner, waits until it beats, then dies without stopping it.
    parent = _py(env, "import time; from toancanh.cli import _start_runner_process; from toancanh.core.models import "
                      "Worker; p = _start_runner_process(); t = time.monotonic();\n"
                      "while not Worker.objects.filter(pid=p.pid).exists() and time.monotonic() - t < 60: time.sleep(0.1)\n"
                      "print(p.pid); os._exit(0)")  # fmt: skip
    runner = int(parent.split()[-1])
    deadline = time.monotonic() + 60
    while _alive(runner):
        assert time.monotonic() < deadline, "the runner outlived the server that started it"
        time.sleep(0.2)
    stopped = _py(env, f"from toancanh.core.models import Worker; print(Worker.objects.get(pid={runner}).stopped_at)")
    assert stopped.strip() != "None"  # it stopped on its own, cleanly
