"""Alert rule kinds: each checks its parameters (pydantic) when the rule is saved and decides, per
rule and per key (a station, a vessel, a commune), from a small state that the engine keeps in the
database (``RuleState``), so a restart, a rule edit or a second worker neither loses nor splits it.

An evaluator answers:
- ``key(event)``: which state an event touches (``None``: the event does not concern the rule);
- ``observe(state, event) -> Signal | None``: FIRE (the condition holds for this key) or CLEAR;
  it updates ``state`` (a JSON-able dict) in place and keeps it bounded (the engine stores the
  states that changed, noticed two levels deep: set ``state[k]`` or the items of a list or dict
  there, and replace anything deeper rather than change it in place);
- ``tick(key, state, now) -> Signal | None`` for conditions that arise from time passing
  (absence, a window emptying) — only kinds with ``ticks = True`` are asked;
- ``fixed_keys()``: keys that exist without events (an indicator watched by the rule).

Messages are written in Vietnamese, the province's language, as a record.
Rule kinds are declared in the registry (:mod:`toancanh.core.registry`); packs add their own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, Literal

import shapely
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, Field, ValidationError, field_validator
from shapely.geometry import shape

from toancanh.core.errors import ServiceError, describe_validation
from toancanh.core.registry import RuleKind, registry

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

    @cached_property
    def ts(self) -> float:
        """``at`` as a POSIX timestamp, worked out once however many rules read it."""
        return self.at.timestamp()

    def field(self, name: str) -> float | None:
        if "." not in name:  # the usual case, kept short: a flat payload field
            value = self.payload.get(name)
        else:
            value = self.payload
            for part in name.split("."):
                if not isinstance(value, dict) or part not in value:
                    return None
                value = value[part]
        if value is None or isinstance(value, bool):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if math.isfinite(number) else None

    def ref(self) -> list[Any]:
        """A compact reference kept in a rule's state, to place an alert raised later by time alone."""
        return [self.id, self.unit_id, self.lat, self.lon, self.unit_path, self.ts]

    @classmethod
    def from_ref(cls, ref: list[Any] | None) -> EventView | None:
        if not ref:
            return None
        eid, unit_id, lat, lon, path, ts = ref
        return cls(eid, "", "", "", path, unit_id, lat, lon, dt.datetime.fromtimestamp(ts, dt.UTC), {})


class Signal:
    """A rule's decision for one key: FIRE or CLEAR, with its message and the event behind it.

    The message may be given as a function that writes it: most FIREs only keep an alert firing,
    and only the last one of a batch is kept, so the text is written when it is read (formatting
    numbers for every reading was a tenth of the engine's time)."""

    __slots__ = ("_message", "event", "key", "kind")

    def __init__(self, kind: str, key: str, message: str | Callable[[], str], event: EventView | None = None):
        self.kind, self.key, self._message, self.event = kind, key, message, event

    @property
    def message(self) -> str:
        if not isinstance(self._message, str):
            self._message = self._message()
        return self._message

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signal):
            return NotImplemented
        return (self.kind, self.key, self.message, self.event) == (other.kind, other.key, other.message, other.event)

    __hash__ = None  # type: ignore[assignment] - mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        return f"Signal({self.kind!r}, {self.key!r}, {self.message!r}, {self.event!r})"


_VI_SEPARATORS = str.maketrans(",.", ".,")


def num(value: float) -> str:
    """A number as Vietnamese readers write it (3,8; 1.234,5; at most three decimals), the way
    Babel's ``format_decimal(value, locale="vi")`` writes it, at a fraction of the cost (it runs
    for every reading that keeps an alert firing)."""
    text = f"{round(value, 3):,.3f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text).translate(_VI_SEPARATORS)


# --- parameters ----------------------------------------------------------------------------------


class RuleParams(BaseModel):
    """What every rule kind's parameters share."""

    model_config = {"extra": "forbid", "allow_inf_nan": False}
    situation_type: str | None = Field(None, description=_("the procedure a situation opened by this rule follows"))


class ThresholdParams(RuleParams):
    field: str = Field(..., min_length=1, max_length=80, description=_("payload field, e.g. 'pm25' or 'water.level'"))
    op: Literal[">", ">=", "<", "<="]
    value: float
    for_seconds: int = Field(0, ge=0, le=31 * 24 * 3600, description=_("the condition must hold this long"))
    label: str | None = Field(None, max_length=80, description=_("what the field measures, e.g. 'Mực nước'"))
    measure: str | None = Field(None, max_length=20, description=_("its unit of measure, e.g. 'm'"))


class RateParams(RuleParams):
    field: str = Field(..., min_length=1, max_length=80)
    change: float = Field(..., gt=0, description=_("the rise or fall that fires"))
    within_seconds: int = Field(..., gt=0, le=7 * 24 * 3600)
    direction: Literal["up", "down", "any"] = "up"
    label: str | None = Field(None, max_length=80)
    measure: str | None = Field(None, max_length=20)


class AbsenceParams(RuleParams):
    minutes: int = Field(..., gt=0, le=7 * 24 * 60)


class GeofenceParams(RuleParams):
    area: dict[str, Any]
    mode: Literal["enter", "leave", "dwell"] = "enter"
    dwell_seconds: int = Field(0, ge=0, le=31 * 24 * 3600)

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


class CountParams(RuleParams):
    window_seconds: int = Field(..., gt=0, le=31 * 24 * 3600)
    more_than: int = Field(..., ge=0, le=100_000)
    group_by: Literal["unit", "unit_and_category", "subject"] = "unit"
    category_field: str = Field("category", max_length=80)


class IndicatorParams(RuleParams):
    indicator: str = Field(..., min_length=1, max_length=40)
    statuses: list[Literal["red", "amber"]] = ["red"]


class AnomalyParams(RuleParams):
    field: str = Field(..., min_length=1, max_length=80)
    z: float = Field(3.5, gt=0, le=1000)
    min_history: int = Field(20, ge=5, le=5000)
    history: int = Field(200, ge=10, le=5000)


def kind_of(code: str) -> RuleKind:
    kind = registry.get(RuleKind, code)
    if kind is None:
        raise ServiceError(
            gettext("unknown rule kind '%(code)s' (one of: %(kinds)s)")
            % {"code": code, "kinds": ", ".join(registry.codes(RuleKind))}
        )
    return kind


def validate_params(kind: str, params: dict[str, Any]) -> BaseModel:
    """The rule's parameters, checked; a ServiceError says which is wrong and why."""
    model = kind_of(kind).params
    try:
        return model.model_validate(params or {})
    except ValidationError as exc:
        raise ServiceError(
            gettext("%(kind)s rule cannot be evaluated: %(reason)s")
            % {"kind": kind, "reason": describe_validation(exc)}
        ) from exc


class _Params:
    """``PARAMS[kind]``: each kind's parameter model, read from the registry (for the rule form)."""

    def __getitem__(self, code: str) -> type[BaseModel]:
        return kind_of(code).params

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and registry.get(RuleKind, code) is not None

    def __iter__(self):
        return iter(registry.codes(RuleKind))


PARAMS = _Params()


# --- evaluators ----------------------------------------------------------------------------------


class Evaluator:
    """Decides for one rule. State per key is a small JSON-able dict that the engine loads before
    and stores after each batch; an evaluator keeps nothing of its own between calls."""

    ticks: ClassVar[bool] = False

    def __init__(self, params: BaseModel, *, unit_id: int | None = None):
        self.p = params
        self.unit_id = unit_id

    def key(self, e: EventView) -> str | None:
        return e.subject

    def observe(self, state: dict[str, Any], e: EventView) -> Signal | None:
        return None

    def tick(self, key: str, state: dict[str, Any], now: dt.datetime) -> Signal | None:
        return None

    def fixed_keys(self) -> list[str]:
        return []

    # helpers for subclasses
    @staticmethod
    def fire(state: dict[str, Any], key: str, message: str | Callable[[], str], e: EventView | None) -> Signal:
        state["on"] = True
        return Signal(FIRE, key, message, e)

    @staticmethod
    def clear(state: dict[str, Any], key: str, message: str | Callable[[], str], e: EventView | None) -> Signal | None:
        if not state.pop("on", False):
            return None
        return Signal(CLEAR, key, message, e)


def _what(p: ThresholdParams | RateParams) -> str:
    return p.label or p.field


def _m(p: ThresholdParams | RateParams) -> str:
    return f" {p.measure}" if p.measure else ""


_OPS = {">": float.__gt__, ">=": float.__ge__, "<": float.__lt__, "<=": float.__le__}


class Threshold(Evaluator):
    p: ThresholdParams

    def observe(self, st, e):
        value = e.field(self.p.field)
        if value is None:
            return None
        key, at = e.subject, e.ts
        p = self.p
        if _OPS[p.op](value, p.value):
            # Events may come late or twice (at-least-once delivery): the condition began at the
            # earliest reading that showed it.
            if st.get("since") is None or at < st["since"]:
                st["since"] = at
            if p.for_seconds == 0 or at - st["since"] >= p.for_seconds:
                side = "vượt ngưỡng" if p.op in (">", ">=") else "dưới ngưỡng"
                return self.fire(st, key, lambda: f"{_what(p)} {num(value)}{_m(p)}, {side} {num(p.value)}{_m(p)}", e)
            return None
        st.pop("since", None)
        if "on" not in st:
            return None
        return self.clear(st, key, lambda: f"{_what(p)} {num(value)}{_m(p)}, trở lại trong ngưỡng", e)


class RateOfChange(Evaluator):
    p: RateParams

    def observe(self, st, e):
        value = e.field(self.p.field)
        if value is None:
            return None
        at = e.ts
        h = [pt for pt in st.get("h", []) if at - pt[0] <= self.p.within_seconds]
        h.append([at, value])
        h.sort()
        st["h"] = h[-500:]  # bounded: a busy station keeps its last 500 readings of the window
        values = [v for _t, v in h]
        low, high, first = min(values), max(values), values[0]
        rise, fall = value - low, high - value
        hit = {"up": rise >= self.p.change and value > first - 1e-12, "down": fall >= self.p.change,
               "any": max(rise, fall) >= self.p.change}[self.p.direction]  # fmt: skip
        if hit:
            p = self.p

            def msg() -> str:
                return f"{_what(p)} thay đổi {num(max(rise, fall))}{_m(p)} trong {num(p.within_seconds / 60)} phút"

            return self.fire(st, e.subject, msg, e)
        return self.clear(st, e.subject, f"{_what(self.p)} ổn định trở lại", e)


class Absence(Evaluator):
    """No event from a subject for N minutes (a station that fell silent). Subjects are learned."""

    p: AbsenceParams
    ticks = True

    def observe(self, st, e):
        at = e.ts
        if at >= st.get("last", 0):
            st["last"], st["ref"] = at, e.ref()
        return self.clear(st, e.subject, "có dữ liệu trở lại", e)

    def tick(self, key, st, now):
        if not st.get("on") and "last" in st and now.timestamp() - st["last"] >= self.p.minutes * 60:
            return self.fire(
                st, key, f"không có dữ liệu trong {self.p.minutes} phút", EventView.from_ref(st.get("ref"))
            )
        return None


class _Area:
    """A prepared area, shared by the geofences that watch the same one, remembering its last
    answer: the rules that watch one area are asked about each position one after another, so
    the point is tested once, not once per rule (one test costs more than a whole threshold rule)."""

    _known: ClassVar[dict[str, _Area]] = {}

    def __init__(self, area: dict[str, Any]):
        self.geometry = shape(area)
        shapely.prepare(self.geometry)
        self._last: tuple[float, float, bool] | None = None

    @classmethod
    def of(cls, area: dict[str, Any]) -> _Area:
        import json

        text = json.dumps(area, sort_keys=True)
        found = cls._known.get(text)
        if found is None:
            if len(cls._known) > 1000:  # areas of rules long gone
                cls._known.clear()
            found = cls._known[text] = cls(area)
        return found

    def contains(self, lon: float, lat: float) -> bool:
        last = self._last
        if last is not None and last[0] == lon and last[1] == lat:
            return last[2]
        inside = bool(shapely.contains_xy(self.geometry, lon, lat))  # no Point made for each event
        self._last = (lon, lat, inside)
        return inside


class Geofence(Evaluator):
    p: GeofenceParams

    def __init__(self, params, **kw):
        super().__init__(params, **kw)
        self.area = _Area.of(self.p.area)

    def observe(self, st, e):
        if e.lat is None or e.lon is None:
            return None
        key, at = e.subject, e.ts
        now_in = self.area.contains(e.lon, e.lat)
        was_in = st.get("in")
        st["in"] = now_in
        if now_in and not was_in:
            st["entered"] = at
        mode = self.p.mode
        if mode == "enter" and now_in and was_in is False or mode == "leave" and was_in and not now_in:
            return self.fire(st, key, "đi vào vùng giám sát" if mode == "enter" else "rời vùng giám sát", e)
        stayed = at - st.get("entered", at)
        if mode == "dwell" and now_in and not st.get("on") and stayed >= self.p.dwell_seconds:
            return self.fire(st, key, f"ở trong vùng giám sát {num(self.p.dwell_seconds / 60)} phút", e)
        if (mode in ("enter", "dwell") and not now_in) or (mode == "leave" and now_in):
            return self.clear(st, key, "rời vùng giám sát" if mode != "leave" else "trở lại vùng giám sát", e)
        return None


class Count(Evaluator):
    """More than N events of a kind in a window, per commune (and category). The state keeps only
    the latest N + 1 times inside the window: enough to decide, bounded whatever the traffic."""

    p: CountParams
    ticks = True

    def key(self, e):
        if self.p.group_by == "subject":
            return e.subject
        unit = e.unit_path.rstrip("/").rsplit("/", 1)[-1] if e.unit_path else "?"
        if self.p.group_by == "unit_and_category":
            return f"{unit}:{e.payload.get(self.p.category_field, '')}"[:200]
        return unit

    def _trim(self, st, now_ts: float) -> list[float]:
        w = sorted(t for t in st.get("w", []) if now_ts - t <= self.p.window_seconds)
        st["w"] = w[-(self.p.more_than + 1) :]
        return st["w"]

    def observe(self, st, e):
        at = e.ts
        st["w"] = [*st.get("w", []), at]
        st["ref"] = e.ref()
        w = self._trim(st, max(at, st["w"][-1]))
        if len(w) > self.p.more_than:
            p = self.p
            return self.fire(
                st, self.key(e), lambda: f"hơn {p.more_than} sự kiện trong {num(p.window_seconds / 60)} phút", e
            )
        return None

    def tick(self, key, st, now):
        if not st.get("on"):
            return None
        w = self._trim(st, now.timestamp())
        if len(w) <= self.p.more_than:
            return self.clear(st, key, "số sự kiện trong cửa sổ đã giảm", EventView.from_ref(st.get("ref")))
        return None


class Anomaly(Evaluator):
    """A value far outside the subject's own recent history (robust z-score, median/MAD)."""

    p: AnomalyParams

    def observe(self, st, e):
        value = e.field(self.p.field)
        if value is None:
            return None
        h = st.get("h", [])
        signal = None
        if len(h) >= self.p.min_history:
            ordered = sorted(h)
            median = ordered[len(ordered) // 2]
            mad = sorted(abs(v - median) for v in h)[len(h) // 2] * 1.4826
            z = abs(value - median) / mad if mad else 0.0
            if z > self.p.z:
                name = self.p.field
                signal = self.fire(st, e.subject, lambda: f"{name} = {num(value)} bất thường (z = {num(z)})", e)
            else:
                signal = self.clear(st, e.subject, f"{self.p.field} bình thường trở lại", e)
        st["h"] = [*h, value][-self.p.history :]
        return signal


class IndicatorOffTarget(Evaluator):
    """An indicator whose traffic light is red (or amber) for the rule's unit; checked on ticks."""

    p: IndicatorParams
    ticks = True

    def key(self, e):
        return None  # decided by time, not by events

    def fixed_keys(self):
        from toancanh.units.models import Unit

        unit_key = Unit.objects.filter(pk=self.unit_id).values_list("key", flat=True).first()
        return [f"{self.p.indicator}@{unit_key}"] if unit_key else []

    def tick(self, key, st, now):
        from toancanh.indicators.models import Indicator
        from toancanh.indicators.queries import figures
        from toancanh.units.models import Unit

        indicator = Indicator.objects.filter(code=self.p.indicator).first()
        unit = Unit.objects.filter(pk=self.unit_id).first()
        if indicator is None or unit is None:
            return None
        fig = figures(unit, [indicator])[0]
        if fig.status in self.p.statuses:
            if st.get("on"):
                return None
            pct = num(fig.completion_pct or 0)
            return self.fire(st, key, f"{indicator.name_vi}: đạt {pct} % kế hoạch", None)
        return self.clear(st, key, f"{indicator.name_vi} đã trở lại đúng hướng", None)


_CORE_KINDS = (
    RuleKind("threshold", _("Threshold"), ThresholdParams, Threshold, _("a value beyond a limit, for a while")),
    RuleKind("rate_of_change", _("Rate of change"), RateParams, RateOfChange, _("a quick rise or fall")),
    RuleKind("absence", _("Absence of data"), AbsenceParams, Absence, _("a source that fell silent")),
    RuleKind("geofence", _("Geofence"), GeofenceParams, Geofence, _("entering, leaving or staying in an area")),
    RuleKind("count", _("Count in a window"), CountParams, Count, _("too many events in a time window")),
    RuleKind(
        "indicator_off_target",
        _("Indicator off target"),
        IndicatorParams,
        IndicatorOffTarget,
        _("an indicator whose traffic light is red or amber"),
    ),  # fmt: skip
    RuleKind("anomaly", _("Statistical anomaly"), AnomalyParams, Anomaly, _("a value unusual for its source")),
)
# The rule form shows its tabs in this order (the everyday kinds first), packs' kinds after them.
BUILT_IN = tuple(dataclasses.replace(k, order=10 * n) for n, k in enumerate(_CORE_KINDS, 1))


def evaluator_for(kind: str, params: dict[str, Any], unit_id: int | None = None) -> Evaluator:
    spec = kind_of(kind)
    return spec.evaluator(validate_params(kind, params), unit_id=unit_id)
