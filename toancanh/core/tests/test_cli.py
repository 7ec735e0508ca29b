"""The `toancanh` command: readable errors, and keys that work."""

from __future__ import annotations

import json

import pytest

from toancanh.cli import main

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
    assert "boundary import refused, nothing was stored" in err and "Self-intersection" in err


def test_a_missing_file_is_named(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["units", "import", "/nowhere/units.csv"])
    assert "file not found: /nowhere/units.csv" in str(exc.value)


def test_a_cycle_in_a_csv_import_names_the_rows(tmp_path, capsys):
    f = tmp_path / "units.csv"
    f.write_text("key,edition,code,type,name,parent\nx-c1,vn99,00001,xa,Xã A,x-c2\nx-c2,vn99,00002,xa,Xã B,x-c1\n")
    assert main(["units", "import", str(f)]) == 2
    assert "cycle in the hierarchy" in capsys.readouterr().err
