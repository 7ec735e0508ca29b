"""The situation pages: operators work a situation through its procedure from the page."""

from __future__ import annotations

import pytest

from toancanh.accounts.tests.factories import StaffFactory
from toancanh.operations import services
from toancanh.operations.models import SituationType
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation():
    SituationType.objects.create(
        code="flood", name="Ngập lụt", steps=[{"title": "Xác minh hiện trường", "due_minutes": 30}]
    )
    return services.open_situation(by=None, title="Ngập sâu", severity="Severe",
                                   unit=Unit.objects.get(key="vn34-c20779"), type_code="flood")  # fmt: skip


def test_an_operator_works_a_situation_from_its_page(client, situation):
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-p48")))
    page = client.get(f"/situations/{situation.pk}/").content.decode()
    assert "Xác minh hiện trường" in page and "Đã tiếp nhận" in page
    client.post(f"/situations/{situation.pk}/act", {"status": "acknowledged"})
    client.post(f"/situations/{situation.pk}/act", {"step": situation.steps.get().pk})
    client.post(f"/situations/{situation.pk}/act", {"note": "Đã cử lực lượng."})
    response = client.post(f"/situations/{situation.pk}/act", {"status": "closed"}, follow=True)
    assert "không thể chuyển sang “Đã đóng”" in response.content.decode()  # shown to the operator, nothing changed
    situation.refresh_from_db()
    assert situation.status == "acknowledged"
    assert [t.kind for t in situation.timeline.all()] == ["opened", "status", "step", "note"]


def test_a_leader_reads_but_cannot_act(client, situation):
    client.force_login(StaffFactory(role="leader", unit=Unit.objects.get(key="vn34-p48")))
    assert f"/situations/{situation.pk}/act" not in client.get(f"/situations/{situation.pk}/").content.decode()
    assert client.post(f"/situations/{situation.pk}/act", {"status": "acknowledged"}).status_code == 403


def test_a_situation_outside_the_scope_is_not_there(client, situation):
    client.force_login(StaffFactory(role="operator", unit=Unit.objects.get(key="vn34-c20341")))
    assert client.get(f"/situations/{situation.pk}/").status_code == 404
    assert "Ngập sâu" not in client.get("/situations/").content.decode()
