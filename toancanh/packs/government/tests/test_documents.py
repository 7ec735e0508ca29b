import datetime as dt

import pytest

from toancanh.packs.government import documents
from toancanh.packs.government.models import Document
from toancanh.packs.government.tests.helpers import setup_world

pytestmark = pytest.mark.django_db


def doc(code, **kw):
    return {"id": code, "agency": "gov-test-a", "direction": "in", "date": "2026-03-02", "deadline": "2026-03-10",
            "state": "processing"} | kw  # fmt: skip


def test_documents_are_stored_refused_with_reasons_and_counted():
    world = setup_world()
    report = documents.store_documents([
        doc("D1", state="done", done_on="2026-03-09"),
        doc("D2", state="done", done_on="2026-03-12"),
        doc("D3"),
        doc("D4", direction="out", state="done", done_on="2026-03-03", signed_digitally=True, deadline=None),
        doc("D5", state="lost"),
        doc("D6", deadline="2026-03-01"),
        doc("D7", agency="nobody"),
        doc("D3"),
        {"SoKyHieu": "12/UBND", "TrichYeu": "x"},
    ])  # fmt: skip
    why = {r["record"]: r["reason"] for r in report.refused}
    assert report.accepted == 4
    assert "unknown state lost" in why["D5"]
    assert "deadline is before" in why["D6"]
    assert "unknown agency nobody" in why["D7"]
    assert "duplicate record" in why["D3"]
    assert "not a document record" in why["record 9"] and "SoKyHieu" in why["record 9"]
    c = documents.counts(Document.objects.all(), dt.date(2026, 3, 15))[world["a"].id]
    assert (c["incoming"], c["outgoing"], c["on_time"], c["late"], c["overdue"], c["signed"]) == (3, 1, 2, 1, 1, 1)
    documents.store_documents([doc("D3", state="done", done_on="2026-03-14")])
    assert Document.objects.get(code="D3").state == "done" and Document.objects.count() == 4
