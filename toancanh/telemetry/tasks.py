"""Background work of the telemetry context: retention of raw readings, per kind of station.

``TOANCANH_TELEMETRY_RETENTION`` maps a station kind to how many days of raw readings to keep
(hourly and daily roll-ups are kept: they are what long charts and reports read)."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from toancanh.core import jobs

DEFAULT_RETENTION_DAYS = {"air": 400, "water": 400, "river": 3650, "rain": 3650, "weather": 400, "other": 90}


def retention_days() -> dict[str, int]:
    return DEFAULT_RETENTION_DAYS | getattr(settings, "TOANCANH_TELEMETRY_RETENTION", {})


@jobs.task("telemetry.retention", every=86400, timeout=3600)
def apply_retention() -> dict:
    """Delete raw readings older than their kind's retention; returns how many per kind."""
    from toancanh.telemetry import store
    from toancanh.telemetry.models import Sensor

    now = int(timezone.now().timestamp())
    out = {}
    for kind, days in retention_days().items():
        ids = list(Sensor.objects.filter(station__kind=kind).values_list("id", flat=True))
        if ids:
            out[kind] = store.delete_before(ids, now - days * 86400)
    return out


@jobs.task("telemetry.partitions", every=86400, timeout=600)
def create_partitions() -> dict:
    """PostgreSQL: the monthly partitions of the raw readings for the next three months (nothing on SQLite)."""
    import datetime as dt

    from toancanh.telemetry.partitions import ensure_months

    today = timezone.localdate()
    return {"created": ensure_months(today, today + dt.timedelta(days=93))}
