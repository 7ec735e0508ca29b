"""The core's one page: the job runner for administrators (/jobs/), read-only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from toancanh.core import jobs
from toancanh.core.models import Job, JobStatus

RECENT = 50


@login_required
def jobs_page(request: HttpRequest) -> HttpResponse:
    """Recent runs, failures with their last error, and the workers' heartbeats."""
    if not request.user.permits(jobs.JOBS_VIEW):
        return HttpResponse(_("Your role does not allow viewing background jobs."), status=403)
    state = jobs.state()
    fields = ("id", "name", "status", "attempts", "run_at", "claimed_by", "finished_at", "last_error", "created_at")
    return render(request, "core/jobs.html", {
        "state": state,
        "counts": [(JobStatus(s).label, n) for s, n in state["counts"].items()],
        "failures": Job.objects.filter(status__in=[JobStatus.FAILED, JobStatus.DEAD]).only(*fields)[:RECENT],
        "recent": Job.objects.only(*fields)[:RECENT],
    })  # fmt: skip
