"""Public pages of operations: the CAP feed and messages (open to all, as public warnings must be)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from toancanh.operations import cap
from toancanh.operations.models import PublicWarning, WarningStatus
from toancanh.operations.warnings import current_warnings


def cap_feed(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    return HttpResponse(cap.atom_feed(current_warnings(), base), content_type="application/atom+xml; charset=utf-8")


def cap_alert(request: HttpRequest, identifier: str) -> HttpResponse:
    warning = (
        PublicWarning.objects.exclude(status=WarningStatus.DRAFT)
        .prefetch_related("units")
        .filter(identifier=identifier)
        .first()
    )
    if warning is None:
        raise Http404("no such warning")
    return HttpResponse(cap.cap_message(warning), content_type="application/cap+xml; charset=utf-8")
