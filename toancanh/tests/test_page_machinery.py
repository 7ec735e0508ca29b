"""The page machinery, through real pages built on it (agencies, users, the audit log): lists filter,
search without accents, sort, page and export; detail pages answer 404 outside the scope; forms
keep what was typed and put the errors beside the field; acts are confirmed before they are done."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from toancanh.core.pages.search import search
from toancanh.tests.cast import HIEP_DUC, TAM_KY
from toancanh.units.models import Agency, Unit
from toancanh.units.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def test_search_ignores_accents_and_case_in_any_column():
    qs = Unit.objects.filter(key__in=[HIEP_DUC, TAM_KY])
    assert [u.key for u in search(qs, "HIEP duc", ["name"])] == [HIEP_DUC]
    assert [u.key for u in search(qs, "tam kỳ", ["name"])] == [TAM_KY]
    assert [u.key for u in search(qs, "phường  đức", ["name"])] == []  # every word must match


def _rows(response) -> list[str]:
    html = response.content.decode()
    return [chunk.split("</td>")[0] for chunk in html.split('<tr data-testid="row"><td class="')[1:]]


def test_the_agency_list_searches_filters_sorts_and_pages(world):
    c = world.client("admin")
    for n in range(30):
        AgencyFactory(code=f"truong-{n:02d}", name=f"Trường Tiểu học số {n:02d}", kind="truong_hoc",
                      unit=world.units[HIEP_DUC])  # fmt: skip
    page = c.get("/agencies/?q=truong tieu hoc&sort=-name")
    assert page.status_code == 200
    html = page.content.decode()
    assert "30 kết quả" in html
    assert "Trường Tiểu học số 29" in _rows(page)[0] and len(_rows(page)) == 25
    second = c.get("/agencies/?q=truong tieu hoc&sort=-name&page=2")
    assert "Trường Tiểu học số 04" in _rows(second)[0] and len(_rows(second)) == 5
    only_ubnd = c.get("/agencies/?kind=ubnd").content.decode()
    assert "UBND xã Hiệp Đức" in only_ubnd and "Sở Y tế" not in only_ubnd
    within = c.get(f"/agencies/?unit={TAM_KY}").content.decode()
    assert "UBND phường Tam Kỳ" in within and "UBND xã Hiệp Đức" not in within


def test_htmx_asks_for_the_results_only(world):
    response = world.client("admin").get("/agencies/?q=hiep", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"') and "<html" not in html
    assert "UBND xã Hiệp Đức" in html and "Sở Y tế" not in html


def test_the_list_downloads_as_csv_and_excel_with_its_filters(world):
    c = world.client("admin")
    response = c.get("/agencies/?kind=ubnd&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Tên", "Mã"]
    assert sorted(r[1] for r in rows[1:]) == ["ubnd-hiep-duc", "ubnd-tam-ky"]
    xlsx = c.get("/agencies/?q=so y te&export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[2]][:2] == ["Sở Y tế", "so-y-te"] and sheet.max_row == 2


def test_out_of_scope_rows_are_absent_and_their_pages_answer_404(world):
    c = world.client("admin_hiep_duc")
    html = c.get("/agencies/").content.decode()
    assert "UBND xã Hiệp Đức" in html and "UBND phường Tam Kỳ" not in html
    tam_ky = world.agencies["tam_ky"]
    for url in [f"/agencies/{tam_ky.pk}/", f"/agencies/{tam_ky.pk}/edit/", f"/agencies/{tam_ky.pk}/disable/"]:
        response = c.get(url)
        assert response.status_code == 404
        assert "ngoài phạm vi" in response.content.decode()  # the 404 page, in the application's frame
    assert c.post(f"/agencies/{tam_ky.pk}/disable/").status_code == 404
    exported = c.get("/agencies/?export=csv").content.decode("utf-8-sig")
    assert "ubnd-tam-ky" not in exported


def test_roles_without_the_permission_get_the_403_page_and_anonymous_the_login(world):
    assert world.client("leader").get("/users/").status_code == 403
    assert world.client("operator").get("/agencies/new/").status_code == 404  # may read agencies, not create
    assert "Bạn không thể mở trang này" in world.client("leader").get("/users/").content.decode()
    citizen = world.client("citizen").get("/agencies/")
    assert citizen.status_code == 403 and "dành cho cán bộ" in citizen.content.decode()
    assert world.client("anonymous").get("/users/").status_code == 302


def test_a_wrong_value_is_shown_beside_its_field_and_nothing_typed_is_lost(world):
    c = world.client("admin")
    response = c.post("/agencies/new/", {"code": "có dấu", "name": "Trung tâm Y tế Hiệp Đức", "kind": "benh_vien",
                                         "unit": HIEP_DUC, "phone": "0235 3883 000", "sectors": ["health"]})  # fmt: skip
    assert response.status_code == 200  # the form again, with its errors
    html = response.content.decode()
    assert 'data-testid="error-code"' in html
    assert 'value="Trung tâm Y tế Hiệp Đức"' in html and 'value="0235 3883 000"' in html
    assert f'value="{HIEP_DUC}"' in html and "Xã Hiệp Đức" in html  # the picked unit, by name
    assert 'value="health" checked' in html or 'checked value="health"' in html or "checked" in html
    assert not Agency.objects.filter(name="Trung tâm Y tế Hiệp Đức").exists()


def test_a_unit_outside_the_scope_cannot_be_picked_even_by_hand(world):
    c = world.client("admin_hiep_duc")
    response = c.post("/agencies/new/", {"code": "ttyt-tam-ky", "name": "TTYT Tam Kỳ", "kind": "benh_vien",
                                         "unit": TAM_KY})  # fmt: skip
    assert response.status_code == 200  # the form again, with its errors
    assert 'data-testid="error-unit"' in response.content.decode()
    assert not Agency.objects.filter(code="ttyt-tam-ky").exists()


def test_an_agency_is_created_edited_and_disabled_through_the_pages_and_audited(world):
    from toancanh.core.models import AuditEntry

    c = world.client("admin")
    response = c.post("/agencies/new/", {"code": "ttyt-hiep-duc", "name": "Trung tâm Y tế Hiệp Đức",
                                         "kind": "benh_vien", "unit": HIEP_DUC, "sectors": ["health"]})  # fmt: skip
    agency = Agency.objects.get(code="ttyt-hiep-duc")
    assert response.status_code == 302 and response["Location"] == f"/agencies/{agency.pk}/"
    c.post(f"/agencies/{agency.pk}/edit/", {"name": "TTYT khu vực Hiệp Đức", "kind": "benh_vien", "unit": HIEP_DUC})
    confirm = c.get(f"/agencies/{agency.pk}/disable/").content.decode()
    assert "Ngừng sử dụng" in confirm
    c.post(f"/agencies/{agency.pk}/disable/")
    agency.refresh_from_db()
    assert agency.name == "TTYT khu vực Hiệp Đức" and not agency.active and agency.sectors.count() == 0
    assert list(AuditEntry.objects.filter(object_id=str(agency.pk)).order_by("id").values_list("action", flat=True)) == [
        "agencies.create", "agencies.update", "agencies.update"]  # fmt: skip


def test_the_unit_picker_finds_units_in_scope_without_accents_and_browses_the_tree(world):
    c = world.client("admin_hiep_duc")
    found = c.get("/pick/units/?field=unit&unit__q=hiep duc").content.decode()
    assert f'data-pick-value="{HIEP_DUC}"' in found
    assert "Tam Kỳ" not in c.get("/pick/units/?field=unit&unit__q=tam ky").content.decode()
    top = world.client("admin").get("/pick/units/?field=unit").content.decode()
    assert 'data-pick-value="vn34-p48"' in top and "drill" in top
    below = world.client("admin").get("/pick/units/?field=unit&parent=vn34-p48").content.decode()
    assert f'data-pick-value="{HIEP_DUC}"' in below
    assert world.client("anonymous").get("/pick/units/").status_code == 302


def test_a_list_page_costs_the_same_queries_for_two_rows_or_twenty_seven(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = world.client("admin")
    c.get("/agencies/")  # sessions, caches warmed
    with CaptureQueriesContext(connection) as few:
        c.get("/agencies/?kind=ubnd")
    for n in range(25):
        agency = AgencyFactory(code=f"so-{n:02d}", name=f"Sở số {n:02d}", kind="ubnd", unit=world.units[HIEP_DUC])
        agency.sectors.set(["health"])
    with CaptureQueriesContext(connection) as many:
        c.get("/agencies/?kind=ubnd")
    assert len(many) == len(few)
