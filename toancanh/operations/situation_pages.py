"""Situations on the page machinery: the list (filters, search, export), opening one by hand or
from alerts (pickers for the place, the lead agency and the people), its page with the procedure,
the linked alerts and the timeline (people's names, not their logins), assigning it, moving it along."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from toancanh.accounts.models import User
from toancanh.accounts.pages import user_picker
from toancanh.core.errors import ServiceError
from toancanh.core.models import Sector
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet, PickerField, permission_required
from toancanh.operations import services
from toancanh.operations.models import (
    SEVERITY_RANK,
    Alert,
    AlertState,
    Severity,
    Situation,
    SituationStatus,
    SituationType,
)
from toancanh.units.pages import agency_picker, unit_picker

OPERATIONS_VIEW, ALERTS_HANDLE = "operations.view", "alerts.handle"


def _sectors(request=None):
    return [(s.code, s.localized) for s in Sector.objects.all()]


def _status(qs, value):
    return qs.exclude(status=SituationStatus.CLOSED) if value == "active" else qs.filter(status=value)


class SituationForm(PageForm):
    title = forms.CharField(label=gettext_lazy("What is happening"), max_length=200)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Severity.choices, initial=Severity.MODERATE)
    unit = PickerField(unit_picker, label=gettext_lazy("Where"))
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)
    type = forms.ChoiceField(label=gettext_lazy("Procedure"), required=False,
                             help_text=gettext_lazy("Its steps, owners and deadlines start with the situation."))  # fmt: skip
    lead_agency = PickerField(agency_picker, label=gettext_lazy("Lead agency"), required=False)
    assignees = PickerField(user_picker, multiple=True, label=gettext_lazy("People handling it"), required=False)
    note = forms.CharField(label=gettext_lazy("First note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    alerts = forms.ModelMultipleChoiceField(queryset=Alert.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple,
                                            label=gettext_lazy("From the alerts"))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "—"), *_sectors()]
        self.fields["type"].choices = [
            ("", _("None")),
            *SituationType.objects.filter(active=True).values_list("code", "name"),
        ]
        live = Alert.objects.visible_to(self.request.user).exclude(state=AlertState.CLEARED)
        live = live.filter(situation__isnull=True).select_related("rule")
        wanted = self.data.getlist("alerts") if self.is_bound else (self.initial.get("alerts") or [])
        self.fields["alerts"].queryset = live.filter(pk__in=[int(x) for x in (wanted or []) if str(x).isdigit()])
        self.fields["alerts"].label_from_instance = lambda a: f"{a.rule.name}: {a.message}"
        if not self.fields["alerts"].queryset.exists():
            del self.fields["alerts"]


class AssignForm(PageForm):
    lead_agency = PickerField(agency_picker, label=gettext_lazy("Lead agency"), required=False)
    assignees = PickerField(user_picker, multiple=True, label=gettext_lazy("People handling it"), required=False)


class SituationPages(PageSet):
    model = Situation
    name = "situation"
    title = gettext_lazy("situation")
    title_plural = gettext_lazy("Situations")
    view_permission, manage_permission = OPERATIONS_VIEW, ALERTS_HANDLE
    search_fields = ["title"]
    search_placeholder = gettext_lazy("Title…")
    ordering = ("-opened_at",)
    form_class = SituationForm
    columns = [
        Column("opened_at", gettext_lazy("Opened"), order="opened_at"),
        Column("title", gettext_lazy("Situation"), order="title", link=True),
        Column("unit.name", gettext_lazy("Place"), order="unit__path"),
        Column("severity", gettext_lazy("Severity"), css=lambda s: f"sev-{s.severity}"),
        Column("status", gettext_lazy("Status"), order="status"),
        Column("lead_agency.name", gettext_lazy("Lead agency")),
        Column("assignees", gettext_lazy("People handling it"),
               value=lambda s: ", ".join(u.display_name for u in s.assignees.all())),
    ]  # fmt: skip
    filters = [
        Filter("status", gettext_lazy("Status"), default="active", apply=_status,
               choices=[("active", gettext_lazy("Not closed")), *SituationStatus.choices]),
        Filter("severity", gettext_lazy("Severity"), choices=Severity.choices),
        Filter("sector", gettext_lazy("Sector"), choices=_sectors),
        Filter.within(unit_picker),
    ]  # fmt: skip
    detail_template = "operations/situation.html"
    acts = [
        Act("assign", gettext_lazy("Assign"), form_class=AssignForm,
            confirm=gettext_lazy("Who leads and who works on it; they see it in their lists and on the timeline."),
            available=lambda s: s.status != SituationStatus.CLOSED, done=gettext_lazy("Assigned."),
            perform=lambda request, s, data: services.assign_situation(
                s, by=request.user, scope=request.user.scope, users=[u.pk for u in data["assignees"]],
                lead_agency=data["lead_agency"].code if data["lead_agency"] else "")),
    ]  # fmt: skip

    def queryset(self, request):
        return Situation.objects.visible_to(request.user).select_related("unit", "type", "lead_agency")

    def list_queryset(self, request):
        return self.queryset(request).prefetch_related("assignees")

    def create_initial(self, request):
        ids = [int(i) for i in request.GET.getlist("alerts") if i.isdigit()]
        alerts = list(Alert.objects.visible_to(request.user).filter(pk__in=ids).select_related("rule", "unit"))
        if not alerts:
            return {}
        worst = max(alerts, key=lambda a: SEVERITY_RANK.get(a.severity, 0))
        title = f"{worst.rule.name}: {worst.message}" if len(alerts) == 1 else worst.rule.name
        return {"alerts": [a.pk for a in alerts], "title": title[:200], "severity": worst.severity,
                "unit": worst.unit.key if worst.unit_id else None, "sector": worst.rule.sector_id or "",
                "type": worst.rule.params.get("situation_type") or ""}  # fmt: skip

    def create(self, request, data):
        return services.open_situation_from_alerts(
            list(data.get("alerts") or []), by=request.user, scope=request.user.scope, title=data["title"],
            severity=data["severity"], unit=data["unit"], sector=data["sector"] or None,
            type_code=data["type"] or None, lead_agency=data["lead_agency"], note=data["note"],
            assignees=[u.pk for u in data["assignees"]],
        )  # fmt: skip

    def detail_context(self, request, obj):
        timeline = list(obj.timeline.all())
        steps = list(obj.steps.all())
        logins = {t.by for t in timeline} | {s.done_by for s in steps} | {obj.opened_by}
        names = {u: n for u, n in User.objects.filter(username__in=logins).values_list("username", "full_name") if n}
        for t in timeline:
            t.who = names.get(t.by, t.by)
        for s in steps:
            s.who = names.get(s.done_by, s.done_by)
        allowed = [(code, SituationStatus(code).label) for code in sorted(services.TRANSITIONS[obj.status])]
        return {"situation": obj, "steps": steps, "timeline": timeline, "opened_by": names.get(obj.opened_by,
                obj.opened_by), "alerts": obj.alerts.select_related("rule", "unit"), "allowed": allowed,
                "assignees": obj.assignees.all(), "can_act": request.user.permits(ALERTS_HANDLE)}  # fmt: skip


situation_pages = SituationPages()


@permission_required(ALERTS_HANDLE)
@require_POST
def situation_act(request: HttpRequest, pk: int) -> HttpResponse:
    """One form posts every act on a situation's page: a status change, a step done, a note."""
    situation = Situation.objects.visible_to(request.user).filter(pk=pk).first()
    if situation is None:
        raise Http404(_("Not found, or outside what you can see."))
    try:
        if "status" in request.POST:
            services.transition(situation, request.POST["status"], by=request.user, note=request.POST.get("note", ""))
        elif "step" in request.POST:
            step = situation.steps.filter(pk=request.POST["step"]).first()
            if step is None:
                raise ServiceError(_("No such step."))
            services.complete_step(step, by=request.user)
        else:
            services.add_note(situation, request.POST.get("note", ""), by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("situation-detail", pk=situation.pk)
