"""Demo alert rules and procedures for Đà Nẵng, after the usual provincial ones: air quality
(VN_AQI bands, shared/reference/environment.md), river flood alarm levels, stations that fall
silent, vessels crossing the fishing boundary, many citizen reports of one kind in a commune,
and indicators falling behind their targets."""

from __future__ import annotations

from toancanh.core.scoping import Scope
from toancanh.operations import services
from toancanh.operations.models import AlertRule, SituationType

PROCEDURES = [
    ("flood", "Ngập lụt, lũ", "environment", [
        ("Xác minh mức nước và khu vực ngập", "Trạm thủy văn, UBND xã", 30),
        ("Thông báo người dân qua loa truyền thanh và Zalo", "UBND xã", 60),
        ("Sơ tán hộ dân vùng trũng", "Ban chỉ huy PCTT&TKCN", 180),
    ]),
    ("air-quality", "Ô nhiễm không khí", "environment", [
        ("Kiểm tra số liệu trạm quan trắc", "Sở Nông nghiệp và Môi trường", 60),
        ("Khuyến cáo người dân hạn chế ra ngoài", "Sở Y tế", 120),
    ]),
    ("vessel-boundary", "Tàu cá vượt ranh giới", "fisheries", [
        ("Liên lạc với thuyền trưởng", "Chi cục Thủy sản", 15),
        ("Thông báo Bộ đội Biên phòng", "Bộ đội Biên phòng", 30),
    ]),
]  # fmt: skip

# An illustrative box for the fishing boundary off Đà Nẵng (not the legal line).
SEA_LIMIT = {
    "type": "Polygon",
    "coordinates": [[[109.3, 15.0], [111.0, 15.0], [111.0, 16.8], [109.3, 16.8], [109.3, 15.0]]],
}


def build(unit: str = "vn34-p48") -> int:
    if AlertRule.objects.exists():
        return 0
    for code, name, sector, steps in PROCEDURES:
        SituationType.objects.get_or_create(code=code, defaults={
            "name": name, "sector_id": sector,
            "steps": [{"title": t, "owner": o, "due_minutes": m} for t, o, m in steps],
        })  # fmt: skip
    everywhere = Scope(everywhere=True)
    rules = [
        dict(name="Bụi mịn PM2.5 vượt ngưỡng (AQI kém)", kind="threshold", sector_id="environment",
             params={"field": "pm25", "op": ">", "value": 55.4, "situation_type": "air-quality"}, severity="Moderate"),
        dict(name="Mực nước vượt báo động 3", kind="threshold", sector_id="environment", event_type="water_level",
             params={"field": "level_m", "op": ">=", "value": 4.5, "situation_type": "flood"}, severity="Severe"),
        dict(name="Mực nước lên nhanh", kind="rate_of_change", sector_id="environment", event_type="water_level",
             params={"field": "level_m", "change": 0.5, "within_seconds": 3600}, severity="Moderate"),
        dict(name="Trạm quan trắc mất tín hiệu", kind="absence", sector_id="environment", params={"minutes": 60},
             severity="Minor"),
        dict(name="Tàu cá vượt ranh giới vùng biển", kind="geofence", sector_id="fisheries",
             params={"area": SEA_LIMIT, "mode": "leave", "situation_type": "vessel-boundary"}, severity="Severe"),
        dict(name="Nhiều phản ánh cùng loại trong một xã", kind="count", sector_id="feedback",
             params={"window_seconds": 86400, "more_than": 10, "group_by": "unit_and_category"}, severity="Moderate"),
        dict(name="Thu ngân sách chậm tiến độ", kind="indicator_off_target", sector_id="economy",
             params={"indicator": "BUDGET_REVENUE"}, severity="Minor"),
    ]  # fmt: skip
    for r in rules:
        services.save_rule(by=None, scope=everywhere, unit=unit, **r)
    return len(rules)
