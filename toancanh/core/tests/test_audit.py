"""The audit log: every write says who, when, what, before and after; reads are scoped."""

from __future__ import annotations

import pytest

from toancanh.core.models import AuditEntry


def test_an_agency_change_is_audited_with_before_and_after(world):
    admin = world.client("admin")
    assert (
        admin.patch(
            "/api/v1/agencies/ubnd-hiep-duc", {"phone": "0235 3883 123"}, content_type="application/json"
        ).status_code
        == 200
    )
    entry = AuditEntry.objects.filter(action="agencies.update").latest("id")
    assert entry.actor == world.users["admin"]
    assert entry.before["phone"] == "" and entry.after["phone"] == "0235 3883 123"
    assert entry.unit_path == world.units["vn34-c20779"].path


def test_an_api_key_write_is_recorded_under_the_key(world):
    world.keys["admin_key"] = __import__("toancanh.accounts.tests.factories", fromlist=["api_key"]).api_key(
        "admin-key", "admin", "vn34-p48"
    )
    client = world.client("admin_key")
    response = client.post(
        "/api/v1/agencies",
        {"code": "so-tu-phap", "name": "Sở Tư pháp", "kind": "so", "unit": "vn34-p48"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert AuditEntry.objects.filter(action="agencies.create").latest("id").actor_label == "apikey:admin-key"


def test_the_audit_log_is_scoped(world):
    world.client("admin").patch("/api/v1/agencies/ubnd-tam-ky", {"phone": "1"}, content_type="application/json")
    world.client("admin").patch("/api/v1/agencies/ubnd-hiep-duc", {"phone": "2"}, content_type="application/json")
    seen = world.client("admin_hiep_duc").get("/api/v1/audit?action=agencies.update").json()["items"]
    assert [e["object_repr"] for e in seen] == ["UBND xã Hiệp Đức"]
    assert len(world.client("admin").get("/api/v1/audit?action=agencies.update").json()["items"]) == 2


@pytest.mark.parametrize("bad", [{"kind": "castle"}, {"unit": "vn34-c99999"}, {"sectors": ["astrology"]}])
def test_bad_agency_input_gets_a_clear_error_and_nothing_changes(world, bad):
    before = AuditEntry.objects.count()
    response = world.client("admin").patch("/api/v1/agencies/ubnd-hiep-duc", bad, content_type="application/json")
    assert response.status_code in (400, 404)
    assert response.json()["detail"]
    assert AuditEntry.objects.count() == before
