"""Every write of the government pack: procedures, dossiers (in bulk, through the connectors).

Dossiers are stored idempotently by their code (MaHoSo): a record seen again is the dossier's later
state and replaces the stored one; a code twice in one batch is refused as a duplicate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from toancanh.packs.api import Agency, ServiceError, Unit, insert_many, record_audit, upsert_many
from toancanh.packs.api import Outcome as Report
from toancanh.packs.government import intake
from toancanh.packs.government.models import DirtyMonth, DossierMonth, OnlineLevel, Procedure

CHUNK = 5000
PROCEDURE_FIELDS = ("name", "online", "has_fee", "fee_synced", "paper_result", "announced_on_time",
                    "published_on_time", "complete_parts")  # fmt: skip


def adapter():
    """How a naive UTC moment goes into a bulk statement: text on SQLite, a zoned datetime elsewhere."""
    if connection.vendor == "sqlite":
        return lambda moment: moment.isoformat(" ")
    return intake.aware


def lookups(agencies: Iterable[str] | None = None) -> intake.Lookups:
    return intake.Lookups(
        procedures=dict(Procedure.objects.values_list("code", "id")),
        agencies={code: (pk, unit) for code, pk, unit in Agency.objects.values_list("code", "id", "unit_id")},
        units=dict(Unit.objects.values_list("key", "id")),
    )


def store_dossiers(records: Iterable[Any], *, source: str = "", now: dt.datetime | None = None,
                   look: intake.Lookups | None = None) -> Report:  # fmt: skip
    """Check each record and store the good ones in bulk (insert or replace by MaHoSo); the report
    names each refused record and why. Runs in the caller's transaction (the connector runner's)."""
    now = (now or timezone.now()).astimezone(dt.UTC).replace(tzinfo=None)
    look = look or lookups()
    adapt = adapter()
    report = Report()
    seen: set[str] = set()
    rows: list[tuple] = []
    for n, rec in enumerate(records, start=1):
        ref = rec.get("MaHoSo") if isinstance(rec, dict) and rec.get("MaHoSo") else _("record %(n)s") % {"n": n}
        try:
            row = intake.read(rec, look, now, source, adapt)
        except intake.Refused as exc:
            report.refuse(ref, str(exc))
            continue
        if row[0] in seen:
            report.refuse(ref, _("duplicate record: MaHoSo %(code)s appears twice") % {"code": row[0]})
            continue
        seen.add(row[0])
        rows.append(row)
        if len(rows) >= CHUNK:
            report.accepted += _write(rows)
            rows = []
    report.accepted += _write(rows)
    return report


def _write(rows: list[tuple]) -> int:
    months = sorted({row[-1] for row in rows})
    with transaction.atomic():  # one transaction per chunk (SQLite would commit each row otherwise)
        if connection.vendor == "postgresql":
            _upsert_copy(rows)
        else:
            upsert_many("government_dossier", intake.COLUMNS, rows, unique=("code",), update=intake.COLUMNS[1:])
        upsert_many("government_dirtymonth", ("month",), [(m,) for m in months], unique=("month",), update=("month",))
    return len(rows)


def _upsert_copy(rows: list[tuple]) -> None:
    """PostgreSQL: COPY the batch into a temporary table, then one INSERT … ON CONFLICT from it."""
    cols = ", ".join(intake.COLUMNS)
    sets = ", ".join(f"{c} = excluded.{c}" for c in intake.COLUMNS[1:])
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS gov_dossier_batch ON COMMIT DELETE ROWS AS "  # noqa: S608
            f"SELECT {cols} FROM government_dossier WITH NO DATA"
        )
        insert_many("gov_dossier_batch", intake.COLUMNS, rows)
        cur.execute(
            f"INSERT INTO government_dossier ({cols}) SELECT {cols} FROM gov_dossier_batch "  # noqa: S608 - names from code
            f"ON CONFLICT (code) DO UPDATE SET {sets}"
        )
        cur.execute("DELETE FROM gov_dossier_batch")


ROLLUP = """
INSERT INTO government_dossiermonth (agency_id, unit_id, procedure_id, month, total, early, on_time, late, overdue,
    pending, online, synced, fee, paid, digitised, reused, e_result, days, settled)
SELECT agency_id, unit_id, procedure_id, month, COUNT(*),
    SUM(CASE WHEN outcome = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 2 THEN 1 ELSE 0 END),
    SUM(CASE WHEN outcome = 3 THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 4 THEN 1 ELSE 0 END),
    SUM(CASE WHEN outcome = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 END),
    SUM(CASE WHEN synced THEN 1 ELSE 0 END), SUM(CASE WHEN fee > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN fee > 0 AND paid_online > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN digitised AND e_result THEN 1 ELSE 0 END), SUM(CASE WHEN reused THEN 1 ELSE 0 END),
    SUM(CASE WHEN e_result THEN 1 ELSE 0 END), COALESCE(SUM(resolution_days), 0), COUNT(resolution_days)
FROM government_dossier
WHERE received_at >= %s AND received_at < %s AND month = %s AND outcome <> 5
GROUP BY agency_id, unit_id, procedure_id, month
"""


def refresh_months() -> int:
    """Rebuild the monthly roll-up of the months imports have touched since; returns how many."""
    months = list(DirtyMonth.objects.values_list("month", flat=True))
    adapt = adapter()
    for month in months:
        y, m = divmod(month, 100)
        start = dt.datetime(y, m, 1) - intake.VN_OFFSET  # noqa: DTZ001 - naive UTC, the bulk path's currency
        end = dt.datetime(y + m // 12, m % 12 + 1, 1) - intake.VN_OFFSET  # noqa: DTZ001
        with transaction.atomic():
            DirtyMonth.objects.filter(month=month).delete()
            DossierMonth.objects.filter(month=month).delete()
            with connection.cursor() as cur:
                cur.execute(ROLLUP, [adapt(start), adapt(end), month])
    return len(months)


def save_procedures(rows: list[dict[str, Any]], *, by: Any) -> int:
    """Create or update procedures (TTHC) with their publication and online data; all or nothing."""
    errors = []
    for n, row in enumerate(rows, start=1):
        code = str(row.get("code") or "").strip()
        if not code or len(code) > 40 or not str(row.get("name") or "").strip():
            errors.append(_("row %(n)s: a procedure needs a code (up to 40 characters) and a name") % {"n": n})
        elif row.get("online", 0) not in OnlineLevel.values:
            errors.append(_("row %(n)s: online must be 0, 1 or 2") % {"n": n})
    if errors:
        raise ServiceError("; ".join(errors[:20]))
    with transaction.atomic():
        for row in rows:
            defaults = {f: row[f] for f in PROCEDURE_FIELDS if f in row}
            defaults["name"] = str(row["name"])[:300]
            Procedure.objects.update_or_create(code=str(row["code"]).strip(), defaults=defaults)
        record_audit("government.save_procedures", None, by=by, after={"procedures": len(rows)})
    return len(rows)
