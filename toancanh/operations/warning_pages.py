"""The public-warning composer (soạn cảnh báo công khai) on the page machinery: the list of warnings
(drafts, published, superseded, cancelled), a form in Vietnamese and English with the areas picked
from the unit tree, CAP 1.2 severity, urgency, certainty and category with Vietnamese labels and the
validity; the warning's page previews its CAP message (checked against the OASIS schema when it is
at hand); publish, update (a new message referencing the earlier ones) and cancel, each through
``operations.warnings`` with its audit, on warnings whose every area lies within the user's scope."""

from __future__ import annotations

import json

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core.pages import Act, Column, DateTimeField, Filter, PageForm, PageSet, PickerField
from toancanh.operations import cap, warnings
from toancanh.operations.models import (
    Certainty,
    MessageType,
    PublicWarning,
    Severity,
    Urgency,
    WarningStatus,
)
from toancanh.units.pages import unit_picker

OPERATIONS_VIEW, WARNINGS_ISSUE = "operations.view", "warnings.issue"

# CAP 1.2 categories (§3.2.2) as a person reads them.
CATEGORIES = [
    ("Met", gettext_lazy("Weather, floods and storms")),
    ("Geo", gettext_lazy("Earthquakes, landslides")),
    ("Safety", gettext_lazy("Public safety")),
    ("Security", gettext_lazy("Security")),
    ("Rescue", gettext_lazy("Rescue and recovery")),
    ("Fire", gettext_lazy("Fire")),
    ("Health", gettext_lazy("Health")),
    ("Env", gettext_lazy("Environmental pollution")),
    ("Transport", gettext_lazy("Transport")),
    ("Infra", gettext_lazy("Utilities and infrastructure")),
    ("CBRNE", gettext_lazy("Chemical, biological, radiological or nuclear")),
    ("Other", gettext_lazy("Other")),
]
TEXTS = ("event", "event_en", "headline", "headline_en", "description", "description_en", "instruction",
         "instruction_en", "category", "severity", "urgency", "certainty")  # fmt: skip


def _when(label, **kwargs) -> forms.DateTimeField:
    return DateTimeField(label=label, **kwargs)


def _text(label, max_length=None, rows=0, required=True, help_text="") -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget, help_text=help_text)


class WarningForm(PageForm):
    units = PickerField(unit_picker, multiple=True, label=gettext_lazy("Areas"),
                        help_text=gettext_lazy("The units the warning covers: their outlines and codes go into "
                                               "the CAP message."))  # fmt: skip
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=CATEGORIES, initial="Met")
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), choices=Severity.choices, initial=Severity.SEVERE)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Urgency.choices, initial=Urgency.EXPECTED)
    certainty = forms.ChoiceField(label=gettext_lazy("Certainty"), choices=Certainty.choices,
                                  initial=Certainty.LIKELY)  # fmt: skip
    onset_at = _when(gettext_lazy("Begins"), required=False,
                     help_text=gettext_lazy("When the danger is expected to begin (optional)."))  # fmt: skip
    expires_at = _when(gettext_lazy("Valid until"), help_text=gettext_lazy("After this the warning is no longer "
                                                                          "announced."))  # fmt: skip
    event = _text(gettext_lazy("Event (Vietnamese)"), 120, help_text=gettext_lazy("e.g. Lũ quét, Bão số 5"))
    headline = _text(gettext_lazy("Headline (Vietnamese)"), 200)
    description = _text(gettext_lazy("Description (Vietnamese)"), rows=4)
    instruction = _text(gettext_lazy("What people should do (Vietnamese)"), rows=3, required=False)
    event_en = _text(gettext_lazy("Event (English)"), 120)
    headline_en = _text(gettext_lazy("Headline (English)"), 200)
    description_en = _text(gettext_lazy("Description (English)"), rows=4)
    instruction_en = _text(gettext_lazy("What people should do (English)"), rows=3, required=False)
    area = forms.CharField(required=False, widget=forms.HiddenInput, label=gettext_lazy("Area drawn on the map"))
    update_of = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_area(self):
        raw = (self.cleaned_data.get("area") or "").strip()
        if not raw:
            return None
        try:
            area = json.loads(raw)
        except ValueError as exc:
            raise forms.ValidationError(_("The drawn area could not be read; draw it again.")) from exc
        if not isinstance(area, dict) or area.get("type") not in ("Polygon", "MultiPolygon"):
            raise forms.ValidationError(_("The drawn area is not a polygon."))
        return area

    def clean(self):
        data = super().clean()
        onset, expires = data.get("onset_at"), data.get("expires_at")
        if onset and expires and onset >= expires:
            self.add_error("expires_at", _("The warning must begin before it expires."))
        return data


def _person(login: str) -> str:
    """A person's name rather than their login (the CLI and API keys keep their label)."""
    from toancanh.accounts.models import User

    name = User.objects.filter(username=login).values_list("full_name", flat=True).first()
    return name or login


def _can_issue(request, warning: PublicWarning) -> bool:
    return request.user.permits(WARNINGS_ISSUE) and all(
        request.user.scope.covers_path(u.path) for u in warning.units.all()
    )


class WarningPages(PageSet):
    model = PublicWarning
    name = "warning"
    title = gettext_lazy("public warning")
    title_plural = gettext_lazy("Public warnings")
    intro = gettext_lazy("Warnings to the public, published as CAP 1.2 messages on the public feed "
                         "(/cap/alerts.atom). An update or a cancellation is a new message that refers to the "
                         "earlier ones.")  # fmt: skip
    view_permission, manage_permission = OPERATIONS_VIEW, WARNINGS_ISSUE
    search_fields = ["headline", "headline_en", "identifier", "event"]
    search_placeholder = gettext_lazy("Headline, event or identifier…")
    ordering = ("-created_at", "-pk")
    form_class = WarningForm
    form_template = "operations/warning_form.html"
    detail_template = "operations/warning.html"
    columns = [
        Column("created_at", gettext_lazy("Written"), order="created_at"),
        Column("headline", gettext_lazy("Headline"), order="headline", link=True),
        Column("status", gettext_lazy("Status"), order="status", css=lambda w: f"warning-{w.status}"),
        Column("msg_type", gettext_lazy("Message")),
        Column("severity", gettext_lazy("Severity"), css=lambda w: f"sev-{w.severity}"),
        Column("units", gettext_lazy("Areas"), value=lambda w: ", ".join(u.name for u in w.units.all())),
        Column("sent_at", gettext_lazy("Published"), order="sent_at"),
        Column("expires_at", gettext_lazy("Valid until"), order="expires_at"),
    ]  # fmt: skip
    detail_fields = [
        Column("identifier", gettext_lazy("Identifier")),
        *columns[2:],
        Column("onset_at", gettext_lazy("Begins")),
        Column("category", gettext_lazy("Category"), value=lambda w: dict(CATEGORIES).get(w.category, w.category)),
        Column("urgency", gettext_lazy("Urgency")),
        Column("certainty", gettext_lazy("Certainty")),
        Column("created_by", gettext_lazy("Written by"), value=lambda w: _person(w.created_by)),
    ]
    filters = [
        Filter("status", gettext_lazy("Status"), choices=WarningStatus.choices),
        Filter("severity", gettext_lazy("Severity"), choices=Severity.choices),
        Filter.within(unit_picker, path="units__path", distinct=True),
    ]  # fmt: skip

    def queryset(self, request):
        visible = PublicWarning.objects.visible_to(request.user).values("pk")
        return PublicWarning.objects.filter(pk__in=visible).select_related("previous")

    def list_queryset(self, request):
        return self.queryset(request).prefetch_related("units")

    def can_edit(self, request, obj):
        return super().can_edit(request, obj) and obj.status == WarningStatus.DRAFT and _can_issue(request, obj)

    # the form: a new draft, a draft changed, or an update of a published warning ------------------

    def _fields(self, data) -> dict:
        return {name: data[name] for name in (*TEXTS, "onset_at", "area")}

    def create_initial(self, request):
        earlier = self._earlier(request, request.GET.get("update"))
        if earlier is None:
            return {}
        return self.initial(request, earlier) | {"update_of": earlier.pk}

    def _earlier(self, request, pk) -> PublicWarning | None:
        if not pk:
            return None
        found = self.queryset(request).filter(pk=pk).first() if str(pk).isdigit() else None
        if found is None:
            raise Http404(_("Not found, or outside what you can see."))
        return found

    def create(self, request, data):
        keys = [u.key for u in data["units"]]
        earlier = self._earlier(request, data.get("update_of"))
        if earlier is not None:
            warnings.require_covers(earlier, request.user.scope)
            return warnings.update_warning(earlier, by=request.user, scope=request.user.scope, units=keys,
                                           expires_at=data["expires_at"], **self._fields(data))  # fmt: skip
        return warnings.draft_warning(by=request.user, scope=request.user.scope, units=keys,
                                      expires_at=data["expires_at"], **self._fields(data))  # fmt: skip

    def update(self, request, obj, data):
        return warnings.revise_draft(obj, by=request.user, scope=request.user.scope,
                                     units=[u.key for u in data["units"]], expires_at=data["expires_at"],
                                     **self._fields(data))  # fmt: skip

    def initial(self, request, obj):
        return {name: getattr(obj, name) for name in (*TEXTS, "onset_at", "expires_at")} | {
            "units": [u.key for u in obj.units.all()],
            "area": json.dumps(obj.area) if obj.area else "",
        }

    def error_field(self, form, exc):
        text = exc.message.lower()
        if "expire" in text or "hết hiệu lực" in text:
            return "expires_at"
        if "drawn" in text or "vùng vẽ" in text:
            return "area"
        if "unit" in text or "area" in text or "đơn vị" in text or "địa bàn" in text:
            return "units"
        return "category" if "CAP 1.2" in exc.message else None

    def form_context(self, request, obj):
        earlier = None
        if obj is None:
            raw = request.POST.get("update_of") if request.method == "POST" else request.GET.get("update")
            earlier = self._earlier(request, raw) if raw else None
        unit = request.user.unit if request.user.unit_id else None
        return {"earlier": earlier, "map_unit": unit.key if unit else ""}

    def detail_context(self, request, obj):
        message = cap.cap_message(obj)
        later = PublicWarning.objects.filter(previous=obj).only("pk", "identifier", "msg_type").first()
        return {"warning": obj, "cap_xml": message.decode(), "cap_errors": cap.schema_errors(message),
                "earlier": warnings.chain(obj), "later": later,
                "public_url": reverse("cap-alert", args=[obj.identifier])
                if obj.status != WarningStatus.DRAFT else None}  # fmt: skip

    def label(self, obj):
        return obj.headline

    def created(self, request, obj, form):
        from django.contrib import messages
        from django.shortcuts import redirect

        if obj.msg_type == MessageType.UPDATE:
            messages.success(request, _("The update is published."))
        else:
            messages.success(request, _("The draft is saved. Check the CAP message below, then publish it."))
        return redirect(self.url("detail", obj.pk))

    acts = [
        Act("publish", gettext_lazy("Publish"), available=lambda w: w.status == WarningStatus.DRAFT,
            confirm=gettext_lazy("The warning goes out at once on the public CAP feed, to every receiver that "
                                 "follows it. It cannot be withdrawn, only updated or cancelled."),
            done=gettext_lazy("The warning is published."),
            perform=lambda request, w, data: (warnings.require_covers(w, request.user.scope),
                                              warnings.publish_warning(w, by=request.user))[1]),
        Act("update", gettext_lazy("Update"),
            available=lambda w: w.status == WarningStatus.PUBLISHED and w.msg_type != MessageType.CANCEL,
            url=lambda w: reverse("warning-create") + f"?update={w.pk}", perform=lambda request, w, data: None),
        Act("cancel", gettext_lazy("Cancel the warning"), danger=True,
            available=lambda w: w.status == WarningStatus.PUBLISHED and w.msg_type != MessageType.CANCEL,
            confirm=gettext_lazy("A cancellation message goes out on the public feed; receivers withdraw the "
                                 "warning. This cannot be undone."),
            done=gettext_lazy("The warning is cancelled."),
            perform=lambda request, w, data: _cancelled(request, w)),
    ]  # fmt: skip


def _cancelled(request, warning: PublicWarning):
    from django.contrib import messages
    from django.shortcuts import redirect

    warnings.require_covers(warning, request.user.scope)
    message = warnings.cancel_warning(warning, by=request.user)

    messages.success(request, _("The warning is cancelled."))
    return redirect("warning-detail", message.pk)


warning_pages = WarningPages()
