"""Hand-made procedures, agencies and dossiers for the government pack's tests (through the pack
API only, like the pack itself)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from toancanh.packs.api import Agency, Unit
from toancanh.packs.government.models import Procedure

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
COMMUNE = "vn34-c20779"  # xã Hiệp Đức
OTHER_COMMUNE = "vn34-c20341"  # phường Tam Kỳ


def at(day: int, hour: int = 9, month: int = 3, year: int = 2026) -> str:
    return dt.datetime(year, month, day, hour, tzinfo=LOCAL).isoformat()


def setup_world() -> dict:
    """Two commune agencies and three procedures (one with a fee and online in whole)."""
    a = Agency.objects.create(code="gov-test-a", name="UBND xã thử A", kind="ubnd", unit=Unit.objects.get(key=COMMUNE))
    b = Agency.objects.create(code="gov-test-b", name="UBND phường thử B", kind="ubnd",
                              unit=Unit.objects.get(key=OTHER_COMMUNE))  # fmt: skip
    Procedure.objects.create(code="1.001", name="Đăng ký khai sinh", online=2, paper_result=True)
    Procedure.objects.create(code="1.002", name="Chứng thực bản sao", online=1, has_fee=True, fee_synced=True)
    Procedure.objects.create(code="1.003", name="Cấp phép xây dựng", online=0, has_fee=True, published_on_time=False)
    return {"a": a, "b": b}


def dossier(code: str, **fields) -> dict:
    """A record in the national portal's layout, settled on 5 March for an appointment on 6 March."""
    rec = {"MaHoSo": code, "MaTTHC": "1.001", "MaCoQuan": "gov-test-a", "TrangThaiHoSo": 10,
           "KenhThucHien": 2, "NgayTiepNhan": at(2), "NgayHenTra": at(6, 17), "NgayKetThucXuLy": at(5, 10)}  # fmt: skip
    rec.update(fields)
    return {k: v for k, v in rec.items() if v is not None}
