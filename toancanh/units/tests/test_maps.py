"""Maps with real geography: the shipped province boundaries, commune cells clipped to the real
outline, former districts as the union of their communes' cells, label points."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import Polygon, shape

from toancanh.units import boundary_files, cells
from toancanh.units.geometry import import_boundaries, unit_map
from toancanh.units.models import Unit


def _topology():
    """Two unit squares side by side sharing one arc, quantized (scale 1, translate 100/10)."""
    return {
        "type": "Topology",
        "transform": {"scale": [1, 1], "translate": [100, 10]},
        "arcs": [
            [[1, 0], [0, 1]],  # the shared edge, (101,10) -> (101,11)
            [[1, 1], [-1, 0], [0, -1], [1, 0]],  # left square's other edges, (101,11) -> (101,10)
            [[1, 0], [1, 0], [0, 1], [-1, 0]],  # right square's other edges, (101,10) -> (101,11)
        ],
        "objects": {
            "p": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"ten_tinh": "Trái"}},
                    {"type": "Polygon", "arcs": [[~0, 2]], "properties": {"ten_tinh": "Phải"}},
                ],
            }
        },
    }


def test_topojson_decodes_quantized_and_reversed_arcs_to_polygons():
    fc = boundary_files.decode_topojson(_topology())
    left, right = (shape(f["geometry"]) for f in fc["features"])
    assert [f["properties"]["ten_tinh"] for f in fc["features"]] == ["Trái", "Phải"]
    assert left.is_valid and right.is_valid
    assert left.equals(shapely.box(100, 10, 101, 11))
    assert right.equals(shapely.box(101, 10, 102, 11))


def test_coverage_simplification_keeps_shared_borders_shared():
    # Two provinces along a zigzag border: simplified one by one they would leave gaps and overlaps.
    zig = [(1 + 0.001 * (i % 2), i / 50) for i in range(51)]
    left = Polygon([(0, 0), *zig, (0, 1)])
    right = Polygon([(2, 0), (2, 1), *reversed(zig)])
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"n": i}, "geometry": shapely.geometry.mapping(g)}
            for i, g in enumerate([left, right])
        ],
    }
    out = boundary_files.simplify_coverage(fc, tolerance=0.01, precision=1e-6)
    a, b = (shape(f["geometry"]) for f in out["features"])
    assert [f["properties"] for f in out["features"]] == [{"n": 0}, {"n": 1}]
    assert shapely.get_num_coordinates(a) < 10 and shapely.get_num_coordinates(b) < 10
    assert a.intersection(b).area < 1e-9  # no overlap
    assert abs(a.union(b).area - 2.0) < 1e-3  # no gap


def test_the_shipped_files_are_small_valid_and_name_every_province():
    for structure, count in (("vn34", 34), ("vn63", 63)):
        data, _day, source = boundary_files.shipped(structure)
        assert len(data) < 600_000, f"{structure} is {len(data)} bytes"
        fc = json.loads(data)
        assert len(fc["features"]) == count
        assert all(shape(f["geometry"]).is_valid for f in fc["features"])
        assert "MIT" in source


def test_approximate_cells_tile_the_clip_area():
    clip = shapely.box(0, 0, 2, 1)
    got = cells.approximate_cells({"a": (0.5, 0.5), "b": (1.5, 0.5)}, clip)
    assert got["a"].equals(shapely.box(0, 0, 1, 1)) and got["b"].equals(shapely.box(1, 0, 2, 1))


def test_label_point_is_the_centre_when_inside_else_a_point_inside():
    square = shapely.box(0, 0, 1, 1)
    assert cells.label_point(square, 0.2, 0.3) == (0.2, 0.3)
    x, y = cells.label_point(square, 5, 5)
    assert square.covers(shapely.Point(x, y))


@pytest.mark.django_db
def test_former_districts_are_unions_of_their_communes_cells_inside_the_real_former_province():
    cells._cache.clear()
    data, day, _source = boundary_files.shipped("vn63")
    import_boundaries(data, by=None, level="province", on=day, name_property="ten_tinh")
    quang_nam = Unit.objects.get(key="vn63-p49")
    outline = shape(unit_map(quang_nam, day)["unit"]["outline"])
    drawn = unit_map(quang_nam, day)
    districts = [f for f in drawn["features"] if f["properties"]["level"] == "district"]
    assert len(districts) >= 15
    shapes = [shape(f["geometry"]) for f in districts if f["geometry"]["type"] != "Point"]
    assert all(f["properties"]["approximate"] for f in districts)
    # Together they cover the province and do not overlap (beyond rounding).
    assert abs(shapely.union_all(shapes).area - outline.area) / outline.area < 0.01
    assert sum(s.area for s in shapes) - shapely.union_all(shapes).area < 0.001 * outline.area
    # A district is the union of its communes' cells: its own map's outline is the same shape.
    district = Unit.objects.get(key=districts[0]["properties"]["key"])
    own = shape(unit_map(district, day)["unit"]["outline"])
    assert own.symmetric_difference(shape(districts[0]["geometry"])).area < 0.01 * own.area
    # Every name has a place inside its drawn shape.
    for f in districts:
        p = f["properties"]
        assert shape(f["geometry"]).buffer(1e-3).covers(shapely.Point(p["label_lon"], p["label_lat"]))


@pytest.mark.django_db
def test_current_communes_are_clipped_to_the_real_outline_of_da_nang_with_quang_nam():
    cells._cache.clear()
    data, day, _source = boundary_files.shipped("vn34")
    import_boundaries(data, by=None, level="province", on=day, name_property="ten_tinh")
    da_nang = Unit.objects.get(key="vn34-p48")
    drawn = unit_map(da_nang, day)
    outline = shape(drawn["unit"]["outline"])
    assert drawn["unit"]["outline_approximate"] is False
    # Đà Nẵng after 2025 reaches Tam Kỳ and the mountains of the former Quảng Nam.
    assert outline.covers(shapely.Point(108.47, 15.57))  # Tam Kỳ
    assert drawn["bbox"][1] < 15.2 and drawn["bbox"][0] < 107.5
    communes = [shape(f["geometry"]) for f in drawn["features"] if f["geometry"]["type"] != "Point"]
    assert len(communes) > 80
    assert all(c.difference(outline.buffer(1e-3)).area < 1e-6 for c in communes)
