"""The government pack's pages: the sector page (the 766 index with its components and inputs, the
rankings of agencies and communes with their trend, the overdue dossiers and tasks), a dossier's
page, the task entry form, the choropleth of communes by on-time rate."""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from toancanh.packs.api import Agency, ServiceError, Unit, staff_page, unit_map
from toancanh.packs.government import documents, index, queries, tasks
from toancanh.packs.government.models import Document, Dossier, Task, TaskState
from toancanh.packs.government.permissions import GOV_MANAGE, GOV_VIEW

COLOURS = ((95, "#1a9850"), (90, "#91cf60"), (80, "#fee08b"), (0, "#d73027"))


def colour(rate: float | None) -> str:
    if rate is None:
        return "#9e9e9e"
    return next(c for floor, c in COLOURS if rate >= floor)


def _period(request):
    try:
        return index.period_of(request.GET.get("period") or None)
    except ValueError:
        return index.period_of(None)


@staff_page(GOV_VIEW)
def sector_page(request):
    period = _period(request)
    now = timezone.now()
    today = timezone.localdate()
    agencies = queries.ranking("agency", period, request.user, now)
    communes = queries.ranking("unit", period, request.user, now)
    chosen = request.GET.get("agency")
    detail = next(
        (r["score"] for r in agencies if str(r["score"].key) == chosen), agencies[0]["score"] if agencies else None
    )
    overdue_tasks = Task.objects.visible_to(request.user).filter(tasks.state_filter(TaskState.OPEN_OVERDUE, today))
    context = {
        "period": period, "periods": _choices(today), "agencies": agencies, "communes": communes[:20],
        "detail": detail, "groups": [{"group": g, "label": label, "max": m} for g, (label, m) in index.GROUPS.items()],
        "overdue": queries.overdue_dossiers(request.user, now, limit=30),
        "overdue_count": queries.overdue_count(request.user, now),
        "tasks": queries.task_counts(request.user, today)["total"],
        "overdue_tasks": overdue_tasks.select_related("lead")[:30],
        "can_manage": request.user.permits(GOV_MANAGE),
        "documents": documents.totals(Document.objects.visible_to(request.user), today),
    }  # fmt: skip
    return render(request, "government/sector.html", context)


def _choices(today):
    year = today.year
    out = [(str(year), _("Year %(y)s") % {"y": year}), (str(year - 1), _("Year %(y)s") % {"y": year - 1})]
    out += [
        (f"{year}Q{q}", _("Quarter %(q)s/%(y)s") % {"q": q, "y": year}) for q in range(1, (today.month - 1) // 3 + 2)
    ]
    out += [(f"{year}-{m:02d}", _("Month %(m)s/%(y)s") % {"m": m, "y": year}) for m in range(1, today.month + 1)]
    return out


@staff_page(GOV_VIEW)
def dossier_page(request, code: str):
    dossier = (
        Dossier.objects.visible_to(request.user).select_related("procedure", "agency", "unit").filter(code=code).first()
    )
    if dossier is None:
        raise Http404("no such dossier")
    return render(request, "government/dossier.html", {"d": dossier, "now": timezone.now()})


@staff_page(GOV_MANAGE)
def task_form(request):
    """Assign a task on a page (the same service as the API and the Excel import)."""
    errors, values = [], {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in tasks.HEADER}
        try:
            if request.FILES.get("file"):
                tasks.import_excel(request.FILES["file"].read(10_000_000), by=request.user)
            else:
                tasks.save_tasks([values], by=request.user)
        except ServiceError as exc:
            errors.append(str(exc))
        else:
            return redirect("government-sector")
    agencies = Agency.objects.visible_to(request.user).order_by("name")
    return render(request, "government/task_form.html", {"errors": errors, "values": values, "agencies": agencies})


@staff_page(GOV_VIEW)
def communes_geojson(request):
    """Communes coloured by their on-time rate (766 indicator 2.1) in the period (this year by
    default): the shapes of the map of the province (boundaries, or approximate cells where none is
    loaded, as the core draws them); communes without dossiers are left out."""
    period = _period(request)
    scores = {s.key: s for s in index.compute("unit", period, principal=request.user)}
    keys = dict(Unit.objects.filter(id__in=scores).values_list("key", "id"))
    parents = set(Unit.objects.filter(key__in=keys).values_list("parent__key", flat=True))
    features = []
    for anchor in Unit.objects.filter(key__in=parents):
        for f in unit_map(anchor, timezone.localdate()).get("features", []):
            key = f["properties"].get("key")
            if key in keys and not f["properties"].get("focus"):
                s = scores[keys.pop(key)]
                rate = s.on_time_rate
                props = {"name": s.name, "on_time_rate": rate, "colour": colour(rate), "index": s.total}
                features.append({"type": "Feature", "geometry": f["geometry"], "properties": props})
    return JsonResponse({"type": "FeatureCollection", "features": features})
