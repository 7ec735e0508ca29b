"""The administrator's account pages: users and API keys within the administrator's scope."""

from __future__ import annotations

import pytest

from toancanh.accounts.models import ApiKey, User
from toancanh.core.models import AuditEntry
from toancanh.tests.cast import HIEP_DUC, TAM_KY

pytestmark = pytest.mark.django_db


def _user_form(**changes):
    return {"username": "tranthib", "full_name": "Trần Thị B", "password": "mat-khau-du-dai-9", "role": "operator",
            "unit": HIEP_DUC, "sectors": ["environment"]} | changes  # fmt: skip


def test_an_administrator_creates_a_user_with_role_and_scope_through_the_service(world):
    response = world.client("admin_hiep_duc").post("/users/new/", _user_form())
    user = User.objects.get(username="tranthib")
    assert response.status_code == 302 and response["Location"] == f"/users/{user.pk}/"
    assert (user.role, user.unit.key, [s.code for s in user.sectors.all()]) == ("operator", HIEP_DUC, ["environment"])
    assert user.check_password("mat-khau-du-dai-9")
    assert AuditEntry.objects.filter(action="users.create", object_id=str(user.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "12345678"}, "password", "quá phổ biến"),
        ({"username": "x"}, "username", "Từ 3 đến 150 ký tự"),
        ({"unit": TAM_KY}, "unit", "Hãy chọn trong danh sách"),
        ({"role": ""}, "role", "bắt buộc"),
        ({"agency": "ubnd-tam-ky"}, "agency", "Hãy chọn trong danh sách"),
    ],
)
def test_a_wrong_value_is_refused_in_vietnamese_beside_its_field(world, changes, field, message):
    response = world.client("admin_hiep_duc").post("/users/new/", _user_form(**changes))
    html = response.content.decode()
    error = html.split(f'data-testid="error-{field}">')[1].split("</p>")[0]
    assert message in error
    assert 'value="Trần Thị B"' in html
    assert not User.objects.filter(username="tranthib").exists()


def test_users_outside_the_scope_are_not_listed_and_their_pages_answer_404(world):
    c = world.client("admin_hiep_duc")
    html = c.get("/users/").content.decode()
    assert world.users["clerk_hiep_duc"].username in html
    assert world.users["operator_tam_ky"].username not in html
    other = world.users["operator_tam_ky"].pk
    assert c.get(f"/users/{other}/").status_code == 404
    assert c.post(f"/users/{other}/disable/").status_code == 404
    assert User.objects.get(pk=other).is_active


def test_an_administrator_resets_a_password_and_disables_an_account_but_not_their_own(world):
    c = world.client("admin")
    clerk = world.users["clerk_hiep_duc"]
    c.post(f"/users/{clerk.pk}/password/", {"password": "mat-khau-moi-2026"})
    c.post(f"/users/{clerk.pk}/disable/")
    clerk.refresh_from_db()
    assert clerk.check_password("mat-khau-moi-2026") and not clerk.is_active
    me = world.users["admin"]
    response = c.post(f"/users/{me.pk}/disable/", follow=True)
    assert "Bạn không thể tự khóa tài khoản của mình" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


def test_an_api_key_is_shown_once_and_revoked_from_its_page(world):
    c = world.client("admin")
    response = c.post("/apikeys/new/", {"name": "tram-quan-trac", "role": "operator", "unit": HIEP_DUC})
    html = response.content.decode()
    key = ApiKey.objects.get(name="tram-quan-trac")
    plain = html.split('data-testid="issued-key"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert plain.startswith(f"tc_{key.key_id}_") and key.matches(plain.split("_", 2)[2])
    assert response["Cache-Control"] == "no-store"
    assert plain not in c.get(f"/apikeys/{key.pk}/").content.decode()  # never shown again
    c.post(f"/apikeys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert "Đã thu hồi" in c.get("/apikeys/?state=revoked").content.decode()


def test_the_audit_log_lists_only_entries_within_the_scope(world):
    world.client("admin").post("/users/new/", _user_form(unit=TAM_KY, username="o-tam-ky", full_name="Ở Tam Kỳ"))
    world.client("admin").post("/users/new/", _user_form(username="o-hiep-duc", full_name="Ở Hiệp Đức"))
    html = world.client("admin_hiep_duc").get("/audit/?action=users.create").content.decode()
    assert "Ở Hiệp Đức" in html and "Ở Tam Kỳ" not in html
    assert world.client("leader").get("/audit/").status_code == 200
    assert world.client("operator").get("/audit/").status_code == 403
