"""The staff pages of reports on the page machinery: the inbox of each agency (deadlines and overdue
marks), a report's page with its acts (accept, refuse, assign, transfer, answer with photos, extend,
note, close, merge, share the reporter), and the answer page. Categories, routing rules and the
statistics are in :mod:`setup_pages`. Every act calls one service of :mod:`handling`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from toancanh.core.errors import ServiceError
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet
from toancanh.core.pages.access import permission_required
from toancanh.feedback import handling, queries
from toancanh.feedback.models import OPEN, Category, ExtensionStatus, RefusalReason, Report, Status
from toancanh.feedback.permissions import FEEDBACK_DISPATCH, FEEDBACK_HANDLE, FEEDBACK_VIEW
from toancanh.units.models import Agency
from toancanh.units.pages import unit_picker


def _agencies() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=Agency.objects.filter(active=True).order_by("unit__path", "name"),
                                  label=gettext_lazy("Agency"))  # fmt: skip


class RefuseForm(PageForm):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RefusalReason.choices)
    text = forms.CharField(label=gettext_lazy("Explanation"), max_length=1000, required=False, widget=forms.Textarea)
    duplicate_of = forms.CharField(label=gettext_lazy("Tracking code of the report it repeats"), max_length=16,
                                   required=False)  # fmt: skip


class SpamForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Why it is spam or abuse"), min_length=5, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class AssignForm(PageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from toancanh.accounts.models import User

        report = self.instance
        self.fields["agency"] = _agencies()
        self.fields["agency"].required = False
        self.fields["agency"].initial = report.agency_id
        self.fields["agency"].help_text = gettext_lazy("Only the IOC re-routes to another agency.")
        officers = User.objects.filter(kind="staff", is_active=True, agency_id=report.agency_id)
        self.fields["assignee"] = forms.ModelChoiceField(queryset=officers, required=False,
                                                         label=gettext_lazy("Officer"))  # fmt: skip


class TransferForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Why"), max_length=2000, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"] = _agencies()
        self.fields["to"].label = gettext_lazy("To agency")
        self.order_fields(["to", "reason"])


class ExtendForm(PageForm):
    days = forms.IntegerField(label=gettext_lazy("Working days"), min_value=1, max_value=30)
    justification = forms.CharField(label=gettext_lazy("Justification"), max_length=2000, widget=forms.Textarea)


class TextForm(PageForm):
    text = forms.CharField(label=pgettext_lazy("report", "Text"), max_length=4000, widget=forms.Textarea)


class MergeForm(PageForm):
    into = forms.CharField(label=gettext_lazy("Tracking code of the report to keep"), max_length=16)


def _visible(request: HttpRequest, code: str) -> Report:
    found = Report.objects.visible_to(request.user).filter(code=code.strip().upper()).first()
    if found is None:
        raise ServiceError(_("no report “%(code)s” among those you can see") % {"code": code})
    return found


def _refuse(request, r, data):
    dup = _visible(request, data["duplicate_of"]) if data.get("duplicate_of") else None
    return handling.refuse(r, by=request.user, reason=data["reason"], text=data.get("text", ""), duplicate_of=dup)


def _decide(request, r, grant: bool):
    ext = r.extensions.filter(status=ExtensionStatus.PENDING).first()
    if ext is None:
        raise ServiceError(_("no extension is waiting"))
    return handling.decide_extension(ext, by=request.user, grant=grant)


def _css_due(r: Report) -> str:
    if r.overdue and r.status in OPEN:
        return "overdue"
    return ""


def _due(r: Report) -> Any:
    if r.due_at is None:
        return None
    text = timezone.localtime(r.due_at).strftime("%H:%M %d/%m/%Y")
    if r.overdue and r.status in OPEN:
        return f"{text} · {_('overdue')}"
    return text


class ReportPages(PageSet):
    model = Report
    name = "feedback-report"
    title = gettext_lazy("citizen report")
    title_plural = gettext_lazy("Citizen reports")
    intro = gettext_lazy("Field reports sent by citizens, with their deadline in working days. An agency sees the "
                         "reports routed to it; the IOC sees all of its units'.")  # fmt: skip
    view_permission = FEEDBACK_VIEW
    manage_permission = FEEDBACK_HANDLE
    search_fields = ["code", "title", "description"]
    ordering = ("-received_at",)
    detail_template = "feedback/report.html"
    columns = [
        Column("code", gettext_lazy("Code"), order="code", link=True),
        Column("title", gettext_lazy("Report"), link=True),
        Column("category.name", gettext_lazy("Field of the report"), order="category__code"),
        Column("unit.name", gettext_lazy("Commune")),
        Column("agency.name", gettext_lazy("Agency")),
        Column("status", gettext_lazy("Status"), order="status"),
        Column("received_at", gettext_lazy("Sent"), order="received_at"),
        Column("due_at", gettext_lazy("Answer due"), order="due_at", value=_due, css=_css_due),
    ]  # fmt: skip
    detail_fields = [
        *columns[2:],
        Column("address", gettext_lazy("Address")),
        Column("answered_on_time", gettext_lazy("Answered on time")),
        Column("extended", gettext_lazy("Extended")),
        Column("satisfied", gettext_lazy("Satisfied")),
        Column("reopen_count", gettext_lazy("Times reopened")),
    ]
    filters = [
        Filter("status", gettext_lazy("Status"), choices=Status.choices),
        Filter("open", gettext_lazy("Open"), choices=[("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
               apply=lambda qs, v: qs.filter(status__in=OPEN) if v == "1" else qs.exclude(status__in=OPEN)),
        Filter.yes_no("overdue", gettext_lazy("Overdue"), name="overdue"),
        Filter("category", gettext_lazy("Category"),
               choices=lambda r: list(Category.objects.filter(parent__isnull=True).values_list("code", "name")),
               apply=lambda qs, v: qs.filter(category__code__startswith=v)),
        Filter.within(unit_picker),
    ]  # fmt: skip
    acts = [
        Act("accept", gettext_lazy("Accept"), available=lambda r: handling.can_move(r.status, Status.ACCEPTED),
            confirm=gettext_lazy("The report is real and within the agencies' competence."),
            perform=lambda request, r, data: handling.accept(r, by=request.user)),
        Act("assign", gettext_lazy("Assign"), form_class=AssignForm,
            available=lambda r: handling.can_move(r.status, Status.ASSIGNED),
            perform=lambda request, r, data: handling.assign(
                r, by=request.user, assignee=data.get("assignee"),
                agency=data["agency"] if data.get("agency") and data["agency"].pk != r.agency_id else None)),
        Act("start", gettext_lazy("Start handling"), available=lambda r: handling.can_move(r.status, Status.IN_PROGRESS),
            perform=lambda request, r, data: handling.start(r, by=request.user)),
        Act("answer", gettext_lazy("Answer"), available=lambda r: handling.can_move(r.status, Status.ANSWERED),
            perform=lambda request, r, data: None, url=lambda r: f"/feedback/reports/{r.pk}/answer/"),
        Act("note", gettext_lazy("Internal note"), form_class=TextForm,
            perform=lambda request, r, data: handling.note(r, by=request.user, text=data["text"])),
        Act("transfer", gettext_lazy("Transfer"), form_class=TransferForm, available=lambda r: r.status in OPEN,
            perform=lambda request, r, data: handling.transfer(r, by=request.user, to=data["to"], reason=data["reason"])),
        Act("extend", gettext_lazy("Ask for more time"), form_class=ExtendForm, available=lambda r: r.status in OPEN,
            perform=lambda request, r, data: handling.request_extension(r, by=request.user, days=data["days"],
                                                                        justification=data["justification"])),
        Act("grant", gettext_lazy("Grant the extension"), permission=FEEDBACK_DISPATCH,
            available=lambda r: r.extensions.filter(status=ExtensionStatus.PENDING).exists(),
            perform=lambda request, r, data: _decide(request, r, True)),
        Act("deny", gettext_lazy("Refuse the extension"), permission=FEEDBACK_DISPATCH, danger=True,
            available=lambda r: r.extensions.filter(status=ExtensionStatus.PENDING).exists(),
            perform=lambda request, r, data: _decide(request, r, False)),
        Act("close", gettext_lazy("Close"), available=lambda r: handling.can_move(r.status, Status.CLOSED),
            perform=lambda request, r, data: handling.close(r, by=request.user)),
        Act("not-fixed", gettext_lazy("Close, not fixed"), form_class=TextForm, danger=True,
            available=lambda r: handling.can_move(r.status, Status.CLOSED_NOT_FIXED),
            perform=lambda request, r, data: handling.close(r, by=request.user, not_fixed=True, text=data["text"])),
        Act("refuse", gettext_lazy("Refuse"), form_class=RefuseForm, permission=FEEDBACK_DISPATCH, danger=True,
            available=lambda r: handling.can_move(r.status, Status.REFUSED), perform=_refuse),
        Act("spam", gettext_lazy("Mark as spam"), form_class=SpamForm, danger=True,
            confirm=gettext_lazy("The report is closed as spam or abuse and counts toward its sender's lock; the "
                                 "citizen reads only that it is closed."),
            available=lambda r: r.status != Status.REFUSED,
            perform=lambda request, r, data: handling.mark_spam(r, by=request.user, reason=data["reason"])),
        Act("merge", gettext_lazy("Merge as a duplicate"), form_class=MergeForm, permission=FEEDBACK_DISPATCH,
            available=lambda r: r.status != Status.REFUSED,
            perform=lambda request, r, data: handling.merge(r, into=_visible(request, data["into"]), by=request.user)),
        Act("share", gettext_lazy("Show the reporter to the agency"), permission=FEEDBACK_DISPATCH,
            available=lambda r: not r.reporter_shared and (r.reporter_name or r.reporter_phone),
            confirm=gettext_lazy("The handling agency will see the reporter's name and phone."),
            perform=lambda request, r, data: handling.share_reporter(r, by=request.user)),
    ]  # fmt: skip

    def queryset(self, request):
        return Report.objects.visible_to(request.user).select_related("category", "unit", "agency")

    def label(self, obj):
        return f"{obj.code} · {obj.title}"

    def detail_context(self, request, obj):
        scope = request.user.scope
        sees_reporter = obj.reporter_shared or scope.agency_id is None
        return {
            "report": obj,
            "entries": list(obj.entries.all()),
            "photos": list(obj.photos.all()),
            "extensions": list(obj.extensions.all()),
            "reporter": {"name": obj.reporter_name, "phone": obj.reporter_phone} if sees_reporter else None,
            "followers": obj.followers.count(),
            "duplicates": queries.duplicates(obj.category, obj.lat, obj.lon, obj.description) if obj.is_open else [],
        }


report_pages = ReportPages()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the photos are checked by :mod:`photos`, by their content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class AnswerForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Answer to the citizen (public)"), max_length=4000, widget=forms.Textarea)
    photos = MultipleFileField(label=gettext_lazy("Photos of the site (up to 5)"), required=False)
    private = forms.BooleanField(label=gettext_lazy("Keep the photos private"), required=False)


@permission_required(FEEDBACK_HANDLE)
def answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    report = Report.objects.visible_to(request.user).select_related("category", "unit", "agency").filter(pk=pk).first()
    if report is None:
        raise Http404
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("photos")
        try:
            handling.answer(report, by=request.user, text=form.cleaned_data["text"], evidence=files,
                            evidence_public=[not form.cleaned_data["private"]] * len(files))  # fmt: skip
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The answer is published; the citizen hears of it."))
            return redirect(report_pages.url("detail", report.pk))
    from toancanh.core.pages.viewset import FRAME

    return render(request, "feedback/answer.html", {"frame": FRAME, "report": report, "form": form,
                                                    "cancel_url": report_pages.url("detail", report.pk)})  # fmt: skip
