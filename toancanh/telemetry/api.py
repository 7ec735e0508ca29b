"""Telemetry over the API: readings in (a JSON list or CSV, row by row), stations, series and roll-ups
out — all within the caller's scope (a key scoped to a unit or an agency pushes and sees its stations)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Router
from ninja.pagination import paginate

from toancanh.core.errors import BadInput, ServiceError
from toancanh.core.http import Page, require, scope
from toancanh.core.scoping import get_visible_or_404
from toancanh.telemetry import queries, services
from toancanh.telemetry.files import read_table
from toancanh.telemetry.models import Sensor, Station
from toancanh.telemetry.permissions import TELEMETRY_PUSH, TELEMETRY_VIEW
from toancanh.telemetry.schemas import IngestRead, QuantityRead, ReadingWrite, SeriesRead, StationRead
from toancanh.units.models import Unit

router = Router(tags=["telemetry"])

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"type": "array", "items": ReadingWrite.model_json_schema()}},
            "text/csv": {"schema": {"type": "string", "description": "station,quantity,time,value[,unit]"}},
        },
    }
}


def _source(request) -> str:
    p = request.auth
    name = getattr(p, "name", None) or getattr(p, "username", "")
    return f"api:{name}"[:120]


@router.post("/telemetry/readings", response=IngestRead, openapi_extra=_BODY,
             summary="Send readings: a batch in the wire format (JSON list or CSV), stored once each")  # fmt: skip
def post_readings(request):
    p = require(request, TELEMETRY_PUSH)
    kind = request.content_type or ""
    if kind in ("text/csv", "text/plain"):
        rows = read_table("readings.csv", request.body)
    else:
        try:
            rows = json.loads(request.body)
        except RecursionError as exc:
            raise BadInput(gettext("the JSON is nested too deeply")) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(gettext("the body is not valid JSON (UTF-8)")) from exc
        if isinstance(rows, dict) and isinstance(rows.get("readings"), list):
            rows = rows["readings"]
        if not isinstance(rows, list):
            raise BadInput(gettext("the body must be a list of readings"))
    if not rows:
        raise BadInput(gettext("the batch has no readings"))
    return services.ingest_readings(rows, source=_source(request), by=p).as_dict()


@router.get("/telemetry/quantities", response=list[QuantityRead], summary="The quantities stations may measure")
def list_quantities(request):
    require(request, TELEMETRY_VIEW)
    return [q.__dict__ for q in services.quantities().values()]


def _station_out(s: Station) -> dict:
    return {"code": s.code, "name": s.name, "kind": s.kind, "lat": s.lat, "lon": s.lon, "unit": s.unit.key,
            "agency": s.agency.code if s.agency else None, "interval_seconds": s.interval_seconds,
            "status": s.status, "calibrated_on": s.calibrated_on, "last_reading_at": s.last_reading_at,
            "quantities": [x.quantity for x in s.sensors.all()]}  # fmt: skip


@router.get("/telemetry/stations", response=list[StationRead], summary="Monitoring stations within your scope")
@paginate(Page)
def list_stations(request, kind: str | None = None, unit: str | None = None, status: str | None = None):
    require(request, TELEMETRY_VIEW)
    qs = Station.objects.visible_to(request.auth).select_related("unit", "agency").prefetch_related("sensors")
    if kind:
        qs = qs.filter(kind=kind[:20])
    if status:
        qs = qs.filter(status=status[:20])
    if unit:
        u = get_visible_or_404(Unit, request.auth, what="unit", key=unit[:40])
        qs = qs.filter(unit__path__startswith=u.path)
    return [_station_out(s) for s in qs.order_by("code")]


def _station(request, code: str) -> Station:
    qs = Station.objects.select_related("unit", "agency").prefetch_related("sensors")
    return get_visible_or_404(qs, request.auth, what="monitoring station", code=code[:40])


@router.get("/telemetry/stations/{code}", response=StationRead, summary="A monitoring station")
def get_station(request, code: str):
    require(request, TELEMETRY_VIEW)
    return _station_out(_station(request, code))


def _window(start: dt.datetime | None, end: dt.datetime | None, default_days: int = 1):
    end = end or timezone.now()
    start = start or end - dt.timedelta(days=default_days)
    if start >= end or (end - start).days > 3660:
        raise ServiceError(gettext("the window must run forward and span at most ten years"))
    return start, end


Resolution = Literal["raw", "hourly", "daily"]


@router.get("/telemetry/stations/{code}/series", response=SeriesRead,
            summary="A station's readings of a quantity over a window (raw, hourly or daily)")  # fmt: skip
def station_series(request, code: str, quantity: str, start: dt.datetime | None = None,
                   end: dt.datetime | None = None, resolution: Resolution | None = None):  # fmt: skip
    require(request, TELEMETRY_VIEW)
    s = _station(request, code)
    sensor = Sensor.objects.filter(station=s, quantity=quantity[:40]).first()
    if sensor is None:
        raise ServiceError(gettext("the station does not measure this quantity"))
    a, b = _window(start, end)
    used, points = queries.series(sensor.pk, a, b, resolution)
    return {"station": s.code, "quantity": sensor.quantity, "resolution": used, "points": [p.__dict__ for p in points]}


@router.get("/telemetry/rollup", response=SeriesRead,
            summary="Every station of a quantity within a unit, merged into hourly or daily buckets")  # fmt: skip
def unit_rollup(request, unit: str, quantity: str, start: dt.datetime | None = None,
                end: dt.datetime | None = None, resolution: Literal["hourly", "daily"] = "hourly"):  # fmt: skip
    require(request, TELEMETRY_VIEW)
    u = get_visible_or_404(Unit, request.auth, what="unit", key=unit[:40])
    a, b = _window(start, end)
    ids = queries.sensors_within(scope(request), quantity=quantity[:40], unit_path=u.path)
    points = queries.unit_rollup(ids, a, b, resolution)
    return {"unit": u.key, "quantity": quantity, "resolution": resolution, "points": [p.__dict__ for p in points]}
