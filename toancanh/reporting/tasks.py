"""The reporting context's background tasks, run by the job runner (see core/jobs.py)."""

from __future__ import annotations

from toancanh.core import jobs


@jobs.task("reporting.deadlines", every=900, timeout=600, max_attempts=5)
def deadlines() -> dict:
    """Reminders before the reporting deadlines and overdue events after them."""
    from toancanh.reporting.watch import check_deadlines

    return check_deadlines()
