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


# --- updates and cancels as CAP means them, read back by a third-party CAP reader ----------------


def _read(client, identifier: str):
    """The message as a receiver reads it, with cap-tools (MIT; xsdata bindings of CAP 1.2)."""
    from cap_tools.models import Alert
    from xsdata.formats.dataclass.parsers import XmlParser

    response = client.get(f"/cap/alerts/{identifier}.xml")
    assert response.status_code == 200
    return response.content, XmlParser().from_bytes(response.content, Alert)


def test_an_update_and_a_cancel_are_new_messages_referencing_the_earlier_ones(client, schema):
    from cap_tools import MsgType, Reference

    first = warnings.publish_warning(_warning(), by=None)
    update = warnings.update_warning(first, by=None, scope=Scope(everywhere=True), headline="Lũ quét lan rộng",
                                     severity="Extreme")  # fmt: skip
    cancel = warnings.cancel_warning(update, by=None)
    assert len({first.identifier, update.identifier, cancel.identifier}) == 3
    state = {}  # what a receiver holds: each message until a later one references it
    parsed = {}
    for w in (first, update, cancel):
        raw, alert = _read(client, w.identifier)
        schema.assertValid(etree.fromstring(raw))
        parsed[w.identifier] = alert
        for ref in alert.references_to_list():
            state.pop(ref, None)
        state[Reference.from_alert(alert)] = alert
    a, u, c = (parsed[w.identifier] for w in (first, update, cancel))
    assert (a.msg_type, u.msg_type, c.msg_type) == (MsgType.ALERT, MsgType.UPDATE, MsgType.CANCEL)
    assert u.references_to_list() == [Reference.from_alert(a)]
    assert c.references_to_list() == [Reference.from_alert(a), Reference.from_alert(u)]
    assert str(c.sent) != str(a.sent) or c.identifier != a.identifier
    # A receiver that follows references is left with the cancellation only.
    assert [x.identifier for x in state.values()] == [cancel.identifier]
    # The original is still served as it was, an Alert.
    assert parsed[first.identifier].infos[0].headline == first.headline


def test_the_feed_announces_a_cancel_until_the_warning_would_have_expired(client):
    import datetime as dt

    from django.utils import timezone

    first = warnings.publish_warning(_warning(), by=None)
    cancel = warnings.cancel_warning(first, by=None)
    atom = "{http://www.w3.org/2005/Atom}"
    feed = etree.fromstring(client.get("/cap/alerts.atom").content)
    ids = [e.findtext(f"{atom}id") for e in feed.findall(f"{atom}entry")]
    assert ids == [f"urn:toancanh:cap:{cancel.identifier}"]
    cancel.expires_at = timezone.now() - dt.timedelta(minutes=1)
    cancel.save(update_fields=["expires_at"])
    feed = etree.fromstring(client.get("/cap/alerts.atom").content)
    assert feed.findall(f"{atom}entry") == []


def test_a_warning_cannot_cover_a_unit_abolished_before_it_is_sent():
    from toancanh.core.errors import ServiceError
    from toancanh.units.models import Unit

    abolished = Unit.objects.filter(edition="vn63", level="commune", valid_to__isnull=False).first()
    with pytest.raises(ServiceError, match="đang tồn tại"):
        warnings.draft_warning(by=None, scope=Scope(everywhere=True), units=[abolished.key], category="Met",
                               event="Lũ", event_en="Flood", headline="Cảnh báo lũ", headline_en="Flood warning",
                               description="Mưa lớn kéo dài.", description_en="Long heavy rain.",
                               severity="Severe", urgency="Immediate", certainty="Likely")  # fmt: skip


def test_geocodes_name_their_code_list_and_the_unit_key(client):
    w = warnings.publish_warning(_warning(), by=None)
    _raw, alert = _read(client, w.identifier)
    codes = {(g.value_name.value, g.value.value) for area in alert.infos[0].areas for g in area.geocodes}
    assert ("VN-GSO-2025", "20779") in codes and ("VN-TOANCANH-UNIT", "vn34-c20779") in codes
    assert not any(name == "VN-GSO" for name, _v in codes)


def test_a_units_bounds_are_filled_from_its_boundary():
    import datetime as dt

    from toancanh.units.models import Unit

    sq = {
        "type": "Polygon",
        "coordinates": [[[107.8, 15.2], [108.8, 15.2], [108.8, 16.2], [107.8, 16.2], [107.8, 15.2]]],
    }
    import_boundaries({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"ma_tinh": "48"}, "geometry": sq}]},
                      by=None, level="province", on=dt.date(2025, 7, 1))  # fmt: skip
    assert Unit.objects.get(key="vn34-p48").bounds == [15.2, 107.8, 16.2, 108.8]
