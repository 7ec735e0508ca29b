"""The leader's home (Tổng quan): the province at a glance for a period — headline indicators
against their targets with their lights, what needs attention, what changed since yesterday —
and the same as a one-page PDF brief."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from toancanh.indicators import services
from toancanh.indicators.tests.factories import EVERYWHERE, indicator, values
from toancanh.operations.models import Situation, SituationStep
from toancanh.tests.cast import HIEP_DUC, PROVINCE
from toancanh.web import leader

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(world):
    indicator("REV", name_vi="Thu ngân sách nhà nước", name_en="State budget revenue", decimals=1)
    indicator("DENGUE", name_vi="Số ca sốt xuất huyết", name_en="Dengue cases", sector="health", measure="ca",
              direction="down", decimals=0)  # fmt: skip
    values(*[("REV", HIEP_DUC, f"2026-{m:02d}", 100) for m in range(1, 11)],
           *[("DENGUE", HIEP_DUC, f"2026-{m:02d}", 60) for m in range(1, 11)])  # fmt: skip
    for code, value in (("REV", 1000), ("DENGUE", 400)):
        services.set_target(by=None, scope=EVERYWHERE, indicator=code, unit=PROVINCE, year=2026, value=value)
    unit = world.units[HIEP_DUC]
    s = Situation.objects.create(title="Ngập sâu tại Hiệp Đức", severity="Severe", unit=unit, opened_by="x")
    SituationStep.objects.create(
        situation=s, order=1, title="Sơ tán dân", due_at=timezone.now() - dt.timedelta(hours=2)
    )
    Situation.objects.create(title="Cây đổ nhẹ", severity="Minor", unit=unit, opened_by="x")
    return world


def test_the_glance_judges_headline_indicators_and_lists_what_needs_attention(province):
    user = province.users["leader"]
    g = leader.glance(user, province.units[PROVINCE], leader.chosen_period("2026-10", dt.date(2026, 11, 23)))
    status = {f.indicator.code: f.status for f in g.figures}
    assert status == {"REV": "green", "DENGUE": "red"}  # 1000 of 1000 by October; 600 cases over a cap of 400
    assert [f.indicator.code for f in g.off_track] == ["DENGUE"]
    assert [s.title for s in g.severe] == ["Ngập sâu tại Hiệp Đức"]  # the minor one needs no leader
    assert [s.title for s in g.overdue] == ["Sơ tán dân"]
    assert g.changed_total == 20  # every figure above was filed just now


def test_a_period_picked_in_the_past_shows_the_figures_known_then(province):
    user = province.users["leader"]
    march = leader.glance(user, province.units[PROVINCE], leader.chosen_period("2026Q1", dt.date(2026, 11, 23)))
    rev = next(f for f in march.figures if f.indicator.code == "REV")
    assert rev.period == "2026-03" and rev.year_to_date == 300


def test_the_periods_are_offered_as_people_say_them():
    labels = [p.label_vi for p in leader.period_choices(dt.date(2026, 10, 5))]
    assert labels[0] == "Tháng 10/2026" and "Quý III/2026" in labels and "Năm 2025" in labels
    assert leader.chosen_period("2019-01", dt.date(2026, 10, 5)).code == "2026-10"  # not offered: this month


def test_the_leader_lands_on_the_overview_of_the_province(province):
    html = province.client("leader").get("/?period=2026-10").content.decode()
    assert 'data-testid="tile-REV"' in html and "tile status-green" in html and "tile status-red" in html
    assert "Tháng 10/2026" in html and "Quý III/2026" in html
    assert "Ngập sâu tại Hiệp Đức" in html and "Sơ tán dân" in html and "Cây đổ nhẹ" not in html
    assert "Tải bản tin PDF" in html and "Thay đổi từ hôm qua" in html
    # Other roles keep the unit page; the overview stays one click away.
    assert 'data-testid="tile-REV"' not in province.client("operator").get("/").content.decode()
    assert province.client("operator").get("/overview/").status_code == 200


def test_the_brief_is_a_printable_pdf_in_vietnamese(province):
    from pypdf import PdfReader

    response = province.client("leader").get(f"/overview/brief.pdf?unit={PROVINCE}&period=2026-10")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for words in ("Thành phố Đà Nẵng", "Tháng 10/2026", "Thu ngân sách nhà nước", "Số ca sốt xuất huyết",
                  "Cần chú ý", "Ngập sâu tại Hiệp Đức"):  # fmt: skip
        assert words in text


def test_a_unit_outside_the_scope_has_no_overview_nor_brief(province):
    c = province.client("operator_tam_ky")
    assert c.get(f"/overview/?unit={HIEP_DUC}").status_code == 404
    assert c.get(f"/overview/brief.pdf?unit={HIEP_DUC}").status_code == 404
