import pytest
from openpyxl import Workbook

from toancanh.packs.api import push_records
from toancanh.packs.government import services
from toancanh.packs.government.connectors import DossierFile
from toancanh.packs.government.models import Dossier, Outcome
from toancanh.packs.government.tests.helpers import at, dossier, setup_world

pytestmark = pytest.mark.django_db


def reasons(report):
    return {r["record"]: r["reason"] for r in report.refused}


def test_good_records_are_stored_and_bad_ones_refused_each_with_its_reason():
    setup_world()
    records = [
        dossier("OK-1"),
        dossier("BAD-STATUS", TrangThaiHoSo=11),
        dossier("BAD-DATES", NgayHenTra=at(1)),
        dossier("BAD-AGENCY", MaCoQuan="no-such-agency"),
        dossier("BAD-PROC", MaTTHC="9.999"),
        dossier("OK-1", TrangThaiHoSo=4),
        {"dossierNo": "X-1", "dossierStatus": "done", "govAgencyCode": "A"},
    ]
    report = services.store_dossiers(records)
    assert report.accepted == 1
    why = reasons(report)
    assert "unknown status code 11" in why["BAD-STATUS"]
    assert "before the dossier was received" in why["BAD-DATES"]
    assert "unknown agency no-such-agency" in why["BAD-AGENCY"]
    assert "unknown procedure 9.999" in why["BAD-PROC"]
    assert "duplicate record" in why["OK-1"]
    assert "not the national portal's layout" in why["record 7"]
    assert "dossierNo" in why["record 7"]
    stored = Dossier.objects.get(code="OK-1")
    assert stored.status == 10 and stored.outcome == Outcome.EARLY and stored.channel == 2


def test_storing_the_same_records_again_changes_nothing_and_a_later_state_replaces_the_earlier():
    setup_world()
    services.store_dossiers([dossier("D-1", TrangThaiHoSo=4, NgayKetThucXuLy=None), dossier("D-2")])
    services.store_dossiers([dossier("D-1", TrangThaiHoSo=4, NgayKetThucXuLy=None), dossier("D-2")])
    assert Dossier.objects.count() == 2
    assert Dossier.objects.get(code="D-1").outcome == Outcome.PENDING
    services.store_dossiers([dossier("D-1", TrangThaiHoSo=10, NgayKetThucXuLy=at(7, 9))])
    d1 = Dossier.objects.get(code="D-1")
    assert (d1.status, d1.outcome, Dossier.objects.count()) == (10, Outcome.LATE, 2)


def test_a_finished_dossier_without_its_end_date_and_a_bad_fee_are_refused():
    setup_world()
    report = services.store_dossiers([dossier("E-1", NgayKetThucXuLy=None), dossier("E-2", PhiLePhi=-5)])
    why = reasons(report)
    assert "needs its NgayKetThucXuLy" in why["E-1"]
    assert "PhiLePhi must be from 0" in why["E-2"]


def test_pushed_json_is_counted_in_the_sources_health(django_user_model):
    from toancanh.packs.api import ConnectorKind  # noqa: F401 - the kind is registered by the pack

    setup_world()
    from django.apps import apps

    ConnectorInstance = apps.get_model("core", "ConnectorInstance")
    ConnectorInstance.objects.create(name="motcua", kind="gov_dossiers_push", config={})
    outcome = push_records("motcua", [dossier("P-1"), dossier("P-2", TrangThaiHoSo=0)])
    assert outcome.accepted == 1
    health = ConnectorInstance.objects.get(name="motcua")
    assert (health.accepted_total, health.refused_total) == (1, 1)
    assert "unknown status code 0" in health.last_refusals[0]["reason"]


def test_a_csv_drop_and_an_excel_file_are_read_with_supplements(tmp_path):
    setup_world()
    drop = tmp_path / "drop"
    drop.mkdir()
    header = "MaHoSo;MaTTHC;MaCoQuan;TrangThaiHoSo;NgayTiepNhan;NgayHenTra;NgayKetThucXuLy;YeuCauBoSung;PhiLePhi;SoHoa"
    lines = [header, "C-1;1.002;gov-test-a;10;02/03/2026 08:00;06/03/2026 17:00;09/03/2026 10:00;"
             "03/03/2026 09:00~07/03/2026 09:00;50000;có", "C-2;1.002;gov-test-a;99;02/03/2026;06/03/2026;;;;"]  # fmt: skip
    (drop / "a.csv").write_text("\n".join(lines), encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.append(["MaHoSo", "MaTTHC", "MaCoQuan", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy"])
    sheet.append(["X-1", "1.001", "gov-test-b", 9, "2026-03-02T08:00:00+07:00", "20260306170000", "20260306160000"])
    book.save(drop / "b.xlsx")
    connector = DossierFile({"path": str(drop)})
    records = connector.fetch()
    report = connector.store(records)
    assert report.accepted == 2
    assert "unknown status code 99" in reasons(report)["C-2"]
    c1 = Dossier.objects.get(code="C-1")
    # three working days waiting for the supplement move the appointment from 6 to 11 March: early
    assert c1.outcome == Outcome.EARLY and c1.fee == 50000 and c1.digitised and c1.supplement_count == 1
    assert len(c1.supplements) == 1 and c1.supplements[0][1].startswith("2026-03-07")
    assert Dossier.objects.get(code="X-1").outcome == Outcome.ON_TIME
    assert sorted(p.name for p in (drop / "processed").iterdir()) == ["a.csv", "b.xlsx"]
    assert connector.fetch() == []
