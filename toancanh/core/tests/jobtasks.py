"""Tasks that exist only for the job runner's tests (imported by the tests and their worker processes)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from toancanh.core import jobs

CALLS: list[dict] = []


@jobs.task("tests.append", timeout=30, max_attempts=3)
def append(path: str, n: int, sleep: float = 0.0) -> int:
    """Write one line (the job's number and this process) to a shared file."""
    time.sleep(sleep)
    with open(path, "a", encoding="utf-8") as f:
        f.write(f"{n} {os.getpid()}\n")
    return n


@jobs.task("tests.slow_once", timeout=30, max_attempts=3)
def slow_once(marker: str) -> str:
    """Hangs the first time (long enough to be killed), finishes the second."""
    mark = Path(marker)
    if not mark.exists():
        mark.write_text(str(os.getpid()))
        time.sleep(120)
        return "slow"
    Path(marker + ".done").write_text(str(os.getpid()))
    return "finished"


@jobs.task("tests.fail", timeout=30, max_attempts=3, backoff=10)
def fail(reason: str = "the source is down") -> None:
    CALLS.append({"task": "fail"})
    raise RuntimeError(reason)


@jobs.task("tests.every", every=60, timeout=30)
def every() -> str:
    CALLS.append({"task": "every"})
    return "ticked"


@jobs.task("tests.record", timeout=30)
def record(**kwargs) -> dict:
    CALLS.append(kwargs)
    return kwargs
