"""One page machinery for every resource, in the spirit of Wagtail's ViewSets and NetBox's generic
views: a :class:`PageSet` names a model, its columns, filters, search fields, form and acts, and
gets a list (filters, accent-insensitive search, sorting, paging, CSV/Excel export), a detail
page, create and edit forms (errors beside the field, nothing typed lost) and acts confirmed on a
page of their own (disable, revoke, delete …), all on ``visible_to`` and the role permissions.

Every write goes through the context's services: a PageSet's ``create``/``update`` and each
:class:`Act`'s ``perform`` call one service and nothing else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core.errors import ServiceError
from toancanh.core.pages.access import permission_required, permits
from toancanh.core.pages.export import FORMATS, export
from toancanh.core.pages.pickers import PageForm, Picker, PickerWidget
from toancanh.core.pages.search import search

EMPTY = "—"
# The template every page extends: the application's frame (the web shell's, unless configured).
FRAME = getattr(settings, "TOANCANH_PAGE_FRAME", "web/base.html")


def resolve(obj: Any, accessor: str) -> Any:
    """``"unit.name"`` of an object; a choice field gives its label (``get_role_display``)."""
    value = obj
    parts = accessor.split(".")
    for i, part in enumerate(parts):
        if value is None:
            return None
        if i == len(parts) - 1 and hasattr(value, f"get_{part}_display"):
            return getattr(value, f"get_{part}_display")()
        value = getattr(value, part)
        if callable(value) and not isinstance(value, models.Manager):
            value = value()
    return value


def show(value: Any) -> str:
    """A value as a person reads it: local time, yes/no, a dash for nothing."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, models.Manager):
        return ", ".join(str(v) for v in value.all()) or EMPTY
    return str(value)


@dataclass
class Column:
    """A column of the list (and a line of the detail page)."""

    accessor: str
    label: Any
    order: str | None = None  # the field to sort on; None = not sortable
    link: bool = False  # the cell links to the object's page
    value: Callable[[Any], Any] | None = None
    css: Callable[[Any], str] | None = None
    export: bool = True
    href: Callable[[Any], str | None] | None = None  # the cell links here (e.g. a unit's children)
    code: bool | None = None  # the cell shows a code (REV, so-y-te): data, in no language; None = by its name

    @property
    def is_code(self) -> bool:
        if self.code is not None:
            return self.code
        return self.accessor.rsplit("__", 1)[-1].rsplit(".", 1)[-1] in {"code", "key", "username", "identifier"}

    def get(self, obj: Any) -> Any:
        return self.value(obj) if self.value else resolve(obj, self.accessor)


@dataclass
class Filter:
    """A filter of the list: a choice among values, or a picker (a unit and its subtree …)."""

    name: str
    label: Any
    lookup: str = ""
    choices: Sequence[tuple[str, Any]] | Callable[[HttpRequest], Sequence[tuple[str, Any]]] = ()
    picker: Picker | None = None
    apply: Callable[[models.QuerySet, Any], models.QuerySet] | None = None
    default: str = ""

    def options(self, request: HttpRequest) -> Sequence[tuple[str, Any]]:
        return self.choices(request) if callable(self.choices) else self.choices

    def filter(self, request: HttpRequest, qs: models.QuerySet, raw: str) -> models.QuerySet:
        if self.picker is not None:
            found = self.picker.lookup(request, [raw])
            if not found:
                return qs.none()
            value: Any = found[0]
        else:
            if raw not in {str(v) for v, _label in self.options(request)}:
                return qs
            value = raw
        if self.apply is not None:
            return self.apply(qs, value)
        return qs.filter(**{self.lookup or self.name: value})

    @classmethod
    def yes_no(cls, field: str, label: Any = None, name: str = "active") -> Filter:
        """A yes/no filter on a boolean field (in use, active …)."""
        return cls(name, label or gettext_lazy("In use"), choices=[("1", gettext_lazy("Yes")), ("0", gettext_lazy("No"))],
                   apply=lambda qs, v: qs.filter(**{field: v == "1"}))  # fmt: skip

    @classmethod
    def within(cls, picker: Picker, path: str = "unit__path", *, distinct: bool = False) -> Filter:
        """The rows of a unit picked from the tree and of everything within it: ``path`` leads to the
        row's unit path (``distinct`` when it goes through a many-to-many relation)."""

        def apply(qs: models.QuerySet, unit: Any) -> models.QuerySet:
            qs = qs.filter(**{f"{path}__startswith": unit.path})
            return qs.distinct() if distinct else qs

        return cls("unit", gettext_lazy("Within unit"), picker=picker, apply=apply)


@dataclass
class Act:
    """Something done to one object from its page, after a confirmation: disable, revoke, clear …

    ``perform(request, obj, data)`` calls one service; ``data`` is the cleaned form, if there is one.
    """

    name: str
    label: Any
    perform: Callable[[HttpRequest, Any, dict], Any]
    confirm: Any = ""  # what will happen, said on the confirmation page
    permission: str | None = None
    available: Callable[[Any], bool] = lambda obj: True
    form_class: type[PageForm] | None = None
    done: Any = ""  # the message after it is done
    danger: bool = False
    template: str = "core/pages/confirm.html"
    url: Callable[[Any], str] | None = None  # an act done on a page of its own (no confirmation here)


@dataclass
class Bulk:
    """An act on the rows ticked in the list: their ids go to ``url_name`` as ``param``."""

    label: Any
    url_name: str
    param: str = "ids"
    method: str = "get"
    permission: str | None = None


class PageSet:
    """The pages of one resource. Subclass, set the attributes, add ``pageset.urls()`` to a urls.py."""

    model: type[models.Model]
    name: str  # URL names: <name>-list, <name>-detail, <name>-create, <name>-edit, <name>-act
    title: Any = ""  # one object, e.g. "user"
    title_plural: Any = ""  # the list's heading
    view_permission: str | None = None
    manage_permission: str | None = None
    columns: list[Column] = []
    detail_fields: list[Column] | None = None
    filters: list[Filter] = []
    search_fields: list[str] = []
    search_placeholder: Any = gettext_lazy("Search…")
    ordering: Sequence[str] = ("pk",)
    page_size = 25
    export_limit = 50_000
    form_class: type[PageForm] | None = None
    acts: list[Act] = []
    bulk: list[Bulk] = []
    list_template = "core/pages/list.html"
    results_template = "core/pages/_results.html"  # what a filter's htmx answer renders (list_template includes it)
    detail_template = "core/pages/detail.html"
    form_template = "core/pages/form.html"
    intro: Any = ""  # a sentence under the list's heading

    # --- what a subclass overrides ---------------------------------------------------------------

    def queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.model.objects.visible_to(request.user)

    def list_queryset(self, request: HttpRequest) -> models.QuerySet:
        return self.queryset(request)

    def create(self, request: HttpRequest, data: dict) -> Any:
        raise NotImplementedError

    def update(self, request: HttpRequest, obj: Any, data: dict) -> Any:
        raise NotImplementedError

    def initial(self, request: HttpRequest, obj: Any) -> dict:
        """An edit form's values, from the object."""
        return {}

    def create_initial(self, request: HttpRequest) -> dict:
        """A new object's form values, e.g. from the address (``?alerts=3&alerts=5``)."""
        return {}

    def form_context(self, request: HttpRequest, obj: Any) -> dict:
        """More for the form page (suggestions, a choice of kind …); ``form_template`` shows it."""
        return {}

    def detail_context(self, request: HttpRequest, obj: Any) -> dict:
        """More for the detail page (related lists …); ``detail_template`` shows it."""
        return {}

    def created(self, request: HttpRequest, obj: Any, form: PageForm) -> HttpResponse:
        messages.success(request, _("Saved."))
        return redirect(self.url("detail", obj.pk))

    def label(self, obj: Any) -> str:
        return str(obj)

    def error_field(self, form: PageForm, exc: ServiceError) -> str | None:
        """Which field a service's refusal belongs beside (None: above the form)."""
        return None

    def can_create(self, request: HttpRequest) -> bool:
        return self.form_class is not None and permits(request.user, self.manage_permission) and self._creates

    def can_edit(self, request: HttpRequest, obj: Any) -> bool:
        return self.form_class is not None and permits(request.user, self.manage_permission) and self._edits

    @property
    def _creates(self) -> bool:
        return type(self).create is not PageSet.create

    @property
    def _edits(self) -> bool:
        return type(self).update is not PageSet.update

    # --- machinery -------------------------------------------------------------------------------

    def url(self, page: str, *args: Any) -> str:
        return reverse(f"{self.name}-{page}", args=args)

    def get_object(self, request: HttpRequest, pk: int) -> Any:
        obj = self.queryset(request).filter(pk=pk).first()
        if obj is None:
            raise Http404(_("Not found, or outside what you can see."))
        return obj

    def urls(self) -> list:
        guard = permission_required(self.view_permission) if self.view_permission else permission_required(None)
        return [
            path("", guard(self.list_view), name=f"{self.name}-list"),
            path("new/", guard(self.create_view), name=f"{self.name}-create"),
            path("<int:pk>/", guard(self.detail_view), name=f"{self.name}-detail"),
            path("<int:pk>/edit/", guard(self.edit_view), name=f"{self.name}-edit"),
            path("<int:pk>/<slug:act>/", guard(self.act_view), name=f"{self.name}-act"),
        ]

    def _base(self, request: HttpRequest) -> dict:
        return {"frame": FRAME, "pageset": self, "title": self.title, "title_plural": self.title_plural,
                "list_url": self.url("list"), "can_create": self.can_create(request),
                "create_url": self.url("create")}  # fmt: skip

    # list -----------------------------------------------------------------------------------------

    def filtered(self, request: HttpRequest) -> tuple[models.QuerySet, dict[str, str], str, str]:
        qs = self.list_queryset(request)
        values = {}
        for f in self.filters:
            raw = request.GET.get(f.name, f.default).strip()
            values[f.name] = raw
            if raw:
                qs = f.filter(request, qs, raw)
        q = request.GET.get("q", "").strip()[:200]
        if q:
            qs = search(qs, q, self.search_fields)
        sort = request.GET.get("sort", "")
        key = sort.removeprefix("-")
        if key in {c.accessor for c in self.columns if c.order}:
            col = next(c for c in self.columns if c.accessor == key)
            qs = qs.order_by(("-" if sort.startswith("-") else "") + col.order, "-pk")
        else:
            sort = ""
            qs = qs.order_by(*self.ordering)
        return qs, values, q, sort

    def list_view(self, request: HttpRequest) -> HttpResponse:
        qs, values, q, sort = self.filtered(request)
        fmt = request.GET.get("export", "")
        if fmt in FORMATS:
            cols = [c for c in self.columns if c.export]
            rows = ([show(c.get(o)) if not isinstance(c.get(o), int | float) else c.get(o) for c in cols]
                    for o in qs[: self.export_limit])  # fmt: skip
            return export(self.name, [str(c.label) for c in cols], rows, fmt)
        page = Paginator(qs, self.page_size).get_page(request.GET.get("page"))
        params = {k: v for k, v in request.GET.items() if k not in {"page", "export"} and v}
        rows = []
        for obj in page.object_list:
            cells = []
            for c in self.columns:
                value = c.get(obj)
                link = c.href(obj) if c.href else (self.url("detail", obj.pk) if c.link else None)
                cells.append({"text": show(value), "label": c.label, "link": link,
                              "css": c.css(obj) if c.css else "", "num": isinstance(value, int | float)
                              and not isinstance(value, bool), "code": c.is_code})  # fmt: skip
            rows.append({"obj": obj, "cells": cells, "url": self.url("detail", obj.pk)})
        headers = []
        for c in self.columns:
            h = {"label": c.label, "sort_url": None, "sorted": ""}
            if c.order:
                current = sort.removeprefix("-") == c.accessor
                nxt = f"-{c.accessor}" if current and not sort.startswith("-") else c.accessor
                h["sort_url"] = "?" + urlencode(params | {"sort": nxt})
                h["sorted"] = ("desc" if sort.startswith("-") else "asc") if current else ""
            headers.append(h)
        filters = []
        for f in self.filters:
            entry = {"name": f.name, "label": f.label, "value": values[f.name]}
            if f.picker is not None:
                widget = PickerWidget(f.picker)
                widget.request = request
                entry["widget"] = widget.render(f.name, values[f.name] or None, {"id": f"filter-{f.name}"})
            else:
                entry["options"] = f.options(request)
            filters.append(entry)
        context = self._base(request) | {
            "page": page, "rows": rows, "headers": headers, "filters": filters, "q": q, "sort": sort,
            "search": bool(self.search_fields), "search_placeholder": self.search_placeholder,
            "querystring": urlencode(params), "results_template": self.results_template, "page_query": urlencode({k: v for k, v in params.items()}),
            "export_csv": "?" + urlencode(params | {"export": "csv"}),
            "export_xlsx": "?" + urlencode(params | {"export": "xlsx"}), "intro": self.intro,
            "bulk": [{"label": b.label, "url": reverse(b.url_name), "param": b.param, "method": b.method}
                     for b in self.bulk if permits(request.user, b.permission)],
        }  # fmt: skip
        context.update(self.list_context(request))
        if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
            return render(request, self.results_template, context)
        return render(request, self.list_template, context)

    def list_context(self, request: HttpRequest) -> dict:
        return {}

    # detail ---------------------------------------------------------------------------------------

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk)
        fields = [{"label": c.label, "text": show(c.get(obj))} for c in (self.detail_fields or self.columns)]
        acts = [
            {
                "name": a.name,
                "label": a.label,
                "danger": a.danger,
                "url": a.url(obj) if a.url else self.url("act", obj.pk, a.name),
            }
            for a in self.acts
            if permits(request.user, a.permission or self.manage_permission) and a.available(obj)
        ]
        context = self._base(request) | {
            "obj": obj, "label": self.label(obj), "fields": fields, "acts": acts,
            "edit_url": self.url("edit", obj.pk) if self.can_edit(request, obj) else None,
        }  # fmt: skip
        context.update(self.detail_context(request, obj))
        return render(request, self.detail_template, context)

    # forms ----------------------------------------------------------------------------------------

    def form_view(self, request: HttpRequest, obj: Any = None) -> HttpResponse:
        form_class = self.form_class
        assert form_class is not None
        if request.method == "POST":
            form = form_class(request.POST, request.FILES, request=request, instance=obj)
            if form.is_valid():
                try:
                    saved = self.create(request, form.cleaned_data) if obj is None else self.update(
                        request, obj, form.cleaned_data)  # fmt: skip
                except ServiceError as exc:
                    target = self.error_field(form, exc)
                    form.add_error(target if target in form.fields else None, exc.message)
                else:
                    if obj is None:
                        return self.created(request, saved, form)
                    messages.success(request, _("Saved."))
                    return redirect(self.url("detail", saved.pk))
        else:
            initial = self.initial(request, obj) if obj is not None else self.create_initial(request)
            form = form_class(request=request, instance=obj, initial=initial)
        context = self._base(request) | {
            "form": form, "obj": obj, "label": self.label(obj) if obj is not None else "",
            "cancel_url": self.url("detail", obj.pk) if obj is not None else self.url("list"),
        }  # fmt: skip
        context.update(self.form_context(request, obj))
        return render(request, self.form_template, context)

    def create_view(self, request: HttpRequest) -> HttpResponse:
        if not self.can_create(request):
            raise Http404
        return self.form_view(request)

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk)
        if not self.can_edit(request, obj):
            raise Http404
        return self.form_view(request, obj)

    # acts -----------------------------------------------------------------------------------------

    def act_view(self, request: HttpRequest, pk: int, act: str) -> HttpResponse:
        obj = self.get_object(request, pk)
        chosen = next((a for a in self.acts if a.name == act), None)
        if chosen is None:
            raise Http404
        if not permits(request.user, chosen.permission or self.manage_permission):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied(_("Your role does not allow this."))
        form = None
        if chosen.form_class is not None:
            form = chosen.form_class(request.POST or None, request=request, instance=obj)
        if request.method == "POST" and chosen.available(obj) and (form is None or form.is_valid()):
            try:
                result = chosen.perform(request, obj, form.cleaned_data if form is not None else {})
            except ServiceError as exc:
                if form is not None:
                    form.add_error(None, exc.message)
                else:
                    messages.error(request, exc.message)
                    return redirect(self.url("detail", obj.pk))
            else:
                if isinstance(result, HttpResponse):
                    return result
                messages.success(request, chosen.done or _("Done."))
                return redirect(self.url("detail", obj.pk))
        context = self._base(request) | {
            "obj": obj, "label": self.label(obj), "act": chosen, "form": form,
            "available": chosen.available(obj), "cancel_url": self.url("detail", obj.pk),
        }  # fmt: skip
        return render(request, chosen.template, context)
