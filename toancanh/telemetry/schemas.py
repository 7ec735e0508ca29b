"""API shapes of the telemetry context."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field


class ReadingWrite(Schema):
    """One reading in the wire format (documentation of the batch body: a JSON list of these, or CSV
    with the same columns)."""

    station: str = Field(..., max_length=40, examples=["AINGHIA"])
    quantity: str = Field(..., max_length=40, examples=["water_level"])
    time: dt.datetime = Field(..., examples=["2026-10-12T07:00:00+07:00"])
    value: float = Field(..., examples=[8.42])
    unit: str | None = Field(None, max_length=20, examples=["m"], description="must be the quantity's when given")


class RefusalRead(Schema):
    row: int
    station: str
    reason: str = Field(..., description="a code: malformed, unknown_station, unknown_quantity, wrong_unit, "
                                         "not_a_number, out_of_range, bad_time, future, station_retired")  # fmt: skip
    message: str


class IngestRead(Schema):
    accepted: int = Field(..., description="readings stored now")
    duplicates: int = Field(..., description="readings already stored (same station, quantity and time)")
    suspect: int = Field(..., description="of those stored, how many the automatic checks flagged suspect")
    refused: int
    reasons: dict[str, int] = Field(..., description="refusals by reason")
    refusals: list[RefusalRead] = Field(..., description="each refused row with its reason (the first 1,000)")


class QuantityRead(Schema):
    code: str
    name_vi: str
    name_en: str
    unit: str
    min: float
    max: float


class StationRead(Schema):
    code: str
    name: str
    kind: str
    lat: float
    lon: float
    unit: str = Field(..., description="the unit's key")
    agency: str | None = None
    interval_seconds: int
    status: str
    calibrated_on: dt.date | None = None
    quantities: list[str]
    last_reading_at: dt.datetime | None = None


class PointRead(Schema):
    time: dt.datetime
    value: float
    min: float | None = None
    max: float | None = None
    count: int | None = None
    quality: int | None = None


class SeriesRead(Schema):
    station: str | None = None
    unit: str | None = None
    quantity: str
    resolution: str = Field(..., description="raw, hourly or daily (chosen by the window's length unless asked)")
    points: list[PointRead]
