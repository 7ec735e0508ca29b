"""Vietnamese first: the interface speaks Vietnamese unless the user picked English.

Django's LocaleMiddleware follows the browser's Accept-Language, so an officer whose browser
happens to be in English would get English pages; here only the user's own choice (the
language cookie set by the language switch) changes the default.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


class VietnameseFirstMiddleware:
    """Pages speak the language the user chose (the cookie), else Vietnamese. The API, whose
    callers are programs that cannot click a language switch, also honours ``Accept-Language``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def _asked(self, request) -> str | None:
        for part in request.headers.get("Accept-Language", "").split(",")[:10]:
            code = part.split(";")[0].strip().lower()[:2]
            if code in self.languages:
                return code
        return None

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen not in self.languages and request.path.startswith("/api/"):
            chosen = self._asked(request)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RequestLimitsMiddleware:
    """Bounded requests: each API endpoint takes a body of at most its size (``TOANCANH_BODY_LIMITS``,
    path prefix -> bytes, the longest prefix wins; ``DATA_UPLOAD_MAX_MEMORY_SIZE`` otherwise),
    refused with 413 before it is read; a NUL byte in a query string is refused with 400.
    Every answer carries a Permissions-Policy that turns off what the IOC never uses."""

    def __init__(self, get_response):
        self.get_response = get_response
        limits = getattr(settings, "TOANCANH_BODY_LIMITS", {})
        self.limits = sorted(limits.items(), key=lambda kv: -len(kv[0]))
        self.default = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2**31

    def limit_for(self, path: str) -> int:
        for prefix, size in self.limits:
            if path.startswith(prefix) or _matches(prefix, path):
                return size
        return self.default

    def __call__(self, request):
        response = self._refuse(request) or self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.TOANCANH_PERMISSIONS_POLICY)
        return response

    def _refuse(self, request):
        from django.http import JsonResponse
        from django.utils.translation import gettext

        from toancanh.core.http import error_body

        if not request.path.startswith("/api/"):
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        limit = self.limit_for(request.path)
        if length < 0 or length > limit:
            detail = gettext("the request body is too large: at most %(n)s bytes here") % {"n": limit}
            return JsonResponse(error_body(detail, "too_large"), status=413, json_dumps_params={"ensure_ascii": False})
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            detail = gettext("the query must not contain NUL bytes")
            return JsonResponse(error_body(detail, "invalid"), status=400, json_dumps_params={"ensure_ascii": False})
        return None


def _matches(pattern: str, path: str) -> bool:
    """A prefix with ``*`` for one path segment: ``/api/v1/situations/*/attachments``."""
    if "*" not in pattern:
        return False
    parts, got = pattern.rstrip("/").split("/"), path.rstrip("/").split("/")
    return len(got) >= len(parts) and all(p in ("*", g) for p, g in zip(parts, got, strict=False))
