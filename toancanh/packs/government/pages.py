"""The documents' pages (văn bản đến / đi) on the core's page machinery: a list filtered by agency,
unit, direction, state and timeliness against the processing deadline, with the counts of what is
filtered (by agency too), and a document's page. Reads are scoped (``visible_to``): an agency
officer sees their agency's documents only."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from toancanh.packs.api import Agency, Column, Filter, PageSet, unit_picker
from toancanh.packs.government import documents
from toancanh.packs.government.models import DocState, DocTimeliness, Document
from toancanh.packs.government.permissions import GOV_VIEW

DIRECTION = pgettext_lazy("document", "Direction")
TIMELINESS_CSS = {DocTimeliness.OPEN_OVERDUE: "overdue", DocTimeliness.DONE_LATE: "late"}


def _timeliness(doc: Document) -> str:
    found = doc.timeliness(timezone.localdate())
    return found.label if found is not None else ""


def _agencies(request) -> list[tuple[str, str]]:
    return list(Agency.objects.visible_to(request.user).order_by("name").values_list("code", "name"))


class DocumentPages(PageSet):
    model = Document
    name = "government-document"
    title = _("document")
    title_plural = _("Incoming and outgoing documents")
    intro = _("From the document-management system. On time: done on or before the processing deadline; a "
              "document without a deadline is never late.")  # fmt: skip
    view_permission = GOV_VIEW
    search_fields = ["number", "summary", "code"]
    search_placeholder = _("Number, summary or id…")
    ordering = ("-dated", "-pk")
    list_template = "government/documents.html"
    results_template = "government/_documents_results.html"
    columns = [
        Column("number", _("Number, sign"), order="number", link=True, value=lambda d: d.number or d.code),
        Column("summary", _("Summary"), value=lambda d: d.summary),
        Column("incoming", DIRECTION, order="incoming",
               value=lambda d: _("Incoming") if d.incoming else _("Outgoing")),
        Column("agency.name", _("Agency"), order="agency__name"),
        Column("dated", _("Date"), order="dated"),
        Column("deadline", _("Processing deadline"), order="deadline"),
        Column("state", _("State"), order="state"),
        Column("timeliness", _("Against the deadline"), value=_timeliness,
               css=lambda d: TIMELINESS_CSS.get(d.timeliness(timezone.localdate()), "")),
    ]  # fmt: skip
    detail_fields = [
        Column("code", _("Id in the document system")),
        Column("number", _("Number, sign")),
        Column("summary", _("Summary")),
        Column("incoming", DIRECTION, value=lambda d: _("Incoming") if d.incoming else _("Outgoing")),
        Column("agency.name", _("Agency")),
        Column("agency.unit.name", _("Administrative unit")),
        Column("lead", _("Role"), value=lambda d: _("Leads") if d.lead else _("Cooperates")),
        Column("dated", _("Date (arrival or issue)")),
        Column("deadline", _("Processing deadline")),
        Column("done_on", _("Done on")),
        Column("state", _("State")),
        Column("timeliness", _("Against the deadline"), value=_timeliness),
        Column("electronic", _("Electronic document")),
        Column("signed_digitally", _("Signed digitally")),
        Column("source", _("Source")),
    ]  # fmt: skip
    filters = [
        Filter("agency", _("Agency"), lookup="agency__code", choices=_agencies),
        Filter.within(unit_picker, path="agency__unit__path"),
        Filter("direction", DIRECTION, choices=[("in", _("Incoming")), ("out", _("Outgoing"))],
               apply=lambda qs, v: qs.filter(incoming=v == "in")),
        Filter("state", _("State"), choices=DocState.choices),
        Filter("timeliness", _("Against the deadline"), choices=DocTimeliness.choices,
               apply=lambda qs, v: qs.filter(documents.timeliness_filter(v, timezone.localdate()))),
    ]  # fmt: skip

    def list_queryset(self, request):
        return self.queryset(request).select_related("agency")

    def queryset(self, request):
        return super().queryset(request).select_related("agency__unit")

    def list_context(self, request):
        qs, *_rest = self.filtered(request)
        today = timezone.localdate()
        by_agency = documents.counts(qs, today)
        names = dict(Agency.objects.filter(id__in=by_agency).values_list("id", "name"))
        rows = sorted(({"name": names.get(k, "?"), **c} for k, c in by_agency.items()),
                      key=lambda r: (-r["overdue"], r["name"]))  # fmt: skip
        return {"totals": documents.totals(qs, today), "by_agency": rows[:50], "agencies_more": max(len(rows) - 50, 0)}


document_pages = DocumentPages()
