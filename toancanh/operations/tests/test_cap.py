"""Public warnings: valid CAP 1.2 (checked against the official OASIS schema) and an Atom feed."""

from __future__ import annotations

import pytest
from django.conf import settings
from lxml import etree

from toancanh.core.scoping import Scope
from toancanh.operations import warnings
from toancanh.units.geometry import import_boundaries

pytestmark = pytest.mark.django_db
XSD = settings.SHARED_DATA_DIR / "CAP-v1.2.xsd"
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def _warning(**kw):
    fields = dict(
        category="Met", event="Lũ quét", event_en="Flash flood", headline="Cảnh báo lũ quét tại xã Hiệp Đức",
        headline_en="Flash flood warning for Hiệp Đức commune", description="Mưa lớn 250 mm trong 24 giờ.",
        description_en="Heavy rain of 250 mm in 24 hours.", instruction="Di dời khỏi vùng trũng.",
        instruction_en="Move away from low-lying areas.", severity="Severe", urgency="Immediate", certainty="Likely",
    ) | kw  # fmt: skip
    return warnings.draft_warning(by=None, scope=Scope(everywhere=True), units=["vn34-c20779", "vn34-p48"], **fields)


@pytest.fixture
def schema():
    if not XSD.exists():
        pytest.skip("../shared/data/CAP-v1.2.xsd is not beside the repository")
    return etree.XMLSchema(etree.parse(str(XSD)))


def test_a_published_warning_is_valid_cap_with_vietnamese_and_english_info(client, schema):
    sq = {
        "type": "Polygon",
        "coordinates": [[[107.8, 15.2], [108.8, 15.2], [108.8, 16.2], [107.8, 16.2], [107.8, 15.2]]],
    }
    import datetime as dt

    import_boundaries({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ma_tinh": "48"}, "geometry": sq}]},
                      by=None, level="province", on=dt.date(2025, 7, 1))  # fmt: skip
    w = warnings.publish_warning(_warning(), by=None)
    response = client.get(f"/cap/alerts/{w.identifier}.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/cap+xml")
    doc = etree.fromstring(response.content)
    schema.assertValid(doc)
    infos = doc.findall(f"{CAP}info")
    assert [i.findtext(f"{CAP}language") for i in infos] == ["vi-VN", "en-US"]
    areas = infos[0].findall(f"{CAP}area")
    assert {a.findtext(f"{CAP}areaDesc") for a in areas} == {"Xã Hiệp Đức", "Thành phố Đà Nẵng"}
    assert any(a.find(f"{CAP}polygon") is not None for a in areas)  # the province has a boundary
    assert {a.find(f"{CAP}geocode").findtext(f"{CAP}value") for a in areas} == {"20779", "48"}
    assert doc.findtext(f"{CAP}sent").endswith("+07:00")


def test_the_atom_feed_lists_current_warnings_only(client):
    published = warnings.publish_warning(_warning(), by=None)
    _warning(headline="Bản nháp chưa phát hành")
    feed = etree.fromstring(client.get("/cap/alerts.atom").content)
    titles = [
        e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.findall("{http://www.w3.org/2005/Atom}entry")
    ]
    assert titles == [published.headline]
    assert client.get("/cap/alerts/does-not-exist.xml").status_code == 404


def test_a_cancelled_warning_is_a_cap_cancel_message(client, schema):
    w = warnings.cancel_warning(warnings.publish_warning(_warning(), by=None), by=None)
    doc = etree.fromstring(client.get(f"/cap/alerts/{w.identifier}.xml").content)
    schema.assertValid(doc)
    assert doc.findtext(f"{CAP}msgType") == "Cancel"


def test_a_warning_without_an_area_or_with_a_bad_category_is_refused():
    from toancanh.core.errors import ServiceError

    with pytest.raises(ServiceError):
        warnings.draft_warning(by=None, scope=Scope(everywhere=True), units=[], headline="x")
    with pytest.raises(ServiceError) as exc:
        _warning(category="Weather")
    assert "CAP 1.2" in exc.value.message
