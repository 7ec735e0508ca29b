"""The JSON API's frame: one NinjaAPI under /api/v1/, error answers, paging, permission checks.

Each context adds its router in ``toancanh/api.py``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from toancanh import __version__
from toancanh.core.errors import BadInput, Forbidden, ImportRejected, ServiceError, translate_error
from toancanh.core.schemas import MAX_OFFSET, MAX_PAGE, ErrorItem, ErrorRead, check_json
from toancanh.core.scoping import Scope


class Utf8JSONRenderer(JSONRenderer):
    """JSON with Vietnamese text as it is (UTF-8), not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class Page(LimitOffsetPagination):
    """``?limit=&offset=`` paging; the answer carries ``items`` and the total ``count``.
    Both are bounded: at most 1,000 items a page, an offset below a billion."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_PAGE, **kwargs)


class SafeJSONParser(Parser):
    """JSON bodies as the standard allows them: no NaN or Infinity, no number too large to be finite
    (1e400), no NUL byte or lone surrogate in any text, not nested without end."""

    # Batches whose rows are checked one by one: a bad row is refused with its reason, the others stored.
    ROW_BY_ROW = ("/api/v1/events", "/api/v1/indicators/values")

    def parse_body(self, request: HttpRequest) -> Any:
        if request.method == "POST" and request.path.rstrip("/") in self.ROW_BY_ROW:
            try:
                return json.loads(request.body)
            except RecursionError as exc:
                raise BadInput(gettext("the JSON is nested too deeply")) from exc
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise BadInput(gettext("the body is not valid JSON (UTF-8)")) from exc

        def constant(name: str) -> Any:
            raise BadInput(gettext("numbers must be finite (no NaN or Infinity)"))

        def number(text: str) -> float:
            value = float(text)
            if not math.isfinite(value):
                raise BadInput(gettext("the number %(n)s is too large") % {"n": text[:40]})
            return value

        try:
            data = json.loads(request.body, parse_constant=constant, parse_float=number)
        except RecursionError as exc:
            raise BadInput(gettext("the JSON is nested too deeply")) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadInput(gettext("the body is not valid JSON (UTF-8)")) from exc
        try:
            check_json(data, max_bytes=2**62)
        except ValueError as exc:
            raise BadInput(gettext("the body %(reason)s") % {"reason": exc}) from exc
        return data


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


ERROR_STATUSES = {
    400: "The request cannot be carried out as sent (the reasons say why)",
    401: "Authentication required",
    403: "Your role or scope does not allow this",
    404: "Not found, or outside your scope",
    413: "The request body is too large for this endpoint",
    422: "The request does not match the documented shape (each reason names its field)",
}


class ToanCanhAPI(NinjaAPI):
    """The API, whose OpenAPI document lists the one error body for every 4xx answer."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorItem, ErrorRead):
            spec = model.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(spec.pop("$defs", {}))
            components[model.__name__] = spec
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorRead"}}}}
        for ops in schema["paths"].values():
            for op in ops.values():
                responses = op.setdefault("responses", {})
                secured = bool(op.get("security"))
                for status, text in ERROR_STATUSES.items():
                    if status in (401, 403) and not secured:
                        continue
                    if str(status) not in responses and status not in responses:
                        responses[status] = {"description": text} | ref
        return schema


def error_body(detail: str, code: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The one error body of the API (see :class:`~toancanh.core.schemas.ErrorRead`)."""
    return {"detail": str(detail), "code": code, "errors": errors or []}


def build_api(auth: Any = None) -> NinjaAPI:
    """The API object; ``auth`` authenticates every route that does not say ``auth=None``."""
    api = ToanCanhAPI(
        auth=auth,
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
        parser=SafeJSONParser(),
    )

    @api.exception_handler(ImportRejected)
    def import_rejected(request, exc: ImportRejected):
        errors = [{"row": e.row, "message": e.message} for e in exc.errors]
        return api.create_response(request, error_body(exc.message, "rejected", errors), status=400)

    @api.exception_handler(ServiceError)
    def service_error(request, exc: ServiceError):
        return api.create_response(request, error_body(exc.message, exc.code), status=exc.status)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body(str(exc) or gettext("not found"), "not_found"), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        detail = gettext("authentication required: send an API key as 'Authorization: Bearer …' or sign in")
        return api.create_response(request, error_body(detail, "unauthenticated"), status=401)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        errors = []
        for e in exc.errors[:100]:
            loc = [str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path", "form", "file")]
            errors.append({"field": ".".join(loc) or None, "message": translate_error(e)})
        lines = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors[:10])
        detail = gettext("the request is not valid: %(reasons)s") % {"reasons": lines}
        return api.create_response(request, error_body(detail, "invalid", errors), status=422)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        cause = exc.__cause__
        if isinstance(cause, ServiceError):
            return service_error(request, cause)
        if isinstance(cause, RequestDataTooBig | TooManyFieldsSent):
            return api.create_response(
                request, error_body(gettext("the request body is too large"), "too_large"), status=413
            )
        return api.create_response(request, error_body(str(exc), "invalid"), status=exc.status_code)

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return api.create_response(
            request, error_body(gettext("the request body is too large"), "too_large"), status=413
        )

    return api
