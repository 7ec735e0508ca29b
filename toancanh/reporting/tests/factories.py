"""A small monthly form and regime, built the way an administrator builds them."""

from __future__ import annotations

from toancanh.reporting import services
from toancanh.reporting.models import Regime
from toancanh.units.models import Unit

PROVINCE, HIEP_DUC, TAM_KY, HAI_CHAU = "vn34-p48", "vn34-c20779", "vn34-c20341", "vn34-c20242"

SPEC = {
    "sections": [
        {
            "code": "I",
            "name": "Dân số và giảm nghèo",
            "rows": [
                {"code": "01", "name": "Dân số trung bình", "measure": "người"},
                {"code": "02", "name": "Số hộ nghèo", "measure": "hộ"},
                {"code": "03", "name": "Tỷ lệ hộ nghèo trên dân số", "measure": "%", "level": 1},
            ],
        },
        {
            "code": "II",
            "name": "Y tế, ngân sách",
            "rows": [
                {"code": "04", "name": "Tỷ lệ bao phủ bảo hiểm y tế", "measure": "%"},
                {"code": "05", "name": "Thu ngân sách", "measure": "triệu đồng"},
                {"code": "06", "name": "Ghi chú", "measure": ""},
            ],
        },
    ],
    "columns": [
        {"code": "KY_NAY", "name": "Thực hiện kỳ này", "kind": "this_period"},
        {"code": "LUY_KE", "name": "Lũy kế từ đầu năm", "kind": "ytd"},
    ],
    "cells": {
        "01.KY_NAY": {"type": "integer", "required": True, "min_value": 0},
        "02.KY_NAY": {"type": "integer", "min_value": 0},
        "03.KY_NAY": {"type": "percent", "formula": "IFERROR(ROUND([02.KY_NAY] / [01.KY_NAY] * 100, 2), 0)"},
        "04.KY_NAY": {"type": "percent", "aggregation": "avg", "min_value": 0, "max_value": 100},
        "05.LUY_KE": {"formula": "YTD([05.KY_NAY])"},
        "06.KY_NAY": {"type": "text", "aggregation": "none"},
    },
    "rules": [{"expression": "[01.KY_NAY] >= [02.KY_NAY]", "message": "Số hộ nghèo không thể lớn hơn dân số."}],
}


def monthly_regime(code: str = "KTXH-TEST", spec: dict | None = None, sector: str | None = None) -> Regime:
    version = services.create_template_version(by=None, code=f"F-{code}", name="Biểu thử nghiệm", spec=spec or SPEC)
    return Regime.objects.create(
        code=code, name="Báo cáo tháng thử nghiệm", template=version.template, frequency="monthly",
        reporting_level="commune", recipient=Unit.objects.get(key=PROVINCE), sector_id=sector,
    )  # fmt: skip


def unit(key: str) -> Unit:
    return Unit.objects.get(key=key)
