"""Pickers instead of codes: a search box that finds what the user may choose (accent-insensitive,
with htmx), browsable as a tree where the objects have one (units), and a form field that
accepts only what the picker would have offered — so scope holds for writes as for reads.

A context declares a :class:`Picker` for its model (the queryset is ``visible_to`` the user) and
routes ``picker.view``; forms use :class:`PickerField` with it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from toancanh.core.pages.search import search


class Picker:
    """What a picker offers. Subclass and set ``url_name``; override the hooks as needed."""

    url_name: str = ""
    search_fields: list[str] = []
    value_field: str = "pk"
    parent_field: str | None = None  # e.g. "parent": results can be browsed as a tree
    browse_order: tuple[str, ...] = ("name",)
    limit: int = 20  # search results shown
    browse_limit: int = 300  # a level of the tree shown whole (a province's communes)
    placeholder = _("Type to search…")

    def queryset(self, request: HttpRequest) -> models.QuerySet:
        raise NotImplementedError

    def roots(self, request: HttpRequest, qs: models.QuerySet) -> models.QuerySet:
        """What shows before anything is typed."""
        return qs

    def label(self, obj: Any) -> str:
        return str(obj)

    def hint(self, obj: Any) -> str:
        return ""

    def value(self, obj: Any) -> str:
        return str(getattr(obj, self.value_field))

    def has_children(self, obj: Any) -> bool:
        return False

    def lookup(self, request: HttpRequest, values: list[str]) -> list[Any]:
        found = {self.value(o): o for o in self.queryset(request).filter(**{f"{self.value_field}__in": values})}
        return [found[v] for v in values if v in found]

    def results(self, request: HttpRequest, q: str, parent: str | None) -> list[Any]:
        qs = self.queryset(request)
        if q:
            qs = search(qs, q, self.search_fields)
        elif parent and self.parent_field:
            qs = qs.filter(**{f"{self.parent_field}__{self.value_field}": parent})
            return list(qs.order_by(*self.browse_order)[: self.browse_limit])
        else:
            qs = self.roots(request, qs)
        return list(qs[: self.limit])

    def as_view(self):
        """The picker's endpoint, for staff only (what it offers is the user's own scope)."""
        from toancanh.core.pages.access import staff_required

        return staff_required(self.view)

    def view(self, request: HttpRequest) -> HttpResponse:
        field = request.GET.get("field", "")
        q = request.GET.get(f"{field}__q", request.GET.get("q", "")).strip()[:100]
        parent = request.GET.get("parent") or None
        items = [
            {"value": self.value(o), "label": self.label(o), "hint": self.hint(o), "children": self.has_children(o)}
            for o in self.results(request, q, parent)
        ]
        context = {"items": items, "field": field, "q": q, "url": reverse(self.url_name), "parent": parent}
        return render(request, "core/pages/_picker_results.html", context)


class PickerWidget(forms.Widget):
    template_name = "core/pages/widgets/picker.html"

    def __init__(self, picker: Picker, multiple: bool = False, attrs=None):
        super().__init__(attrs)
        self.picker, self.multiple = picker, multiple
        self.request: HttpRequest | None = None

    def format_value(self, value):
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [self.picker.value(v) if isinstance(v, models.Model) else str(v) for v in values if v not in ("", None)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = self.format_value(value)
        chosen = self.picker.lookup(self.request, values) if (self.request and values) else []
        context["widget"].update(
            url=reverse(self.picker.url_name),
            multiple=self.multiple,
            chosen=[{"value": self.picker.value(o), "label": self.picker.label(o)} for o in chosen],
            placeholder=self.picker.placeholder,
        )
        return context

    def value_from_datadict(self, data, files, name):
        if self.multiple:
            return [v for v in data.getlist(name) if v]
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False if self.multiple else name not in data


class PickerField(forms.Field):
    """A choice of one object (or several) that the picker offers this user; cleaned to the object(s)."""

    default_error_messages = {
        "invalid_choice": _("Choose from the list: this is not one you can pick."),
    }

    def __init__(self, picker: Picker, *, multiple: bool = False, **kwargs):
        self.picker, self.multiple = picker, multiple
        kwargs.setdefault("widget", PickerWidget(picker, multiple=multiple))
        super().__init__(**kwargs)
        self.request: HttpRequest | None = None

    def bind(self, request: HttpRequest) -> None:
        self.request = request
        self.widget.request = request

    def to_python(self, value):
        if value in self.empty_values:
            return [] if self.multiple else None
        values = [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]
        found = self.picker.lookup(self.request, values)
        if len(found) != len(set(values)):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found if self.multiple else found[0]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data) -> bool:
        return True


class PageForm(forms.Form):
    """A form of the page machinery: knows the request (for pickers, scope and the acting user)."""

    def __init__(self, *args, request: HttpRequest, instance: Any = None, **kwargs):
        self.request, self.instance = request, instance
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, PickerField):
                field.bind(request)
