"""Operations' background tasks, run by the job runner (``toancanh worker``; see core/jobs.py)."""

from __future__ import annotations

from toancanh.core import jobs


@jobs.task("operations.tick", every=60, timeout=120, max_attempts=5)
def tick() -> dict:
    """Time-driven alert rules (absence, windows, quiet alerts) and escalation, every minute."""
    from toancanh.operations import services

    raised, cleared = services.tick(deliver=False)  # sending is its own task, below
    return {"raised": raised, "cleared": cleared}


@jobs.task("notifications.deliver_due", every=15, timeout=120, max_attempts=5)
def deliver_due() -> dict:
    """Send the notifications that are due (and take back those a dead process was sending)."""
    from toancanh.operations import notifications

    return notifications.deliver_due()
