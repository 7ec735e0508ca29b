"""The operator composes a public warning on a page: areas from the unit tree, Vietnamese and English
texts, CAP choices with Vietnamese labels, the validity; a draft is previewed as its CAP message,
published, updated and cancelled, each a valid CAP 1.2 message; scope holds."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from lxml import etree

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.operations.models import MessageType, PublicWarning, WarningStatus
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db
XSD = settings.SHARED_DATA_DIR / "CAP-v1.2.xsd"


@pytest.fixture
def operator(client):
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48")))
    return client


def _when(hours: float) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(hours=hours)).strftime("%d/%m/%Y %H:%M")


def _form(**changes):
    return {"units": ["vn34-c20779"], "category": "Met", "severity": "Severe", "urgency": "Expected",
            "certainty": "Likely", "onset_at": _when(1), "expires_at": _when(24), "event": "Lũ quét",
            "headline": "Cảnh báo lũ quét xã Hiệp Đức", "description": "Mưa lớn 200 mm.",
            "instruction": "Di dời khỏi vùng trũng.", "event_en": "Flash flood",
            "headline_en": "Flash flood warning, Hiệp Đức", "description_en": "Heavy rain, 200 mm.",
            "instruction_en": "Leave low-lying areas."} | changes  # fmt: skip


def test_the_composer_speaks_vietnamese(operator):
    html = operator.get("/warnings/new/").content.decode()
    assert "Soạn cảnh báo công khai" in html and "Khí tượng" in html and "Khẩn cấp" in html


def test_a_draft_is_saved_and_previewed_as_a_valid_cap_message(operator):
    response = operator.post("/warnings/new/", _form())
    warning = PublicWarning.objects.get()
    assert response.status_code == 302 and warning.status == WarningStatus.DRAFT
    assert warning.onset_at is not None and [u.key for u in warning.units.all()] == ["vn34-c20779"]
    html = operator.get(f"/warnings/{warning.pk}/").content.decode()
    assert "&lt;onset&gt;" in html and warning.identifier in html
    if XSD.exists():
        assert 'data-testid="cap-valid"' in html


def test_a_validity_that_ends_before_it_begins_is_refused_beside_the_field_and_the_form_kept(operator):
    html = operator.post("/warnings/new/", _form(expires_at=_when(0.5), onset_at=_when(2))).content.decode()
    error = html.split('data-testid="error-expires_at">')[1].split("</p>")[0]
    assert "bắt đầu" in error and 'value="Cảnh báo lũ quét xã Hiệp Đức"' in html and "Xã Hiệp Đức" in html
    assert not PublicWarning.objects.exists()


def test_publish_update_and_cancel_from_the_pages_make_a_chain_of_cap_messages(operator, client):
    operator.post("/warnings/new/", _form())
    draft = PublicWarning.objects.get()
    operator.post(f"/warnings/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == WarningStatus.PUBLISHED and draft.sent_at
    page = operator.get(f"/warnings/new/?update={draft.pk}").content.decode()
    assert 'value="Cảnh báo lũ quét xã Hiệp Đức"' in page and f'value="{draft.pk}"' in page
    response = operator.post("/warnings/new/", _form(update_of=draft.pk, headline="Lũ quét lan rộng",
                                                     severity="Extreme"))  # fmt: skip
    update = PublicWarning.objects.get(msg_type=MessageType.UPDATE)
    assert response["Location"] == f"/warnings/{update.pk}/" and update.previous == draft
    response = operator.post(f"/warnings/{update.pk}/cancel/")
    cancel = PublicWarning.objects.get(msg_type=MessageType.CANCEL)
    assert response["Location"] == f"/warnings/{cancel.pk}/"
    assert [w.status for w in PublicWarning.objects.order_by("pk")] == ["superseded", "cancelled", "published"]
    if XSD.exists():
        schema = etree.XMLSchema(etree.parse(str(XSD)))
        for w in (draft, update, cancel):
            schema.assertValid(etree.fromstring(client.get(f"/cap/alerts/{w.identifier}.xml").content))


def test_only_a_draft_can_be_edited(operator):
    operator.post("/warnings/new/", _form())
    w = PublicWarning.objects.get()
    assert operator.post(f"/warnings/{w.pk}/edit/", _form(headline="Sửa tiêu đề")).status_code == 302
    w.refresh_from_db()
    assert w.headline == "Sửa tiêu đề"
    operator.post(f"/warnings/{w.pk}/publish/")
    assert operator.get(f"/warnings/{w.pk}/edit/").status_code == 404


def test_a_warning_outside_the_operators_scope_is_not_found_and_units_outside_cannot_be_picked(client):
    from toancanh.core.scoping import Scope
    from toancanh.operations import warnings

    other = Unit.objects.filter(level="province", valid_to__isnull=True).exclude(key="vn34-p48").first()
    w = warnings.draft_warning(by=None, scope=Scope(everywhere=True), units=[other.key], **{
        k: v for k, v in _form().items() if k not in ("units", "onset_at", "expires_at")})  # fmt: skip
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48")))
    assert client.get(f"/warnings/{w.pk}/").status_code == 404
    assert client.post(f"/warnings/{w.pk}/publish/").status_code == 404
    html = client.post("/warnings/new/", _form(units=[other.key])).content.decode()
    assert 'data-testid="error-units"' in html


def test_a_leader_reads_warnings_but_cannot_compose(client):
    client.force_login(StaffFactory(role="leader", unit=Unit.objects.get(key="vn34-p48")))
    assert client.get("/warnings/").status_code == 200
    assert client.get("/warnings/new/").status_code == 404


def test_the_demo_leaves_a_draft_warning():
    from toancanh.operations import demo

    demo.draft_warning()
    assert PublicWarning.objects.get().status == WarningStatus.DRAFT


def _inside(key: str, size: float = 0.002) -> dict:
    from shapely.geometry import mapping, shape

    from toancanh.units.geometry import area_of_units

    p = shape(area_of_units([Unit.objects.get(key=key)])).representative_point()
    return mapping(p.buffer(size, quad_segs=2))


def test_an_area_drawn_within_the_units_is_the_polygon_of_the_cap_message(operator, client):
    import json

    drawn = _inside("vn34-c20779")
    operator.post("/warnings/new/", _form(area=json.dumps(drawn)))
    w = PublicWarning.objects.get()
    assert w.area["type"] == "Polygon"
    operator.post(f"/warnings/{w.pk}/publish/")
    doc = etree.fromstring(client.get(f"/cap/alerts/{w.identifier}.xml").content)
    cap = "{urn:oasis:names:tc:emergency:cap:1.2}"
    areas = doc.find(f"{cap}info").findall(f"{cap}area")
    assert len(areas) == 1 and "Vùng vẽ" in areas[0].findtext(f"{cap}areaDesc")
    lon, lat = drawn["coordinates"][0][0]
    assert areas[0].findtext(f"{cap}polygon").startswith(f"{lat:.5f},{lon:.5f}")
    if XSD.exists():
        etree.XMLSchema(etree.parse(str(XSD))).assertValid(doc)


def test_an_area_drawn_outside_the_units_is_refused_beside_the_map(operator):
    import json

    far = {"type": "Polygon", "coordinates": [[[105.0, 21.0], [105.1, 21.0], [105.1, 21.1], [105.0, 21.0]]]}
    html = operator.post("/warnings/new/", _form(area=json.dumps(far))).content.decode()
    assert 'data-testid="error-area"' in html and not PublicWarning.objects.exists()
