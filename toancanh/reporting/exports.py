"""Export upward: a report's figures as a DHIS2 ``dataValueSets`` JSON document and as an ADX
document (IHE QRPH ADX, ``urn:ihe:qrph:adx:2015``), the two exchange formats a DHIS2 instance takes.

Mapping (documented, versioned as ``SCHEMA``): the data set is the regime's code; a data element
is ``<form code>.<row code>``; the disaggregation is the form's column, as DHIS2's
``categoryOptionCombo`` (JSON) and as an ``column`` attribute on the ADX ``dataValue``; the org unit
is our unit key. Periods: DHIS2's ISO-like codes in JSON (``202506``, ``2025Q2``, ``2025S1``,
``2025W23``, ``2025``) and ISO 8601 intervals in ADX (``2025-06-01/P1M``). Only numeric cells
are exported (text stays in the report).
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from toancanh.reporting.models import Frequency, Submission
from toancanh.reporting.queries import values_of
from toancanh.reporting.regimes import ReportPeriod, period_of

SCHEMA = "toancanh.reporting.datavalues/1"
ADX_NS = "urn:ihe:qrph:adx:2015"


def dhis2_period(rp: ReportPeriod) -> str:
    f, y, i = rp.frequency, rp.year, rp.index
    return {
        Frequency.MONTHLY: f"{y}{i:02d}", Frequency.QUARTERLY: f"{y}Q{i}", Frequency.HALF_YEARLY: f"{y}S{i}",
        Frequency.WEEKLY: f"{y}W{i}", Frequency.YEARLY: f"{y}",
    }.get(f, rp.code)  # fmt: skip


def adx_period(rp: ReportPeriod) -> str:
    f, y, i = rp.frequency, rp.year, rp.index
    if f == Frequency.WEEKLY:
        return f"{dt.date.fromisocalendar(y, i, 1).isoformat()}/P1W"
    start_month, months = {
        Frequency.MONTHLY: (i, 1), Frequency.QUARTERLY: (3 * i - 2, 3), Frequency.HALF_YEARLY: (6 * i - 5, 6),
        Frequency.NINE_MONTHS: (1, 9), Frequency.YEARLY: (1, 12),
    }.get(f, (1, 12))  # fmt: skip
    return f"{y}-{start_month:02d}-01/P{months}M"


def _number(v: float) -> str:
    return str(int(v)) if v == int(v) and abs(v) < 1e15 else repr(v)


def _items(sub: Submission) -> list[tuple[str, str, str]]:
    values = values_of([sub.pk]).get(sub.pk, {})
    code = sub.version.template.code
    out = []
    for key, v in sorted(values.items()):
        if isinstance(v, float):
            row, _, col = key.rpartition(".")
            out.append((f"{code}.{row}", col, _number(v)))
    return out


def data_value_set(sub: Submission) -> dict:
    """A DHIS2 ``dataValueSets`` JSON document of one report."""
    rp = period_of(sub.regime.frequency, sub.period)
    doc = {
        "schema": SCHEMA,
        "dataSet": sub.regime.code,
        "period": dhis2_period(rp),
        "orgUnit": sub.unit.key,
        "dataValues": [
            {
                "dataElement": de,
                "categoryOptionCombo": col,
                "period": dhis2_period(rp),
                "orgUnit": sub.unit.key,
                "value": value,
            }
            for de, col, value in _items(sub)
        ],  # fmt: skip
    }
    if sub.decided_at and sub.status == "approved":
        doc["completeDate"] = sub.decided_at.date().isoformat()
    return doc


def adx(subs: list[Submission]) -> bytes:
    """An ADX document with one group per report."""
    ET.register_namespace("", ADX_NS)
    root = ET.Element(f"{{{ADX_NS}}}adx", {"exported": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()})
    for sub in subs:
        rp = period_of(sub.regime.frequency, sub.period)
        group = ET.SubElement(
            root, f"{{{ADX_NS}}}group", {"orgUnit": sub.unit.key, "period": adx_period(rp), "dataSet": sub.regime.code}
        )
        for de, col, value in _items(sub):
            ET.SubElement(group, f"{{{ADX_NS}}}dataValue", {"dataElement": de, "column": col, "value": value})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
