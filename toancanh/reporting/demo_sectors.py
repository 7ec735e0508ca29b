"""The demo's two sector regimes beside the communes' monthly report (reporting/demo.py): the
quarterly report of the communes' health stations (sector health, approved by the health
department's officer) and the yearly education statistics (sector education). Real-shaped forms,
made-up figures; filed through the same services as a clerk's, so the sector gate applies: the
health department's officer approves the health reports and sees nothing of the others."""

from __future__ import annotations

import datetime as dt
import random

from toancanh.reporting import services
from toancanh.reporting.models import Regime, Template

HEALTH = "YTE-XA-QUY"
EDUCATION = "GD-XA-NAM"
QUARTERS = 4  # quarters filed before the open one; all but the last closed


def _form(rows: list[tuple[str, str, str]], cells: dict[str, dict], columns: list[dict], rules: list[dict]) -> dict:
    return {
        "sections": [{"code": "I", "name": "Chỉ tiêu", "rows": [{"code": c, "name": n, "measure": m} for c, n, m in rows]}],
        "columns": columns,
        "cells": cells,
        "rules": rules,
    }  # fmt: skip


HEALTH_ROWS = [
    ("01", "Số lượt khám bệnh tại trạm y tế", "lượt"),
    ("02", "Trong đó: khám bảo hiểm y tế", "lượt"),
    ("03", "Số trẻ dưới 1 tuổi", "trẻ"),
    ("04", "Số trẻ dưới 1 tuổi được tiêm chủng đầy đủ", "trẻ"),
    ("05", "Tỷ lệ trẻ dưới 1 tuổi được tiêm chủng đầy đủ", "%"),
    ("06", "Số ca mắc sốt xuất huyết", "ca"),
    ("07", "Số ca mắc tay chân miệng", "ca"),
    ("08", "Số trẻ dưới 5 tuổi được cân", "trẻ"),
    ("09", "Số trẻ dưới 5 tuổi suy dinh dưỡng thể nhẹ cân", "trẻ"),
    ("10", "Tỷ lệ suy dinh dưỡng thể nhẹ cân ở trẻ dưới 5 tuổi", "%"),
]
HEALTH_COUNTS = ("01", "02", "03", "04", "06", "07", "08", "09")
HEALTH_FLOWS = ("01", "02", "04", "06", "07")  # counted over the quarter: the year to date sums them


def health_spec() -> dict:
    cells: dict[str, dict] = {f"{c}.KY_NAY": {"type": "integer", "min_value": 0} for c in HEALTH_COUNTS}
    for c in HEALTH_FLOWS:
        cells[f"{c}.LUY_KE"] = {"formula": f"YTD([{c}.KY_NAY])"}
    cells["03.KY_NAY"]["required"] = True
    cells["05.KY_NAY"] = {"type": "percent", "formula": "IFERROR(ROUND([04.KY_NAY] / [03.KY_NAY] * 100, 1), 0)"}
    cells["10.KY_NAY"] = {"type": "percent", "formula": "IFERROR(ROUND([09.KY_NAY] / [08.KY_NAY] * 100, 1), 0)"}
    columns = [
        {"code": "KY_NAY", "name": "Thực hiện quý này", "kind": "this_period"},
        {"code": "LUY_KE", "name": "Lũy kế từ đầu năm", "kind": "ytd"},
    ]
    rules = [
        {"expression": "[01.KY_NAY] >= [02.KY_NAY]", "message": "Lượt khám BHYT không thể nhiều hơn tổng lượt khám."},
        {"expression": "[03.KY_NAY] >= [04.KY_NAY]", "message": "Số trẻ tiêm đủ không thể nhiều hơn số trẻ dưới 1 tuổi."},
        {"expression": "[08.KY_NAY] >= [09.KY_NAY]", "message": "Số trẻ suy dinh dưỡng không thể nhiều hơn số trẻ được cân."},
    ]  # fmt: skip
    return _form(HEALTH_ROWS, cells, columns, rules)


EDUCATION_ROWS = [
    ("01", "Số trường mầm non", "trường"),
    ("02", "Số trường tiểu học", "trường"),
    ("03", "Số trường trung học cơ sở", "trường"),
    ("04", "Số trường đạt chuẩn quốc gia", "trường"),
    ("05", "Tỷ lệ trường đạt chuẩn quốc gia", "%"),
    ("06", "Số học sinh tiểu học", "học sinh"),
    ("07", "Số học sinh trung học cơ sở", "học sinh"),
    ("08", "Số giáo viên", "người"),
    ("09", "Số trẻ 6 tuổi", "trẻ"),
    ("10", "Số trẻ 6 tuổi vào lớp 1", "trẻ"),
    ("11", "Tỷ lệ huy động trẻ 6 tuổi vào lớp 1", "%"),
]
EDUCATION_COUNTS = ("01", "02", "03", "04", "06", "07", "08", "09", "10")


def education_spec() -> dict:
    cells: dict[str, dict] = {f"{c}.KY_NAY": {"type": "integer", "min_value": 0} for c in EDUCATION_COUNTS}
    cells["05.KY_NAY"] = {
        "type": "percent",
        "formula": "IFERROR(ROUND([04.KY_NAY] / ([01.KY_NAY] + [02.KY_NAY] + [03.KY_NAY]) * 100, 1), 0)",
    }
    cells["11.KY_NAY"] = {"type": "percent", "formula": "IFERROR(ROUND([10.KY_NAY] / [09.KY_NAY] * 100, 1), 0)"}
    for c in ("06", "07", "08"):
        cells[f"{c}.SO_SANH"] = {
            "type": "percent",
            "formula": f'IFERROR(ROUND([{c}.KY_NAY] / LASTYEAR([{c}.KY_NAY]) * 100, 1), "")',
        }
    columns = [
        {"code": "KY_NAY", "name": "Năm học này", "kind": "this_period"},
        {"code": "SO_SANH", "name": "So năm trước (%)", "kind": "change_pct"},
    ]
    rules = [
        {"expression": "[01.KY_NAY] + [02.KY_NAY] + [03.KY_NAY] >= [04.KY_NAY]",
         "message": "Số trường đạt chuẩn không thể nhiều hơn tổng số trường."},
        {"expression": "[09.KY_NAY] >= [10.KY_NAY]", "message": "Số trẻ vào lớp 1 không thể nhiều hơn số trẻ 6 tuổi."},
    ]  # fmt: skip
    return _form(EDUCATION_ROWS, cells, columns, rules)


REGIMES = [
    # code, template code, template name, spec, regime name, frequency, sector, deadline days
    (HEALTH, "YTE-01-XA", "Biểu 01/YT-XA", health_spec, "Báo cáo hoạt động trạm y tế xã hằng quý", "quarterly", "health",
     {"commune": 3, "province": 5}),
    (EDUCATION, "GD-01-XA", "Biểu 01/GD-XA", education_spec, "Thống kê giáo dục cấp xã hằng năm", "yearly",
     "education", {"commune": 5, "province": 10}),
]  # fmt: skip


def build() -> str:
    """The two regimes and their forms, once."""
    from toancanh.units.models import Unit

    made = []
    for code, tcode, tname, spec, name, frequency, sector, deadlines in REGIMES:
        if Regime.objects.filter(code=code).exists():
            continue
        if not Template.objects.filter(code=tcode).exists():
            services.create_template_version(by=None, code=tcode, name=tname, spec=spec())
        Regime.objects.create(
            code=code, name=name, template=Template.objects.get(code=tcode), frequency=frequency,
            reporting_level="commune", recipient=Unit.objects.get(key="vn34-p48"), deadline_days=deadlines,
            sector_id=sector,
        )  # fmt: skip
        made.append(code)
    return ", ".join(made) or "exists"


def _health(unit, quarter: int, rng: random.Random) -> dict[str, object]:
    people = 18000 + (int(unit.key[-4:]) * 37) % 22000
    visits = round(people * rng.uniform(0.05, 0.09))
    infants = max(20, round(people * 0.0035 * rng.uniform(0.9, 1.1)))
    weighed = round(people * 0.07 * rng.uniform(0.85, 1.0))
    dengue = rng.randint(2, 25) if quarter in (3, 4) else rng.randint(0, 4)  # the rainy season
    return {
        "01.KY_NAY": visits, "02.KY_NAY": round(visits * rng.uniform(0.6, 0.85)),
        "03.KY_NAY": infants, "04.KY_NAY": round(infants * rng.uniform(0.9, 1.0)),
        "06.KY_NAY": dengue, "07.KY_NAY": rng.randint(0, 6),
        "08.KY_NAY": weighed, "09.KY_NAY": round(weighed * rng.uniform(0.04, 0.11)),
    }  # fmt: skip


def _education(unit, rng: random.Random) -> dict[str, object]:
    people = 18000 + (int(unit.key[-4:]) * 37) % 22000
    schools = (max(1, people // 9000), max(1, people // 8000), max(1, people // 15000))
    six = round(people * 0.014 * rng.uniform(0.9, 1.1))
    return {
        "01.KY_NAY": schools[0], "02.KY_NAY": schools[1], "03.KY_NAY": schools[2],
        "04.KY_NAY": rng.randint(0, sum(schools)),
        "06.KY_NAY": round(people * 0.075), "07.KY_NAY": round(people * 0.055),
        "08.KY_NAY": round(people * 0.008), "09.KY_NAY": six, "10.KY_NAY": round(six * rng.uniform(0.985, 1.0)),
    }  # fmt: skip


def fill(*, health_officer, officer, today: dt.date | None = None) -> str:
    """A year of quarterly health reports (the last quarter partly waiting for the health
    department's approval, the earlier ones closed) and last year's education statistics, once."""
    from django.utils import timezone

    from toancanh.reporting.demo import _moment, _UnitOffice
    from toancanh.reporting.models import Submission
    from toancanh.reporting.monitoring import period_at
    from toancanh.reporting.queries import reporting_units

    today = today or timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 - demo figures, not secrets
    said = []
    health = Regime.objects.select_related("recipient").get(code=HEALTH)
    if not Submission.objects.filter(regime=health).exists():
        periods = [period_at(health.frequency, today).previous()]
        while len(periods) < QUARTERS:
            periods.append(periods[-1].previous())
        waiting = 0
        for i, rp in enumerate(reversed(periods)):
            last = i == QUARTERS - 1
            for unit in reporting_units(health, (health.recipient.path,), *rp.window):
                if rng.random() < 0.04:
                    continue  # missing
                day = rp.deadline(unit.level, health.deadline_days) - dt.timedelta(days=rng.randint(0, 4))
                sub = services.save_submission(
                    by=_UnitOffice(unit), regime=health, unit=unit, period=rp.code,
                    values=_health(unit, rp.index, rng), submit=True, now=_moment(day, rng),
                )  # fmt: skip
                if last and rng.random() < 0.3:
                    waiting += 1
                else:
                    services.approve(
                        by=health_officer, submission=sub, now=_moment(min(day + dt.timedelta(days=3), today), rng)
                    )
            if not last:
                services.set_period_closed(by=health_officer, regime=health, period=rp.code, closed=True,
                                           reason="Đã tổng hợp báo cáo quý gửi Bộ Y tế")  # fmt: skip
        said.append(f"{QUARTERS} quarters of health reports ({waiting} waiting for the health department)")
    education = Regime.objects.select_related("recipient").get(code=EDUCATION)
    if not Submission.objects.filter(regime=education).exists():
        rp = period_at(education.frequency, today).previous()
        for unit in reporting_units(education, (education.recipient.path,), *rp.window):
            day = rp.deadline(unit.level, education.deadline_days) - dt.timedelta(days=rng.randint(0, 6))
            sub = services.save_submission(
                by=_UnitOffice(unit), regime=education, unit=unit, period=rp.code,
                values=_education(unit, rng), submit=True, now=_moment(day, rng),
            )  # fmt: skip
            services.approve(by=officer, submission=sub, now=_moment(min(day + dt.timedelta(days=5), today), rng))
        said.append(f"education statistics of {rp.code}")
    return "; ".join(said) or "exists"
