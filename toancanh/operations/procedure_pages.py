"""Situation types and their standard procedures (quy trình xử lý) on the page machinery: the list,
a form with the steps as rows (title, the role or agency that owns it, a deadline in minutes or
hours after the situation opens), switching a type off and on. Writes go through
``operations.procedures``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core.errors import ServiceError
from toancanh.core.models import Sector
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet
from toancanh.operations import procedures
from toancanh.operations.models import SituationType

RULES_MANAGE = "rules.manage"
BLANK_ROWS = 3
UNITS = [("minutes", gettext_lazy("minutes")), ("hours", gettext_lazy("hours"))]


def _describe_due(minutes: int | None) -> str:
    if not minutes:
        return "—"
    if minutes % 60 == 0:
        return _("%(n)s h") % {"n": minutes // 60}
    return _("%(n)s min") % {"n": minutes}


class SituationTypeForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200,
                           help_text=gettext_lazy("As operators will read it, e.g. “Ngập lụt, lũ”."))  # fmt: skip
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=60,
                           help_text=gettext_lazy("Letters without accents, digits and hyphens, e.g. ngap-lut. "
                                                  "Rules refer to it; it cannot change later."))  # fmt: skip
    sector = forms.ChoiceField(label=gettext_lazy("Sector"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "—"), *[(s.code, s.localized) for s in Sector.objects.all()]]
        if self.instance is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False
        if self.is_bound:
            count = sum(1 for k in self.data if k.startswith("step_") and k.endswith("_title"))
        else:
            count = len(self.initial.get("steps") or [])
        self.step_count = min(max(count, 0), procedures.MAX_STEPS) + (BLANK_ROWS if not self.is_bound else 0)
        for i in range(self.step_count):
            self.fields[f"step_{i}_title"] = forms.CharField(label=_("Step %(n)s") % {"n": i + 1}, max_length=200,
                                                             required=False)  # fmt: skip
            self.fields[f"step_{i}_owner"] = forms.CharField(label=_("Owner"), max_length=120, required=False,
                                                             widget=forms.TextInput(attrs={"list": "owners"}))  # fmt: skip
            self.fields[f"step_{i}_due"] = forms.IntegerField(label=_("Deadline"), min_value=1, max_value=99999,
                                                              required=False)  # fmt: skip
            self.fields[f"step_{i}_unit"] = forms.ChoiceField(label=_("Unit"), choices=UNITS, required=False)
        for i, step in enumerate(self.initial.get("steps") or []):
            due = step.get("due_minutes")
            hours = bool(due) and due % 60 == 0
            self.initial.update({f"step_{i}_title": step["title"], f"step_{i}_owner": step.get("owner", ""),
                                 f"step_{i}_due": (due // 60 if hours else due) or None,
                                 f"step_{i}_unit": "hours" if hours else "minutes"})  # fmt: skip

    def rows(self) -> list[dict]:
        return [{"n": i + 1, **{k: self[f"step_{i}_{k}"] for k in ("title", "owner", "due", "unit")}}
                for i in range(self.step_count)]  # fmt: skip

    def clean(self):
        data = super().clean()
        steps = []
        for i in range(self.step_count):
            title = (data.get(f"step_{i}_title") or "").strip()
            owner = (data.get(f"step_{i}_owner") or "").strip()
            due = data.get(f"step_{i}_due")
            if not title:
                if owner or due:
                    self.add_error(f"step_{i}_title", _("A step needs a title."))
                continue
            minutes = due * 60 if due and data.get(f"step_{i}_unit") == "hours" else due
            if minutes and minutes > procedures.MAX_DUE_MINUTES:
                self.add_error(f"step_{i}_due", _("At most 60 days."))
            steps.append({"title": title, "owner": owner, "due_minutes": minutes})
        if not steps and not self.errors:
            self.add_error("step_0_title" if self.step_count else None, _("Give the procedure at least one step."))
        data["steps"] = steps
        return data


class SituationTypePages(PageSet):
    model = SituationType
    name = "situationtype"
    title = gettext_lazy("situation type")
    title_plural = gettext_lazy("Situation types and procedures")
    intro = gettext_lazy("Each type of situation has its standard procedure: the steps, who owns each and its "
                         "deadline. A situation of that type starts with these steps when it opens.")  # fmt: skip
    view_permission, manage_permission = RULES_MANAGE, RULES_MANAGE
    search_fields = ["name", "code"]
    ordering = ("name",)
    form_class = SituationTypeForm
    form_template = "operations/situationtype_form.html"
    detail_template = "operations/situationtype.html"
    columns = [
        Column("name", gettext_lazy("Situation type"), order="name", link=True),
        Column("code", gettext_lazy("Code"), order="code"),
        Column("sector", gettext_lazy("Sector"), value=lambda t: t.sector.localized if t.sector_id else ""),
        Column("steps", gettext_lazy("Steps"), value=lambda t: len(t.steps or [])),
        Column("active", gettext_lazy("In use"), order="active"),
    ]
    filters = [
        Filter.yes_no("active"),
    ]  # fmt: skip
    acts = [
        Act("disable", gettext_lazy("Stop using"), available=lambda t: t.active, danger=True,
            confirm=gettext_lazy("It is no longer offered when a situation is opened; situations already open "
                                 "keep their steps. You can switch it on again."),
            done=gettext_lazy("The situation type is switched off."),
            perform=lambda request, t, data: procedures.set_situation_type_active(t, False, by=request.user)),
        Act("enable", gettext_lazy("Use again"), available=lambda t: not t.active,
            done=gettext_lazy("The situation type is switched on."),
            perform=lambda request, t, data: procedures.set_situation_type_active(t, True, by=request.user)),
    ]  # fmt: skip

    def queryset(self, request):
        # Procedures are the province's: every staff member with the permission sees them all.
        return SituationType.objects.select_related("sector")

    def create(self, request, data):
        return procedures.save_situation_type(by=request.user, code=data["code"], name=data["name"],
                                              sector=data["sector"] or None, steps=data["steps"])  # fmt: skip

    def update(self, request, obj, data):
        return procedures.save_situation_type(by=request.user, situation_type=obj, code=obj.code, name=data["name"],
                                              sector=data["sector"] or None, steps=data["steps"])  # fmt: skip

    def initial(self, request, obj):
        return {"name": obj.name, "code": obj.code, "sector": obj.sector_id or "", "steps": obj.steps}

    def error_field(self, form, exc: ServiceError):
        return "code" if "code" in exc.message or "mã" in exc.message else None

    def form_context(self, request, obj):
        from toancanh.accounts.roles import Role
        from toancanh.units.models import Agency

        agencies = Agency.objects.visible_to(request.user).filter(active=True).values_list("name", flat=True)[:300]
        return {
            "owners": [str(label) for _code, label in Role.choices] + list(agencies),
            "max_steps": procedures.MAX_STEPS,
        }

    def detail_context(self, request, obj):
        steps = [{"n": i, **s, "due": _describe_due(s.get("due_minutes"))} for i, s in enumerate(obj.steps or [], 1)]
        return {"stype": obj, "steps": steps}


situation_type_pages = SituationTypePages()
