"""Hierarchy imports from CSV: all or nothing, every problem named with its row."""

from __future__ import annotations

import pytest

from toancanh.core.errors import ImportRejected
from toancanh.core.models import AuditEntry
from toancanh.units import services
from toancanh.units.imports import parse_units_csv
from toancanh.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read the refusals' English text (the Vietnamese is tested on the pages)."""
    from django.utils import translation

    with translation.override("en"):
        yield


HEADER = "edition,code,type,name,parent,valid_from\n"


def _import(text: str):
    return services.upsert_units(parse_units_csv(HEADER + text), by=None, source="test.csv")


def test_a_province_can_add_a_missing_commune_from_csv():
    result = _import("vn63,20674,xa,Xã Quế Phước,vn63-d509,\n")
    assert result.created == 1
    unit = Unit.objects.get(key="vn63-c20674")
    assert unit.path == "/vn63-p49/vn63-d509/vn63-c20674/"
    assert unit.parent.name == "Huyện Quế Sơn"
    assert AuditEntry.objects.filter(action="units.import").exists()


def test_reloading_the_same_rows_updates_them_in_place():
    _import("vn63,20674,xa,Xã Quế Phước,vn63-d509,\n")
    result = _import("vn63,20674,xa,Xã Quế Phước (sửa),vn63-d509,\n")
    assert (result.created, result.updated) == (0, 1)
    assert Unit.objects.get(key="vn63-c20674").name == "Xã Quế Phước (sửa)"


def test_an_unknown_parent_is_named_and_nothing_is_stored():
    count = Unit.objects.count()
    with pytest.raises(ImportRejected) as exc:
        _import("vn99,01,tinh,Tỉnh Mới,,\nvn99,001,huyen,Huyện Mới,vn99-p01,\nvn99,00001,xa,Xã Mới,vn99-d777,\n")
    assert "row 4: unknown parent unit 'vn99-d777'" in exc.value.message
    assert Unit.objects.count() == count


def test_duplicate_codes_are_refused():
    with pytest.raises(ImportRejected) as exc:
        _import("vn99,01,tinh,Tỉnh Một,,\nvn99,01,tinh,Tỉnh Hai,,\n")
    assert "row 3: duplicate unit 'vn99-p01' (also row 2)" in exc.value.message


def test_a_cycle_in_the_hierarchy_is_refused():
    text = "key,edition,code,type,name,parent\nx-c1,vn99,00001,xa,Xã A,x-c2\nx-c2,vn99,00002,xa,Xã B,x-c1\n"
    with pytest.raises(ImportRejected) as exc:
        services.upsert_units(parse_units_csv(text), by=None)
    assert "cycle in the hierarchy" in exc.value.message


def test_a_unit_cannot_sit_under_a_lower_level():
    with pytest.raises(ImportRejected) as exc:
        _import("vn99,01,tinh,Tỉnh A,vn34-c20779,\n")
    assert "cannot be placed under a commune" in exc.value.message


def test_unknown_types_and_bad_dates_are_reported_per_row():
    with pytest.raises(ImportRejected) as exc:
        parse_units_csv(HEADER + "vn99,01,bang,Bang A,,\nvn99,02,tinh,Tỉnh B,,31/02/2025\n")
    assert "row 2: unknown unit type 'bang'" in exc.value.message
    assert "row 3: '31/02/2025' is not a date" in exc.value.message


def test_a_file_without_the_needed_columns_is_refused():
    with pytest.raises(ImportRejected) as exc:
        parse_units_csv("code,name\n01,Tỉnh A\n")
    assert "missing column(s): edition, parent, type" in exc.value.message
