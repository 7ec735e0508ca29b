"""Real-shaped made-up one-stop-shop data: procedures, a year of dossiers (in the national portal's
layout, to be sent through the connector like a real feed) and tasks assigned by the leadership.

The shape: dossiers are received on working days only; the month factors follow the demo catalogue
(``indicators.DOSSIERS``: the Tết dip in February, the year-end peak in December); about half are
filed online; most are settled early or on time, a few late, some after a supplement request; the
last weeks' dossiers are still being processed, some of them overdue.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from zoneinfo import ZoneInfo

from toancanh.packs.api import add_working_days, is_working_day
from toancanh.packs.government.indicators import DOSSIERS as SEASON

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

# (code, name, working days to settle, online level, fee VND, paper result)
PROCEDURES = [
    ("1.001193", "Đăng ký khai sinh", 1, 2, 0, True),
    ("1.000894", "Đăng ký kết hôn", 3, 1, 0, True),
    ("1.000656", "Đăng ký khai tử", 1, 2, 0, True),
    ("1.004873", "Cấp bản sao trích lục hộ tịch", 1, 2, 8000, True),
    ("2.000815", "Chứng thực bản sao từ bản chính", 1, 1, 2000, True),
    ("2.000884", "Chứng thực chữ ký trong giấy tờ, văn bản", 1, 0, 10000, True),
    ("1.004227", "Xác nhận tình trạng hôn nhân", 3, 2, 0, True),
    ("2.000720", "Đăng ký thành lập hộ kinh doanh", 3, 2, 100000, True),
    ("1.009972", "Cấp giấy phép xây dựng nhà ở riêng lẻ", 15, 1, 75000, True),
    ("1.004203", "Đăng ký biến động quyền sử dụng đất", 10, 1, 50000, True),
    ("1.003554", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu", 30, 0, 100000, True),
    ("1.001612", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", 5, 1, 0, False),
    ("1.001776", "Trợ cấp xã hội hằng tháng", 10, 1, 0, False),
    ("1.001009", "Cấp phiếu lý lịch tư pháp", 10, 2, 200000, True),
    ("2.002154", "Đăng ký doanh nghiệp tư nhân", 3, 2, 50000, True),
]


def procedures() -> list[dict]:
    """The procedures as :func:`services.save_procedures` takes them (most published on time)."""
    return [{"code": code, "name": name, "online": online, "has_fee": fee > 0, "fee_synced": fee > 0 and i % 3 != 2,
             "paper_result": paper, "announced_on_time": i % 7 != 3, "published_on_time": i % 5 != 4,
             "complete_parts": i % 6 != 5}
            for i, (code, name, _days, online, fee, paper) in enumerate(PROCEDURES)]  # fmt: skip


def working_days(year: int) -> list[dt.date]:
    """The working days of ``year`` on the core's calendar (no dossiers are received over Tết)."""
    day, out = dt.date(year, 1, 1), []
    while day.year == year:
        if is_working_day(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def add_days(day: dt.date, n: int) -> dt.date:
    """``n`` working days after ``day``."""
    return add_working_days(day, n) if n > 0 else day


def _stamp(day: dt.date, minutes: int) -> str:
    return f"{day:%Y%m%d}{7 + minutes // 60:02d}{minutes % 60:02d}00"


def dossiers(year: int, places: Sequence[tuple[str, str]], total: int, *, now: dt.datetime | None = None,
             seed: int = 766, prefix: str = "DN") -> Iterator[dict]:  # fmt: skip
    """About ``total`` dossiers received in ``year`` (up to ``now``) at ``places`` (agency code, unit
    key), as national-portal records."""
    rng = random.Random(seed)
    now = now or dt.datetime(year, 12, 31, 23, tzinfo=LOCAL)
    today = now.astimezone(LOCAL).date()
    days = [d for d in working_days(year) if d <= today]
    weights = [SEASON[d.month - 1] for d in days]
    scale = total / max(sum(weights), 1)
    serial = 0
    procs = PROCEDURES
    proc_weights = [30, 8, 6, 12, 25, 8, 6, 6, 3, 5, 2, 2, 2, 4, 3]
    for day, weight in zip(days, weights, strict=True):
        n_day = int(weight * scale + rng.random())
        for _ in range(n_day):
            serial += 1
            agency, unit = places[serial % len(places)] if rng.random() < 0.5 else rng.choice(places)
            code, _name, settle, online, fee, _paper = rng.choices(procs, proc_weights)[0]
            minute = rng.randrange(0, 590)
            appointment = add_days(day, settle)
            rec = {"MaHoSo": f"{prefix}-{day:%y%m%d}-{serial:07d}", "MaTTHC": code, "MaCoQuan": agency, "MaDonVi": unit,
                   "KenhThucHien": 2 if online and rng.random() < 0.62 else (3 if rng.random() < 0.03 else 1),
                   "NgayTiepNhan": _stamp(day, minute), "NgayHenTra": _stamp(appointment, 600),
                   "PhiLePhi": fee, "DuocThanhToanTrucTuyen": (1 if rng.random() < 0.7 else 2) if fee and rng.random() < 0.45 else 0,
                   "SoHoa": rng.random() < 0.78, "TaiSuDung": rng.random() < 0.35, "KetQuaDienTu": rng.random() < 0.7,
                   "DongBo": rng.random() < 0.97}  # fmt: skip
            r = rng.random()
            supplement = rng.random() < 0.08
            shift = 0
            if supplement:
                asked = add_days(day, 1)
                shift = rng.randint(1, 4)
                supplied = add_days(asked, shift)
                rec["YeuCauBoSung"] = [{"NgayYeuCau": _stamp(asked, 60), "NgayBoSung": _stamp(supplied, 60)}]
                if rng.random() < 0.1:
                    rec["YeuCauBoSung"].append(
                        {"NgayYeuCau": _stamp(supplied, 120), "NgayBoSung": _stamp(supplied, 300)}
                    )
            if r < 0.006:
                rec["TrangThaiHoSo"] = 7
            elif r < 0.01:
                rec["TrangThaiHoSo"] = 3
            else:
                if r < 0.6:
                    end = add_days(day, max(settle - rng.randint(1, 3), 0) + shift)
                elif r < 0.955:
                    end = add_days(day, settle + shift)
                else:
                    end = add_days(day, settle + shift + rng.randint(1, 6))
                if end >= today:
                    rec["TrangThaiHoSo"] = 5 if supplement else 4
                else:
                    rec["TrangThaiHoSo"] = 10 if rng.random() < 0.9 else 9
                    rec["NgayKetThucXuLy"] = _stamp(
                        end, rng.randrange(minute + 1, 600) if end == day else rng.randrange(0, 570)
                    )
            yield rec


def tasks(year: int, agencies: Sequence[str], count: int, *, today: dt.date, seed: int = 42) -> list[dict]:
    """Tasks assigned by the provincial leadership, as :func:`tasks.import_tasks` takes them."""
    rng = random.Random(seed)
    subjects = ["Rà soát, đơn giản hóa thủ tục hành chính", "Số hóa hồ sơ, kết quả giải quyết TTHC",
                "Báo cáo tình hình giải ngân vốn đầu tư công", "Xử lý kiến nghị của cử tri",
                "Triển khai Đề án 06 về dữ liệu dân cư", "Kiểm tra công tác phòng cháy chữa cháy",
                "Chuẩn bị phương án phòng chống thiên tai", "Báo cáo kết quả cải cách hành chính quý"]  # fmt: skip
    out = []
    for i in range(count):
        assigned = dt.date(year, 1, 2) + dt.timedelta(days=rng.randrange(0, max((today - dt.date(year, 1, 2)).days, 1)))
        deadline = assigned + dt.timedelta(days=rng.choice([7, 15, 30, 45, 60, 90]))
        r = rng.random()
        done = None
        if deadline < today or r < 0.4:
            if r < 0.8:
                done = min(assigned + dt.timedelta(days=int((deadline - assigned).days * rng.uniform(0.3, 1.0))), today)
            elif r < 0.9:
                done = min(deadline + dt.timedelta(days=rng.randint(1, 20)), today)
        lead = agencies[i % len(agencies)]
        out.append({"code": f"NV-{year}-{i + 1:04d}", "title": f"{rng.choice(subjects)} ({i + 1})",
                    "document": f"{rng.randint(100, 2999)}/UBND-TH", "lead": lead,
                    "cooperating": [a for a in rng.sample(list(agencies), min(2, len(agencies))) if a != lead],
                    "assigned_on": assigned.isoformat(), "deadline": deadline.isoformat(),
                    "done_on": done.isoformat() if done and done >= assigned else None})  # fmt: skip
    return out


def documents(agencies: Sequence[str], count: int, *, today: dt.date, seed: int = 30) -> list[dict]:
    """Incoming and outgoing documents of the last months (ND 30/2020 numbering: number/sign of the
    issuer), as the ``gov_documents_push`` connector takes them: most incoming ones done within
    their processing deadline, a few late, the last weeks' still waiting or being processed (some
    of them overdue); most outgoing ones signed digitally."""
    rng = random.Random(seed)
    subjects = ["Về việc triển khai kế hoạch cải cách hành chính", "Về việc báo cáo kết quả giải ngân vốn đầu tư công",
                "Về việc tăng cường công tác phòng cháy, chữa cháy", "Về việc góp ý dự thảo quyết định",
                "Về việc chuẩn bị phương án phòng chống thiên tai", "Về việc rà soát hộ nghèo, cận nghèo",
                "Về việc cung cấp số liệu thống kê quý", "Về việc tổ chức hội nghị sơ kết 6 tháng"]  # fmt: skip
    signs = ["UBND-VP", "UBND-KT", "SNV-CCHC", "STC-NS", "SXD-QLXD"]
    out = []
    for i in range(count):
        incoming = rng.random() < 0.6
        dated = today - dt.timedelta(days=rng.randrange(0, 120))
        deadline = dated + dt.timedelta(days=rng.choice([3, 5, 7, 10, 15])) if incoming and rng.random() < 0.8 else None
        r = rng.random()
        state, done = "done", None
        if not incoming:
            done = dated
        elif (today - dated).days < 20 and r < 0.5:
            state = "processing" if r < 0.35 else "waiting"
        elif r < 0.03:
            state = "returned"
        else:
            limit = (deadline - dated).days if deadline else 10
            late = rng.random() < 0.12
            done = dated + dt.timedelta(days=limit + rng.randint(1, 6) if late else rng.randint(0, limit))
            if done > today:
                state, done = "processing", None
        out.append({"id": f"VB-{today.year}-{i + 1:05d}", "agency": agencies[i % len(agencies)],
                    "direction": "in" if incoming else "out",
                    "number": f"{rng.randint(1, 3999)}/{rng.choice(signs)}", "summary": rng.choice(subjects),
                    "date": dated.isoformat(), "deadline": deadline.isoformat() if deadline else None,
                    "done_on": done.isoformat() if done else None, "state": state,
                    "role": "cooperate" if rng.random() < 0.2 else "lead",
                    "signed_digitally": not incoming and rng.random() < 0.85})  # fmt: skip
    return out
