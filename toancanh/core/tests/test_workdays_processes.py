"""The calendar's cache across processes: a worker process that has counted a deadline counts it
anew once an administrator, in another process, adds a day off (a database of their own: a
temporary SQLite file, or a fresh PostgreSQL database when the suite runs on PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from toancanh.tests.browser import _database_url

SETUP = "import django, os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'toancanh.settings'); django.setup();"
WORKER = """
import datetime as dt, pathlib
from toancanh.core import workdays
go = pathlib.Path(sys.argv[1])
print(workdays.add_working_days(dt.date(2026, 2, 13), 3), flush=True)
for _ in range(600):
    if go.exists():
        break
    time.sleep(0.05)
time.sleep(float(sys.argv[2]))
print(workdays.add_working_days(dt.date(2026, 2, 13), 3), flush=True)
"""
EDIT = """
import datetime as dt
from toancanh.core import calendar_services
calendar_services.create_day(date=dt.date(2026, 2, 24), kind="local_off", name="Lễ hội địa phương", by=None)
"""


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workdays")
    env = dict(os.environ, TOANCANH_DATA_DIR=str(tmp), DATABASE_URL=_database_url(tmp, "workdays"))
    subprocess.run([sys.executable, "-m", "toancanh.cli", "migrate"], env=env, check=True, capture_output=True,
                   timeout=300)  # fmt: skip
    return env


def test_a_day_off_added_in_one_process_moves_the_deadline_another_process_had_cached(env, tmp_path):
    go = tmp_path / "go"
    worker = subprocess.Popen([sys.executable, "-c", SETUP + "import time;" + WORKER, str(go), "1.1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    assert worker.stdout is not None
    first = worker.stdout.readline().strip()
    assert first == "2026-02-25", worker.stderr.read() if worker.stderr else ""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", SETUP + EDIT], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    go.touch()
    stdout, stderr = worker.communicate(timeout=120)
    assert worker.returncode == 0, stderr[-3000:]
    # the worker waited past its recheck interval (1 s by default), then counted the new day off
    assert stdout.strip() == "2026-02-26" and time.monotonic() - started > 1
