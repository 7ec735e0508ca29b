"""Boundary import from GeoJSON: validation, matching by code or accent-insensitive name."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings

from toancanh.core.errors import ImportRejected, ServiceError
from toancanh.units.geometry import import_boundaries
from toancanh.units.models import Boundary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """These tests read the refusals' English text (the Vietnamese is tested on the pages)."""
    from django.utils import translation

    with translation.override("en"):
        yield


REAL_FILE = settings.SHARED_DATA_DIR / "vn-provinces-2025.geojson"
TODAY = dt.date(2025, 7, 1)


def _square(x, y, d=0.1):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]}


def _fc(*features):
    return {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features],
    }


@pytest.mark.skipif(
    not REAL_FILE.exists(), reason="../shared/data/vn-provinces-2025.geojson is not beside the repository"
)
def test_the_real_34_province_file_matches_every_province_by_name():
    result = import_boundaries(REAL_FILE.read_bytes(), by=None, level="province", on=TODAY, name_property="ten_tinh")
    assert len(result.matched) == 34
    assert result.unmatched_features == []
    assert result.units_without_boundary == []
    assert Boundary.objects.get(unit__key="vn34-p48").geometry["type"] == "MultiPolygon"


def test_a_feature_matches_by_gso_code_first_then_by_name_without_accents():
    data = _fc(
        ({"ma_tinh": "48"}, _square(108, 15.5)),
        ({"name": "tinh quang ngai"}, _square(108.5, 14.8)),
        ({"name": "Atlantis"}, _square(0, 0)),
    )
    result = import_boundaries(data, by=None, level="province", on=TODAY)
    assert result.matched == {"vn34-p48": "code", "vn34-p51": "name"}
    assert len(result.unmatched_features) == 1 and "Atlantis" in result.unmatched_features[0]


def test_invalid_geometry_is_refused_and_nothing_is_stored():
    bowtie = {"type": "Polygon", "coordinates": [[[108, 15], [108.2, 15.2], [108.2, 15], [108, 15.2], [108, 15]]]}
    data = _fc(({"ma_tinh": "48"}, _square(108, 15.5)), ({"ma_tinh": "51"}, bowtie))
    with pytest.raises(ImportRejected) as exc:
        import_boundaries(data, by=None, level="province", on=TODAY)
    assert "invalid geometry" in exc.value.message and "feature 2" in exc.value.message
    assert not Boundary.objects.exists()


def test_repair_fixes_an_invalid_geometry():
    bowtie = {"type": "Polygon", "coordinates": [[[108, 15], [108.2, 15.2], [108.2, 15], [108, 15.2], [108, 15]]]}
    result = import_boundaries(_fc(({"ma_tinh": "51"}, bowtie)), by=None, level="province", on=TODAY, repair=True)
    assert result.matched == {"vn34-p51": "code"}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{not json", "not valid JSON"),
        (json.dumps({"type": "Feature"}), "FeatureCollection"),
        (json.dumps(_fc(({"ma_tinh": "48"}, {"type": "Point", "coordinates": [108, 16]}))), "Polygon or MultiPolygon"),
        (json.dumps(_fc(({"ma_tinh": "48"}, _square(500000, 1700000)))), "WGS 84"),
        (json.dumps(_fc(({"ma_tinh": "48"}, {"type": "Polygon", "coordinates": "x"}))), "malformed"),
    ],
)
def test_bad_geojson_gets_a_clear_error(payload, message):
    with pytest.raises(ServiceError) as exc:
        import_boundaries(payload, by=None, level="province", on=TODAY)
    assert message in exc.value.message


def test_two_features_for_one_unit_are_refused():
    data = _fc(({"ma_tinh": "48"}, _square(108, 15.5)), ({"name": "Đà Nẵng"}, _square(108, 15.6)))
    with pytest.raises(ImportRejected) as exc:
        import_boundaries(data, by=None, level="province", on=TODAY)
    assert "already matched by feature 1" in exc.value.message


def test_an_imported_boundary_replaces_the_approximate_outline_on_the_map(client):
    before = client.get("/api/v1/units/vn34-p48/map").json()
    assert before["unit"]["outline_approximate"] is True
    import_boundaries(_fc(({"ma_tinh": "48"}, _square(107.8, 15.2, 1.0))), by=None, level="province", on=TODAY)
    after = client.get("/api/v1/units/vn34-p48/map").json()
    assert after["unit"]["outline_approximate"] is False
    assert after["bbox"] == pytest.approx([107.8, 15.2, 108.8, 16.2])
