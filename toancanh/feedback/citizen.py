"""The citizens' app (phản ánh hiện trường) under ``/phan-anh/``: mobile-first, Vietnamese, an
installable PWA whose service worker and offline queue live in ``static/feedback/``.

Everything here is public: it shows only :func:`queries.public_dict` of a report, its public
photos and its public history. Rating and reopening need the report's token, which only the phone
that sent the report keeps (or the signed-in citizen who sent it).
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from toancanh.core.clientip import client_ip
from toancanh.core.errors import ServiceError
from toancanh.core.scoping import allows_object, scope_of
from toancanh.feedback import abuse, queries, services
from toancanh.feedback.models import Category, Photo, RefusalReason, Report, Status
from toancanh.units.models import Unit

MAP_LIMIT = 2000


def _error(exc: ServiceError) -> JsonResponse:
    return JsonResponse({"error": exc.message, "code": exc.code}, status=exc.status)


def _citizen(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated and request.user.kind == "citizen" else None


def _categories() -> list[dict[str, Any]]:
    cats = list(Category.objects.filter(active=True).select_related("parent"))
    roots = [c for c in cats if not c.parent_id]
    return [{"code": r.code, "name": r.name, "children": [c for c in cats if c.parent_id == r.pk]} for r in roots]


def _province_view() -> dict[str, float]:
    prov = services.province()
    box = Unit.objects.filter(path__startswith=prov.path, level="commune", valid_to__isnull=True).aggregate(
        s=Min("lat"), n=Max("lat"), w=Min("lon"), e=Max("lon")
    )
    if box["s"] is None:
        return {"lat": prov.lat or 16.05, "lon": prov.lon or 108.2, "bbox": "107.8,15.2,108.8,16.3"}
    return {"lat": (box["s"] + box["n"]) / 2, "lon": (box["w"] + box["e"]) / 2,
            "bbox": f"{box['w']:.4f},{box['s']:.4f},{box['e']:.4f},{box['n']:.4f}"}  # fmt: skip


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "basemap_url": getattr(settings, "TOANCANH_BASEMAP_URL", ""),
        "basemap_attribution": getattr(settings, "TOANCANH_BASEMAP_ATTRIBUTION", ""),
        **extra,
    }


@require_GET
def app(request: HttpRequest) -> HttpResponse:
    """The report form: category (with suggestions), text, photos, place, contact; a locked account
    is told why it may not send, and until when."""
    lock = abuse.active_lock(_citizen(request))
    return render(request, "feedback/citizen/app.html", _context(
        request, categories=_categories(), view=_province_view(), locked=abuse.Locked(lock).message if lock else ""
    ))  # fmt: skip


@require_POST
def submit(request: HttpRequest) -> JsonResponse:
    data = request.POST
    try:
        lat, lon = float(data.get("lat", "")), float(data.get("lon", ""))
    except ValueError:
        return JsonResponse({"error": gettext("set the place: use your position or tap the map")}, status=400)
    user = _citizen(request)
    sub = services.Submission(
        category=data.get("category", ""), description=data.get("description", ""), lat=lat, lon=lon,
        title=data.get("title", ""), address=data.get("address", ""), name=data.get("name", "")[:120],
        phone=data.get("phone", "").strip()[:20], anonymous=data.get("anonymous", "1") == "1",
        device=data.get("device", "")[:100], ip=client_ip(request) or "", channel="app",
        photos=request.FILES.getlist("photos"),
        photo_public=[v != "0" for v in data.getlist("photo_public")],
    )  # fmt: skip
    try:
        report = services.submit_report(sub, user=user, by=user)
    except ServiceError as exc:
        return _error(exc)
    return JsonResponse({"code": report.code, "token": report.token, "url": f"/phan-anh/tra-cuu/{report.code}/",
                         "due_at": report.due_at.isoformat() if report.due_at else None}, status=201)  # fmt: skip


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Categories suggested from the text as the citizen types (h-suggest's offline model)."""
    text = request.GET.get("q", "")[:2000]
    if len(text.strip()) < 8:
        return JsonResponse({"items": []})
    try:
        from toancanh.feedback.suggest import suggest_subcategory
    except ImportError:  # the model is not installed: no suggestion, the citizen chooses
        return JsonResponse({"items": []})
    names = dict(Category.objects.filter(active=True).values_list("code", "name"))
    items = [{"code": f"{c}.{s}", "name": names.get(f"{c}.{s}", s), "p": round(p, 3)}
             for c, s, p in suggest_subcategory(text, k=3)]  # fmt: skip
    return JsonResponse({"items": [i for i in items if i["code"] in names]})


@require_GET
def locate(request: HttpRequest) -> JsonResponse:
    try:
        commune = services.locate(float(request.GET.get("lat", "")), float(request.GET.get("lon", "")))
    except ValueError:
        return JsonResponse({"error": gettext("the position is not a valid latitude and longitude")}, status=400)
    except ServiceError as exc:
        return _error(exc)
    return JsonResponse({"unit": commune.key, "name": Unit.objects.get(pk=commune.pk).name})


@require_GET
def nearby_open(request: HttpRequest) -> JsonResponse:
    """Open reports of the same category near the place: follow one instead of sending it again."""
    try:
        category = services.resolve_category(request.GET.get("category", ""))
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
    except (ServiceError, ValueError):
        return JsonResponse({"items": []})
    found = queries.duplicates(category, lat, lon, request.GET.get("q", "")[:2000])
    return JsonResponse({"items": [{"code": c.report.code, "title": c.report.title, "distance_m": c.distance_m,
                                    "status": queries.status_label(c.report.status),
                                    "received_at": c.report.received_at.isoformat()} for c in found]})  # fmt: skip


@require_POST
def follow(request: HttpRequest, code: str) -> JsonResponse:
    report = Report.objects.public().filter(code=code).first()
    if report is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    try:
        services.follow(report, user=user, phone=request.POST.get("phone", "")[:20],
                        device=request.POST.get("device", "")[:100])  # fmt: skip
    except ServiceError as exc:
        return _error(exc)
    return JsonResponse({"code": report.code, "url": f"/phan-anh/tra-cuu/{report.code}/"})


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper()
    if code:
        return redirect("feedback-status", code=code[:16])
    return render(request, "feedback/citizen/lookup.html", _context(request))


def _public_report(code: str) -> Report:
    report = Report.objects.public().select_related("category", "unit", "agency").filter(code=code).first()
    if report is None:
        raise Http404
    return report


def status(request: HttpRequest, code: str) -> HttpResponse:
    """The report's status by its tracking code; one marked as spam reads as a neutral "closed"."""
    report = (Report.objects.select_related("category", "unit", "agency")
              .filter(code=code, status=Status.REFUSED, refusal_reason=RefusalReason.SPAM).first()
              or _public_report(code))  # fmt: skip
    mine = request.user.is_authenticated and report.reporter_id == request.user.pk
    return render(request, "feedback/citizen/status.html", _context(
        request, report=queries.public_dict(report), photos=queries.public_photos(report),
        history=queries.public_history(report), mine=mine,
        can_rate=report.status in (Status.ANSWERED, Status.CLOSED, Status.CLOSED_NOT_FIXED) and report.rated_at is None,
        can_reopen=report.status in (Status.ANSWERED, Status.CLOSED, Status.CLOSED_NOT_FIXED),
        message=request.GET.get("m", ""),
    ))  # fmt: skip


def _owned(request: HttpRequest, code: str) -> Report:
    report = _public_report(code)
    token = request.POST.get("token", "")
    mine = request.user.is_authenticated and report.reporter_id == request.user.pk
    if not mine and token != report.token:
        raise ServiceError(gettext("only the phone that sent this report can rate or reopen it"))
    return report


@require_POST
def rate(request: HttpRequest, code: str) -> HttpResponse:
    try:
        report = _owned(request, code)
        services.rate(report, satisfied=request.POST.get("satisfied") == "1",
                      comment=request.POST.get("comment", "")[:600])  # fmt: skip
    except ServiceError as exc:
        return redirect(f"/phan-anh/tra-cuu/{code}/?m={exc.message[:200]}")
    return redirect(f"/phan-anh/tra-cuu/{code}/?m=" + gettext("Thank you for your rating"))


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    try:
        report = _owned(request, code)
        services.reopen(report, reason=request.POST.get("reason", "")[:2100])
    except ServiceError as exc:
        return redirect(f"/phan-anh/tra-cuu/{code}/?m={exc.message[:200]}")
    return redirect(f"/phan-anh/tra-cuu/{code}/?m=" + gettext("The report was sent back to the agency"))


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """The public list and map of reports."""
    reports = Report.objects.public().select_related("category", "unit", "agency")[:50]
    return render(request, "feedback/citizen/nearby.html",
                  _context(request, reports=[queries.public_dict(r) for r in reports], view=_province_view()))  # fmt: skip


MAP_TTL = 30  # seconds: what browsers are told to keep it, and how long a process keeps a box's answer
MAP_GRACE = 2.0  # seconds: a box built this recently is served even if a report changed since (one build a
# box every 2 s however many reports arrive; a change shows within 2 s)
_clock = time.time  # wall time: the processes sharing a Redis cache agree on it


@require_GET
@cache_control(public=True, max_age=MAP_TTL)
def map_data(request: HttpRequest) -> HttpResponse:
    """Public reports as GeoJSON points (``bbox=west,south,east,north``), newest first, bounded.

    The answer for a box (widened outward to 0.001°, about 100 m, so that nearby boxes share it) is
    built once and kept ``MAP_TTL`` seconds in the cache with the map's version, which every change to
    a report moves on (:func:`queries.bump_map`): an answer of an older version is rebuilt, unless it
    is younger than ``MAP_GRACE`` (a flood of reports rebuilds a box once per grace, not once each).
    Its ETag lets a browser that has it get a 304."""
    import hashlib
    import math

    from django.core.cache import cache

    bbox = request.GET.get("bbox", "")
    box = None
    if bbox:
        try:
            w, s, e, n = (float(x) for x in bbox.split(","))
            if not all(math.isfinite(v) for v in (w, s, e, n)):
                raise ValueError
        except ValueError:
            return JsonResponse({"error": gettext("bbox is west,south,east,north")}, status=400)
        box = (math.floor(round(w * 1000, 6)) / 1000, math.floor(round(s * 1000, 6)) / 1000,
               math.ceil(round(e * 1000, 6)) / 1000, math.ceil(round(n * 1000, 6)) / 1000)  # fmt: skip
    key = "feedback.map." + ("all" if box is None else "_".join(f"{v:.3f}" for v in box))
    version, now = queries.map_version(), _clock()
    kept = cache.get(key)  # (version, built at, body)
    if kept is not None and (kept[0] == version or now - kept[1] < MAP_GRACE):
        body = kept[2]
    else:
        qs = Report.objects.public()
        if box is not None:
            qs = qs.filter(lat__range=(box[1], box[3]), lon__range=(box[0], box[2]))
        rows = qs.order_by("-received_at").values_list("code", "lat", "lon", "status", "category__code", "title")
        features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                     "properties": {"code": code, "status": st, "category": cat, "title": title[:80],
                                    "open": st in ("received", "accepted", "assigned", "in_progress", "reopened")}}
                    for code, lat, lon, st, cat, title in rows[:MAP_LIMIT]]  # fmt: skip
        body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                          separators=(",", ":")).encode()  # fmt: skip
        cache.set(key, (version, now, body), MAP_TTL)
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    return response


def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo: public ones to anyone; private ones only to staff who may see the report."""
    p = Photo.objects.select_related("report", "report__unit").filter(pk=pk).first()
    if p is None or p.report.status == Status.REFUSED and not request.user.is_authenticated:
        raise Http404
    if not p.public and not (request.user.is_authenticated and allows_object(scope_of(request.user), p.report)):
        raise Http404
    response = FileResponse(p.file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600" if not p.public else "public, max-age=86400"
    return response


def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": "Phản ánh hiện trường",
        "short_name": "Phản ánh",
        "lang": "vi",
        "start_url": "/phan-anh/",
        "scope": "/phan-anh/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5cad",
        "icons": [{"src": static("feedback/icon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /phan-anh/ so that it controls the app's pages."""
    from django.contrib.staticfiles import finders

    path = finders.find("feedback/sw.js")
    with open(path, encoding="utf-8") as fh:
        body = fh.read().replace("__STATIC__", static("feedback/"))
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
