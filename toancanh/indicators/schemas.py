"""API shapes of indicators, figures, batches and forecasts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import WithJsonSchema

from toancanh.core.schemas import BoundedStr, FiniteFloat, inline_schema
from toancanh.indicators.models import Direction, TimeAggregation, UnitAggregation, ValueStatus


class IndicatorRead(Schema):
    code: str
    name_vi: str
    name_en: str
    measure: str
    sector: str = Field(..., alias="sector_id")
    period_type: str
    unit_aggregation: str
    time_aggregation: str
    direction: str
    decimals: int
    formula: str
    weight: str | None
    source: str
    legal_basis: str
    min_value: float | None
    max_value: float | None
    green_at: float
    amber_at: float

    @staticmethod
    def resolve_weight(obj) -> str | None:
        return obj.weight.code if obj.weight_id else None


class IndicatorWrite(Schema):
    name_vi: BoundedStr(200, 2)
    name_en: BoundedStr(200, 2)
    measure: BoundedStr(40)
    sector: BoundedStr(40)
    period_type: Literal["day", "month", "quarter", "half_year", "year"]
    unit_aggregation: UnitAggregation = UnitAggregation.SUM
    time_aggregation: TimeAggregation = TimeAggregation.SUM
    direction: Direction = Direction.HIGHER_IS_BETTER
    decimals: int = Field(0, ge=0, le=6)
    formula: BoundedStr(500) = ""
    weight: BoundedStr(40) = ""
    category: BoundedStr(40) = ""
    source: BoundedStr(200) = ""
    legal_basis: BoundedStr(200) = ""
    min_value: FiniteFloat | None = Field(None, description="lowest valid figure (e.g. 0, or −100 for a growth rate)")
    max_value: FiniteFloat | None = Field(None, description="highest valid figure (e.g. 100 for a share)")
    green_at: FiniteFloat = Field(100, ge=0, le=1000)
    amber_at: FiniteFloat = Field(90, ge=0, le=1000)


class ValueWrite(Schema):
    """One figure of a batch. Each row is checked on its own: a bad row is refused with its reason."""

    model_config = {"extra": "forbid"}
    indicator: BoundedStr(40)
    unit: BoundedStr(60)
    period: BoundedStr(10)
    value: float | BoundedStr(40) = Field(..., description="a number (or text such as '1.234,5')")
    option: BoundedStr(40) = ""
    status: ValueStatus = ValueStatus.PRELIMINARY
    source: BoundedStr(200) = ""


# Rows travel as they come and are checked one by one (see ValueWrite), so one bad row does not
# refuse the others; the document still shows their shape.
ValueRowIn = Annotated[dict[str, Any], WithJsonSchema(inline_schema(ValueWrite))]


class ValuesBatch(Schema):
    values: list[ValueRowIn] = Field(..., max_length=100_000)
    source: BoundedStr(200) = ""


class RefusedRow(Schema):
    row: int | str
    error: str


class RecomputeRead(Schema):
    """What filing figures queued for the job runner: the roll-ups and the anomaly checks."""

    status: str = Field(..., description="queued, or none when nothing changed")
    job: int | None = Field(None, description="the recompute job (see /jobs/)")
    slices: int = Field(0, description="(indicator, year) roll-up slices marked for rebuilding")
    series: int = Field(0, description="series to check for anomalies; flags at GET /indicators/anomalies")
    note: str = ""


class ValuesReportRead(Schema):
    created: int
    changed: int
    unchanged: int
    refused: list[RefusedRow]
    recompute: RecomputeRead


class AnomalyRead(Schema):
    indicator: str
    unit: str
    period: str
    z: float
    found_at: dt.datetime

    @staticmethod
    def resolve_indicator(obj) -> str:
        return obj.indicator.code

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.key


class FigureRead(Schema):
    indicator: str
    name: str
    measure: str
    sector: str
    period: str | None
    period_label: str
    value: float | None
    reason: str
    year_to_date: float | None
    year_to_date_complete: bool
    last_year: float | None
    change_pct: float | None
    target: float | None
    target_kind: str
    target_upper: float | None
    completion_pct: float | None
    pace_pct: float | None
    status: str
    verdict: str
    spark: list[float | None]


class SeriesPoint(Schema):
    period: str
    value: float | None
    complete: bool
    anomaly_z: float | None = None


class SeriesRead(Schema):
    indicator: str
    unit: str
    period_type: str
    points: list[SeriesPoint]


class UnitFigure(Schema):
    unit: str
    name: str
    value: float | None
    rank: int | None


class TargetWrite(Schema):
    unit: BoundedStr(60)
    year: int = Field(..., ge=2000, le=2100)
    kind: Literal["at_least", "at_most", "range"] | None = Field(
        None, description="at_least (a floor), at_most (a ceiling) or range; default by the indicator's direction"
    )
    value: float | BoundedStr(40) = Field(..., description="the floor, the ceiling, or the range's lower end")
    upper: float | BoundedStr(40) | None = Field(None, description="a range's upper end")
    note: BoundedStr(200) = ""


class TargetRead(Schema):
    indicator: str
    unit: str
    year: int
    kind: str
    value: float
    upper: float | None = None


class ForecastRead(Schema):
    indicator: str
    unit: str
    year: int
    known_periods: int
    remaining_periods: int
    actual_to_date: float | None
    median: float | None
    low: float | None
    high: float | None
    target: float | None
    probability_of_target: float | None
    method: str
    method_text: str
    target_kind: str = ""
    target_upper: float | None = None


class CorrectionRead(Schema):
    old_value: float | None
    new_value: float
    old_status: str
    new_status: str
    source: str
    by: str = Field(..., alias="corrected_by")
    at: dt.datetime


class HistoryRead(Schema):
    indicator: str
    unit: str
    period: str
    value: float | None
    status: str | None
    corrections: list[CorrectionRead]
