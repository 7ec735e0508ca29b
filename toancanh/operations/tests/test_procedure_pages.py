"""Administrators define situation types and their procedures on a page: steps with owners and
deadlines in minutes or hours; a situation of that type opens with those steps; a type switched off
is no longer offered."""

from __future__ import annotations

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.core.scoping import Scope
from toancanh.operations import services
from toancanh.operations.models import SituationType
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(StaffFactory(role="admin", unit=Unit.objects.get(key="vn34-p48")))
    return client


def _form(**changes):
    return {"name": "Sạt lở đất", "code": "sat-lo", "sector": "environment",
            "step_0_title": "Khảo sát hiện trường", "step_0_owner": "UBND xã", "step_0_due": "30", "step_0_unit": "minutes",
            "step_1_title": "Sơ tán hộ dân", "step_1_owner": "Ban chỉ huy PCTT&TKCN", "step_1_due": "2", "step_1_unit": "hours",
            "step_2_title": "", "step_2_owner": "", "step_2_due": "", "step_2_unit": "minutes"} | changes  # fmt: skip


def test_an_administrator_defines_a_procedure_and_a_situation_of_that_type_starts_with_its_steps(admin):
    page = admin.get("/procedures/new/").content.decode()
    assert "Bước 3" in page or 'name="step_2_title"' in page
    response = admin.post("/procedures/new/", _form())
    stype = SituationType.objects.get(code="sat-lo")
    assert response.status_code == 302
    assert stype.steps == [{"title": "Khảo sát hiện trường", "owner": "UBND xã", "due_minutes": 30},
                           {"title": "Sơ tán hộ dân", "owner": "Ban chỉ huy PCTT&TKCN", "due_minutes": 120}]  # fmt: skip
    html = admin.get(f"/procedures/{stype.pk}/").content.decode()
    assert "Sơ tán hộ dân" in html and "2 giờ" in html
    situation = services.open_situation(by=None, title="Sạt lở", severity="Severe",
                                        unit=Unit.objects.get(key="vn34-c20779"), type_code="sat-lo")  # fmt: skip
    assert [s.title for s in situation.steps.all()] == ["Khảo sát hiện trường", "Sơ tán hộ dân"]


def test_editing_keeps_the_code_and_a_step_without_a_title_is_refused_beside_it(admin):
    admin.post("/procedures/new/", _form())
    stype = SituationType.objects.get(code="sat-lo")
    html = admin.post(f"/procedures/{stype.pk}/edit/", _form(code="khac", step_1_title="")).content.decode()
    assert 'data-testid="error-step_1_title"' in html and 'value="Sơ tán hộ dân"' not in html
    assert 'value="Ban chỉ huy PCTT&amp;TKCN"' in html  # what was typed is kept
    admin.post(f"/procedures/{stype.pk}/edit/", _form(code="khac", name="Sạt lở đất, đá"))
    stype.refresh_from_db()
    assert stype.code == "sat-lo" and stype.name == "Sạt lở đất, đá"


def test_a_type_switched_off_is_no_longer_offered_when_opening_a_situation(admin):
    admin.post("/procedures/new/", _form())
    stype = SituationType.objects.get(code="sat-lo")
    admin.post(f"/procedures/{stype.pk}/disable/")
    stype.refresh_from_db()
    assert not stype.active
    assert 'value="sat-lo"' not in admin.get("/situations/new/").content.decode()


def test_an_operator_cannot_manage_procedures(client):
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48")))
    assert client.get("/procedures/").status_code == 403
    assert Scope  # imported for symmetry with other page tests
