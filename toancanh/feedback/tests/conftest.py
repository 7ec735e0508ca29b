"""Shared set-up of the feedback tests: the demo's real-named agencies around Đà Nẵng and staff."""

from __future__ import annotations

import io

import pytest

HAI_CHAU = (16.0762, 108.218)  # Phường Hải Châu, vn34-c20242
TAM_KY = (15.5581, 108.479)  # Phường Tam Kỳ, vn34-c20341
HA_NOI = (21.0285, 105.8542)  # outside the province


@pytest.fixture
def agencies(db):
    from toancanh.units.demo import load_agencies
    from toancanh.units.models import Agency

    load_agencies(by=None)
    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def staff(agencies):
    from toancanh.accounts.tests.factories import StaffFactory
    from toancanh.units.models import Unit

    province = Unit.objects.get(key="vn34-p48")
    return {
        "operator": StaffFactory(role="operator", unit=province),
        "admin": StaffFactory(role="admin", unit=province),
        "leader": StaffFactory(role="leader", unit=province),
        "hai_chau": StaffFactory(role="agency_officer", unit=Unit.objects.get(key="vn34-c20242"),
                                 agency=agencies["ubnd-phuong-hai-chau"]),
        "tam_ky": StaffFactory(role="agency_officer", unit=Unit.objects.get(key="vn34-c20341"),
                               agency=agencies["ubnd-phuong-tam-ky"]),
        "police": StaffFactory(role="agency_officer", unit=province, agency=agencies["cong-an-danang"]),
    }  # fmt: skip


def jpeg(size=(800, 600), exif_gps: bool = True, orientation: int | None = None) -> bytes:
    """A JPEG from a camera: with EXIF (a GPS position, a camera make) unless told otherwise."""
    from PIL import Image

    img = Image.new("RGB", size, (120, 160, 200))
    exif = Image.Exif()
    if exif_gps:
        exif[0x010F] = "SecretPhoneMaker"
        exif[0x8825] = {1: "N", 2: (16.0, 4.0, 34.0), 3: "E", 4: (108.0, 13.0, 5.0)}
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def submission(category="urban_order.sidewalk", at=HAI_CHAU, **kw):
    from toancanh.feedback.services import Submission

    defaults = {"description": "Quán nước lấn chiếm toàn bộ vỉa hè đường Trần Phú, người đi bộ phải đi xuống lòng đường.",
                "phone": "0905123456", "name": "Nguyễn Văn An", "device": "dev-1", "ip": "10.0.0.1"}  # fmt: skip
    defaults.update(kw)
    return Submission(category=category, lat=at[0], lon=at[1], **defaults)
