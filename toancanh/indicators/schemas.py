"""API shapes of indicators, figures, batches and forecasts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


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
    green_at: float
    amber_at: float

    @staticmethod
    def resolve_weight(obj) -> str | None:
        return obj.weight.code if obj.weight_id else None


class IndicatorWrite(Schema):
    name_vi: str = Field(..., min_length=2, max_length=200)
    name_en: str = Field(..., min_length=2, max_length=200)
    measure: str = Field(..., max_length=40)
    sector: str
    period_type: str
    unit_aggregation: str = "sum"
    time_aggregation: str = "sum"
    direction: str = "up"
    decimals: int = Field(0, ge=0, le=6)
    formula: str = ""
    weight: str = ""
    category: str = ""
    source: str = ""
    legal_basis: str = ""
    green_at: float = 100
    amber_at: float = 90


class ValueWrite(Schema):
    indicator: str
    unit: str
    period: str
    value: Any = Field(..., description="a number (or text such as '1.234,5')")
    option: str = ""
    status: str = "preliminary"
    source: str = ""


class ValuesBatch(Schema):
    values: list[ValueWrite] = Field(..., max_length=100_000)
    source: str = ""


class RefusedRow(Schema):
    row: int | str
    error: str


class ValuesReportRead(Schema):
    created: int
    changed: int
    unchanged: int
    refused: list[RefusedRow]
    anomalies: list[dict[str, Any]] = []
    rollup_seconds: float


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
    completion_pct: float | None
    status: str
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
    unit: str
    year: int = Field(..., ge=2000, le=2100)
    value: Any
    note: str = ""


class TargetRead(Schema):
    indicator: str
    unit: str
    year: int
    value: float


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
