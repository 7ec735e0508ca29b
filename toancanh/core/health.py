"""The state of the installation, for monitoring: version, database, migrations, the job runner."""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from toancanh import __version__


def health() -> dict[str, Any]:
    connection = connections[DEFAULT_DB_ALIAS]
    database: dict[str, Any] = {"vendor": connection.vendor, "ok": False}
    migrations: dict[str, Any] = {"pending": None, "ok": False}
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        database["ok"] = True
        database["server_version"] = ".".join(str(v) for v in getattr(connection, "get_database_version", lambda: ())())
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        migrations = {"pending": [f"{m.app_label}.{m.name}" for m, _ in plan], "ok": not plan}
    except Exception as exc:  # noqa: BLE001 - health reports any failure instead of failing itself
        database["error"] = str(exc)
    ok = database["ok"] and migrations["ok"]
    runner: dict[str, Any] = {"ok": False, "workers": [], "counts": {}, "dead": 0, "oldest_waiting_seconds": None}
    if ok:
        from toancanh.core import jobs

        try:
            runner = jobs.state()
        except Exception as exc:  # noqa: BLE001 - health reports any failure instead of failing itself
            runner["error"] = str(exc)
    return {
        "status": "ok" if ok else "degraded",
        "version": __version__,
        "database": database,
        "migrations": migrations,
        "jobs": runner,
        "time": timezone.now(),
    }
