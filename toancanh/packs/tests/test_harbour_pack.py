"""A pack that lives only in the test suite adds a rule kind, a sender, a connector, a map layer, a
navigation entry, a wall panel, a page and an API route — through ``toancanh.packs.api`` alone."""

from __future__ import annotations

import ast
import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from django.utils import timezone

from toancanh.core import connectors
from toancanh.core.models import ConnectorInstance, Sector
from toancanh.core.registry import (
    ConnectorKind,
    MapLayer,
    NavEntry,
    Panel,
    Permission,
    RegistryError,
    Routes,
    RuleKind,
    SectorDecl,
    SenderKind,
    registry,
)  # fmt: skip
from toancanh.core.scoping import Scope
from toancanh.operations import engine, services
from toancanh.operations.models import Alert, AlertState, Event
from toancanh.operations.notifications import deliver_due, save_channel

PACK = Path(__file__).resolve().parent / "harbour"
EVERYWHERE = Scope(everywhere=True)


def test_the_pack_imports_nothing_of_the_core_but_the_pack_api():
    for path in PACK.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toancanh"):
                assert node.module == "toancanh.packs.api" or node.module.startswith("toancanh.packs.tests.harbour"), (
                    f"{path.name} imports {node.module}"
                )


def test_everything_the_pack_declares_is_in_the_registry_under_its_name():
    expected = {
        RuleKind: "harbour_crowded", SenderKind: "loudspeaker", ConnectorKind: "berth_file", MapLayer: "harbour-ports",
        NavEntry: "harbour", Panel: "harbour-berths", Permission: "harbour.view", SectorDecl: "harbour",
        Routes: "harbour",
    }  # fmt: skip
    for kind, code in expected.items():
        item = registry.get(kind, code)
        assert item is not None and item.pack == "harbour", kind.__name__


def test_the_registry_is_frozen_once_django_has_started():
    with pytest.raises(RegistryError):
        registry.add(NavEntry("late", "Muộn", "/late/"))


@pytest.mark.django_db
def test_the_packs_sector_exists_and_its_permission_goes_to_the_roles_it_names(world):
    assert Sector.objects.filter(code="harbour").exists()
    assert world.users["operator"].permits("harbour.view")
    assert not world.users["clerk_hiep_duc"].permits("harbour.view")


@pytest.mark.django_db
def test_a_rule_of_the_packs_kind_fires_and_clears():
    engine.reset()
    services.save_rule(by=None, scope=EVERYWHERE, name="Thọ Quang quá tải", kind="harbour_crowded",
                       unit="vn34-p48", sector_id="harbour", params={"capacity": 120})  # fmt: skip
    at = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)

    def berths(n, minutes):
        return {"source": "t", "source_id": f"b{minutes}", "sector": "harbour", "type": "berths",
                "subject": "Cảng cá Thọ Quang", "unit": "vn34-p48",
                "occurred_at": (at + dt.timedelta(minutes=minutes)).isoformat(), "payload": {"berthed": n}}  # fmt: skip

    services.ingest_events([berths(100, 0), berths(140, 5)], by=None, scope=EVERYWHERE)
    [alert] = Alert.objects.all()
    assert alert.message == "140 tàu neo đậu, sức chứa 120"
    services.ingest_events([berths(90, 10)], by=None, scope=EVERYWHERE)
    alert.refresh_from_db()
    assert alert.state == AlertState.CLEARED


@pytest.mark.django_db
def test_a_channel_of_the_packs_sender_kind_delivers(tmp_path):
    from toancanh.operations.models import Delivery, DeliveryStatus

    out = tmp_path / "loa.txt"
    channel = save_channel(name="Loa cảng Thọ Quang", kind="loudspeaker", config={"path": str(out)})
    with pytest.raises(Exception, match="path"):
        save_channel(name="Loa hỏng", kind="loudspeaker", config={})
    from toancanh.operations.tests.test_notifications import _raise_alert, _subscribe

    engine.reset()
    _subscribe(channel, "loa-1")
    _raise_alert()
    assert deliver_due() == {"sent": 1, "retry": 0, "dead": 0}
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 1
    assert "Bụi mịn" in out.read_text(encoding="utf-8")


# --- the connector, on the core's connector base ----------------------------------------------------


@pytest.mark.django_db
def test_the_packs_connector_stores_good_records_refuses_bad_ones_with_reasons_and_keeps_its_health(tmp_path):
    data = tmp_path / "berths.csv"
    data.write_text("Cảng cá Thọ Quang,85\nCảng cá Tam Quang,abc\nCảng cá Tam Quang,40\n", encoding="utf-8")
    source = connectors.save_instance(by=None, name="Số tàu neo đậu", kind="berth_file",
                                      config={"path": str(data), "unit": "vn34-p48"}, every_seconds=60)  # fmt: skip
    assert connectors.run_due() == 1
    source.refresh_from_db()
    assert source.status == "ok" and source.last_accepted == 2 and source.last_refused == 1
    assert source.last_refusals == [{"record": "2", "reason": "a line must be: port,number of vessels"}]
    assert Event.objects.filter(sector="harbour").count() == 2
    assert connectors.run_due() == 0  # not due again before its schedule


@pytest.mark.django_db
def test_a_failing_source_is_retried_with_growing_pauses_and_its_error_is_kept(tmp_path):
    source = connectors.save_instance(by=None, name="Tệp mất", kind="berth_file",
                                      config={"path": str(tmp_path / "missing.csv"), "unit": "vn34-p48"})  # fmt: skip
    connectors.run_due()
    source.refresh_from_db()
    first_wait = source.next_run_at - timezone.now()
    assert source.status == "failing" and "no file" in source.last_error and source.active
    connectors.run_due(source.next_run_at)
    source.refresh_from_db()
    assert source.failures == 2 and source.next_run_at - timezone.now() > first_wait


@pytest.mark.django_db
def test_a_hanging_source_is_cut_off_at_its_time_limit_and_holds_up_no_other(tmp_path):
    fifo = tmp_path / "never.csv"
    os.mkfifo(fifo)  # opening it for reading blocks until someone writes: a source that never answers
    good = tmp_path / "berths.csv"
    good.write_text("Cảng cá Thọ Quang,85\n", encoding="utf-8")
    connectors.save_instance(by=None, name="Treo", kind="berth_file", config={"path": str(fifo), "unit": "vn34-p48"},
                             timeout_seconds=2)  # fmt: skip
    connectors.save_instance(by=None, name="Tốt", kind="berth_file", config={"path": str(good), "unit": "vn34-p48"})
    try:
        started = timezone.now()
        assert connectors.run_due() == 2
        assert (timezone.now() - started).total_seconds() < 10
        hung, fine = ConnectorInstance.objects.get(name="Treo"), ConnectorInstance.objects.get(name="Tốt")
        assert hung.status == "failing" and "2 s" in hung.last_error
        assert fine.status == "ok" and fine.last_accepted == 1
    finally:
        threading.Thread(target=lambda: fifo.open("w").close(), daemon=True).start()  # let the hung thread go


@pytest.mark.django_db
def test_a_permanent_failure_pauses_the_source_until_an_administrator_resumes_it(tmp_path):
    from toancanh.core.connectors import ConnectorError, _record_failure

    source = connectors.save_instance(by=None, name="Sai mật khẩu", kind="berth_file",
                                      config={"path": str(tmp_path / "x.csv"), "unit": "vn34-p48"})  # fmt: skip
    _record_failure(source, ConnectorError("401 Unauthorized", permanent=True), timezone.now())
    source.refresh_from_db()
    assert source.status == "paused" and source.next_run_at is None
    connectors.set_active(source, True, by=None)
    source.refresh_from_db()
    assert source.active and source.next_run_at is not None


# --- the shell: navigation, wall panel, map layer, page, API route ------------------------------------


@pytest.mark.django_db
def test_the_pack_appears_in_the_shell_for_those_who_may_see_it(world):
    operator, clerk = world.client("operator"), world.client("clerk_hiep_duc")
    home = operator.get("/").content.decode()
    assert 'data-testid="nav-harbour"' in home
    assert 'data-testid="panel-harbour-berths"' in home
    assert 'data-testid="panel-harbour-berths"' in operator.get("/wall/").content.decode()
    assert 'data-testid="nav-harbour"' not in clerk.get("/").content.decode()
    assert operator.get("/harbour/").status_code == 200
    assert clerk.get("/harbour/").status_code == 403
    layers = operator.get("/api/v1/layers").json()["items"]
    assert [layer["code"] for layer in layers if layer["pack"] == "harbour"] == ["harbour-ports"]
    assert operator.get("/harbour/ports.geojson").json()["features"][0]["properties"]["name"] == "Cảng cá Thọ Quang"
    # other contexts declare layers too (the open citizen reports): only the harbour's is checked here
    assert "harbour-ports" not in [layer["code"] for layer in clerk.get("/api/v1/layers").json()["items"]]
    assert world.client("anonymous").get("/api/v1/harbour/ports").json()[0]["name"] == "Cảng cá Thọ Quang"


@pytest.mark.django_db
def test_administrators_see_every_source_with_its_health_and_can_pause_resume_and_run_it(world, tmp_path):
    source = connectors.save_instance(by=None, name="Số tàu", kind="berth_file",
                                      config={"path": str(tmp_path / "b.csv"), "unit": "vn34-p48"})  # fmt: skip
    admin = world.client("admin")
    page = admin.get("/connectors/").content.decode()
    assert "Số tàu" in page and "Tệp số tàu neo đậu" in page
    admin.post(f"/connectors/{source.pk}/act", {"action": "pause"})
    source.refresh_from_db()
    assert not source.active
    admin.post(f"/connectors/{source.pk}/act", {"action": "resume"})
    admin.post(f"/connectors/{source.pk}/act", {"action": "run"})
    source.refresh_from_db()
    assert source.active and source.next_run_at <= timezone.now()
    assert world.client("operator").get("/connectors/").status_code == 403
    assert [c["name"] for c in admin.get("/api/v1/connectors").json()] == ["Số tàu"]


@pytest.mark.django_db
def test_an_administrator_defines_a_rule_of_the_packs_kind_from_the_page(world):
    from toancanh.operations.models import AlertRule

    admin = world.client("admin")
    form = admin.get("/rules/new/?kind=harbour_crowded").content.decode()
    assert 'name="p_capacity"' in form and "vessels the port can berth" in form
    data = {"kind": "harbour_crowded", "name": "Thọ Quang quá tải", "unit": "vn34-p48", "sector": "harbour",
            "severity": "Moderate", "cooldown_minutes": "30", "escalate_minutes": "0"}  # fmt: skip
    refused = admin.post("/rules/new/", data | {"p_capacity": "0"}).content.decode()
    assert "Thọ Quang quá tải" in refused and not AlertRule.objects.exists()  # kept, refused beside the field
    admin.post("/rules/new/", data | {"p_capacity": "120"})
    assert AlertRule.objects.get().params == {"capacity": 120}


def test_the_api_takes_rules_and_channels_of_the_packs_kinds_and_names_the_kinds_it_knows(world):
    admin = world.client("admin")
    rule = {"name": "Thọ Quang quá tải", "kind": "harbour_crowded", "unit": "vn34-p48", "sector": "harbour",
            "params": {"capacity": 120}}  # fmt: skip
    r = admin.post("/api/v1/rules", rule, content_type="application/json")
    assert r.status_code in (200, 201), r.content
    assert r.json()["kind"] == "harbour_crowded"
    r = admin.post("/api/v1/rules", rule | {"kind": "no_such_kind"}, content_type="application/json")
    assert r.status_code == 400 and "harbour_crowded" in r.json()["detail"]
    channel = {"name": "Loa cảng", "kind": "loudspeaker", "config": {"path": "/tmp/loa.txt"}}
    r = admin.post("/api/v1/channels", channel, content_type="application/json")
    assert r.status_code in (200, 201), r.content
