"""Operators' pages: the situations list and a situation's page (procedure, status, timeline)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from toancanh.accounts.roles import ALERTS_HANDLE
from toancanh.core.errors import ServiceError
from toancanh.operations import services
from toancanh.operations.models import Situation, SituationStatus
from toancanh.web.views import staff_required


def _situation(request: HttpRequest, pk: int) -> Situation:
    situation = (
        Situation.objects.visible_to(request.user).select_related("unit", "type", "lead_agency").filter(pk=pk).first()
    )
    if situation is None:
        raise Http404("situation not found")
    return situation


@staff_required
def situation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status")
    qs = Situation.objects.visible_to(request.user).select_related("unit", "type")
    qs = qs.filter(status=status) if status else qs.exclude(status="closed")
    return render(request, "operations/situations.html", {"situations": qs[:200], "status": status})


@staff_required
def situation_page(request: HttpRequest, pk: int) -> HttpResponse:
    situation = _situation(request, pk)
    allowed = [(code, SituationStatus(code).label) for code in sorted(services.TRANSITIONS[situation.status])]
    context = {
        "situation": situation,
        "steps": situation.steps.all(),
        "timeline": situation.timeline.all(),
        "alerts": situation.alerts.select_related("rule"),
        "allowed": allowed,
        "can_act": request.user.permits(ALERTS_HANDLE),
    }
    return render(request, "operations/situation.html", context)


@staff_required
@require_POST
def situation_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One form posts every act on a situation: a status change, a step done, a note."""
    situation = _situation(request, pk)
    if not request.user.permits(ALERTS_HANDLE):
        return HttpResponse("your role does not allow this", status=403)
    try:
        if "status" in request.POST:
            services.transition(situation, request.POST["status"], by=request.user, note=request.POST.get("note", ""))
        elif "step" in request.POST:
            step = situation.steps.filter(pk=request.POST["step"]).first()
            if step is None:
                raise ServiceError("no such step")
            services.complete_step(step, by=request.user)
        else:
            services.add_note(situation, request.POST.get("note", ""), by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("situation", pk=situation.pk)
