"""The demo's reporting regime: the monthly socio-economic report of communes (báo cáo tình hình
kinh tế – xã hội hằng tháng cấp xã), a real-shaped form, sent to Thành phố Đà Nẵng."""

from __future__ import annotations

from toancanh.reporting import services
from toancanh.reporting.models import Regime, Template

REGIME = "KTXH-XA-THANG"

ROWS = [
    (
        "I",
        "Kinh tế",
        [
            ("01", "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", 0),
            ("02", "Trong đó: thu thuế, phí, lệ phí", "triệu đồng", 1),
            ("03", "Chi ngân sách xã", "triệu đồng", 0),
            ("04", "Diện tích lúa gieo trồng", "ha", 0),
            ("05", "Sản lượng lương thực", "tấn", 0),
            ("06", "Số doanh nghiệp thành lập mới", "doanh nghiệp", 0),
        ],
    ),
    (
        "II",
        "Văn hóa – xã hội",
        [
            ("07", "Dân số trung bình", "người", 0),
            ("08", "Số hộ nghèo", "hộ", 0),
            ("09", "Tổng số hộ", "hộ", 0),
            ("10", "Tỷ lệ hộ nghèo", "%", 1),
            ("11", "Số lao động được tạo việc làm", "người", 0),
            ("12", "Tỷ lệ người dân tham gia bảo hiểm y tế", "%", 0),
        ],
    ),
    (
        "III",
        "Quốc phòng – an ninh, trật tự",
        [
            ("13", "Số vụ tai nạn giao thông", "vụ", 0),
            ("14", "Số người chết do tai nạn giao thông", "người", 1),
            ("15", "Đánh giá chung", "", 0),
        ],
    ),
]
MEASURED = {code for _s, _n, rows in ROWS for code, _name, measure, _l in rows if measure}
INTEGER = {"06", "07", "08", "09", "11", "13", "14"}


def spec() -> dict:
    cells: dict[str, dict] = {}
    for code in MEASURED:
        cells[f"{code}.KY_NAY"] = {"type": "integer" if code in INTEGER else "number", "min_value": 0}
        cells[f"{code}.LUY_KE"] = {"formula": f"YTD([{code}.KY_NAY])"}
        cells[f"{code}.SO_SANH"] = {
            "type": "percent",
            "formula": f'IFERROR(ROUND([{code}.KY_NAY] / LASTYEAR([{code}.KY_NAY]) * 100, 1), "")',
        }
    for code in ("10", "12"):
        cells[f"{code}.LUY_KE"] = {"type": "percent", "formula": f"[{code}.KY_NAY]", "aggregation": "none"}
    cells["10.KY_NAY"] = {"type": "percent", "formula": "IFERROR(ROUND([08.KY_NAY] / [09.KY_NAY] * 100, 2), 0)"}
    cells["12.KY_NAY"] = {
        "type": "percent",
        "aggregation": "wavg",
        "weight": "07.KY_NAY",
        "min_value": 0,
        "max_value": 100,
    }
    cells["07.KY_NAY"]["required"] = True
    cells["15.KY_NAY"] = {"type": "text", "aggregation": "none"}
    return {
        "sections": [
            {
                "code": s,
                "name": name,
                "rows": [{"code": c, "name": n, "measure": m, "level": lv} for c, n, m, lv in rows],
            }
            for s, name, rows in ROWS
        ],
        "columns": [
            {"code": "KY_NAY", "name": "Thực hiện tháng này", "kind": "this_period"},
            {"code": "LUY_KE", "name": "Lũy kế từ đầu năm", "kind": "ytd"},
            {"code": "SO_SANH", "name": "So cùng kỳ (%)", "kind": "change_pct"},
        ],
        "cells": cells,
        "rules": [
            {
                "expression": "[01.KY_NAY] >= [02.KY_NAY]",
                "message": "Thu thuế, phí, lệ phí không thể lớn hơn tổng thu ngân sách.",
            },
            {"expression": "[09.KY_NAY] >= [08.KY_NAY]", "message": "Số hộ nghèo không thể lớn hơn tổng số hộ."},
            {
                "expression": "[13.KY_NAY] >= [14.KY_NAY] / 5",
                "message": "Số người chết nhiều bất thường so với số vụ tai nạn: kiểm tra lại.",
                "blocking": False,
            },
        ],
    }


def build() -> str:
    """The regime and its form, once."""
    from toancanh.units.models import Unit

    if Regime.objects.filter(code=REGIME).exists():
        return "exists"
    if not Template.objects.filter(code="01-KTXH-XA").exists():
        services.create_template_version(by=None, code="01-KTXH-XA", name="Biểu 01/KTXH-XA", spec=spec())
    Regime.objects.create(
        code=REGIME, name="Báo cáo tình hình kinh tế – xã hội hằng tháng cấp xã",
        template=Template.objects.get(code="01-KTXH-XA"), frequency="monthly", reporting_level="commune",
        recipient=Unit.objects.get(key="vn34-p48"), deadline_days={"commune": 1, "province": 3},
    )  # fmt: skip
    return "monthly socio-economic report of communes"
