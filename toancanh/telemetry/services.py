"""Every write of the telemetry context: stations registered and edited, readings ingested.

:func:`ingest_readings` is the one door for readings, whatever carried them (the HTTP batch API, a
logger's file, the MQTT subscriber): each row is checked on its own and refused with its reason, or
stored once (a reading sent again is a duplicate, not an error); the good ones are flagged by the
automatic quality checks, the roll-ups of the hours and days they touch are recomputed, and one event
per station leaves on commit with its latest values.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from toancanh.core import audit, bus
from toancanh.core.errors import ServiceError
from toancanh.core.registry import Quantity, ReadingsHook, registry
from toancanh.core.scoping import Scope, scope_of
from toancanh.core.sql import update_many
from toancanh.telemetry import store
from toancanh.telemetry.models import (
    Quality,
    Sensor,
    Station,
    StationKind,
    StationStatus,
)
from toancanh.units.models import Agency, Unit

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MAX_BATCH = 100_000

# Refusal reasons: a code (counted per station on the source's health) and what a person reads.
REASONS = {
    "malformed": _("the row is not an object with station, quantity, time and value"),
    "unknown_station": _("unknown station"),
    "station_retired": _("the station is retired"),
    "unknown_quantity": _("the station does not measure this quantity"),
    "wrong_unit": _("wrong unit of measure"),
    "not_a_number": _("the value is not a number"),
    "out_of_range": _("the value is outside the plausible range"),
    "bad_time": _("the time is not an ISO 8601 date and time"),
    "future": _("the time is in the future"),
    "rate_limited": _("too many readings from this station in a minute"),
}
# Spellings of units that loggers send for the same thing.
UNIT_ALIASES = {"ug/m3": "µg/m³", "μg/m³": "µg/m³", "µg/m3": "µg/m³", "mg/m3": "mg/m³", "degc": "°C", "°c": "°C"}


def setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def quantities() -> dict[str, Quantity]:
    return {q.code: q for q in registry.all(Quantity)}


@dataclass
class Refusal:
    row: int
    station: str
    reason: str  # a code of REASONS
    message: str


@dataclass
class IngestResult:
    """What became of a batch: readings accepted (new), duplicates (already stored: nothing changed),
    refusals with the row, the station and the reason; how many of the new ones were flagged suspect."""

    accepted: int = 0
    duplicates: int = 0
    suspect: int = 0
    refused: list[Refusal] = field(default_factory=list)

    _texts: dict[str, str] = field(default_factory=dict, repr=False)

    def refuse(self, row: int, station: Any, reason: str, detail: str = "") -> None:
        text = self._texts.get(reason)
        if text is None:  # translated once a batch, not once a row
            text = self._texts[reason] = str(REASONS[reason])
        self.refused.append(Refusal(row, str(station or "")[:40], reason, f"{text}: {detail}" if detail else text))

    def by_reason(self) -> dict[str, int]:
        return dict(Counter(r.reason for r in self.refused))

    def as_dict(self, limit: int = 1000) -> dict[str, Any]:
        return {"accepted": self.accepted, "duplicates": self.duplicates, "suspect": self.suspect,
                "refused": len(self.refused), "reasons": self.by_reason(),
                "refusals": [vars(r) for r in self.refused[:limit]]}  # fmt: skip


def _unit_text(u: str) -> str:
    u = u.strip()
    return UNIT_ALIASES.get(u.lower(), u)


def _number(raw: Any) -> float | None:
    if raw.__class__ is float or raw.__class__ is int:
        value = float(raw)
    elif isinstance(raw, str) and raw.strip():
        try:
            value = float(raw.strip().replace(",", ".") if raw.count(",") == 1 and "." not in raw else raw)
        except ValueError:
            return None
    else:
        return None  # bool, None, lists … are not readings
    return value if math.isfinite(value) else None


def _epoch(raw: Any) -> int | None:
    """Seconds since the epoch of an ISO 8601 time; a time without its zone is local (Asia/Ho_Chi_Minh)."""
    if isinstance(raw, dt.datetime):
        moment = raw
    elif isinstance(raw, str) and 10 <= len(raw) <= 40:
        try:
            moment = dt.datetime.fromisoformat(raw.strip())
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return int(moment.timestamp())


class _Checks:
    """The automatic quality checks of one sensor, in time order: outside the sensor's expected range,
    a spike (a jump from the last reading larger than the quantity's threshold), a flat line (the
    same value ``TOANCANH_TELEMETRY_FLATLINE`` times in a row)."""

    def __init__(self, sensor: dict[str, Any], q: Quantity):
        self.lo, self.hi = sensor["expected_min"], sensor["expected_max"]
        self.last_t, self.last_value, self.repeats = sensor["last_t"], sensor["last_value"], sensor["repeats"]
        spikes = setting("TOANCANH_TELEMETRY_SPIKE", {})
        self.spike = spikes.get(q.code, setting("TOANCANH_TELEMETRY_SPIKE_FRACTION", 0.25) * (q.max - q.min))
        self.flatline = setting("TOANCANH_TELEMETRY_FLATLINE", 6)
        self.moved = False

    def flag(self, t: int, value: float) -> int:
        suspect = (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi)
        if self.last_t is None or t > self.last_t:  # in order: the checks against the last reading
            if self.last_value is not None:
                suspect = suspect or abs(value - self.last_value) > self.spike
                self.repeats = self.repeats + 1 if value == self.last_value else 0
                suspect = suspect or self.repeats + 1 >= self.flatline
            self.last_t, self.last_value, self.moved = t, value, True
        # A late reading (older than the last) is checked against the sensor's range only.
        return _SUSPECT if suspect else _VALID


_SUSPECT, _VALID = int(Quality.SUSPECT), int(Quality.VALID)


def _scope_allows(scope: Scope, station: dict[str, Any]) -> bool:
    return scope.allows(station["unit__path"], agency_id=station["agency_id"])


def _refuse_unusable(result: IngestResult, n: int, r: Any, stations: dict, sensors: dict, qs: dict,
                     scope: Scope) -> None:  # fmt: skip
    """Say why a row names no sensor that may take readings."""
    if not isinstance(r, dict):
        result.refuse(n, "", "malformed")
        return
    code, qcode = r.get("station"), r.get("quantity")
    station = stations.get(code) if isinstance(code, str) else None
    if station is None or not _scope_allows(scope, station):
        result.refuse(n, code, "unknown_station", str(code)[:40])
    elif station["status"] == StationStatus.RETIRED:
        result.refuse(n, code, "station_retired")
    else:
        result.refuse(n, code, "unknown_quantity", str(qcode)[:40])


def ingest_readings(rows: list[Any], *, source: str, by: Any = None, health: bool = True,
                    prior: IngestResult | None = None) -> IngestResult:  # fmt: skip
    """Take in a batch of readings in the wire format
    ``{"station": "AINGHIA", "quantity": "water_level", "time": "2026-10-12T07:00:00+07:00",
    "value": 8.42, "unit": "m"}`` (``unit`` optional; it must be the quantity's when given).

    ``by`` is the principal that sent them (``None``: the platform itself, e.g. a configured source);
    a station outside its scope is refused as unknown. Late and out-of-order readings are accepted;
    a reading already stored (same station, quantity and time) is counted as a duplicate and left as
    it is. Refusals are counted per station and reason under ``source``; with ``health`` the batch is
    also counted on the health of the configured source of that name (a connector run counts its own).
    ``prior`` carries refusals the carrier made before (an MQTT message that is not JSON, a station
    over its rate): they are counted with the batch's own."""
    if len(rows) > MAX_BATCH:
        raise ServiceError(gettext("at most %(n)s readings a batch") % {"n": f"{MAX_BATCH:,}"})
    result = prior if prior is not None else IngestResult()
    scope = Scope(everywhere=True) if by is None else scope_of(by)
    qs = quantities()
    now_t = int(timezone.now().timestamp())
    horizon = now_t + int(setting("TOANCANH_TELEMETRY_FUTURE_SKEW", 300))
    auto_qc = setting("TOANCANH_TELEMETRY_QC", True)

    codes = {r.get("station") for r in rows if isinstance(r, dict) and isinstance(r.get("station"), str)}
    stations = {s["code"]: s for s in Station.objects.filter(code__in=codes).values(
        "id", "code", "status", "unit__path", "unit__key", "agency_id", "kind", "last_reading_at")}  # fmt: skip
    sensors = {
        (s["station__code"], s["quantity"]): s
        for s in Sensor.objects.filter(station__code__in=list(stations)).values(
            "id", "station__code", "quantity", "expected_min", "expected_max", "last_t", "last_value", "repeats")
    }  # fmt: skip

    # (station, quantity) -> (sensor, quantity): what may be stored, for the rows' fast path.
    usable = {
        key: (s["id"], qs[key[1]])
        for key, s in sensors.items()
        if key[1] in qs and stations[key[0]]["status"] != StationStatus.RETIRED
        and _scope_allows(scope, stations[key[0]])
    }  # fmt: skip
    times: dict[str, int | None] = {}  # a batch repeats its times: each parsed once
    good: list[tuple[int, int, float, str, str]] = []  # (sensor, t, value, station, quantity)
    seen: set[tuple[int, int]] = set()
    for n, r in enumerate(rows, start=1):
        try:
            code, qcode = r["station"], r["quantity"]
            hit = usable.get((code, qcode))
        except (TypeError, KeyError):
            hit = None
        if hit is None:
            _refuse_unusable(result, n, r, stations, sensors, qs, scope)
            continue
        sid, q = hit
        unit = r.get("unit")
        if unit and unit != q.unit and (not isinstance(unit, str) or _unit_text(unit) != q.unit):
            result.refuse(n, code, "wrong_unit", gettext("%(sent)s, expected %(unit)s")
                          % {"sent": str(unit)[:20], "unit": q.unit})  # fmt: skip
            continue
        raw = r.get("value")
        value = raw if raw.__class__ is float and raw - raw == 0 else _number(raw)
        if value is None:
            result.refuse(n, code, "not_a_number")
            continue
        if not q.min <= value <= q.max:
            result.refuse(n, code, "out_of_range", f"{value:g} ∉ [{q.min:g}, {q.max:g}] {q.unit}")
            continue
        when = r.get("time")
        if when.__class__ is str:
            t = times.get(when, -1)
            if t == -1:
                t = times[when] = _epoch(when)
        else:
            t = _epoch(when)
        if t is None:
            result.refuse(n, code, "bad_time")
            continue
        if t > horizon:
            result.refuse(n, code, "future")
            continue
        key = (sid, t)
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        good.append((sid, t, value, code, qcode))

    # Quality flags, sensor by sensor in time order.
    good.sort(key=itemgetter(0, 1))
    checks: dict[int, _Checks] = {}
    by_id = {s["id"]: s for s in sensors.values()}
    out: list[tuple[int, int, float, int]] = []
    hours: dict[int, set[int]] = {}
    suspect, raw_flag = int(Quality.SUSPECT), int(Quality.RAW)
    last_sid, c, sensor_hours = None, None, set()
    for sid, t, value, _code, qcode in good:
        if sid != last_sid:
            last_sid = sid
            sensor_hours = hours.setdefault(sid, set())
            if auto_qc:
                c = checks[sid] = _Checks(by_id[sid], qs[qcode])
        quality = c.flag(t, value) if c is not None else raw_flag
        out.append((sid, t, value, quality))
        sensor_hours.add(t - t % 3600)
    result.suspect = sum(1 for row in out if row[3] == suspect)

    with transaction.atomic():
        inserted = store.insert_readings(out)
        result.accepted = inserted
        result.duplicates += len(out) - inserted
        if inserted and inserted == len(out):
            store.add_to_rollups(out)  # each reading of the batch is new: merge it into its buckets
        elif inserted:
            store.refresh_rollups(hours)  # some were stored already: recompute the touched buckets
        if inserted:
            _advance(checks, good, stations)
            _publish(good, stations)
            _call_hooks(good, stored_all=inserted == len(out))
        _count_refusals(source, result)
        if inserted or result.refused:
            audit.record(
                "telemetry.readings", by=by, object_type="telemetry.reading", object_id="*",
                object_repr=f"{inserted} readings from {source}"[:200],
                after={"accepted": inserted, "duplicates": result.duplicates, "refused": len(result.refused),
                       "source": source},
            )  # fmt: skip
        if health:
            _record_health(source, result)
    return result


def _advance(checks: dict[int, _Checks], good: list[tuple], stations: dict[str, dict]) -> None:
    """Keep the sensors' check state and the stations' last reading time current."""
    moved = [(sid, c.last_t, c.last_value, c.repeats) for sid, c in checks.items() if c.moved]
    update_many("telemetry_sensor", "id", ["last_t", "last_value", "repeats"], moved,
                casts=["integer", "bigint", "double precision", "integer"])  # fmt: skip
    latest: dict[str, int] = {}
    for _sid, t, _v, code, _q in good:
        if t > latest.get(code, -1):
            latest[code] = t
    rows = []
    for code, t in latest.items():
        when = dt.datetime.fromtimestamp(t, tz=dt.UTC)
        before = stations[code]["last_reading_at"]
        if before is None or when > before:
            rows.append(
                (stations[code]["id"], when if connection.vendor != "sqlite" else str(when.replace(tzinfo=None)))
            )
    update_many("telemetry_station", "id", ["last_reading_at"], rows, casts=["integer", "timestamptz"])


def _call_hooks(good: list[tuple], *, stored_all: bool) -> None:
    """Hand the batch's readings to the packs' hooks (``ReadingsHook``), in the batch's transaction.
    When some were stored already (a batch sent again) they are handed too: a hook ignores what it
    has seen (readings no newer than the last it took)."""
    hooks = registry.all(ReadingsHook)
    if not hooks:
        return
    for hook in hooks:
        wanted = set(hook.quantities)
        rows = [(code, q, t, v) for _sid, t, v, code, q in good if q in wanted]
        if rows:
            rows.sort(key=itemgetter(0, 2))
            hook.handle(rows)


def _publish(good: list[tuple], stations: dict[str, dict]) -> None:
    """One event per station of the batch, with the latest value of each quantity it sent."""
    latest: dict[str, dict[str, tuple[int, float]]] = {}
    for _sid, t, value, code, qcode in good:
        per = latest.setdefault(code, {})
        if qcode not in per or t > per[qcode][0]:
            per[qcode] = (t, value)
    for code, per in latest.items():
        s = stations[code]
        bus.publish({
            "type": "telemetry.readings", "station": code, "kind": s["kind"], "unit": s["unit__key"],
            "values": {q: {"time": dt.datetime.fromtimestamp(t, tz=LOCAL).isoformat(), "value": v}
                       for q, (t, v) in per.items()},
        })  # fmt: skip


def _count_refusals(source: str, result: IngestResult) -> None:
    if not result.refused:
        return
    counts = Counter((r.station, r.reason) for r in result.refused)
    now = timezone.now()
    src = source[:120]
    with connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO telemetry_refusalcount (source, station, reason, count, last_at) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (source, station, reason) DO UPDATE SET count = telemetry_refusalcount.count + excluded.count, "
            "last_at = excluded.last_at",
            [(src, st, reason, n, now if connection.vendor != "sqlite" else str(now.replace(tzinfo=None)))
             for (st, reason), n in counts.items()],
        )  # fmt: skip


def _record_health(source: str, result: IngestResult) -> None:
    """The batch on the health of the configured source named ``source``, when there is one."""
    from toancanh.core.connectors import Outcome, record_pushed

    outcome = Outcome(accepted=result.accepted)
    for r in result.refused[:50]:
        outcome.refuse(f"{r.row}: {r.station}", r.message)
    outcome.refused.extend({} for _ in range(len(result.refused) - len(outcome.refused)))
    record_pushed(source, outcome)


# --- the registry of stations -----------------------------------------------------------------------

STATION_FIELDS = ("code", "name", "kind", "lat", "lon", "unit", "agency", "interval_seconds", "status",
                  "calibrated_on", "calibration_notes")  # fmt: skip


def _check_station(data: dict[str, Any], scope: Scope) -> dict[str, Any]:
    lat, lon = data.get("lat"), data.get("lon")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ServiceError(gettext("the position must be a latitude (-90..90) and a longitude (-180..180)"))
    if data.get("kind") not in StationKind.values:
        raise ServiceError(gettext("unknown kind of station"))
    if data.get("status", StationStatus.ACTIVE) not in StationStatus.values:
        raise ServiceError(gettext("unknown station status"))
    interval = data.get("interval_seconds") or 3600
    if not 10 <= interval <= 7 * 86400:
        raise ServiceError(gettext("the reporting interval must be 10 seconds to 7 days"))
    unit = data.get("unit")
    if unit is None:
        from toancanh.units.queries import locate_commune

        unit = locate_commune(lat, lon, scope)
        if unit is None:
            raise ServiceError(gettext("no commune of your scope lies at this position: choose the unit"))
    elif not isinstance(unit, Unit):
        unit = Unit.objects.within(scope).filter(key=str(unit)).first()
        if unit is None:
            raise ServiceError(gettext("unit not found in your scope"))
    agency = data.get("agency")
    if agency is not None and not isinstance(agency, Agency):
        agency = Agency.objects.within(scope).filter(code=str(agency)).first()
        if agency is None:
            raise ServiceError(gettext("agency not found in your scope"))
    scope.require(unit.path, agency_id=agency.pk if agency else None)
    return {**data, "unit": unit, "agency": agency, "interval_seconds": interval}


def _set_quantities(station: Station, codes: list[str]) -> None:
    known = quantities()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ServiceError(gettext("unknown quantities: %(codes)s (declared: %(known)s)")
                           % {"codes": ", ".join(unknown), "known": ", ".join(sorted(known))})  # fmt: skip
    Sensor.objects.filter(station=station).exclude(quantity__in=codes).delete()
    have = set(Sensor.objects.filter(station=station).values_list("quantity", flat=True))
    Sensor.objects.bulk_create([Sensor(station=station, quantity=c) for c in codes if c not in have])


def register_station(*, by: Any, quantities: list[str], **data: Any) -> Station:
    """Register a station and the quantities it measures; its unit is found from its position when
    not given (the commune that contains it)."""
    scope = Scope(everywhere=True) if by is None else scope_of(by)
    code = str(data.get("code") or "").strip().upper()
    if not code or len(code) > 40 or not all(ch.isalnum() or ch in "-_." for ch in code):
        raise ServiceError(gettext("a station code is 1 to 40 letters, digits, '-', '_' or '.'"))
    checked = _check_station({**data, "code": code}, scope)
    with transaction.atomic():
        if Station.objects.filter(code=code).exists():
            raise ServiceError(gettext("a station with code %(code)s exists already") % {"code": code})
        station = Station.objects.create(**{k: checked[k] for k in STATION_FIELDS if k in checked})
        _set_quantities(station, list(dict.fromkeys(quantities)))
        audit.record("telemetry.station.register", station, by=by, after=audit.snapshot(station),
                     unit_path=station.unit.path)  # fmt: skip
    return station


def update_station(station: Station, *, by: Any, quantities: list[str] | None = None, **data: Any) -> Station:
    """Edit a station (its code stays); ``quantities`` replaces what it measures when given."""
    scope = Scope(everywhere=True) if by is None else scope_of(by)
    merged = {f: getattr(station, f) for f in STATION_FIELDS} | {k: v for k, v in data.items() if k != "code"}
    checked = _check_station(merged, scope)
    with transaction.atomic():
        before = audit.snapshot(station)
        for f in STATION_FIELDS:
            if f != "code":
                setattr(station, f, checked[f])
        station.save()
        if quantities is not None:
            _set_quantities(station, list(dict.fromkeys(quantities)))
        audit.record("telemetry.station.update", station, by=by, before=before, after=audit.snapshot(station),
                     unit_path=station.unit.path)  # fmt: skip
    return station
