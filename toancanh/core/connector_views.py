"""The administrators' page of data sources: every connector instance with its health; pause,
resume and run now."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toancanh.core import connectors
from toancanh.core.errors import ServiceError
from toancanh.core.models import ConnectorInstance
from toancanh.core.page_access import staff_page
from toancanh.core.registry import ConnectorKind, registry

MANAGE = "connectors.manage"


@staff_page(MANAGE)
def connector_list(request: HttpRequest) -> HttpResponse:
    kinds = {k.code: k for k in registry.all(ConnectorKind)}
    rows = [(c, kinds.get(c.kind)) for c in ConnectorInstance.objects.all()]
    return render(request, "core/connectors.html", {"rows": rows, "kinds": kinds.values()})


@require_POST
@staff_page(MANAGE)
def connector_act(request: HttpRequest, pk: int) -> HttpResponse:
    instance = ConnectorInstance.objects.filter(pk=pk).first()
    if instance is None:
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "pause":
            connectors.set_active(instance, False, by=request.user)
            messages.success(request, _("%(name)s is paused.") % {"name": instance.name})
        elif action == "resume":
            connectors.set_active(instance, True, by=request.user)
            messages.success(request, _("%(name)s runs again.") % {"name": instance.name})
        elif action == "run":
            connectors.run_now(instance, by=request.user)
            messages.success(request, _("%(name)s will run within a few seconds.") % {"name": instance.name})
        else:
            messages.error(request, _("Unknown action."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("connectors")
