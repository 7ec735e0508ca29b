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


# --- a year of reports ------------------------------------------------------------------------------

MONTHS = 12  # periods filed before the open one
CLOSED_BEFORE = 2  # every period but the last two is closed by the city
RETURNED_UNIT = "vn34-c20779"  # Xã Hiệp Đức: its last report returned for correction (the demo clerk's)
RETURN_COMMENT = "Số hộ nghèo tăng bất thường so với tháng trước, đề nghị xã kiểm tra lại số liệu dòng 08."


class _UnitOffice:
    """A commune's office filing its own report in the demo (one account per commune would crowd
    the user list): it may enter figures, only for its unit."""

    def __init__(self, unit) -> None:
        from toancanh.core.scoping import Scope

        self.unit = unit
        self.scope = Scope(unit_paths=(unit.path,))

    def permits(self, code: str) -> bool:
        from toancanh.accounts.roles import INDICATORS_ENTER

        return code == INDICATORS_ENTER

    def audit_identity(self):
        return None, f"Văn phòng UBND {self.unit.name} (dữ liệu mẫu)"


def _figures(unit, month: int, rng) -> dict[str, object]:
    """One month of a commune's figures, shaped like the real ones (a ward has no rice)."""
    ward = unit.name.startswith("Phường")
    base = 18000 + (int(unit.key[-4:]) * 37) % 22000
    households = round(base / 3.7)
    poor = round(households * (0.004 if ward else 0.035) * rng.uniform(0.9, 1.1))
    revenue = round(base * (0.12 if ward else 0.05) * rng.uniform(0.8, 1.25), 1)
    accidents = rng.choice([0, 0, 0, 1, 1, 2])
    values: dict[str, object] = {
        "01.KY_NAY": revenue,
        "02.KY_NAY": round(revenue * rng.uniform(0.55, 0.8), 1),
        "03.KY_NAY": round(revenue * rng.uniform(0.6, 0.95), 1),
        "04.KY_NAY": 0 if ward else round(base / 60 * (1.0 if month in (1, 2, 6, 7) else 0.15), 1),
        "05.KY_NAY": 0 if ward else round(base / 60 * (5.6 if month in (4, 5, 8, 9) else 0.3), 1),
        "06.KY_NAY": rng.randint(2, 9) if ward else rng.randint(0, 2),
        "07.KY_NAY": base,
        "08.KY_NAY": poor,
        "09.KY_NAY": households,
        "11.KY_NAY": rng.randint(15, 60),
        "12.KY_NAY": round(rng.uniform(91, 97.5), 1),
        "13.KY_NAY": accidents,
        "14.KY_NAY": min(accidents, rng.choice([0, 0, 1])),
        "15.KY_NAY": rng.choice(
            ["Tình hình kinh tế – xã hội ổn định.", "Hoàn thành kế hoạch tháng.", "An ninh trật tự được giữ vững."]
        ),
    }
    return values


def _moment(day, rng):
    """A moment in office hours of a local day."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(
        day, dt.time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")
    )


def fill(*, officer, clerk=None, today=None, months: int = MONTHS) -> str:
    """A year of the communes' monthly reports, filed through the same services as a clerk's:
    most on time, some late, a few missing, the last periods waiting for approval, one returned
    for correction; every period but the last two closed by the city's officer. Once."""
    import datetime as dt
    import random

    from django.utils import timezone

    from toancanh.core.workdays import add_working_days
    from toancanh.reporting.models import Submission
    from toancanh.reporting.monitoring import period_at
    from toancanh.reporting.queries import reporting_units

    regime = Regime.objects.select_related("recipient").get(code=REGIME)
    if Submission.objects.filter(regime=regime).exists():
        return "exists"
    today = today or timezone.localdate()
    open_period = period_at(regime.frequency, today)
    periods = [open_period.previous()]
    while len(periods) < months:
        periods.append(periods[-1].previous())
    periods.reverse()  # oldest first: year to date and last month read the earlier ones
    rng = random.Random(2025)  # noqa: S311 - demo figures, not secrets
    counts = {"on_time": 0, "late": 0, "missing": 0, "waiting": 0, "returned": 0}
    for i, rp in enumerate(periods):
        start, end = rp.window
        recent = i >= len(periods) - 2
        for unit in reporting_units(regime, (regime.recipient.path,), start, end):
            deadline = rp.deadline(unit.level, regime.deadline_days)
            roll = rng.random()
            if roll < (0.08 if recent else 0.03) and unit.key != RETURNED_UNIT:
                counts["missing"] += 1
                continue
            late = roll > (0.82 if recent else 0.88)
            day = (
                add_working_days(deadline, rng.randint(1, 6))
                if late
                else deadline - dt.timedelta(days=rng.randint(0, 3))
            )
            by = clerk if clerk is not None and unit.key == RETURNED_UNIT else _UnitOffice(unit)
            sub = services.save_submission(
                by=by, regime=regime, unit=unit, period=rp.code, values=_figures(unit, rp.index, rng), submit=True,
                now=_moment(day, rng),
            )  # fmt: skip
            counts["late" if late else "on_time"] += 1
            decided = _moment(min(add_working_days(day, 2), today), rng)
            if i == len(periods) - 1 and unit.key == RETURNED_UNIT:
                services.return_submission(by=officer, submission=sub, comment=RETURN_COMMENT, now=decided)
                counts["returned"] += 1
            elif recent and rng.random() < 0.5:
                counts["waiting"] += 1  # still waiting for the city's approval
            else:
                services.approve(by=officer, submission=sub, now=decided)
        if not recent:
            services.set_period_closed(
                by=officer, regime=regime, period=rp.code, closed=True, reason="Đã tổng hợp, gửi Văn phòng UBND thành phố",
                now=_moment(min(add_working_days(rp.deadline("province", regime.deadline_days), 2), today), rng),
            )  # fmt: skip
    early = [u for u in reporting_units(regime, (regime.recipient.path,), *open_period.window)][::4]
    for unit in early:  # the open period: a quarter of the communes already sent theirs
        if unit.key == RETURNED_UNIT:
            continue
        services.save_submission(
            by=_UnitOffice(unit), regime=regime, unit=unit, period=open_period.code,
            values=_figures(unit, open_period.index, rng), submit=True,
        )  # fmt: skip
    return (
        f"{len(periods)} months of reports: {counts['on_time']} on time, {counts['late']} late, "
        f"{counts['missing']} missing, {counts['waiting']} waiting for approval, {counts['returned']} returned; "
        f"{len(periods) - 2} months closed; {len(early)} sent early for {open_period.code}"
    )
