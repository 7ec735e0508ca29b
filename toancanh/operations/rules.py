"""Alert rule kinds: each checks its parameters (pydantic) when the rule is saved and keeps, per
rule and per subject, the little state it needs to decide on each event.

An evaluator answers ``observe(event) -> Signal | None`` — FIRE (the condition holds for this
key), CLEAR (it no longer does) — and ``tick(now)`` for conditions that arise from silence
(absence) or from outside the event stream (indicators off target).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator
from shapely.geometry import Point, shape
from shapely.prepared import prep

from toancanh.core.errors import ServiceError, describe_validation

FIRE, CLEAR = "fire", "clear"


@dataclass(frozen=True)
class EventView:
    """What the engine sees of an event (no database object needed)."""

    id: int | None
    type: str
    sector: str
    subject: str
    unit_path: str
    unit_id: int | None
    lat: float | None
    lon: float | None
    at: dt.datetime
    payload: dict[str, Any]

    def field(self, name: str) -> float | None:
        if "." not in name:  # the usual case, kept short: a flat payload field
            value = self.payload.get(name)
            if value is None or isinstance(value, float):
                return value
            try:
                return float(value)
            except (TypeError, ValueError):
                return None
        value: Any = self.payload
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        try:
            return float(value)
        except (TypeError, ValueError):
            return None


@dataclass
class Signal:
    kind: str  # FIRE or CLEAR
    key: str
    message: str
    event: EventView | None = None


# --- parameters ----------------------------------------------------------------------------------


class _Params(BaseModel):
    model_config = {"extra": "forbid"}
    situation_type: str | None = Field(None, description="the procedure a situation opened by this rule follows")


class ThresholdParams(_Params):
    field: str = Field(..., min_length=1, description="payload field, e.g. 'pm25' or 'water.level'")
    op: Literal[">", ">=", "<", "<="]
    value: float
    for_seconds: int = Field(0, ge=0, description="the condition must hold this long")


class RateParams(_Params):
    field: str = Field(..., min_length=1)
    change: float = Field(..., gt=0, description="the rise or fall that fires")
    within_seconds: int = Field(..., gt=0)
    direction: Literal["up", "down", "any"] = "up"


class AbsenceParams(_Params):
    minutes: int = Field(..., gt=0, le=7 * 24 * 60)


class GeofenceParams(_Params):
    area: dict[str, Any]
    mode: Literal["enter", "leave", "dwell"] = "enter"
    dwell_seconds: int = Field(0, ge=0)

    @field_validator("area")
    @classmethod
    def _polygon(cls, area: dict[str, Any]) -> dict[str, Any]:
        try:
            geom = shape(area)
        except Exception as exc:  # noqa: BLE001 - any malformed geometry is one clear error
            raise ValueError(f"area is not a GeoJSON geometry ({exc.__class__.__name__})") from exc
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty or not geom.is_valid:
            raise ValueError("area must be a valid Polygon or MultiPolygon")
        return area


class CountParams(_Params):
    window_seconds: int = Field(..., gt=0, le=31 * 24 * 3600)
    more_than: int = Field(..., ge=0)
    group_by: Literal["unit", "unit_and_category", "subject"] = "unit"
    category_field: str = "category"


class IndicatorParams(_Params):
    indicator: str
    statuses: list[Literal["red", "amber"]] = ["red"]


class AnomalyParams(_Params):
    field: str = Field(..., min_length=1)
    z: float = Field(3.5, gt=0)
    min_history: int = Field(20, ge=5)
    history: int = Field(200, ge=10, le=5000)


PARAMS = {
    "threshold": ThresholdParams, "rate_of_change": RateParams, "absence": AbsenceParams, "geofence": GeofenceParams,
    "count": CountParams, "indicator_off_target": IndicatorParams, "anomaly": AnomalyParams,
}  # fmt: skip


def validate_params(kind: str, params: dict[str, Any]) -> BaseModel:
    """The rule's parameters, checked; a ServiceError says which is wrong and why."""
    if kind not in PARAMS:
        raise ServiceError(f"unknown rule kind '{kind}' (one of: {', '.join(PARAMS)})")
    try:
        return PARAMS[kind].model_validate(params or {})
    except ValidationError as exc:
        raise ServiceError(f"{kind} rule cannot be evaluated: {describe_validation(exc)}") from exc


# --- evaluators ----------------------------------------------------------------------------------


class Evaluator:
    def __init__(self, params: BaseModel):
        self.p = params

    def observe(self, e: EventView) -> Signal | None:
        return None

    def tick(self, now: dt.datetime) -> list[Signal]:
        return []


_OPS = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}


class Threshold(Evaluator):
    p: ThresholdParams

    def __init__(self, params):
        super().__init__(params)
        self.since: dict[str, dt.datetime] = {}
        self.firing: set[str] = set()
        self.test = _OPS[self.p.op]

    def observe(self, e):
        value = e.field(self.p.field)
        if value is None:
            return None
        key = e.subject
        if self.test(value, self.p.value):
            # Events may come late or twice (at-least-once delivery): the condition began at the
            # earliest reading that showed it.
            start = self.since.get(key)
            if start is None or e.at < start:
                start = self.since[key] = e.at
            if self.p.for_seconds == 0 or (e.at - start).total_seconds() >= self.p.for_seconds:
                self.firing.add(key)
                return Signal(FIRE, key, f"{self.p.field} = {value:g} {self.p.op} {self.p.value:g}", e)
            return None
        self.since.pop(key, None)
        if key in self.firing:
            self.firing.discard(key)
            return Signal(CLEAR, key, f"{self.p.field} = {value:g}, back within bounds", e)
        return None


class RateOfChange(Evaluator):
    p: RateParams

    def __init__(self, params):
        super().__init__(params)
        self.history: dict[str, deque] = defaultdict(deque)
        self.firing: set[str] = set()

    def observe(self, e):
        value = e.field(self.p.field)
        if value is None:
            return None
        h = self.history[e.subject]
        h.append((e.at, value))
        while h and (e.at - h[0][0]).total_seconds() > self.p.within_seconds:
            h.popleft()
        low, high = min(v for _t, v in h), max(v for _t, v in h)
        first = h[0][1]
        rise, fall = value - low, high - value
        hit = {"up": rise >= self.p.change and value > first - 1e-12, "down": fall >= self.p.change,
               "any": max(rise, fall) >= self.p.change}[self.p.direction]  # fmt: skip
        if hit:
            self.firing.add(e.subject)
            return Signal(
                FIRE, e.subject, f"{self.p.field} changed by {max(rise, fall):g} within {self.p.within_seconds} s", e
            )
        if e.subject in self.firing:
            self.firing.discard(e.subject)
            return Signal(CLEAR, e.subject, f"{self.p.field} steady again", e)
        return None


class Absence(Evaluator):
    """No event from a subject for N minutes (a station that fell silent). Subjects are learned."""

    p: AbsenceParams

    def __init__(self, params):
        super().__init__(params)
        self.last: dict[str, tuple[dt.datetime, EventView]] = {}
        self.firing: set[str] = set()

    def observe(self, e):
        self.last[e.subject] = (e.at, e)
        if e.subject in self.firing:
            self.firing.discard(e.subject)
            return Signal(CLEAR, e.subject, "data again", e)
        return None

    def tick(self, now):
        out = []
        for key, (at, e) in self.last.items():
            if key not in self.firing and (now - at).total_seconds() >= self.p.minutes * 60:
                self.firing.add(key)
                out.append(Signal(FIRE, key, f"no data for {self.p.minutes} minutes", e))
        return out


class Geofence(Evaluator):
    p: GeofenceParams

    def __init__(self, params):
        super().__init__(params)
        self.area = prep(shape(self.p.area))
        self.inside: dict[str, bool] = {}
        self.entered: dict[str, dt.datetime] = {}
        self.firing: set[str] = set()

    def observe(self, e):
        if e.lat is None or e.lon is None:
            return None
        now_in = self.area.contains(Point(e.lon, e.lat))
        was_in = self.inside.get(e.subject)
        self.inside[e.subject] = now_in
        key = e.subject
        if now_in and not was_in:
            self.entered[key] = e.at
        mode = self.p.mode
        if mode == "enter" and now_in and was_in is False or mode == "leave" and was_in and not now_in:
            self.firing.add(key)
            return Signal(FIRE, key, "entered the area" if mode == "enter" else "left the area", e)
        stayed = (e.at - self.entered.get(key, e.at)).total_seconds()
        if mode == "dwell" and now_in and key not in self.firing and stayed >= self.p.dwell_seconds:
            self.firing.add(key)
            return Signal(FIRE, key, f"in the area for {self.p.dwell_seconds} s", e)
        if key in self.firing and ((mode in ("enter", "dwell") and not now_in) or (mode == "leave" and now_in)):
            self.firing.discard(key)
            return Signal(CLEAR, key, "left the area" if mode != "leave" else "back in the area", e)
        return None


class Count(Evaluator):
    """More than N events of a kind in a window, per commune (and category)."""

    p: CountParams

    def __init__(self, params):
        super().__init__(params)
        self.windows: dict[str, deque] = defaultdict(deque)
        self.firing: set[str] = set()
        self.latest: dict[str, EventView] = {}

    def _key(self, e: EventView) -> str:
        if self.p.group_by == "subject":
            return e.subject
        unit = e.unit_path.rstrip("/").rsplit("/", 1)[-1] if e.unit_path else "?"
        if self.p.group_by == "unit_and_category":
            return f"{unit}:{e.payload.get(self.p.category_field, '')}"
        return unit

    def observe(self, e):
        key = self._key(e)
        w = self.windows[key]
        w.append(e.at)
        self.latest[key] = e
        while w and (e.at - w[0]).total_seconds() > self.p.window_seconds:
            w.popleft()
        if len(w) > self.p.more_than:
            self.firing.add(key)
            return Signal(FIRE, key, f"{len(w)} events within {self.p.window_seconds // 60} minutes", e)
        return None

    def tick(self, now):
        out = []
        for key in list(self.firing):
            w = self.windows[key]
            while w and (now - w[0]).total_seconds() > self.p.window_seconds:
                w.popleft()
            if len(w) <= self.p.more_than:
                self.firing.discard(key)
                out.append(Signal(CLEAR, key, f"{len(w)} events in the window now", self.latest.get(key)))
        return out


class Anomaly(Evaluator):
    """A value far outside the subject's own recent history (robust z-score, median/MAD)."""

    p: AnomalyParams

    def __init__(self, params):
        super().__init__(params)
        self.history: dict[str, deque] = defaultdict(lambda: deque(maxlen=self.p.history))
        self.firing: set[str] = set()

    def observe(self, e):
        value = e.field(self.p.field)
        if value is None:
            return None
        h = self.history[e.subject]
        signal = None
        if len(h) >= self.p.min_history:
            ordered = sorted(h)
            median = ordered[len(ordered) // 2]
            mad = sorted(abs(v - median) for v in h)[len(h) // 2] * 1.4826
            z = abs(value - median) / mad if mad else 0.0
            if z > self.p.z:
                self.firing.add(e.subject)
                signal = Signal(FIRE, e.subject, f"{self.p.field} = {value:g} is unusual (z = {z:.1f})", e)
            elif e.subject in self.firing:
                self.firing.discard(e.subject)
                signal = Signal(CLEAR, e.subject, f"{self.p.field} usual again", e)
        h.append(value)
        return signal


class IndicatorOffTarget(Evaluator):
    """An indicator whose traffic light is red (or amber) for the rule's unit; checked on ticks."""

    p: IndicatorParams

    def __init__(self, params, unit_id: int | None = None):
        super().__init__(params)
        self.unit_id = unit_id
        self.firing = False

    def tick(self, now):
        from toancanh.indicators.models import Indicator
        from toancanh.indicators.queries import figures
        from toancanh.units.models import Unit

        indicator = Indicator.objects.filter(code=self.p.indicator).first()
        unit = Unit.objects.filter(pk=self.unit_id).first()
        if indicator is None or unit is None:
            return []
        fig = figures(unit, [indicator])[0]
        off = fig.status in self.p.statuses
        key = f"{indicator.code}@{unit.key}"
        if off and not self.firing:
            self.firing = True
            return [Signal(FIRE, key, f"{indicator.name_vi}: {fig.completion_pct or 0:.1f}% of target ({fig.status})")]
        if not off and self.firing:
            self.firing = False
            return [Signal(CLEAR, key, f"{indicator.name_vi} back on track")]
        return []


EVALUATORS = {
    "threshold": Threshold, "rate_of_change": RateOfChange, "absence": Absence, "geofence": Geofence,
    "count": Count, "anomaly": Anomaly, "indicator_off_target": IndicatorOffTarget,
}  # fmt: skip


def evaluator_for(kind: str, params: dict[str, Any], unit_id: int | None = None) -> Evaluator:
    checked = validate_params(kind, params)
    if kind == "indicator_off_target":
        return IndicatorOffTarget(checked, unit_id)
    return EVALUATORS[kind](checked)
