"""Administrators' pages: categories (agency, urgency, deadline) and routing rules on the page
machinery; the statistics of reports with the group-5 rates of Decision 766/QĐ-TTg."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet, PickerField
from toancanh.core.pages.access import permission_required
from toancanh.feedback import abuse, queries, setup
from toancanh.feedback.models import (
    AccountLock,
    AgencyLevel,
    Category,
    DeadlineUnit,
    HandlingSettings,
    Report,
    RoutingRule,
    Urgency,
)
from toancanh.feedback.permissions import FEEDBACK_MANAGE, FEEDBACK_VIEW
from toancanh.units.models import Agency, AgencyKind
from toancanh.units.pages import unit_picker


class CategoryForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=300, required=False)
    agency_kind = forms.ChoiceField(label=gettext_lazy("Kind of answering agency"),
                                    choices=[("", "—"), *AgencyKind.choices], required=False)  # fmt: skip
    agency_level = forms.ChoiceField(label=gettext_lazy("Level of the agency"), choices=AgencyLevel.choices)
    agency_sector = forms.CharField(label=gettext_lazy("Sector the agency covers"), max_length=40, required=False)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Urgency.choices)
    deadline_value = forms.IntegerField(label=gettext_lazy("Deadline"), min_value=1, max_value=365)
    deadline_unit = forms.ChoiceField(label=gettext_lazy("Counted in"), choices=DeadlineUnit.choices)
    active = forms.BooleanField(label=gettext_lazy("In use"), required=False)


class CategoryPages(PageSet):
    model = Category
    name = "feedback-category"
    title = gettext_lazy("report category")
    title_plural = gettext_lazy("Report categories")
    intro = gettext_lazy("Each category names the kind of agency that answers, its urgency and its deadline "
                         "(Decision 960/QĐ-UBND Đà Nẵng: urgent 1 working day, on-the-spot issues 3).")  # fmt: skip
    view_permission = FEEDBACK_VIEW
    manage_permission = FEEDBACK_MANAGE
    search_fields = ["code", "name"]
    ordering = ("code",)
    form_class = CategoryForm
    columns = [
        Column("code", gettext_lazy("Code"), order="code", link=True),
        Column("name", gettext_lazy("Name"), order="name", link=True),
        Column("agency_kind", gettext_lazy("Agency"), value=lambda c: dict(AgencyKind.choices).get(c.agency_kind, "")),
        Column("agency_level", gettext_lazy("Level")),
        Column("urgency", gettext_lazy("Urgency"), order="urgency"),
        Column("deadline_value", gettext_lazy("Deadline"), value=lambda c: f"{c.deadline_value} {c.get_deadline_unit_display()}"),
        Column("active", gettext_lazy("In use")),
    ]  # fmt: skip
    filters = [Filter.yes_no("active")]

    def queryset(self, request):
        return Category.objects.select_related("parent")

    def initial(self, request, obj):
        return {k: getattr(obj, k) for k in setup.CATEGORY_FIELDS}

    def update(self, request, obj, data):
        return setup.save_category(obj, by=request.user, **{k: data.get(k) for k in setup.CATEGORY_FIELDS})


class RuleForm(PageForm):
    unit = PickerField(unit_picker, label=gettext_lazy("Unit (and everything within it)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ModelChoiceField(
            queryset=Category.objects.order_by("code"),
            required=False,
            label=gettext_lazy("Category (empty: every category)"),
        )
        self.fields["agency"] = forms.ModelChoiceField(
            queryset=Agency.objects.filter(active=True), label=gettext_lazy("Answering agency")
        )
        self.fields["active"] = forms.BooleanField(label=gettext_lazy("In use"), required=False, initial=True)
        self.order_fields(["category", "unit", "agency", "active"])  # fmt: skip


class RulePages(PageSet):
    model = RoutingRule
    name = "feedback-rule"
    title = gettext_lazy("routing rule")
    title_plural = gettext_lazy("Routing rules of reports")
    intro = gettext_lazy("Category + place → agency. The most specific rule wins; without one, the category's "
                         "defaults decide.")  # fmt: skip
    view_permission = FEEDBACK_VIEW
    manage_permission = FEEDBACK_MANAGE
    ordering = ("unit__path",)
    form_class = RuleForm
    columns = [
        Column("category.name", gettext_lazy("Category"), link=True, value=lambda r: r.category.name if r.category_id else "*"),
        Column("unit.name", gettext_lazy("Unit")),
        Column("agency.name", gettext_lazy("Agency")),
        Column("active", gettext_lazy("In use")),
    ]  # fmt: skip
    acts = [
        Act("delete", gettext_lazy("Delete"), danger=True, confirm=gettext_lazy("The rule is removed."),
            perform=lambda request, r, data: setup.delete_rule(r, by=request.user)),
    ]  # fmt: skip

    def queryset(self, request):
        return RoutingRule.objects.visible_to(request.user).select_related("category", "unit", "agency")

    def initial(self, request, obj):
        return {"category": obj.category_id, "unit": obj.unit.key, "agency": obj.agency_id, "active": obj.active}

    def create(self, request, data):
        return setup.save_rule(None, by=request.user, category=data.get("category"), unit=data["unit"],
                               agency=data["agency"], active=data.get("active", False))  # fmt: skip

    def update(self, request, obj, data):
        return setup.save_rule(obj, by=request.user, category=data.get("category"), unit=data["unit"],
                               agency=data["agency"], active=data.get("active", False))  # fmt: skip


category_pages, rule_pages = CategoryPages(), RulePages()


@permission_required(FEEDBACK_VIEW)
def stats_view(request: HttpRequest) -> HttpResponse:
    """Received, answered on time, late, satisfaction: in total and per category, commune and agency."""
    from toancanh.core.pages.viewset import FRAME

    qs = Report.objects.visible_to(request.user)
    year = request.GET.get("year", "")
    if year.isdigit():
        qs = qs.filter(received_at__year=int(year))
    context = {
        "frame": FRAME,
        "total": queries.stats(qs),
        "by_category": queries.stats_by(qs, "category__parent__code", "category__parent__name"),
        "by_commune": queries.stats_by(qs, "unit__key", "unit__name")[:40],
        "by_agency": queries.stats_by(qs, "agency__code", "agency__name"),
        "year": year,
    }
    return render(request, "feedback/stats.html", context)


class SettingsForm(PageForm):
    max_reports_per_hour = forms.IntegerField(label=gettext_lazy("Reports a phone, device or address may send in an hour"),
                                              min_value=1, max_value=100)  # fmt: skip
    abuse_reports_to_lock = forms.IntegerField(label=gettext_lazy("Reports refused as spam or abuse that lock a sender"),
                                               min_value=1, max_value=100)  # fmt: skip
    abuse_window_days = forms.IntegerField(
        label=gettext_lazy("… counted over the last (days)"), min_value=1, max_value=365
    )
    abuse_lock_days = forms.IntegerField(label=gettext_lazy("The sender may not send for (days)"), min_value=1,
                                         max_value=365)  # fmt: skip


class SettingsPages(PageSet):
    """The one row of handling settings an administrator may change (rate limit, abusive accounts)."""

    model = HandlingSettings
    name = "feedback-settings"
    title = gettext_lazy("report handling settings")
    title_plural = gettext_lazy("Report handling settings")
    intro = gettext_lazy("The rate limit of citizens' reports, and when reports refused as spam or abuse lock "
                         "a sender (an account, a verified phone, a device) from sending.")  # fmt: skip
    view_permission = FEEDBACK_MANAGE
    manage_permission = FEEDBACK_MANAGE
    form_class = SettingsForm
    columns = [
        Column("max_reports_per_hour", gettext_lazy("Reports an hour"), link=True),
        Column("abuse_reports_to_lock", gettext_lazy("Spam reports that lock")),
        Column("abuse_window_days", gettext_lazy("Counted over (days)")),
        Column("abuse_lock_days", gettext_lazy("Locked for (days)")),
    ]

    def queryset(self, request):
        first = HandlingSettings.objects.order_by("pk").values_list("pk", flat=True)[:1]
        return HandlingSettings.objects.filter(pk__in=list(first))  # the row the migration seeded

    def get_object(self, request, pk):
        obj = HandlingSettings.objects.order_by("pk").first()
        if obj is None or obj.pk != pk:
            from django.http import Http404

            raise Http404
        return obj

    def initial(self, request, obj):
        return {k: getattr(obj, k) for k in setup.SETTINGS_BOUNDS}

    def update(self, request, obj, data):
        return setup.save_settings(obj, by=request.user, **{k: data[k] for k in setup.SETTINGS_BOUNDS})


class LiftForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Why the lock is lifted"), max_length=300, required=False)


def _account(lock: AccountLock) -> str:
    """The sender: an account, a verified phone number, or a device (its key's hash, shortened: the key
    itself is never kept)."""
    u = lock.user
    if u is not None:
        return f"{u.full_name or u.username} · {u.phone}" if u.phone else (u.full_name or u.username)
    if lock.phone:
        return gettext("Phone %(phone)s (no account)") % {"phone": lock.phone}
    return gettext("Device %(key)s… (no account)") % {"key": lock.device[:8]}


class LockPages(PageSet):
    """Citizen accounts locked from sending reports: who, why, until when; an administrator lifts one."""

    model = AccountLock
    name = "feedback-lock"
    title = gettext_lazy("locked sender")
    title_plural = gettext_lazy("Locked senders")
    intro = gettext_lazy("Senders whose reports were refused as spam or abuse too often may not send reports for a "
                         "while: a citizen account or, without an account, a verified phone number or the device "
                         "the app sends from. Lifting a lock lets the sender send again at once.")  # fmt: skip
    view_permission = FEEDBACK_MANAGE
    manage_permission = FEEDBACK_MANAGE
    ordering = ("-locked_at",)
    search_fields = ["user__username", "user__phone", "user__full_name", "phone"]
    columns = [
        Column("user", gettext_lazy("Sender"), link=True, value=_account),
        Column("reason", gettext_lazy("Reason")),
        Column("locked_at", gettext_lazy("Locked at"), order="locked_at"),
        Column("until", gettext_lazy("Until"), order="until"),
        Column("lifted_at", gettext_lazy("Lifted at")),
        Column("lifted_by", gettext_lazy("Lifted by")),
        Column("lift_reason", gettext_lazy("Why lifted")),
    ]
    filters = [
        Filter("state", gettext_lazy("State"), choices=[("active", gettext_lazy("In force")),
                                                         ("ended", gettext_lazy("Ended or lifted"))],
               apply=lambda qs, v: qs.filter(pk__in=AccountLock.objects.active()) if v == "active"
               else qs.exclude(pk__in=AccountLock.objects.active())),
    ]  # fmt: skip
    acts = [
        Act("lift", gettext_lazy("Lift the lock"), form_class=LiftForm,
            confirm=gettext_lazy("The citizen may send reports again at once."),
            available=lambda lock: lock.lifted_at is None,
            done=gettext_lazy("The lock was lifted."),
            perform=lambda request, lock, data: abuse.lift(lock, by=request.user, reason=data.get("reason", ""))),
    ]  # fmt: skip

    def queryset(self, request):
        return AccountLock.objects.select_related("user")


settings_pages, lock_pages = SettingsPages(), LockPages()
