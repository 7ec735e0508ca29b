"""Indicators over the API: the catalogue, figures in (batches, files), figures out (overview,
series, drill-downs, forecasts, exports), targets. Everything within the caller's scope."""

from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import ValidationError as PydanticError

from toancanh.accounts.roles import INDICATORS_ENTER, INDICATORS_MANAGE, INDICATORS_VIEW
from toancanh.core.errors import NotFound, ServiceError, describe_validation
from toancanh.core.http import Page, require, require_provincial, scope
from toancanh.core.periods import Period, PeriodError
from toancanh.core.schemas import BoundedStr, SaneDatetime, Year
from toancanh.core.scoping import get_visible_or_404
from toancanh.indicators import forecast, io, queries, services
from toancanh.indicators.models import AnomalyFlag, DataValue, Indicator, ValueStatus
from toancanh.indicators.schemas import (
    AnomalyRead,
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
    ValueWrite,
)  # fmt: skip
from toancanh.units.models import Unit

router = Router(tags=["indicators"])


def _unit(request, key: str) -> Unit:
    return get_visible_or_404(Unit, request.auth, what="unit", key=key)


def _indicator(request, code: str) -> Indicator:
    return get_visible_or_404(Indicator.objects.select_related("weight"), request.auth, what="indicator", code=code)


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
def overview(request, unit: str, year: Year | None = None, sector: str | None = None):
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
                   "period_label": f.period_label, "verdict": f.verdict}  # fmt: skip


@router.post("/indicators/values", response=ValuesReportRead, summary="File figures: an idempotent batch upsert")
def post_values(request, body: ValuesBatch):
    p = require(request, INDICATORS_ENTER)
    rows, refused = _checked(enumerate(body.values, start=1))
    return _report(services.record_values(rows, by=p, scope=scope(request), source=body.source), refused)


def _checked(numbered) -> tuple[list[services.ValueRow], list[dict]]:
    """Each row checked on its own (lengths, text, enumerations): the good ones, and the others with reasons."""
    rows, refused = [], []
    for n, raw in numbered:
        try:
            v = ValueWrite.model_validate(raw)
        except PydanticError as exc:
            refused.append({"row": n, "error": describe_validation(exc)})
            continue
        rows.append(services.ValueRow(**v.model_dump(mode="json"), row=n))
    return rows, refused


@router.post("/indicators/values/import", response=ValuesReportRead,
             summary="File figures from an Excel (.xlsx) or CSV file")  # fmt: skip
def import_values(request, file: File[UploadedFile], status: ValueStatus = ValueStatus.PRELIMINARY):
    p = require(request, INDICATORS_ENTER)
    name = "".join(ch for ch in (file.name or "file")[-100:] if ch.isprintable()) or "file"
    parsed = io.read_values(name, file.read(), status=str(status.value))
    fields = ("indicator", "unit", "period", "value", "option", "status", "source")
    rows, refused = _checked(
        (r.row, {f: getattr(r, f) for f in fields if not (f == "source" and not r.source)}) for r in parsed
    )
    return _report(services.record_values(rows, by=p, scope=scope(request), source=name), refused)


def _report(report: services.ValuesReport, refused: list[dict] | None = None) -> dict:
    queued = report.job is not None
    note = (
        _(
            "Roll-ups and anomaly checks are queued for the background worker; unusual figures appear at "
            "/api/v1/indicators/anomalies once checked."
        )  # fmt: skip
        if queued
        else ""
    )
    return {
        "created": report.created, "changed": report.changed, "unchanged": report.unchanged, "refused": sorted((refused or []) + report.refused,
                          key=lambda r: (isinstance(r["row"], str), str(r["row"]).zfill(9))),
        "recompute": {"status": "queued" if queued else "none", "job": report.job, "slices": report.queued_slices,
                      "series": report.queued_series, "note": str(note)},
    }  # fmt: skip


@router.get("/indicators/anomalies", response=list[AnomalyRead],
            summary="Unusual figures the background anomaly checks found")  # fmt: skip
@paginate(Page)
def list_anomalies(
    request,
    unit: BoundedStr(40) | None = None,
    indicator: BoundedStr(40) | None = None,
    since: SaneDatetime | None = None,
):
    require(request, INDICATORS_VIEW)
    qs = AnomalyFlag.objects.visible_to(request.auth).filter(indicator__in=Indicator.objects.visible_to(request.auth))
    if unit:
        qs = qs.filter(unit__path__startswith=_unit(request, unit).path)
    if indicator:
        qs = qs.filter(indicator=_indicator(request, indicator))
    if since:
        qs = qs.filter(found_at__gte=since)
    return qs.select_related("indicator", "unit").only("indicator__code", "unit__key", "period", "z", "found_at")


@router.get("/indicators/export", summary="Figures as Excel (.xlsx) or CSV")
def export(
    request, unit: str, format: Literal["xlsx", "csv"] = "xlsx", period: str | None = None, sector: str | None = None
):
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
        raise ServiceError(_("format must be xlsx or csv"))
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
    services.define_indicator(by=p, code=code, scope=scope(request), **body.dict())
    return _indicator(request, code)


@router.get("/indicators/{code}/series", response=SeriesRead, summary="A unit's figures over time, anomalies flagged")
def get_series(
    request, code: str, unit: str, period_type: Literal["day", "month", "quarter", "half_year", "year"] | None = None
):
    require(request, INDICATORS_VIEW)
    ind, u = _indicator(request, code), _unit(request, unit)
    if period_type and period_type not in ("day", "month", "quarter", "half_year", "year"):
        raise ServiceError(_("unknown period type '%(type)s'") % {"type": period_type})
    points = queries.series(ind, u, period_type)
    flagged = forecast.anomalies(ind, [(p, v) for p, v, _c in queries.series(ind, u)])
    return {
        "indicator": ind.code, "unit": u.key, "period_type": period_type or ind.period_type,
        "points": [{"period": p, "value": v, "complete": c, "anomaly_z": flagged.get(p)} for p, v, c in points],
    }  # fmt: skip


@router.get("/indicators/{code}/units", response=list[UnitFigure], summary="The figures of a unit's children, ranked")
def get_children(
    request, code: str, unit: str, period: str | None = None,
    structure: Literal["current", "former"] = "current",
):  # fmt: skip
    """Before a unit existed (a merged province before 1 July 2025), its current units with the
    figures they inherit; ``structure=former`` gives the units it succeeded, as they were then."""
    require(request, INDICATORS_VIEW)
    ind, u = _indicator(request, code), _unit(request, unit)
    period = _period(period) or queries.latest_period(ind, u)
    if period is None:
        return []
    rows = queries.children_values(ind, u, period, structure)
    return [{"unit": r["unit"].key, "name": r["unit"].name, "value": r["value"], "rank": r["rank"]} for r in rows]


@router.get("/indicators/{code}/forecast", response=ForecastRead, summary="Year-end forecast against the target")
def get_forecast(request, code: str, unit: str, year: Year | None = None):
    require(request, INDICATORS_VIEW)
    ind, u = _indicator(request, code), _unit(request, unit)
    result = forecast.for_unit(ind, u, year)
    if result is None:
        raise NotFound(f"no figures of {ind.code} for {u.name}")
    data = {k: v for k, v in result.__dict__.items() if not k.startswith("_")}
    return {"indicator": ind.code, "unit": u.key, **data, "method_text": forecast.describe(ind, result.method)}


@router.put("/indicators/{code}/targets", response=TargetRead, summary="Set a unit's yearly target")
def put_target(request, code: str, body: TargetWrite):
    p = require_provincial(request, INDICATORS_MANAGE, "manages the indicator catalogue and targets")
    ind = _indicator(request, code)
    target = services.set_target(by=p, scope=scope(request), indicator=ind.code, unit=body.unit, year=body.year,
                                 value=body.value, note=body.note, kind=body.kind, upper=body.upper)  # fmt: skip
    return {"indicator": ind.code, "unit": body.unit, "year": target.year, "kind": target.kind,
            "value": float(target.value), "upper": None if target.upper is None else float(target.upper)}  # fmt: skip


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
