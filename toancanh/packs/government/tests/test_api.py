import pytest
from django.apps import apps

from toancanh.packs.government.tests.helpers import at, dossier, setup_world

pytestmark = pytest.mark.django_db
URL = "/api/v1/government"


def test_dossiers_pushed_through_the_pack_route_are_reported_and_scored_in_the_readers_scope(world):
    setup_world()
    apps.get_model("core", "ConnectorInstance").objects.create(name="motcua", kind="gov_dossiers_push", config={})
    records = [dossier("A-1"), dossier("A-2", NgayKetThucXuLy=at(9)), dossier("B-1", MaCoQuan="gov-test-b"),
               dossier("BAD", TrangThaiHoSo=42)]  # fmt: skip
    r = world.client("operator").post(
        f"{URL}/dossiers/push?source=motcua", {"records": records}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["accepted"] == 3
    assert r.json()["refused"] == [
        {"record": "BAD", "reason": "mã trạng thái 42 không tồn tại (TrangThaiHoSo từ 1 đến 10)"}
    ]

    r = world.client("leader").get(f"{URL}/index?period=2026-03&by=agency")
    assert r.status_code == 200
    items = {i["name"]: i for i in r.json()["items"]}
    assert items["UBND xã thử A"]["on_time_rate"] == 50.0 and items["UBND phường thử B"]["on_time_rate"] == 100.0
    two_one = next(c for c in items["UBND xã thử A"]["components"] if c["id"] == "2.1")
    assert (two_one["num"], two_one["den"], two_one["score"], two_one["confirmed"]) == (1, 2, 10.0, True)

    # an operator of phường Tam Kỳ sees only the dossiers received there
    r = world.client("operator_tam_ky").get(f"{URL}/index?period=2026&by=unit")
    assert [i["name"] for i in r.json()["items"]] == ["Phường Tam Kỳ"]


def test_reading_needs_the_government_permission_and_a_citizen_is_refused(world):
    assert world.client("citizen").get(f"{URL}/index").status_code == 403
    assert world.client("anonymous").get(f"{URL}/tasks").status_code in (401, 403)
    assert world.client("leader").post(f"{URL}/tasks", [], content_type="application/json").status_code == 403


def test_tasks_are_assigned_reported_and_extended_through_the_api(world):
    setup_world()
    c = world.client("operator")
    body = [{"code": "NV-1", "title": "Rà soát thủ tục", "lead": "gov-test-a", "assigned_on": "2026-01-05",
             "deadline": "2026-01-20"}]  # fmt: skip
    assert c.post(f"{URL}/tasks", body, content_type="application/json").json() == {"saved": 1}
    (task,) = c.get(f"{URL}/tasks?state=open_overdue").json()
    assert task["state_label"] == "Chưa hoàn thành, quá hạn"
    r = c.post(f"{URL}/tasks/NV-1/extensions", {"new_deadline": "2099-01-01", "reason": "Chờ hướng dẫn"},
               content_type="application/json")  # fmt: skip
    assert r.json()["state"] == "open_on_time"
    r = c.post(f"{URL}/tasks/NV-1/reports", {"progress": 100, "note": "Xong"}, content_type="application/json")
    assert r.json()["state"] == "done_on_time"
    assert c.post(f"{URL}/tasks/NV-404/reports", {"progress": 5}, content_type="application/json").status_code == 404
