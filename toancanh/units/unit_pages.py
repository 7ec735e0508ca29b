"""The administrator's pages for administrative units: the tree in both structures (the current
province → commune, and province → district → commune before 1 July 2025) with accent-insensitive
search, a page per unit (parent, children, predecessors and successors, validity, boundary), a
units CSV imported after a preview of what it changes, a boundary uploaded for a unit, and the
succession entries. Reads are ``visible_to`` the user; writes go through ``units.services``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core.errors import ImportRejected, ServiceError
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet, Picker, PickerField, permits
from toancanh.core.pages.access import permission_required
from toancanh.core.pages.viewset import FRAME
from toancanh.units import imports, services
from toancanh.units.models import REFORM_2025, Level, Succession, Unit
from toancanh.units.permissions import AGENCIES_VIEW, UNITS_MANAGE

BEFORE_REFORM = REFORM_2025 - dt.timedelta(days=1)
IMPORT_MAX_BYTES = 5 * 2**20
STRUCTURES = [("current", gettext_lazy("Current (from 1 July 2025)")),
              ("before", gettext_lazy("Before 1 July 2025"))]  # fmt: skip


def _structure(qs, value):
    return qs.valid_on(BEFORE_REFORM) if value == "before" else qs.current()


class AnyUnitPicker(Picker):
    """Units of either structure within the user's scope (a former commune as well as a new one)."""

    url_name = "unit-any-picker"
    search_fields = ["search_name"]
    value_field = "key"
    placeholder = gettext_lazy("Type a unit's name (current or former)…")

    def queryset(self, request):
        return Unit.objects.visible_to(request.user).select_related("parent")

    def roots(self, request, qs):
        return qs.filter(level=Level.PROVINCE)

    def hint(self, obj):
        until = _("until %(day)s") % {"day": f"{obj.valid_to:%d/%m/%Y}"} if obj.valid_to else ""
        return " · ".join(x for x in [obj.parent.name if obj.parent_id else "", until] if x)


any_unit_picker = AnyUnitPicker()


def _children_link(unit) -> str | None:
    if not getattr(unit, "n_children", 0):
        return None
    structure = "before" if unit.valid_to and unit.valid_to < REFORM_2025 else "current"
    return reverse("unit-list") + "?" + urlencode({"parent": unit.key, "structure": structure})


def _svg(display) -> dict | None:
    """A boundary as an SVG path (equirectangular, longitude scaled by the cosine of the latitude)."""
    import math

    polygons = display.get("coordinates", []) if display else []
    if display and display.get("type") == "Polygon":
        polygons = [polygons]
    points = [pt for poly in polygons for ring in poly for pt in ring]
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    k = math.cos(math.radians((min(ys) + max(ys)) / 2))
    west, north = min(xs), max(ys)
    width, height = (max(xs) - west) * k or 1e-6, (north - min(ys)) or 1e-6
    scale = 1000 / max(width, height)

    def xy(p):
        return f"{(p[0] - west) * k * scale:.1f} {(north - p[1]) * scale:.1f}"

    d = " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for poly in polygons for ring in poly)
    # Text, not numbers: the template would localise 1020 as "1.020".
    return {"d": d, "view_box": f"-10 -10 {width * scale + 20:.0f} {height * scale + 20:.0f}"}


class UnitPages(PageSet):
    model = Unit
    name = "unit"
    title = gettext_lazy("administrative unit")
    title_plural = gettext_lazy("Administrative units")
    intro = gettext_lazy("Provinces and communes in force today, and the provinces, districts and communes before "
                         "1 July 2025. Open a unit to see what it was formed from and what succeeded it.")  # fmt: skip
    view_permission, manage_permission = AGENCIES_VIEW, UNITS_MANAGE
    search_fields = ["search_name"]
    search_placeholder = gettext_lazy("Name or GSO code, with or without accents…")
    ordering = ("path",)
    page_size = 100  # a province's communes on one or two pages
    list_template = "units/unit_list.html"
    detail_template = "units/unit_detail.html"
    columns = [
        Column("name", gettext_lazy("Name"), order="name", link=True),
        Column("code", gettext_lazy("GSO code"), order="code"),
        Column("type", gettext_lazy("Type"), order="type"),
        Column("parent.name", gettext_lazy("Part of")),
        Column("n_children", gettext_lazy("Units within"), value=lambda u: u.n_children or None, href=_children_link),
        Column("valid_from", gettext_lazy("Valid from"), order="valid_from"),
        Column("valid_to", gettext_lazy("Valid until"), order="valid_to"),
    ]
    detail_fields = [
        Column("key", gettext_lazy("Key")), columns[1], columns[2], Column("level", gettext_lazy("Level")),
        columns[3], columns[5], columns[6], Column("area_km2", gettext_lazy("Area (km²)")),
        Column("source", gettext_lazy("Source")),
    ]  # fmt: skip
    filters = [
        Filter("structure", gettext_lazy("Structure"), choices=STRUCTURES, default="current", apply=_structure),
        Filter("level", gettext_lazy("Level"), choices=Level.choices),
    ]

    def list_queryset(self, request):
        return self.queryset(request).select_related("parent").annotate(n_children=Count("children"))

    def filtered(self, request):
        qs, values, q, sort = super().filtered(request)
        parent = request.GET.get("parent", "").strip()[:40]
        if parent:
            qs = qs.filter(parent__key=parent)
            if not sort:
                qs = qs.order_by("name")
        elif not q and not values.get("level"):
            scope = request.user.scope
            qs = qs.filter(level=Level.PROVINCE) if scope.everywhere else qs.filter(path__in=scope.unit_paths)
        return qs, values, q, sort

    def list_context(self, request):
        parent = request.GET.get("parent", "").strip()[:40]
        trail = []
        if parent:
            unit = self.queryset(request).filter(key=parent).first()
            if unit is None:
                raise Http404
            visible = {u.key: u for u in self.queryset(request).filter(key__in=[*unit.ancestor_keys, unit.key])}
            structure = request.GET.get("structure", "current")
            trail = [{"name": visible[k].name, "url": "?" + urlencode({"parent": k, "structure": structure})}
                     for k in [*unit.ancestor_keys, unit.key] if k in visible]  # fmt: skip
        return {"trail": trail, "can_import": permits(request.user, UNITS_MANAGE),
                "import_url": reverse("unit-import"), "succession_url": reverse("succession-list")}  # fmt: skip

    def detail_context(self, request, obj):
        visible = Unit.objects.visible_to(request.user)
        children = visible.filter(parent=obj).order_by("name")
        successions = Succession.objects.select_related("old", "new")
        boundary = getattr(obj, "boundary", None) if hasattr(obj, "boundary") else None
        return {
            "parent": visible.filter(pk=obj.parent_id).first() if obj.parent_id else None,
            "children": children, "n_children": children.count(),
            "successors": successions.filter(old=obj, new__in=visible).order_by("new__name"),
            "predecessors": successions.filter(new=obj, old__in=visible).order_by("old__name"),
            "boundary": boundary, "svg": _svg(boundary.display) if boundary else None,
            "can_manage": permits(request.user, UNITS_MANAGE),
            "add_succession": reverse("succession-create") + "?" + urlencode({"old": obj.key}),
        }  # fmt: skip

    acts = [
        Act("boundary", gettext_lazy("Upload a boundary"), perform=lambda request, u, data: None,
            url=lambda u: reverse("unit-boundary", args=[u.pk])),
    ]  # fmt: skip


unit_pages = UnitPages()


# --- the units file: upload, preview, apply ------------------------------------------------------


# The file's column names are codes, shown as code (not words to translate).
_COLUMNS = mark_safe(", ".join(f"<code>{c}</code>" for c in ("edition", "code", "type", "name", "parent")))  # noqa: S308
_OPTIONAL_COLUMNS = mark_safe(  # noqa: S308 - fixed names, no input
    ", ".join(
        f"<code>{c}</code>" for c in ("key", "level", "short_name", "valid_from", "valid_to", "lat", "lon", "area_km2")
    )
)


class UnitImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Units file (CSV, UTF-8)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_html(
            "{}: {}; {}: {}.", _("Columns"), _COLUMNS, _("optional"), _OPTIONAL_COLUMNS
        )


def _read_text(upload) -> str:
    if upload.size > IMPORT_MAX_BYTES:
        raise ServiceError(_("The file is larger than %(mb)s MB.") % {"mb": IMPORT_MAX_BYTES // 2**20})
    try:
        return upload.read().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ServiceError(_("The file is not text in UTF-8: save it from Excel as “CSV UTF-8”.")) from exc


@permission_required(UNITS_MANAGE)
def import_units(request: HttpRequest) -> HttpResponse:
    """Step 1: choose a file; step 2: see what it changes (or each bad line); step 3: apply."""
    context = {"frame": FRAME, "list_url": reverse("unit-list"), "title_plural": UnitPages.title_plural}
    form = UnitImportForm()
    if request.method == "POST":
        step = request.POST.get("step", "preview")
        name = request.POST.get("filename", "")[:100]
        try:
            if step == "apply":
                text = request.POST.get("text", "")
            else:
                form = UnitImportForm(request.POST, request.FILES)
                if not form.is_valid():
                    return render(request, "units/unit_import.html", context | {"form": form})
                upload = form.cleaned_data["file"]
                name, text = upload.name[:100], _read_text(upload)
            rows = imports.parse_units_csv(text, source=name)
            if step == "apply":
                result = services.import_units(rows, by=request.user, scope=request.user.scope, source=name)
                messages.success(request, _("Imported: %(created)s new units, %(updated)s updated.")
                                 % {"created": result.created, "updated": result.updated})  # fmt: skip
                return redirect("unit-list")
            changes = services.check_unit_import(rows, scope=request.user.scope)
        except ImportRejected as exc:
            context |= {"errors": exc.errors, "refused": exc.message.splitlines()[0], "filename": name}
        except ServiceError as exc:
            form.add_error("file" if "file" in form.fields else None, exc.message)
        else:
            counts = {a: sum(1 for c in changes if c.action == a) for a in ("create", "update", "same")}
            return render(request, "units/unit_import.html", context | {
                "form": None, "changes": [c for c in changes if c.action != "same"], "counts": counts,
                "text": text, "filename": name})  # fmt: skip
    return render(request, "units/unit_import.html", context | {"form": form})


# --- a boundary for one unit ----------------------------------------------------------------------


class BoundaryForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Boundary file (GeoJSON)"),
                           help_text=gettext_lazy("A Polygon or MultiPolygon in longitude/latitude (WGS 84), or a "
                                                  "Feature holding one; at most 5 MB."))  # fmt: skip
    source = forms.CharField(label=gettext_lazy("Source"), max_length=200, required=False,
                             help_text=gettext_lazy("Where the boundary comes from, e.g. “Sở Nội vụ, 2025”."))  # fmt: skip


@permission_required(UNITS_MANAGE)
def upload_boundary(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_pages.get_object(request, pk)
    form = BoundaryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.BOUNDARY_MAX_BYTES:
                raise ServiceError(
                    _("The file is larger than %(mb)s MB.") % {"mb": services.BOUNDARY_MAX_BYTES // 2**20}
                )
            services.upload_boundary(unit, upload.read(), by=request.user, scope=request.user.scope,
                                     source=form.cleaned_data["source"] or upload.name[:200])  # fmt: skip
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, _("The boundary is saved."))
            return redirect("unit-detail", unit.pk)
    return render(request, "units/unit_boundary.html", {
        "frame": FRAME, "unit": unit, "form": form, "list_url": reverse("unit-list"),
        "title_plural": UnitPages.title_plural, "cancel_url": reverse("unit-detail", args=[unit.pk])})  # fmt: skip


# --- succession entries ------------------------------------------------------------------------------


class SuccessionForm(PageForm):
    old = PickerField(any_unit_picker, label=gettext_lazy("Former unit"))
    new = PickerField(any_unit_picker, label=gettext_lazy("Successor unit"))
    share = forms.DecimalField(label=gettext_lazy("Share taken"), min_value=Decimal("0.000001"), max_value=Decimal(1),
                               max_digits=9, decimal_places=6, initial=Decimal(1),
                               help_text=gettext_lazy("The part of the former unit it took: 1 for all of it, "
                                                      "0.5 for half (by population or area)."))  # fmt: skip
    share_estimated = forms.BooleanField(label=gettext_lazy("The share is an estimate"), required=False)
    source = forms.CharField(label=gettext_lazy("Source"), max_length=200, required=False,
                             help_text=gettext_lazy("e.g. “Nghị quyết 1659/NQ-UBTVQH15”"))  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("old") and data.get("new") and data["old"].pk == data["new"].pk:
            self.add_error("new", _("A unit cannot succeed itself."))
        return data


class SuccessionPages(PageSet):
    model = Succession
    name = "succession"
    title = gettext_lazy("succession")
    title_plural = gettext_lazy("Succession of units")
    intro = gettext_lazy("Where each former unit went on 1 July 2025 and the share it took: figures of former "
                         "units roll up under their successors by these shares.")  # fmt: skip
    view_permission, manage_permission = AGENCIES_VIEW, UNITS_MANAGE
    search_fields = ["old__search_name", "new__search_name"]
    search_placeholder = gettext_lazy("Former or new unit…")
    ordering = ("new__path", "old__name")
    form_class = SuccessionForm
    columns = [
        Column("old.name", gettext_lazy("Former unit"), order="old__name", link=True),
        Column("new.name", gettext_lazy("Successor unit"), order="new__name"),
        Column("share", gettext_lazy("Share taken"), order="share", value=lambda s: f"{s.share.normalize():f}"),
        Column("share_estimated", gettext_lazy("Estimated"), order="share_estimated"),
        Column("effective_on", gettext_lazy("From")),
        Column("source", gettext_lazy("Source")),
    ]

    def list_queryset(self, request):
        return self.queryset(request).select_related("old", "new")

    def queryset(self, request):
        return Succession.objects.visible_to(request.user).select_related("old", "new")

    def label(self, obj):
        return f"{obj.old.name} → {obj.new.name}"

    def _fields(self, data):
        return {"old": data["old"].key, "new": data["new"].key, "share": data["share"],
                "share_estimated": data["share_estimated"], "source": data["source"]}  # fmt: skip

    def error_field(self, form, exc):
        return "share" if "share" in exc.message.lower() or "tỷ lệ" in exc.message.lower() else None

    def create(self, request, data):
        return services.save_succession(by=request.user, scope=request.user.scope, **self._fields(data))

    def update(self, request, obj, data):
        return services.save_succession(by=request.user, scope=request.user.scope, instance=obj, **self._fields(data))

    def create_initial(self, request):
        return {"old": request.GET.get("old") or None, "share": Decimal(1)}

    def initial(self, request, obj):
        return {"old": obj.old.key, "new": obj.new.key, "share": obj.share, "share_estimated": obj.share_estimated,
                "source": obj.source}  # fmt: skip

    def _deleted(self, request, obj, data):
        services.delete_succession(obj, by=request.user, scope=request.user.scope)
        messages.success(request, _("The succession entry is deleted."))
        return redirect("succession-list")

    acts = [
        Act("delete", gettext_lazy("Delete"), danger=True,
            confirm=gettext_lazy("The entry is removed; figures of the former unit no longer roll up to this "
                                 "successor."), perform=lambda request, s, data: succession_pages._deleted(request, s, data)),
    ]  # fmt: skip


succession_pages = SuccessionPages()
