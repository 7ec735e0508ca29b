"""Indicators' background tasks, run by the job runner (``toancanh worker``; see core/jobs.py)."""

from __future__ import annotations

from toancanh.core import jobs
from toancanh.indicators import refresh


@jobs.task(refresh.TASK, timeout=3600, max_attempts=5)
def recompute() -> dict:
    """Rebuild the roll-up slices that filed figures marked, and check their series for anomalies."""
    return refresh.recompute_dirty(series_seconds=refresh.SERIES_SECONDS_PER_RUN)
