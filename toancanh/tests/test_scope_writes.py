"""Scope applies to writes: nobody creates anything (an account, a key, an event, a rule, a situation,
an indicator) outside their own units, sectors or agency; and nobody reads a channel's secrets."""

from __future__ import annotations

import json

import pytest

from toancanh.accounts.tests.factories import StaffFactory, api_key
from toancanh.tests.cast import HIEP_DUC, PROVINCE, TAM_KY


def _post(client, path, body):
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


@pytest.fixture
def agency_admin(world):
    """An administrator of the province bound to the health department (and the health sector)."""
    from toancanh.core.models import Sector

    user = StaffFactory(role="admin", unit=world.units[PROVINCE], agency=world.agencies["health_dept"],
                        sectors=[Sector.objects.get(code="health")])  # fmt: skip
    world.users["agency_admin"] = user
    return world


@pytest.mark.parametrize("path", ["/apikeys", "/users"])
def test_a_sector_limited_administrator_gives_new_principals_its_own_sectors(world, path):
    body = {"name": "k-new", "username": "new-user", "password": "a-long-password-1", "role": "operator",
            "unit": HIEP_DUC}  # fmt: skip
    response = _post(world.client("admin_health"), path, body)
    assert response.status_code == 201, response.content
    assert response.json()["sectors"] == ["health"]


@pytest.mark.parametrize("path", ["/apikeys", "/users"])
def test_a_sector_limited_administrator_cannot_give_other_sectors(world, path):
    body = {"name": "k-wide", "username": "wide-user", "password": "a-long-password-1", "role": "operator",
            "unit": HIEP_DUC, "sectors": ["health", "economy"]}  # fmt: skip
    response = _post(world.client("admin_health"), path, body)
    assert response.status_code == 403
    assert "economy" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/apikeys", "/users"])
def test_an_agency_bound_administrator_gives_new_principals_its_agency_and_no_other(agency_admin, path):
    client = agency_admin.client("agency_admin")
    body = {"name": "k-agency", "username": "agency-user", "password": "a-long-password-1", "role": "operator",
            "unit": PROVINCE}  # fmt: skip
    made = _post(client, path, body)
    assert made.status_code == 201, made.content
    assert made.json()["agency"] == "so-y-te" and made.json()["sectors"] == ["health"]
    other = _post(client, path, body | {"name": "k-other", "username": "other-user", "agency": "ubnd-tam-ky"})
    assert other.status_code == 404


def test_a_sector_limited_key_cannot_post_another_sectors_events(world):
    from toancanh.core.models import Sector

    key, plain = api_key("health-feed", "operator", PROVINCE)
    key.sectors.set([Sector.objects.get(code="health")])
    event = {"source": "feed", "sector": "environment", "type": "reading", "unit": TAM_KY,
             "occurred_at": "2026-11-21T08:00:00+07:00"}  # fmt: skip
    from django.test import Client

    client = Client(headers={"Authorization": f"Bearer {plain}"})
    report = _post(client, "/events", {"events": [event | {"source_id": "1"},
                                                  event | {"source_id": "2", "sector": "health"}]}).json()  # fmt: skip
    assert report["stored"] == 1
    assert report["refused"] == [{"row": 1, "error": report["refused"][0]["error"]}]
    assert "environment" in report["refused"][0]["error"]


def test_a_sector_limited_administrator_defines_rules_of_its_sectors_only(world):
    client = world.client("admin_health")
    rule = {"name": "Sốt xuất huyết", "kind": "threshold", "unit": HIEP_DUC,
            "params": {"field": "cases", "op": ">", "value": 5}}  # fmt: skip
    assert _post(client, "/rules", rule | {"sector": "environment"}).status_code == 403
    assert _post(client, "/rules", rule).status_code == 403  # a rule for every sector is wider than health
    assert _post(client, "/rules", rule | {"sector": "health"}).status_code == 201


def test_a_sector_limited_principal_opens_situations_of_its_sectors_only(world):
    client = world.client("admin_health")
    body = {"title": "Ngộ độc thực phẩm", "severity": "Severe", "unit": HIEP_DUC}
    assert _post(client, "/situations", body | {"sector": "traffic"}).status_code == 403
    made = _post(client, "/situations", body)
    assert made.status_code == 201 and made.json()["sector"] == "health"


def test_an_agency_bound_officer_opens_situations_its_agency_leads(world):
    made = _post(world.client("officer"), "/situations", {"title": "Dịch sởi", "severity": "Severe", "unit": HIEP_DUC})
    assert made.status_code == 201 and made.json()["lead_agency"] == "so-y-te"
    other = _post(world.client("officer"), "/situations",
                  {"title": "Dịch sởi", "severity": "Severe", "unit": HIEP_DUC, "lead_agency": "ubnd-tam-ky"})  # fmt: skip
    assert other.status_code == 404


def test_a_sector_limited_administrator_cannot_move_an_indicator_to_another_sector(world):
    from toancanh.indicators.tests.factories import indicator

    indicator("HOSP", sector="health", measure="giường")
    client = world.client("admin_health")
    body = {"name_vi": "Giường bệnh", "name_en": "Hospital beds", "measure": "giường", "period_type": "month"}
    put = client.put("/api/v1/indicators/HOSP", data=json.dumps(body | {"sector": "economy"}),
                     content_type="application/json")  # fmt: skip
    assert put.status_code == 403
    ok = client.put("/api/v1/indicators/HOSP", data=json.dumps(body | {"sector": "health"}),
                    content_type="application/json")  # fmt: skip
    assert ok.status_code == 200


def test_channel_secrets_are_never_shown_whatever_their_field_name(world):
    from toancanh.operations.notifications import save_channel

    save_channel(name="sms", kind="sms", config={"endpoint": "https://user:pw@sms.example.vn/send?key=abc",
                                                 "token": "t0ken"})  # fmt: skip
    save_channel(name="mail", kind="email", config={"host": "smtp.example.vn", "sender": "ioc@x.vn",
                                                    "username": "ioc", "password": "pa55"})  # fmt: skip
    save_channel(name="hook", kind="webhook", config={"secret": "a-long-shared-secret"})
    text = world.client("admin").get("/api/v1/channels").content.decode()
    for secret in ("pw@", "key=abc", "t0ken", "pa55", "a-long-shared-secret", '"ioc"'):
        assert secret not in text
    assert "https://sms.example.vn/" in text and "smtp.example.vn" in text


def test_a_commune_administrator_cannot_overwrite_the_provinces_channel(world):
    from toancanh.core.scoping import Scope
    from toancanh.operations.notifications import save_channel

    save_channel(name="hook", kind="webhook", config={"secret": "a-long-shared-secret"}, by=world.users["admin"],
                 scope=Scope(unit_paths=(world.units[PROVINCE].path,)))  # fmt: skip
    tam_ky_admin = StaffFactory(role="admin", unit=world.units[TAM_KY])
    from toancanh.core.errors import ServiceError

    with pytest.raises(ServiceError):
        save_channel(name="hook", kind="webhook", config={"secret": "another-long-secret!"}, by=tam_ky_admin,
                     scope=tam_ky_admin.scope)  # fmt: skip


# --- administrators see and act on accounts and keys within their own scope only -------------------


def test_an_agency_bound_administrator_sees_and_manages_only_its_agencys_accounts_and_keys(agency_admin):
    from toancanh.accounts import services
    from toancanh.accounts.models import ApiKey, User

    w = agency_admin
    client = w.client("agency_admin")
    own_key, _plain = services.create_api_key(by=w.users["agency_admin"], scope=w.users["agency_admin"].scope,
                                              name="so-y-te-feed", role="operator")  # fmt: skip
    names = {u["username"] for u in client.get("/api/v1/users?limit=1000").json()["items"]}
    assert names == {w.users["officer"].username, w.users["agency_admin"].username}
    assert [k["name"] for k in client.get("/api/v1/apikeys?limit=1000").json()["items"]] == ["so-y-te-feed"]
    other_key = w.keys["key_tam_ky"][0]
    assert client.post(f"/api/v1/apikeys/{other_key.pk}/revoke").status_code == 404
    assert client.get(f"/api/v1/users/{w.users['operator'].pk}").status_code == 404
    assert client.post(f"/api/v1/apikeys/{own_key.pk}/revoke").status_code == 200
    # The pages answer the same: other agencies' accounts and keys are not there.
    for url in (f"/users/{w.users['operator'].pk}/", f"/users/{w.users['operator'].pk}/disable/",
                f"/users/{w.users['operator'].pk}/password/", f"/apikeys/{other_key.pk}/revoke/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"password": "a-new-long-password-9"}).status_code == 404, url
    assert User.objects.get(pk=w.users["operator"].pk).is_active
    assert ApiKey.objects.get(pk=other_key.pk).revoked_at is None


def test_a_sector_limited_administrator_does_not_see_or_revoke_all_sector_keys_and_accounts(world):
    client = world.client("admin_health")
    key = world.keys["key_tam_ky"][0]
    assert client.post(f"/api/v1/apikeys/{key.pk}/revoke").status_code == 404
    assert client.get(f"/api/v1/users/{world.users['operator'].pk}").status_code == 404
    assert client.get(f"/api/v1/users/{world.users['officer'].pk}").status_code == 200
    assert client.get(f"/users/{world.users['leader'].pk}/").status_code == 404
    assert client.post(f"/users/{world.users['leader'].pk}/disable/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None and world.users["leader"].is_active


def test_services_refuse_acts_on_accounts_outside_the_administrators_scope(world):
    from toancanh.accounts import services
    from toancanh.core.errors import NotFound

    admin = world.users["admin_health"]
    with pytest.raises(NotFound):
        services.revoke_api_key(world.keys["key_tam_ky"][0], by=admin)
    with pytest.raises(NotFound):
        services.set_user_active(world.users["operator"], False, by=admin)
    with pytest.raises(NotFound):
        services.set_password(world.users["operator"], "a-new-long-password-9", by=admin)
    with pytest.raises(NotFound):
        services.update_staff_user(world.users["operator"], by=admin, scope=admin.scope, role="operator",
                                   unit=PROVINCE)  # fmt: skip


def test_an_administrator_cannot_widen_an_account_by_editing_it(world):
    from toancanh.accounts import services
    from toancanh.core.errors import Forbidden

    admin = world.users["admin_health"]
    officer = world.users["officer"]
    with pytest.raises(Forbidden):
        services.update_staff_user(officer, by=admin, scope=admin.scope, role="agency_officer", unit=PROVINCE,
                                   agency="so-y-te", sectors=["health", "economy"])  # fmt: skip
    # No sectors given: the administrator's own are inherited, never "every sector".
    services.update_staff_user(officer, by=admin, scope=admin.scope, role="agency_officer", unit=PROVINCE,
                               agency="so-y-te")  # fmt: skip
    assert sorted(s.code for s in officer.sectors.all()) == ["health"]
