"""The JSON API's frame: one NinjaAPI under /api/v1/, error answers, paging, permission checks.

Each context adds its router in ``toancanh/api.py``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer

from toancanh import __version__
from toancanh.core.errors import Forbidden, ImportRejected, ServiceError
from toancanh.core.scoping import Scope


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Vietnamese text as it is (UTF-8), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class Page(LimitOffsetPagination):
    """``?limit=&offset=`` paging; the answer carries ``items`` and the total ``count``."""


def principal(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def scope(request: HttpRequest) -> Scope:
    p = principal(request)
    return p.scope if p is not None else Scope.nothing()


def require(request: HttpRequest, permission: str) -> Any:
    """The caller, if their role grants ``permission``; 403 otherwise."""
    p = principal(request)
    if p is None or not getattr(p, "permits", lambda _c: False)(permission):
        raise Forbidden(f"your role does not allow this ({permission})")
    return p


def require_provincial(request: HttpRequest, permission: str, what: str) -> Any:
    """The caller, if their role grants ``permission`` over a whole province (or everywhere)."""
    p = require(request, permission)
    unit = getattr(p, "unit", None)
    if not (p.scope.everywhere or (unit is not None and unit.level == "province")):
        raise Forbidden(f"only a provincial administrator {what}")
    return p


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Toàn Cảnh API",
        version=__version__,
        description=(
            "The API of Toàn Cảnh, an Intelligent Operations Center for Vietnamese local government. "
            "Reference data (units, sectors) is public; everything else needs an API key "
            "(`Authorization: Bearer …`) or a signed-in session, and answers only within the caller's scope: "
            "objects outside it answer 404."
        ),
        urls_namespace="api",
        renderer=Utf8JSONRenderer(),
        openapi_url="/openapi.json",
        docs_url="/docs",
    )

    @api.exception_handler(ImportRejected)
    def import_rejected(request, exc: ImportRejected):
        return api.create_response(
            request,
            {"detail": exc.message, "errors": [{"row": e.row, "message": e.message} for e in exc.errors]},
            status=400,
        )

    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        return api.create_response(request, {"detail": exc.message}, status=exc.status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": str(exc) or "not found"}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        return api.create_response(
            request,
            {"detail": "authentication required: send an API key as 'Authorization: Bearer …' or sign in"},
            status=401,
        )

    return api
