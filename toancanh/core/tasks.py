"""The core's background tasks."""

from toancanh.core import connectors, jobs


@jobs.task("connectors.run_due", every=10, timeout=3600, max_attempts=3)
def run_due_connectors() -> dict:
    """Run the data sources whose time has come (each within its own time limit)."""
    return {"ran": connectors.run_due()}
