"""The default categories (lĩnh vực phản ánh) with their answering agency, urgency and deadline.

The fields follow the three IOCs this product answers to (Quảng Nam: urban order, environment and
sanitation, food safety; Hà Nam: traffic, security, technical infrastructure). Deadlines follow
Đà Nẵng's Decision 960/QĐ-UBND (urgent: 1 working day; checkable on the spot: 3) and the national
PAKN system (15 working days) — ``shared/reference/feedback-vietnam.md``. Administrators change
them on the categories page; these rows are only what a new installation starts with.
"""

from __future__ import annotations

# (code, name, agency kind, agency level, agency sector, urgency, deadline value, deadline unit)
ROOTS = [
    ("urban_order", "Trật tự đô thị", "ubnd", "commune", "", "on_the_spot", 3, "days"),
    ("environment", "Môi trường, vệ sinh", "ubnd", "commune", "", "on_the_spot", 3, "days"),
    ("food_safety", "An toàn thực phẩm", "so", "province", "environment", "normal", 5, "days"),
    ("traffic", "Giao thông", "cong_an", "province", "traffic", "on_the_spot", 3, "days"),
    ("security", "An ninh, trật tự", "cong_an", "province", "public-order", "on_the_spot", 3, "days"),
    ("infrastructure", "Hạ tầng kỹ thuật", "so", "province", "traffic", "on_the_spot", 3, "days"),
    ("other", "Khác", "ubnd", "commune", "", "normal", 15, "days"),
]

# (parent, code, name, overrides) — what a sub-category changes of its parent's defaults.
SUBS = [
    ("urban_order", "sidewalk", "Lấn chiếm vỉa hè, lòng đường", {}),
    ("urban_order", "construction", "Xây dựng trái phép", {"urgency": "normal", "deadline_value": 10}),
    ("urban_order", "advertising", "Quảng cáo, rao vặt trái phép", {}),
    ("environment", "waste", "Rác thải", {}),
    ("environment", "water_pollution", "Ô nhiễm nguồn nước",
     {"agency_kind": "so", "agency_level": "province", "agency_sector": "environment", "urgency": "normal",
      "deadline_value": 10}),
    ("environment", "noise", "Tiếng ồn", {}),
    ("environment", "smoke_dust", "Khói, bụi", {}),
    ("environment", "dead_animal", "Xác động vật", {"urgency": "urgent", "deadline_value": 1}),
    ("food_safety", "unsafe_food", "Thực phẩm không an toàn", {}),
    ("food_safety", "poisoning", "Ngộ độc thực phẩm", {"agency_sector": "health", "urgency": "urgent",
                                                       "deadline_value": 1}),
    ("food_safety", "unhygienic", "Cơ sở mất vệ sinh", {}),
    ("traffic", "congestion", "Ùn tắc giao thông", {"urgency": "urgent", "deadline_value": 4, "deadline_unit": "hours"}),
    ("traffic", "parking", "Đỗ xe sai quy định", {}),
    ("traffic", "signals", "Đèn tín hiệu, biển báo", {"agency_kind": "so", "agency_sector": "traffic"}),
    ("traffic", "racing", "Đua xe trái phép", {"urgency": "urgent", "deadline_value": 1}),
    ("security", "disturbance", "Gây rối trật tự", {}),
    ("security", "theft", "Trộm cắp", {}),
    ("security", "gambling_drugs", "Cờ bạc, ma túy", {"urgency": "normal", "deadline_value": 10}),
    ("security", "karaoke", "Karaoke gây ồn", {"agency_kind": "ubnd", "agency_level": "commune", "agency_sector": ""}),
    ("infrastructure", "road_damage", "Hư hỏng đường, cầu", {}),
    ("infrastructure", "streetlight", "Đèn chiếu sáng", {}),
    ("infrastructure", "drainage", "Thoát nước, ngập úng", {}),
    ("infrastructure", "water_supply", "Cấp nước", {}),
    ("infrastructure", "trees", "Cây xanh", {"agency_kind": "ubnd", "agency_level": "commune", "agency_sector": ""}),
    ("infrastructure", "power", "Điện", {}),
    ("other", "other", "Khác", {}),
]  # fmt: skip

FIELDS = ("agency_kind", "agency_level", "agency_sector", "urgency", "deadline_value", "deadline_unit")


def rows() -> list[dict]:
    """Every default category as the fields of a row (``parent`` as a code), roots first."""
    out, roots = [], {}
    for order, (code, name, *values) in enumerate(ROOTS):
        row = {
            "code": code,
            "name": name,
            "parent": None,
            "order": order * 10,
            **dict(zip(FIELDS, values, strict=True)),
        }
        roots[code] = row
        out.append(row)
    for order, (parent, code, name, overrides) in enumerate(SUBS):
        base = {k: roots[parent][k] for k in FIELDS}
        out.append({"code": f"{parent}.{code}", "name": name, "parent": parent, "order": order, **base, **overrides})
    return out


def seed(Category, HandlingSettings) -> int:  # noqa: N803 - model classes, also from a migration
    """Create the default categories that are missing (never changes an edited one)."""
    made = 0
    ids: dict[str, int] = dict(Category.objects.values_list("code", "id"))
    for row in rows():
        if row["code"] in ids:
            continue
        parent = row.pop("parent")
        obj = Category.objects.create(parent_id=ids.get(parent) if parent else None, **row)
        ids[obj.code] = obj.pk
        made += 1
    if not HandlingSettings.objects.exists():
        HandlingSettings.objects.create()
    return made
