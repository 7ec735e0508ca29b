"""The feedback context's background tasks, run by the job runner (see core/jobs.py)."""

from __future__ import annotations

from toancanh.core import jobs


@jobs.task("feedback.deadlines", every=300, timeout=240, max_attempts=5)
def deadlines() -> dict:
    """Reminders before the deadline, overdue marks, escalation, closing unrated answers."""
    from toancanh.feedback.watch import check_deadlines

    return check_deadlines()
