"""Integrators' API keys: Bearer authentication, scope, revocation, expiry, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from toancanh.accounts.models import ApiKey
from toancanh.accounts.services import create_api_key, revoke_api_key
from toancanh.core.errors import NotFound, ServiceError
from toancanh.core.models import AuditEntry
from toancanh.core.scoping import Scope

pytestmark = pytest.mark.django_db


def _key(**kw):
    args = {"by": None, "scope": Scope(everywhere=True), "name": "lgsp", "role": "operator", "unit": "vn34-c20341"} | kw
    return create_api_key(**args)


def test_a_key_authenticates_as_bearer_and_carries_its_scope(client):
    key, plain = _key()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).json()
    assert me["kind"] == "apikey" and me["unit"] == "vn34-c20341" and me["role"] == "operator"
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None


def test_only_a_hash_of_the_secret_is_stored():
    key, plain = _key()
    assert plain.split("_", 2)[2] not in key.secret_hash
    assert key.matches(plain.split("_", 2)[2])


@pytest.mark.parametrize("header", ["Bearer tc_nothing_here", "Bearer garbage", "Basic abc", ""])
def test_a_wrong_or_missing_key_answers_401_with_a_reason(client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert "cần xác thực" in response.json()["detail"]  # in Vietnamese unless the caller asks for English


def test_a_revoked_key_stops_working_and_the_revocation_is_audited(client):
    key, plain = _key()
    revoke_api_key(key, by=None)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401
    assert AuditEntry.objects.filter(action="apikeys.revoke", object_id=str(key.pk)).exists()


def test_an_expired_key_stops_working(client):
    _key_obj, plain = _key(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 401


def test_a_key_cannot_be_scoped_outside_its_creators_scope():
    from toancanh.units.models import Unit
    from toancanh.units.queries import scope_paths

    hiep_duc = Scope(unit_paths=scope_paths(Unit.objects.get(key="vn34-c20779")))
    with pytest.raises(NotFound):
        _key(scope=hiep_duc, unit="vn34-c20341")


def test_an_unknown_role_is_refused_with_the_list_of_roles():
    with pytest.raises(ServiceError) as exc:
        _key(role="mayor")
    assert "vai trò 'mayor' không có" in exc.value.message and "leader" in exc.value.message


def test_key_names_are_unique():
    _key()
    with pytest.raises(ServiceError):
        _key()
