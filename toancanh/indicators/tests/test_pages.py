"""The administrator keeps the indicator catalogue and the yearly targets in the browser: lists
search without accents, filter and export; forms put Vietnamese errors beside the field and keep
what was typed; the formula is checked as it is typed; targets go through ``set_target``."""

from __future__ import annotations

import csv
import io

import pytest

from toancanh.core.models import AuditEntry
from toancanh.indicators.models import Indicator, Target
from toancanh.indicators.tests.factories import indicator
from toancanh.tests.cast import HIEP_DUC, PROVINCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(world):
    indicator("REV", name_vi="Thu ngân sách nhà nước", name_en="State budget revenue")
    indicator("POP", name_vi="Dân số trung bình", name_en="Average population", measure="người",
              time_aggregation="avg", decimals=0)  # fmt: skip
    indicator("DENGUE", name_vi="Số ca sốt xuất huyết", name_en="Dengue cases", sector="health", measure="ca",
              direction="down", decimals=0)  # fmt: skip
    return world


FORM = {
    "code": "REV_PC", "name_vi": "Thu ngân sách bình quân đầu người", "name_en": "Revenue per person",
    "sector": "economy", "measure": "triệu đồng", "period_type": "month", "unit_aggregation": "none",
    "time_aggregation": "sum", "direction": "up", "decimals": "1", "min_value": "", "max_value": "",
    "formula": "REV / POP * 1000", "green_at": "100", "amber_at": "90", "source": "", "legal_basis": "",
}  # fmt: skip


def test_the_catalogue_searches_without_accents_filters_and_exports(catalogue):
    c = catalogue.client("admin")
    html = c.get("/catalogue/indicators/?q=thu ngan sach").content.decode()
    assert "Thu ngân sách nhà nước" in html and "Dân số trung bình" not in html
    health = c.get("/catalogue/indicators/?sector=health").content.decode()
    assert "Số ca sốt xuất huyết" in health and "Thu ngân sách" not in health
    rows = list(csv.reader(io.StringIO(c.get("/catalogue/indicators/?export=csv").content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["Mã", "Tên"] and {r[0] for r in rows[1:]} == {"REV", "POP", "DENGUE"}


def test_an_indicator_with_a_wrong_formula_is_refused_beside_the_field_and_nothing_typed_is_lost(catalogue):
    c = catalogue.client("admin")
    response = c.post("/catalogue/indicators/new/", FORM | {"formula": "REV / DANSO"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="error-formula"' in html and "chỉ tiêu không có trong danh mục: DANSO" in html
    assert 'value="Thu ngân sách bình quân đầu người"' in html and 'value="REV / DANSO"' in html
    assert not Indicator.objects.filter(code="REV_PC").exists()
    response = c.post("/catalogue/indicators/new/", FORM)
    assert response.status_code == 302
    saved = Indicator.objects.get(code="REV_PC")
    assert saved.formula == "REV / POP * 1000" and saved.sector_id == "economy"
    assert AuditEntry.objects.filter(action="indicators.define", object_repr__contains="REV_PC").exists()


def test_the_formula_is_checked_as_it_is_typed_in_vietnamese(catalogue):
    c = catalogue.client("admin")
    ok = c.get("/catalogue/indicators/check-formula/", {"formula": "REV / POP", "code": "REV_PC"}).content.decode()
    assert "Công thức hợp lệ" in ok and "POP, REV" in ok
    bad = c.get("/catalogue/indicators/check-formula/", {"formula": "REV /", "code": "X"}).content.decode()
    assert "không phải là biểu thức hợp lệ" in bad
    cycle = c.get("/catalogue/indicators/check-formula/", {"formula": "REV + 1", "code": "REV"}).content.decode()
    assert "vòng lặp" in cycle


def test_only_a_provincial_administrator_may_change_the_catalogue(catalogue):
    rev = Indicator.objects.get(code="REV")
    assert catalogue.client("admin_hiep_duc").get(f"/catalogue/indicators/{rev.pk}/edit/").status_code == 404
    assert catalogue.client("admin_hiep_duc").post("/catalogue/indicators/new/", FORM).status_code == 404
    assert catalogue.client("leader").get("/catalogue/indicators/new/").status_code in (403, 404)
    response = catalogue.client("admin").post(f"/catalogue/indicators/{rev.pk}/edit/",
                                              {**FORM, "code": "", "formula": "", "unit_aggregation": "sum",
                                               "name_vi": "Thu NSNN"})  # fmt: skip
    assert response.status_code == 302
    assert Indicator.objects.get(code="REV").name_vi == "Thu NSNN"


def test_a_target_is_set_and_changed_through_the_form(catalogue):
    c = catalogue.client("admin")
    form = {"indicator": "REV", "unit": HIEP_DUC, "year": "2026", "kind": "range", "value": "7,5", "upper": "",
            "note": ""}  # fmt: skip
    offered = c.get("/catalogue/targets/?indicator=REV&year=2026").content.decode()
    assert "95 đơn vị chưa có kế hoạch năm 2026" in offered and f"unit={PROVINCE}&amp;year=2026" in offered
    refused = c.post("/catalogue/targets/new/", form).content.decode()
    assert "Chỉ tiêu dạng khoảng cần có cận trên." in refused and 'value="7,5"' in refused
    assert c.post("/catalogue/targets/new/", form | {"upper": "8"}).status_code == 302
    target = Target.objects.get(indicator__code="REV", unit__key=HIEP_DUC, year=2026)
    assert (target.kind, float(target.value), float(target.upper)) == ("range", 7.5, 8.0)
    listing = c.get("/catalogue/targets/?indicator=REV").content.decode()
    assert "Xã Hiệp Đức" in listing and "7,5" in listing
    assert c.post(f"/catalogue/targets/{target.pk}/edit/", {"kind": "at_least", "value": "9", "upper": "",
                                                              "note": "NQ 43"}).status_code == 302  # fmt: skip
    target.refresh_from_db()
    assert (target.kind, float(target.value), target.upper, target.note) == ("at_least", 9.0, None, "NQ 43")


def test_set_target_refuses_in_vietnamese(catalogue):
    from toancanh.core.errors import ServiceError
    from toancanh.indicators import services
    from toancanh.indicators.tests.factories import EVERYWHERE

    with pytest.raises(ServiceError) as exc:
        services.set_target(by=None, scope=EVERYWHERE, indicator="REV", unit=PROVINCE, year=2026, value="mười")
    assert "không phải là số" in exc.value.message and exc.value.field == "value"
    with pytest.raises(ServiceError) as exc:
        services.set_target(by=None, scope=EVERYWHERE, indicator="REV", unit=PROVINCE, year=1990, value=1)
    assert "nằm ngoài khoảng cho phép" in exc.value.message and exc.value.field == "year"


def test_the_lists_read_in_a_bounded_number_of_queries(catalogue, django_assert_max_num_queries):
    from toancanh.indicators import services
    from toancanh.indicators.tests.factories import EVERYWHERE

    for unit in (PROVINCE, HIEP_DUC):
        for code in ("REV", "POP", "DENGUE"):
            services.set_target(by=None, scope=EVERYWHERE, indicator=code, unit=unit, year=2026, value=10)
    c = catalogue.client("admin")
    with django_assert_max_num_queries(20):
        assert c.get("/catalogue/indicators/").status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get("/catalogue/targets/").status_code == 200
