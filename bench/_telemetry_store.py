"""What the telemetry benchmarks share: a migrated database with an empty telemetry store, and the
bench province their stations stand in. Called after ``django.setup()``."""

from __future__ import annotations


def empty_store() -> str:
    """Migrate, empty the telemetry tables (a bench database may be reused) and return the vendor."""
    from django.core.management import call_command
    from django.db import connection

    from toancanh.telemetry.models import Station

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        for table in ("telemetry_reading", "telemetry_hourlyrollup", "telemetry_dailyrollup", "telemetry_sensor",
                      "telemetry_refusalcount"):  # fmt: skip
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - a fresh bench database
    Station.objects.all().delete()
    return connection.vendor


def bench_province():
    from toancanh.units.models import Unit

    province, _ = Unit.objects.get_or_create(
        key="bench-p", defaults={"edition": "bench", "code": "99", "level": "province", "type": "tinh",
                                 "name": "Tỉnh Thử", "short_name": "Thử", "path": "/bench/"},
    )  # fmt: skip
    return province
