"""Demo data for units: Thành phố Đà Nẵng as it is now, the former Tỉnh Quảng Nam (and former
Đà Nẵng) as history, the province boundaries shipped with the project, and real-named agencies."""

from __future__ import annotations

from toancanh.core.scoping import Scope
from toancanh.units import boundary_files, official, services
from toancanh.units.geometry import import_boundaries
from toancanh.units.models import Agency

DEMO_PROVINCE = "48"  # Thành phố Đà Nẵng; Tỉnh Quảng Nam (49) merged into it on 1 July 2025

# (code, name, kind, unit key, parent code, sectors)
AGENCIES = [
    ("vp-ubnd-danang", "Văn phòng UBND thành phố Đà Nẵng", "ubnd", "vn34-p48", None, ["economy", "government"]),
    ("so-tai-chinh-danang", "Sở Tài chính thành phố Đà Nẵng", "so", "vn34-p48", None, ["economy"]),
    ("so-y-te-danang", "Sở Y tế thành phố Đà Nẵng", "so", "vn34-p48", None, ["health"]),
    ("so-gddt-danang", "Sở Giáo dục và Đào tạo thành phố Đà Nẵng", "so", "vn34-p48", None, ["education"]),
    (
        "so-nnmt-danang",
        "Sở Nông nghiệp và Môi trường thành phố Đà Nẵng",
        "so",
        "vn34-p48",
        None,
        ["environment", "fisheries"],
    ),
    ("so-du-lich-danang", "Sở Du lịch thành phố Đà Nẵng", "so", "vn34-p48", None, ["tourism"]),
    ("so-khcn-danang", "Sở Khoa học và Công nghệ thành phố Đà Nẵng", "so", "vn34-p48", None, ["cyber", "government"]),
    ("so-xay-dung-danang", "Sở Xây dựng thành phố Đà Nẵng", "so", "vn34-p48", None, ["traffic"]),
    ("cong-an-danang", "Công an thành phố Đà Nẵng", "cong_an", "vn34-p48", None, ["public-order", "traffic", "cyber"]),
    ("bv-da-nang", "Bệnh viện Đà Nẵng", "benh_vien", "vn34-p48", "so-y-te-danang", ["health"]),
    ("ubnd-xa-hiep-duc", "UBND xã Hiệp Đức", "ubnd", "vn34-c20779", None, ["government", "feedback"]),
    ("tram-y-te-hiep-duc", "Trạm Y tế xã Hiệp Đức", "benh_vien", "vn34-c20779", None, ["health"]),
    ("ubnd-phuong-tam-ky", "UBND phường Tam Kỳ", "ubnd", "vn34-c20341", None, ["government", "feedback"]),
    ("ubnd-phuong-hai-chau", "UBND phường Hải Châu", "ubnd", "vn34-c20242", None, ["government", "feedback"]),
]


def load_units(*, by=None) -> dict:
    """Load Đà Nẵng (current) and the former provinces merged into it, with their succession."""
    former = official.provinces_merged_into([DEMO_PROVINCE])
    rows = official.current_units({DEMO_PROVINCE}) + official.former_units(former)
    result = services.upsert_units(rows, by=by, source=official.SOURCE)
    succ = services.replace_successions(
        official.successions(former | {DEMO_PROVINCE}), by=by, source=official.SUCCESSION_SOURCE
    )
    return {"units": result.created + result.updated, "successions": succ.created, "former_provinces": sorted(former)}


def load_boundaries(*, by=None) -> dict:
    """The province boundaries shipped with the project (simplified from TaliaCao/Vietnam-Shape-Map,
    MIT), for the provinces of both structures: the real outline on a fresh clone."""
    matched = unmatched = 0
    for structure in boundary_files.SHIPPED:
        data, day, source = boundary_files.shipped(structure)
        result = import_boundaries(data, by=by, level="province", on=day, name_property="ten_tinh", source=source)
        matched += len(result.matched)
        unmatched += len(result.unmatched_features)
    return {"matched": matched, "unmatched_features": unmatched}


def load_agencies(*, by=None) -> int:
    made = 0
    for code, name, kind, unit, parent, sectors in AGENCIES:
        existing = Agency.objects.filter(code=code).first()
        if existing is None:
            services.create_agency(
                by=by,
                scope=Scope(everywhere=True),
                code=code,
                name=name,
                kind=kind,
                unit=unit,
                parent=parent,
                sectors=sectors,
            )
            made += 1
    return made
