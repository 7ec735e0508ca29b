"""Reading one-stop-shop dossier records in the national portal's layout (the DVCQG sync fields,
shared/reference/government-performance.md §B [S]) — checked one by one, fast enough for a year of a
province (about 1.5 million records) in a minute: plain Python, no model per record.

Every field is described in docs/government.md. A record either becomes a row tuple for the bulk
write or is refused with its reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from toancanh.packs.api import add_working_days, working_days_between
from toancanh.packs.government.models import FINISHED, NOT_COUNTED, Outcome, Status

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = dt.UTC
VN_OFFSET = dt.timedelta(hours=7)  # Việt Nam: UTC+7 all year, no daylight saving
REQUIRED = ("MaHoSo", "MaTTHC", "MaCoQuan", "TrangThaiHoSo", "NgayTiepNhan", "NgayHenTra")
KNOWN = frozenset(REQUIRED) | {
    "MaDonVi", "KenhThucHien", "NgayKetThucXuLy", "YeuCauBoSung", "PhiLePhi", "DuocThanhToanTrucTuyen",
    "SoHoa", "TaiSuDung", "KetQuaDienTu", "DongBo",
}  # fmt: skip
COLUMNS = (
    "code", "procedure_id", "agency_id", "unit_id", "status", "channel", "received_at", "appointment_at",
    "ended_at", "due_at", "supplements", "supplement_count", "fee", "paid_online", "digitised", "reused",
    "e_result", "synced", "outcome", "resolution_days", "source", "month",
)  # fmt: skip
TRUE = frozenset({"1", "true", "yes", "có", "co", "x", "y"})
FALSE = frozenset({"0", "false", "no", "không", "khong", ""})
MAX_FEE = 10**12  # VND: more is a typing error


class Refused(ValueError):
    """A record that cannot be stored, with the reason a person reads."""


def parse_time(value, field: str) -> dt.datetime:
    """ISO 8601 (a time without zone is Việt Nam's), the portal's ``yyyyMMddHHmmss`` or
    ``dd/mm/yyyy[ HH:MM[:SS]]``; an Excel cell's datetime as it comes. Returns a naive UTC datetime
    (Việt Nam keeps UTC+7 all year), the bulk path's currency; :func:`aware` makes it whole."""
    try:
        if isinstance(value, str) and len(value) == 14 and value.isdigit():
            moment = dt.datetime(int(value[:4]), int(value[4:6]), int(value[6:8]), int(value[8:10]),  # noqa: DTZ001
                                 int(value[10:12]), int(value[12:])) - VN_OFFSET  # fmt: skip
        else:
            moment = _parse_other(value)
    except (ValueError, TypeError):
        raise Refused(
            _("%(field)s is not a date and time: %(value)s") % {"field": field, "value": str(value)[:40]}
        ) from None
    if not 2000 <= moment.year <= 2100:
        raise Refused(_("%(field)s is out of range: %(value)s") % {"field": field, "value": moment.date()})
    return moment


def _parse_other(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001 - local, as below
    else:
        text = str(value).strip()
        if "/" in text:
            day, _sep, clock = text.partition(" ")
            d, m, y = (int(x) for x in day.split("/"))
            hh, mm, ss = ([int(x) for x in clock.split(":")] + [0, 0, 0])[:3] if clock else (0, 0, 0)
            moment = dt.datetime(y, m, d, hh, mm, ss)  # noqa: DTZ001 - local, as below
        else:
            moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        return moment - VN_OFFSET
    return moment.astimezone(UTC).replace(tzinfo=None)


def month_of(moment: dt.datetime) -> int:
    """``yyyymm`` of a naive UTC moment, in Việt Nam's time."""
    local = moment + VN_OFFSET
    return local.year * 100 + local.month


def aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=UTC)


def _int(value, field: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise Refused(
            _("%(field)s must be a whole number: %(value)s") % {"field": field, "value": str(value)[:40]}
        ) from None
    if not low <= number <= high:
        raise Refused(_("%(field)s must be from %(low)s to %(high)s: %(value)s")
                      % {"field": field, "low": low, "high": high, "value": number})  # fmt: skip
    return number


def _bool(value, field: str) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise Refused(_("%(field)s must be yes or no: %(value)s") % {"field": field, "value": text[:20]})


def _supplements(value) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """``YeuCauBoSung``: a list of ``{"NgayYeuCau", "NgayBoSung"}`` (JSON), or in a file
    ``requested~supplied;requested~supplied`` (a supplement still awaited has no supplied date)."""
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            value = json.loads(text)
        else:
            value = [dict(zip(("NgayYeuCau", "NgayBoSung"), (p.partition("~")[0], p.partition("~")[2]), strict=True))
                     for p in text.replace("|", ";").split(";") if p.strip()]  # fmt: skip
    if not isinstance(value, list) or len(value) > 20:
        raise Refused(_("YeuCauBoSung must be a list of supplement requests"))
    out = []
    for item in value:
        if not isinstance(item, dict) or not item.get("NgayYeuCau"):
            raise Refused(_("each supplement request needs its NgayYeuCau"))
        asked = parse_time(item["NgayYeuCau"], "NgayYeuCau")
        supplied = parse_time(item["NgayBoSung"], "NgayBoSung") if item.get("NgayBoSung") else None
        if supplied is not None and supplied < asked:
            raise Refused(_("a supplement is dated before its request"))
        out.append((asked, supplied))
    return out


def paused(periods: list[tuple[dt.datetime, dt.datetime | None]], until: dt.datetime) -> dt.timedelta:
    """The time spent waiting for the citizen's supplements (taken off the resolution time); a
    supplement still awaited counts up to ``until``."""
    total = dt.timedelta()
    for asked, supplied in periods:
        end = supplied or until
        if end > asked:
            total += end - asked
    return total


def _day(moment: dt.datetime) -> dt.date:
    return (moment + VN_OFFSET).date()


def extended(appointment: dt.datetime, periods: list[tuple[dt.datetime, dt.datetime | None]],
             until: dt.datetime) -> dt.datetime:  # fmt: skip
    """The appointment moved on by the working days spent waiting for supplements (the supplement
    time is excluded, 766 indicator 2.1 [S]; working days on the core's calendar, so Tết and the
    other days off do not count)."""
    waited = sum(working_days_between(_day(asked), _day(supplied or until)) for asked, supplied in periods)
    if waited <= 0:
        return appointment
    day = _day(appointment)
    return appointment + (add_working_days(day, waited) - day)


def derive(status: int, received: dt.datetime, due: dt.datetime, ended: dt.datetime | None, supplements: int,
           waited: dt.timedelta) -> tuple[int, float | None]:  # fmt: skip
    """The 766 outcome of a dossier and its resolution time in days (supplement time excluded).
    Early: ended on a day before the (extended) appointment's day; on time: ended no later than the
    appointment; late: after it, or asked for supplements more than once (which counts as overdue [S])."""
    if status in NOT_COUNTED:
        return Outcome.NOT_COUNTED, None
    if ended is None:
        return (Outcome.OVERDUE if supplements > 1 else Outcome.PENDING), None
    days = max((ended - received - waited).total_seconds() / 86400, 0.0)
    if supplements > 1 or ended > due:
        return Outcome.LATE, days
    early = (ended + VN_OFFSET).date() < (due + VN_OFFSET).date()
    return (Outcome.EARLY if early else Outcome.ON_TIME), days


@dataclass
class Lookups:
    procedures: dict[str, int]
    agencies: dict[str, tuple[int, int]]  # code -> (id, unit id)
    units: dict[str, int]  # key -> id


def read(rec, look: Lookups, now: dt.datetime, source: str, adapt: Callable) -> tuple:
    """One record to a row of :data:`COLUMNS`, or :class:`Refused`."""
    if not isinstance(rec, dict):
        raise Refused(_("a record must be an object of the national portal's fields"))
    if "MaHoSo" not in rec or "TrangThaiHoSo" not in rec:
        found = ", ".join(sorted(str(k) for k in rec)[:8])
        raise Refused(
            _("not the national portal's layout (MaHoSo, TrangThaiHoSo, …): found %(found)s") % {"found": found}
        )
    missing = [f for f in REQUIRED if rec.get(f) in (None, "")]
    if missing:
        raise Refused(_("missing %(fields)s") % {"fields": ", ".join(missing)})
    code = str(rec["MaHoSo"]).strip()
    if len(code) > 60:
        raise Refused(_("MaHoSo is longer than 60 characters"))
    try:
        status = Status(_int(rec["TrangThaiHoSo"], "TrangThaiHoSo", -(10**6), 10**6))
    except ValueError:
        raise Refused(
            _("unknown status code %(value)s (TrangThaiHoSo is 1 to 10)") % {"value": rec["TrangThaiHoSo"]}
        ) from None
    procedure = look.procedures.get(str(rec["MaTTHC"]).strip())
    if procedure is None:
        raise Refused(_("unknown procedure %(code)s") % {"code": str(rec["MaTTHC"])[:40]})
    agency = look.agencies.get(str(rec["MaCoQuan"]).strip())
    if agency is None:
        raise Refused(_("unknown agency %(code)s") % {"code": str(rec["MaCoQuan"])[:60]})
    unit_key = str(rec.get("MaDonVi") or "").strip()
    unit = look.units.get(unit_key) if unit_key else agency[1]
    if unit is None:
        raise Refused(_("unknown unit %(key)s") % {"key": unit_key[:40]})
    channel = _int(rec.get("KenhThucHien") or 1, "KenhThucHien", 1, 3)
    received = parse_time(rec["NgayTiepNhan"], "NgayTiepNhan")
    appointment = parse_time(rec["NgayHenTra"], "NgayHenTra")
    if appointment < received:
        raise Refused(_("the appointment (NgayHenTra) is before the dossier was received (NgayTiepNhan)"))
    ended = parse_time(rec["NgayKetThucXuLy"], "NgayKetThucXuLy") if rec.get("NgayKetThucXuLy") else None
    if ended is None and status in FINISHED and status not in NOT_COUNTED:
        raise Refused(_("a finished dossier (status %(status)s) needs its NgayKetThucXuLy") % {"status": int(status)})
    if ended is not None and ended < received:
        raise Refused(_("the end (NgayKetThucXuLy) is before the dossier was received"))
    periods = _supplements(rec.get("YeuCauBoSung"))
    waited = paused(periods, ended or now)
    due = extended(appointment, periods, ended or now) if periods else appointment
    outcome, days = derive(status, received, due, ended, len(periods), waited)
    fee = _int(rec.get("PhiLePhi") or 0, "PhiLePhi", 0, MAX_FEE)
    paid = _int(rec.get("DuocThanhToanTrucTuyen") or 0, "DuocThanhToanTrucTuyen", 0, 2)
    stored_periods = (
        json.dumps([[aware(a).isoformat(), aware(s).isoformat() if s else None] for a, s in periods])
        if periods
        else "[]"
    )
    return (code, procedure, agency[0], unit, int(status), channel, adapt(received), adapt(appointment),
            adapt(ended) if ended else None, adapt(due), stored_periods, len(periods), fee, paid,
            _bool(rec.get("SoHoa"), "SoHoa"), _bool(rec.get("TaiSuDung"), "TaiSuDung"),
            _bool(rec.get("KetQuaDienTu"), "KetQuaDienTu"), _bool(rec.get("DongBo", True), "DongBo"),
            int(outcome), days, source, month_of(received))  # fmt: skip
