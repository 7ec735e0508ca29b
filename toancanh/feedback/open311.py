"""Open311 GeoReport v2 at ``/open311/v2/`` (open311.github.io/GeoReport/v2; shared/reference/feedback.md).

The same data and rules as the citizens' app: a POST goes through :func:`services.submit_report`
(category, place inside the province, text, photos, the hourly limit and the lock of the sender — the
citizen's phone or ``device_id``, or the address when the post names neither), answers come from the public
view of a report — never the reporter's name, phone, e-mail or device. ``.json`` and ``.xml`` by
the URL's suffix; errors as the spec's array of ``{code, description}`` (403 for a missing or wrong
``api_key`` or a locked sender, 404 for an unknown resource, 429 over the hourly limit, 400 otherwise). Extensions: ``page`` and ``page_size``
paging; photos sent as ``media`` files of a multipart POST.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt

from toancanh.core.clientip import client_ip
from toancanh.core.errors import ServiceError
from toancanh.feedback import services
from toancanh.feedback.models import DONE, Category, Report, Status

CHANGESET = "2026-11-23T00:00:00+07:00"
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
CLOSED = (*DONE, Status.REFUSED)

ATTRIBUTES = [
    {"variable": "true", "code": "title", "datatype": "string", "required": "false", "order": 1,
     "datatype_description": "", "description": "Tiêu đề ngắn của phản ánh"},
    {"variable": "true", "code": "photo_private", "datatype": "singlevaluelist", "required": "false", "order": 2,
     "datatype_description": "", "description": "Ảnh có khuôn mặt hoặc biển số: không công khai",
     "values": [{"key": "false", "name": "Công khai ảnh"}, {"key": "true", "name": "Không công khai ảnh"}]},
]  # fmt: skip


def _render(request: HttpRequest, fmt: str, root: str, item: str, rows: list[dict[str, Any]],
            status: int = 200) -> HttpResponse:  # fmt: skip
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, default=_jsonable)
        return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    top = Element(root)
    for row in rows:
        _xml(SubElement(top, item), row)
    xml = b'<?xml version="1.0" encoding="utf-8"?>' + tostring(top, encoding="utf-8", xml_declaration=False)
    return HttpResponse(xml, status=status, content_type="text/xml; charset=utf-8")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return str(value)


PLURAL = {"attributes": "attribute", "values": "value", "endpoints": "endpoint", "formats": "format"}


def _xml(node: Element, row: dict[str, Any]) -> None:
    for key, value in row.items():
        child = SubElement(node, key)
        if isinstance(value, list):
            for v in value:
                if isinstance(v, dict):
                    _xml(SubElement(child, PLURAL.get(key, "item")), v)
                else:
                    SubElement(child, PLURAL.get(key, "item")).text = str(v)
        elif isinstance(value, dict):
            _xml(child, value)
        elif value is not None:
            child.text = _jsonable(value) if isinstance(value, dt.datetime) else str(value).lower() if isinstance(
                value, bool) else str(value)  # fmt: skip


def error(request: HttpRequest, fmt: str, status: int, description: str) -> HttpResponse:
    return _render(request, fmt, "errors", "error", [{"code": status, "description": description}], status)


def _fmt(fmt: str) -> str:
    return "json" if fmt == "json" else "xml"


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri("/open311/v2/")
    row = {
        "changeset": CHANGESET,
        "contact": "Trung tâm Giám sát, điều hành đô thị thông minh (IOC)",
        "key_service": "Khóa API do quản trị viên cấp (trang Khóa API)",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    }  # fmt: skip
    if _fmt(fmt) == "json":
        return HttpResponse(json.dumps(row, ensure_ascii=False), content_type="application/json; charset=utf-8")
    top = Element("discovery")
    _xml(top, row)
    return HttpResponse(b'<?xml version="1.0" encoding="utf-8"?>' + tostring(top, encoding="utf-8"),
                        content_type="text/xml; charset=utf-8")  # fmt: skip


def _leaves() -> list[Category]:
    cats = list(Category.objects.filter(active=True).select_related("parent"))
    parents = {c.parent_id for c in cats if c.parent_id}
    return [c for c in cats if c.pk not in parents]


def _service(c: Category) -> dict[str, Any]:
    return {"service_code": c.code, "service_name": c.name, "description": c.description or c.name,
            "metadata": "true", "type": "realtime", "keywords": c.top.code,
            "group": c.parent.name if c.parent_id else c.name}  # fmt: skip


def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return _render(request, _fmt(fmt), "services", "service", [_service(c) for c in _leaves()])


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    fmt = _fmt(fmt)
    if not Category.objects.filter(code=code, active=True).exists():
        return error(request, fmt, 404, gettext("unknown service_code “%(code)s”") % {"code": code[:60]})
    row = {"service_code": code, "attributes": ATTRIBUTES}
    if fmt == "json":
        return HttpResponse(json.dumps(row, ensure_ascii=False), content_type="application/json; charset=utf-8")
    top = Element("service_definition")
    _xml(top, row)
    return HttpResponse(b'<?xml version="1.0" encoding="utf-8"?>' + tostring(top, encoding="utf-8"),
                        content_type="text/xml; charset=utf-8")  # fmt: skip


def request_row(request: HttpRequest, r: Report) -> dict[str, Any]:
    """A report as Open311 shows it: public fields only."""
    photo = next((p for p in r.photos.all() if p.public and p.entry_id is None), None)
    return {
        "service_request_id": r.code,
        "status": "closed" if r.status in CLOSED else "open",
        "status_notes": r.answer if r.status in DONE else "",
        "service_name": r.category.name,
        "service_code": r.category.code,
        "description": r.description,
        "agency_responsible": r.agency.name if r.agency_id else "",
        "service_notice": "",
        "requested_datetime": r.received_at,
        "updated_datetime": r.updated_at,
        "expected_datetime": r.due_at,
        "address": r.address or r.unit.name,
        "address_id": "",
        "zipcode": "",
        "lat": round(r.lat, 5),
        "long": round(r.lon, 5),
        "media_url": request.build_absolute_uri(f"/phan-anh/anh/{photo.pk}.jpg") if photo else "",
    }


def _date(value: str) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise ServiceError(gettext("dates are ISO 8601 with a time zone, e.g. 2026-05-01T00:00:00+07:00"))
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _int(value: str, default: int, low: int, high: int) -> int:
    if not value:
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        raise ServiceError(gettext("page and page_size are whole numbers (page_size at most 1000)"))
    return int(value)


def _search(request: HttpRequest) -> list[Report]:
    q = request.GET
    qs = Report.objects.public().select_related("category", "agency", "unit").prefetch_related("photos")
    ids = [i.strip() for i in q.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return list(qs.filter(code__in=ids[:MAX_RESULTS]))
    codes = [c.strip() for c in q.get("service_code", "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    start, end = _date(q.get("start_date", "")), _date(q.get("end_date", ""))
    if start is None and end is None:
        start = timezone.now() - dt.timedelta(days=DEFAULT_DAYS)
    if start is not None:
        qs = qs.filter(received_at__gte=start)
    if end is not None:
        qs = qs.filter(received_at__lte=end)
    status = q.get("status", "")
    if status:
        wanted = {s.strip() for s in status.split(",")}
        if not wanted <= {"open", "closed"}:
            raise ServiceError(gettext("status is open or closed"))
        if wanted == {"open"}:
            qs = qs.exclude(status__in=CLOSED)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=CLOSED)
    size = _int(q.get("page_size", ""), MAX_RESULTS, 1, MAX_RESULTS)
    page = _int(q.get("page", ""), 1, 1, 10**6)
    return list(qs.order_by("-received_at")[(page - 1) * size : page * size])


@csrf_exempt
def requests_view(request: HttpRequest, fmt: str) -> HttpResponse:
    fmt = _fmt(fmt)
    try:
        if request.method == "POST":
            return _post(request, fmt)
        if request.method not in ("GET", "HEAD"):
            return error(request, fmt, 400, gettext("use GET or POST"))
        return _render(request, fmt, "service_requests", "request", [request_row(request, r) for r in _search(request)])
    except ServiceError as exc:
        return error(request, fmt, exc.status if exc.status in (403, 404, 429) else 400, exc.message)


def _post(request: HttpRequest, fmt: str) -> HttpResponse:
    from toancanh.accounts.services import authenticate_api_key

    data = request.POST
    token = data.get("api_key", "")
    key = authenticate_api_key(token) if token else None
    if key is None:
        text = gettext("api_key is missing") if not token else gettext("api_key is not valid")
        return error(request, fmt, 403, text)
    code = data.get("service_code", "").strip()
    if not code:
        return error(request, fmt, 400, gettext("service_code is required"))
    if not Category.objects.filter(code=code, active=True).exists():
        return error(request, fmt, 404, gettext("unknown service_code “%(code)s”") % {"code": code[:60]})
    try:
        lat, lon = float(data.get("lat", "")), float(data.get("long", ""))
    except ValueError:
        return error(request, fmt, 400, gettext("lat and long are required (an address alone cannot be placed)"))
    name = " ".join(p for p in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if p)
    sub = services.Submission(
        category=code, description=data.get("description", ""), lat=lat, lon=lon,
        title=data.get("attribute[title]", ""), address=data.get("address_string", ""), name=name[:120],
        phone=data.get("phone", "").strip(), device=data.get("device_id", ""), ip=client_ip(request) or "",
        channel="open311", photos=request.FILES.getlist("media"),
        photo_public=[data.get("attribute[photo_private]", "false") != "true"] * 5,
        # the sender is the citizen (phone, device_id) the integrator posts for, not the integrator's address;
        # a post with neither is held by the address
        ip_is_sender=not (data.get("phone", "").strip() or data.get("device_id", "")),
    )  # fmt: skip
    report = services.submit_report(sub, by=key)
    notice = gettext("Tracking code %(code)s; answer due %(due)s") % {
        "code": report.code,
        "due": timezone.localtime(report.due_at).strftime("%H:%M %d/%m/%Y") if report.due_at else "—",
    }
    return _render(request, fmt, "service_requests", "request",
                   [{"service_request_id": report.code, "service_notice": notice, "account_id": ""}], 201)  # fmt: skip


def request_detail(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    fmt = _fmt(fmt)
    r = Report.objects.public().select_related("category", "agency", "unit").filter(code=code).first()
    if r is None:
        return error(request, fmt, 404, gettext("unknown service_request_id “%(id)s”") % {"id": code[:40]})
    return _render(request, fmt, "service_requests", "request", [request_row(request, r)])


def token_view(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    fmt = _fmt(fmt)
    r = Report.objects.filter(token=token).only("code", "token").first()
    if r is None:
        return error(request, fmt, 404, gettext("unknown token"))
    return _render(request, fmt, "service_requests", "request", [{"service_request_id": r.code, "token": r.token}])
