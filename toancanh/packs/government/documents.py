"""Documents (văn bản đến / đi) from a document-management system such as QOffice: the connector's
checks and the counts by agency — incoming and outgoing, processed on time / late, overdue now, the
share signed digitally. No national formula exists for these [U]; on time means done on or before
the processing deadline (a document without a deadline is never late)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from toancanh.packs.api import Agency
from toancanh.packs.api import Outcome as Report
from toancanh.packs.government.models import DocState, DocTimeliness, Document

REQUIRED = ("id", "agency", "direction", "date", "state")


def _date(value: Any, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        text = str(value).strip()
        if "/" in text:
            d, m, y = (int(x) for x in text.split("/"))
            return dt.date(y, m, d)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise ValueError(_("%(field)s is not a date: %(value)s") % {"field": field, "value": str(value)[:20]}) from None


def _read(rec: Any, agencies: dict[str, int]) -> dict:
    if not isinstance(rec, dict) or "id" not in rec or "direction" not in rec:
        found = ", ".join(sorted(str(k) for k in rec)[:8]) if isinstance(rec, dict) else type(rec).__name__
        raise ValueError(
            _("not a document record (id, agency, direction, date, state, …): found %(found)s") % {"found": found}
        )
    missing = [f for f in REQUIRED if rec.get(f) in (None, "")]
    if missing:
        raise ValueError(_("missing %(fields)s") % {"fields": ", ".join(missing)})
    agency = agencies.get(str(rec["agency"]).strip())
    if agency is None:
        raise ValueError(_("unknown agency %(code)s") % {"code": str(rec["agency"])[:60]})
    if rec["direction"] not in ("in", "out"):
        raise ValueError(_("direction is 'in' or 'out'"))
    if rec["state"] not in DocState.values:
        raise ValueError(
            _("unknown state %(state)s (waiting, processing, done, returned)") % {"state": str(rec["state"])[:20]}
        )
    dated, deadline = _date(rec["date"], "date"), _date(rec.get("deadline"), "deadline")
    if deadline is not None and deadline < dated:
        raise ValueError(_("the deadline is before the document's date"))
    done = _date(rec.get("done_on"), "done_on")
    if rec["state"] == DocState.DONE and done is None:
        raise ValueError(_("a document done needs its done_on"))
    return {"code": str(rec["id"])[:80], "number": str(rec.get("number") or "")[:80],
            "summary": str(rec.get("summary") or "")[:500], "incoming": rec["direction"] == "in", "agency_id": agency,
            "lead": rec.get("role", "lead") != "cooperate", "dated": dated, "deadline": deadline, "done_on": done,
            "state": rec["state"], "electronic": bool(rec.get("electronic", True)),
            "signed_digitally": bool(rec.get("signed_digitally", False))}  # fmt: skip


def store_documents(records: list[Any], *, source: str = "") -> Report:
    """Check each record; store the good ones (insert or replace by id); refuse the rest with reasons."""
    report = Report()
    agencies = dict(Agency.objects.values_list("code", "id"))
    good: dict[str, dict] = {}
    for n, rec in enumerate(records, start=1):
        ref = rec.get("id") if isinstance(rec, dict) and rec.get("id") else _("record %(n)s") % {"n": n}
        try:
            row = _read(rec, agencies)
        except ValueError as exc:
            report.refuse(ref, str(exc))
            continue
        if row["code"] in good:
            report.refuse(ref, _("duplicate record: %(code)s appears twice") % {"code": row["code"]})
            continue
        good[row["code"]] = row | {"source": source}
    with transaction.atomic():
        existing = set(Document.objects.filter(code__in=list(good)).values_list("code", flat=True))
        Document.objects.bulk_create([Document(**r) for c, r in good.items() if c not in existing], batch_size=500)
        for code in existing:
            Document.objects.filter(code=code).update(**{k: v for k, v in good[code].items() if k != "code"})
    report.accepted = len(good)
    return report


OPEN = (DocState.WAITING, DocState.PROCESSING)


def timeliness_filter(timeliness: DocTimeliness | str, today: dt.date) -> Q:
    """The documents in one :class:`DocTimeliness` on ``today``."""
    return {
        DocTimeliness.DONE_ON_TIME: Q(state=DocState.DONE) & (Q(deadline__isnull=True) | Q(done_on__lte=F("deadline"))),
        DocTimeliness.DONE_LATE: Q(state=DocState.DONE, done_on__gt=F("deadline")),
        DocTimeliness.OPEN_ON_TIME: Q(state__in=OPEN) & (Q(deadline__isnull=True) | Q(deadline__gte=today)),
        DocTimeliness.OPEN_OVERDUE: Q(state__in=OPEN, deadline__lt=today),
    }[DocTimeliness(timeliness)]


def _measures(today: dt.date) -> dict:
    return {
        "incoming": Count("id", filter=Q(incoming=True)), "outgoing": Count("id", filter=Q(incoming=False)),
        "on_time": Count("id", filter=timeliness_filter(DocTimeliness.DONE_ON_TIME, today)),
        "late": Count("id", filter=timeliness_filter(DocTimeliness.DONE_LATE, today)),
        "processing": Count("id", filter=timeliness_filter(DocTimeliness.OPEN_ON_TIME, today)),
        "overdue": Count("id", filter=timeliness_filter(DocTimeliness.OPEN_OVERDUE, today)),
        "signed": Count("id", filter=Q(incoming=False, signed_digitally=True)),
    }  # fmt: skip


def _shares(row: dict) -> dict:
    done = row["on_time"] + row["late"]
    row["on_time_rate"] = round(100 * row["on_time"] / done, 1) if done else None
    row["signed_rate"] = round(100 * row["signed"] / row["outgoing"], 1) if row["outgoing"] else None
    return row


def counts(queryset, today: dt.date) -> dict[int, dict]:
    """Per agency: incoming, outgoing, done on time, done late, being processed within the deadline,
    overdue now, outgoing signed digitally (and the on-time and signed shares)."""
    measures = {f"a_{k}": v for k, v in _measures(today).items()}
    rows = queryset.order_by().values("agency_id").annotate(**measures)
    return {r.pop("agency_id"): _shares({k[2:]: v for k, v in r.items()}) for r in rows}


def totals(queryset, today: dt.date) -> dict:
    """The same counts over the whole queryset, in one query."""
    measures = {f"a_{k}": v for k, v in _measures(today).items()}
    row = queryset.order_by().aggregate(a_total=Count("id"), **measures)
    return _shares({k[2:]: v for k, v in row.items()})
