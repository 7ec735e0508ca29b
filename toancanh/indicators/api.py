"""Indicators over the API: the catalogue, figures in (batches, files), figures out (overview,
series, drill-downs, forecasts, exports), targets. Everything within the caller's scope."""

from django.http import HttpResponse
from ninja import File, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from toancanh.accounts.auth import api_auth
from toancanh.accounts.roles import INDICATORS_ENTER, INDICATORS_MANAGE, INDICATORS_VIEW
from toancanh.core.errors import NotFound, ServiceError
from toancanh.core.http import Page, require, require_provincial, scope
from toancanh.core.periods import Period, PeriodError
from toancanh.indicators import forecast, io, queries, services
from toancanh.indicators.models import DataValue, Indicator, Target
from toancanh.indicators.schemas import (
    FigureRead,
    ForecastRead,
    HistoryRead,
    IndicatorRead,
    IndicatorWrite,
    SeriesRead,
    TargetRead,
    TargetWrite,
    UnitFigure,
    ValuesBatch,
    ValuesReportRead,
)  # fmt: skip
from toancanh.units.models import Unit

router = Router(tags=["indicators"], auth=api_auth)


def _unit(request, key: str) -> Unit:
    unit = Unit.objects.visible_to(request.auth).filter(key=key).first()
    if unit is None:
        raise NotFound(f"unit '{key}' not found")
    return unit


def _indicator(request, code: str) -> Indicator:
    indicator = Indicator.objects.visible_to(request.auth).select_related("weight").filter(code=code).first()
    if indicator is None:
        raise NotFound(f"indicator '{code}' not found")
    return indicator


def _period(text: str | None) -> str | None:
    if not text:
        return None
    try:
        return Period.parse(text).code
    except PeriodError as exc:
        raise ServiceError(str(exc)) from exc


@router.get("/indicators", response=list[IndicatorRead], summary="The indicator catalogue")
@paginate(Page)
def list_indicators(request, sector: str | None = None, q: str | None = None):
    require(request, INDICATORS_VIEW)
    qs = Indicator.objects.visible_to(request.auth).select_related("weight").filter(active=True)
    if sector:
        qs = qs.filter(sector_id=sector)
    if q:
        qs = qs.filter(name_vi__icontains=q) | qs.filter(code__icontains=q)
    return qs


@router.get("/indicators/overview", response=list[FigureRead], summary="Every indicator of a unit against its targets")
def overview(request, unit: str, year: int | None = None, sector: str | None = None):
    require(request, INDICATORS_VIEW)
    u = _unit(request, unit)
    indicators = Indicator.objects.visible_to(request.auth).filter(active=True)
    if sector:
        indicators = indicators.filter(sector_id=sector)
    return [_figure_out(f) for f in queries.overview(u, list(indicators), year=year)]


def _figure_out(f: queries.Figure) -> dict:
    i = f.indicator
    data = {k: getattr(f, k) for k in FigureRead.model_fields if hasattr(f, k) and k not in ("indicator",)}
    return data | {"indicator": i.code, "name": i.localized, "measure": i.measure, "sector": i.sector_id,
                   "period_label": f.period_label}  # fmt: skip


@router.post("/indicators/values", response=ValuesReportRead, summary="File figures: an idempotent batch upsert")
def post_values(request, body: ValuesBatch):
    p = require(request, INDICATORS_ENTER)
    rows = [services.ValueRow(**v.dict(), row=n) for n, v in enumerate(body.values, start=1)]
    return _report(services.record_values(rows, by=p, scope=scope(request), source=body.source))


@router.post("/indicators/values/import", response=ValuesReportRead,
             summary="File figures from an Excel (.xlsx) or CSV file")  # fmt: skip
def import_values(request, file: File[UploadedFile], status: str = "preliminary"):
    p = require(request, INDICATORS_ENTER)
    rows = io.read_values(file.name or "", file.read(), status=status)
    return _report(services.record_values(rows, by=p, scope=scope(request), source=file.name or "file"))


def _report(report: services.ValuesReport) -> dict:
    return {
        "created": report.created, "changed": report.changed, "unchanged": report.unchanged,
        "refused": report.refused, "anomalies": report.anomalies, "rollup_seconds": round(report.rollup_seconds, 3),
    }  # fmt: skip


@router.get("/indicators/export", summary="Figures as Excel (.xlsx) or CSV")
def export(request, unit: str, format: str = "xlsx", period: str | None = None, sector: str | None = None):
    require(request, INDICATORS_VIEW)
    u = _unit(request, unit)
    indicators = Indicator.objects.visible_to(request.auth).filter(active=True)
    if sector:
        indicators = indicators.filter(sector_id=sector)
    indicators = list(indicators)
    if format == "csv":
        response = HttpResponse(io.write_csv(indicators, u), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="chi-tieu-{u.key}.csv"'
        return response
    if format != "xlsx":
        raise ServiceError("format must be xlsx or csv")
    content = io.write_excel(indicators, u, _period(period))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="chi-tieu-{u.key}.xlsx"'
    return response


@router.get("/indicators/{code}", response=IndicatorRead, summary="One indicator of the catalogue")
def get_indicator(request, code: str):
    require(request, INDICATORS_VIEW)
    return _indicator(request, code)


@router.put("/indicators/{code}", response=IndicatorRead, summary="Define or change an indicator")
def put_indicator(request, code: str, body: IndicatorWrite):
    p = require_provincial(request, INDICATORS_MANAGE, "manages the indicator catalogue and targets")
    services.define_indicator(by=p, code=code, **body.dict())
    return _indicator(request, code)


@router.get("/indicators/{code}/series", response=SeriesRead, summary="A unit's figures over time, anomalies flagged")
def get_series(request, code: str, unit: str, period_type: str | None = None):
    require(request, INDICATORS_VIEW)
    ind, u = _indicator(request, code), _unit(request, unit)
    if period_type and period_type not in ("day", "month", "quarter", "half_year", "year"):
        raise ServiceError(f"unknown period type '{period_type}'")
    points = queries.series(ind, u, period_type)
    flagged = forecast.anomalies(ind, [(p, v) for p, v, _c in queries.series(ind, u)])
    return {
        "indicator": ind.code, "unit": u.key, "period_type": period_type or ind.period_type,
        "points": [{"period": p, "value": v, "complete": c, "anomaly_z": flagged.get(p)} for p, v, c in points],
    }  # fmt: skip


@router.get("/indicators/{code}/units", response=list[UnitFigure], summary="The figures of a unit's children, ranked")
def get_children(request, code: str, unit: str, period: str | None = None):
    require(request, INDICATORS_VIEW)
    ind, u = _indicator(request, code), _unit(request, unit)
    period = _period(period) or queries.latest_period(ind, u)
    if period is None:
        return []
    rows = queries.children_values(ind, u, period)
    return [{"unit": r["unit"].key, "name": r["unit"].name, "value": r["value"], "rank": r["rank"]} for r in rows]


@router.get("/indicators/{code}/forecast", response=ForecastRead, summary="Year-end forecast against the target")
def get_forecast(request, code: str, unit: str, year: int | None = None):
    require(request, INDICATORS_VIEW)
    ind, u = _indicator(request, code), _unit(request, unit)
    history = [(p, v) for p, v, _c in queries.series(ind, u)]
    if not history:
        raise NotFound(f"no figures of {ind.code} for {u.name}")
    year = year or Period.parse(history[-1][0]).year
    target = Target.objects.filter(indicator=ind, unit=u, year=year).values_list("value", flat=True).first()
    result = forecast.year_end(ind, history, year, None if target is None else float(target))
    return {"indicator": ind.code, "unit": u.key, **result.__dict__}


@router.put("/indicators/{code}/targets", response=TargetRead, summary="Set a unit's yearly target")
def put_target(request, code: str, body: TargetWrite):
    p = require_provincial(request, INDICATORS_MANAGE, "manages the indicator catalogue and targets")
    ind = _indicator(request, code)
    target = services.set_target(by=p, scope=scope(request), indicator=ind.code, unit=body.unit, year=body.year,
                                 value=body.value, note=body.note)  # fmt: skip
    return {"indicator": ind.code, "unit": body.unit, "year": target.year, "value": float(target.value)}


@router.get("/indicators/{code}/history", response=HistoryRead, summary="An entered figure and its corrections")
def get_history(request, code: str, unit: str, period: str, option: str = ""):
    require(request, INDICATORS_VIEW)
    ind, u = _indicator(request, code), _unit(request, unit)
    period = _period(period)
    value = DataValue.objects.filter(indicator=ind, unit=u, period=period, option=option).first()
    if value is None:
        raise NotFound(f"no figure of {ind.code} was entered for {u.name} in {period}")
    return {
        "indicator": ind.code, "unit": u.key, "period": period, "value": float(value.value), "status": value.status,
        "corrections": list(value.corrections.all()),
    }  # fmt: skip
