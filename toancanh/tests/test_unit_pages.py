"""The administrator's unit pages: the tree in both structures, a unit's page with its succession,
a units CSV previewed then applied (a bad line refused in Vietnamese with its line number, nothing
stored), a boundary uploaded and checked, and succession entries edited — within scope."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from toancanh.core.models import AuditEntry
from toancanh.tests.cast import HIEP_DUC, PROVINCE, TAM_KY
from toancanh.units.models import Boundary, Succession, Unit

pytestmark = pytest.mark.django_db

HEADER = "edition,code,type,name,parent,valid_from\n"
GOOD = HEADER + "vn34,99901,xa,Xã Thử Nghiệm,vn34-p48,2025-07-01\nvn34,99902,phuong,Phường Thử Hai,vn34-p48,\n"
BAD = HEADER + "vn34,99901,xa,Xã Thử Nghiệm,vn34-p48,\nvn34,99902,bang,Phường Sai,vn34-p48,\n"


def _csv(text, name="units.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_tree_starts_at_the_province_and_browses_down_in_both_structures(world):
    c = world.client("admin")
    top = c.get("/unit-tree/").content.decode()
    assert "Thành phố Đà Nẵng" in top and "Xã Hiệp Đức" not in top
    province = world.units[PROVINCE]
    communes = c.get(f"/unit-tree/?parent={PROVINCE}&structure=current").content.decode()
    assert "Xã Hiệp Đức" in communes and 'data-testid="trail"' in communes
    before = c.get("/unit-tree/?structure=before").content.decode()
    assert "Tỉnh Quảng Nam" in before
    districts = c.get("/unit-tree/?parent=vn63-p49&structure=before").content.decode()
    assert "Huyện Hiệp Đức" in districts and "Xã Hiệp Đức" not in districts
    assert province.name in c.get("/unit-tree/?q=da nang").content.decode()


def test_search_ignores_accents_and_stays_within_scope(world):
    html = world.client("admin_hiep_duc").get("/unit-tree/?q=hiep duc&structure=current").content.decode()
    assert "Xã Hiệp Đức" in html
    assert "Phường Tam Kỳ" not in world.client("admin_hiep_duc").get("/unit-tree/?q=tam ky").content.decode()
    assert world.client("admin_hiep_duc").get(f"/unit-tree/{world.units[TAM_KY].pk}/").status_code == 404


def test_a_units_page_shows_its_parent_children_and_where_it_came_from(world):
    hiep_duc = world.units[HIEP_DUC]
    html = world.client("admin").get(f"/unit-tree/{hiep_duc.pk}/").content.decode()
    assert "Thành phố Đà Nẵng" in html  # its parent
    predecessors = [s.old.name for s in Succession.objects.filter(new=hiep_duc)]
    assert predecessors and all(name in html for name in predecessors)
    former = Succession.objects.filter(new=hiep_duc).first().old
    old_html = world.client("admin").get(f"/unit-tree/{former.pk}/").content.decode()
    assert 'data-testid="successors"' in old_html and "Xã Hiệp Đức" in old_html and "01/07/2025" in old_html


def test_a_bad_line_is_refused_in_vietnamese_with_its_line_number_and_nothing_is_stored(world):
    response = world.client("admin").post("/unit-tree/import/", {"step": "preview", "file": _csv(BAD)})
    html = response.content.decode()
    assert "dòng 3" in html.lower() and "bang" in html and "không lưu" in html.lower()
    assert not Unit.objects.filter(code__in=["99901", "99902"]).exists()


def test_a_good_file_is_previewed_then_applied_with_audit(world):
    c = world.client("admin")
    preview = c.post("/unit-tree/import/", {"step": "preview", "file": _csv(GOOD)})
    html = preview.content.decode()
    assert 'data-testid="import-preview"' in html and "Xã Thử Nghiệm" in html
    assert not Unit.objects.filter(code="99901").exists()  # a preview stores nothing
    applied = c.post("/unit-tree/import/", {"step": "apply", "text": GOOD, "filename": "units.csv"})
    assert applied.status_code == 302
    assert Unit.objects.get(key="vn34-c99901").parent.key == PROVINCE
    assert AuditEntry.objects.filter(action="units.import").exists()


def test_a_commune_administrator_cannot_import_units_outside_its_commune(world):
    response = world.client("admin_hiep_duc").post("/unit-tree/import/", {"step": "preview", "file": _csv(GOOD)})
    assert "ngoài phạm vi" in response.content.decode()
    assert world.client("operator").get("/unit-tree/import/").status_code == 403


def test_a_file_that_is_not_utf8_is_refused_beside_the_field(world):
    bad = SimpleUploadedFile("units.csv", "Xã Thử".encode("cp1258", errors="replace") + b"\xff\xfe", "text/csv")
    html = world.client("admin").post("/unit-tree/import/", {"step": "preview", "file": bad}).content.decode()
    assert 'data-testid="error-file"' in html and "UTF-8" in html


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[108.0, 15.5], [108.1, 15.5], [108.1, 15.6], [108.0, 15.6], [108.0, 15.5]]],
}


def test_a_boundary_is_uploaded_checked_and_shown_on_the_units_page(world):
    c = world.client("admin_hiep_duc")
    unit = world.units[HIEP_DUC]
    feature = {"type": "Feature", "properties": {}, "geometry": SQUARE}
    upload = SimpleUploadedFile("hd.geojson", json.dumps(feature).encode(), "application/geo+json")
    response = c.post(f"/unit-tree/{unit.pk}/boundary/", {"file": upload, "source": "Sở Nội vụ"})
    assert response.status_code == 302
    assert Boundary.objects.get(unit=unit).source == "Sở Nội vụ"
    assert AuditEntry.objects.filter(action="units.boundary.set").exists()
    html = c.get(f"/unit-tree/{unit.pk}/").content.decode()
    assert 'class="unit-shape" viewBox="-10 -10 ' in html and "." not in html.split('viewBox="')[1].split('"')[0]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (json.dumps({"type": "Point", "coordinates": [108, 15]}), "Polygon"),
        (json.dumps({"type": "Polygon", "coordinates": [[[100.0, 15.0], [100.1, 15.0], [100.1, 15.1], [100.0, 15.0]]]}),
         "Việt Nam"),
        ("not json", "GeoJSON"),
    ],
)  # fmt: skip
def test_a_bad_boundary_is_refused_in_vietnamese(world, payload, message):
    unit = world.units[HIEP_DUC]
    upload = SimpleUploadedFile("b.geojson", payload.encode(), "application/geo+json")
    html = world.client("admin").post(f"/unit-tree/{unit.pk}/boundary/", {"file": upload}).content.decode()
    assert message in html.split('data-testid="error-file">')[1].split("</p>")[0]
    assert not Boundary.objects.filter(unit=unit).exists()


def test_a_boundary_outside_the_scope_is_not_there(world):
    unit = world.units[TAM_KY]
    upload = SimpleUploadedFile("b.geojson", json.dumps(SQUARE).encode(), "application/geo+json")
    assert world.client("admin_hiep_duc").post(f"/unit-tree/{unit.pk}/boundary/", {"file": upload}).status_code == 404
    assert world.client("leader").get(f"/unit-tree/{unit.pk}/boundary/").status_code == 403


def test_an_administrator_records_and_corrects_a_succession_entry(world):
    c = world.client("admin")
    former = Succession.objects.filter(new=world.units[HIEP_DUC]).first().old
    response = c.post("/successions/new/", {"old": former.key, "new": TAM_KY, "share": "0.9"})
    assert "1" in response.content.decode() and 'data-testid="error-share"' in response.content.decode()
    entry = Succession.objects.get(old=former, new=world.units[HIEP_DUC])
    edited = c.post(f"/successions/{entry.pk}/edit/", {"old": former.key, "new": HIEP_DUC, "share": "1",
                                                       "source": "NQ 1659"})  # fmt: skip
    assert edited.status_code == 302
    entry.refresh_from_db()
    assert entry.source == "NQ 1659"
    assert AuditEntry.objects.filter(action="units.succession.update").exists()
    assert c.post(f"/successions/{entry.pk}/delete/").status_code == 302
    assert not Succession.objects.filter(pk=entry.pk).exists()
    assert world.client("leader").get("/successions/new/").status_code == 404


def test_the_succession_list_searches_former_and_new_units_without_accents(world):
    html = world.client("admin_hiep_duc").get("/successions/?q=que tan").content.decode()
    assert "Xã Quế Tân" in html and "Xã Hiệp Đức" in html and "01/07/2025" in html
    assert "Phường Tam Kỳ" not in world.client("admin_hiep_duc").get("/successions/?q=tam ky").content.decode()


def test_the_tree_and_a_units_page_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    c = world.client("admin")
    c.get("/unit-tree/")  # the session and the shell's first queries
    with django_assert_max_num_queries(14):
        response = c.get(f"/unit-tree/?parent={PROVINCE}&structure=current")  # 94 communes, each with its parent
    assert response.content.decode().count('data-testid="row"') == 94
    with django_assert_max_num_queries(20):  # the shell, the unit, its parent, children, succession both ways
        c.get(f"/unit-tree/{world.units[HIEP_DUC].pk}/")


def test_staff_without_the_permission_read_the_tree_but_change_nothing(world):
    c = world.client("officer")
    assert c.get("/unit-tree/").status_code == 200
    html = c.get(f"/unit-tree/{world.units[HIEP_DUC].pk}/").content.decode()
    assert 'data-testid="act-boundary"' not in html and 'data-testid="add-succession"' not in html
    assert c.get("/unit-tree/import/").status_code == 403
    assert world.client("citizen").get("/unit-tree/").status_code == 403
    assert world.client("anonymous").get("/unit-tree/").status_code == 302
