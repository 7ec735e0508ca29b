"""The `toancanh` command: readable errors, and keys that work."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from toancanh.cli import main
from toancanh.core import jobs
from toancanh.core.models import CalendarYear
from toancanh.indicators.tests.factories import indicator
from toancanh.indicators.tests.test_rollup import HIEP_DUC, PROVINCE, TAM_KY, figure
from toancanh.packs import api

pytestmark = pytest.mark.django_db


def test_apikey_create_prints_a_key_that_authenticates(client, capsys):
    assert main(["apikey", "create", "lgsp-danang", "--role", "operator", "--unit", "48"]) == 0
    key = capsys.readouterr().out.strip()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).json()
    assert me["unit"] == "vn34-p48"


def test_an_unknown_unit_is_a_readable_error(capsys):
    assert main(["apikey", "create", "x", "--role", "operator", "--unit", "vn34-p99"]) == 2
    assert "error: unknown unit 'vn34-p99'" in capsys.readouterr().err


def test_a_bad_boundary_file_is_refused_with_the_reason(tmp_path, capsys):
    bad = tmp_path / "bad.geojson"
    bowtie = {"type": "Polygon", "coordinates": [[[108, 15], [108.2, 15.2], [108.2, 15], [108, 15.2], [108, 15]]]}
    feature = {"type": "Feature", "properties": {"ma_tinh": "48"}, "geometry": bowtie}
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    assert main(["units", "boundaries", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Nhập ranh giới bị từ chối, không lưu gì cả" in err and "Self-intersection" in err


def test_a_missing_file_is_named(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["units", "import", "/nowhere/units.csv"])
    assert "file not found: /nowhere/units.csv" in str(exc.value)


def test_a_cycle_in_a_csv_import_names_the_rows(tmp_path, capsys):
    f = tmp_path / "units.csv"
    f.write_text("key,edition,code,type,name,parent\nx-c1,vn99,00001,xa,Xã A,x-c2\nx-c2,vn99,00002,xa,Xã B,x-c1\n")
    assert main(["units", "import", str(f)]) == 2
    assert "dòng 2: quan hệ cấp trên bị vòng lặp: x-c1 → x-c2 → x-c1" in capsys.readouterr().err


D = dt.date


def test_the_command_line_seeds_a_year_and_refuses_one_out_of_range(capsys):
    assert main(["calendar", "seed", "--year", "2028"]) == 0
    assert "calendar 2028: 16 days created" in capsys.readouterr().out
    assert not api.is_working_day(D(2028, 1, 3))  # 01/01/2028 is a Saturday: compensatory Monday
    assert main(["calendar", "show", "--year", "2028"]) == 0
    assert "03/01/2028 Mon compensatory" in capsys.readouterr().out
    assert main(["calendar", "seed", "--year", "1999"]) == 2
    assert "2000" in capsys.readouterr().err and not CalendarYear.objects.filter(year=1999).exists()


def test_the_command_line_import_rebuilds_the_roll_ups_before_it_returns_unless_told_not_to(tmp_path, capsys):
    indicator("REV")
    csv = tmp_path / "figures.csv"
    csv.write_text(f"indicator,unit,period,value\nREV,{HIEP_DUC},2026-03,4\nREV,{TAM_KY},2026-03,6\n")
    assert main(["indicators", "import", str(csv)]) == 0
    assert "roll-ups rebuilt: " in capsys.readouterr().out
    assert figure("REV", PROVINCE, "2026-03") == 10
    csv.write_text(f"indicator,unit,period,value\nREV,{HIEP_DUC},2026-04,1\n")
    assert main(["indicators", "import", "--no-wait", str(csv)]) == 0
    assert "queued for the job runner" in capsys.readouterr().out
    assert figure("REV", PROVINCE, "2026-04") is None
    assert main(["tick"]) == 0  # the one-shot time-driven round does not touch roll-ups
    assert "alerts raised 0, cleared 0; notifications sent 0" in capsys.readouterr().out
    jobs.run_pending()
    assert figure("REV", PROVINCE, "2026-04") == 1
