"""Pages of the units context: the unit and agency pickers every form uses, and the agencies
console (list, detail, create, edit, disable) on the page machinery."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from toancanh.core.models import Sector
from toancanh.core.pages import Act, Column, Filter, PageForm, PageSet, Picker, PickerField
from toancanh.units import services
from toancanh.units.models import Agency, AgencyKind, Level, Unit

AGENCIES_VIEW, AGENCIES_MANAGE = "agencies.view", "agencies.manage"


class UnitPicker(Picker):
    """Units in force within the user's scope, searched without accents or browsed down the tree."""

    url_name = "unit-picker"
    search_fields = ["search_name"]
    value_field = "key"
    parent_field = "parent"
    placeholder = gettext_lazy("Type a unit's name, or browse from the top…")

    def queryset(self, request):
        return Unit.objects.visible_to(request.user).current().select_related("parent")

    def roots(self, request, qs):
        scope = request.user.scope
        if scope.everywhere:
            return qs.filter(level=Level.PROVINCE)
        return qs.filter(path__in=scope.unit_paths)

    def hint(self, obj):
        return obj.parent.name if obj.parent_id else ""

    def has_children(self, obj):
        return obj.level != Level.COMMUNE


class AgencyPicker(Picker):
    url_name = "agency-picker"
    search_fields = ["search_name", "code"]
    value_field = "code"

    def queryset(self, request):
        return Agency.objects.visible_to(request.user).filter(active=True).select_related("unit")

    def roots(self, request, qs):
        return qs.order_by("unit__path", "name")

    def hint(self, obj):
        return obj.unit.name


unit_picker, agency_picker = UnitPicker(), AgencyPicker()


class SectorsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(queryset=Sector.objects.all(), **kwargs)

    def label_from_instance(self, obj):
        return obj.localized


class AgencyForm(PageForm):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=60,
                           help_text=gettext_lazy("Letters without accents, digits and hyphens, e.g. so-y-te."))  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AgencyKind.choices)
    unit = PickerField(unit_picker, label=gettext_lazy("Administrative unit"))
    parent = PickerField(agency_picker, label=gettext_lazy("Parent agency"), required=False)
    sectors = SectorsField(label=gettext_lazy("Sectors"))
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=40, required=False)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            self.fields["code"].disabled = True
            self.fields["code"].required = False

    def clean_code(self):
        code = self.cleaned_data.get("code")
        if self.instance is None and code and Agency.objects.filter(code=code).exists():
            raise forms.ValidationError(_("An agency with this code already exists."))
        return code


class AgencyPages(PageSet):
    model = Agency
    name = "agency"
    title = gettext_lazy("agency")
    title_plural = gettext_lazy("Agencies")
    view_permission, manage_permission = AGENCIES_VIEW, AGENCIES_MANAGE
    search_fields = ["search_name", "code"]
    search_placeholder = gettext_lazy("Name or code…")
    ordering = ("unit__path", "name")
    form_class = AgencyForm
    columns = [
        Column("name", gettext_lazy("Name"), order="name", link=True),
        Column("code", gettext_lazy("Code"), order="code"),
        Column("kind", gettext_lazy("Kind"), order="kind"),
        Column("unit.name", gettext_lazy("Unit"), order="unit__path"),
        Column("sectors", gettext_lazy("Sectors"), value=lambda a: ", ".join(s.localized for s in a.sectors.all())),
        Column("active", gettext_lazy("In use"), order="active"),
    ]
    detail_fields = [
        *columns[1:],
        Column("parent", gettext_lazy("Parent agency")),
        Column("email", gettext_lazy("E-mail")),
        Column("phone", gettext_lazy("Phone")),
        Column("address", gettext_lazy("Address")),
    ]
    filters = [
        Filter("kind", gettext_lazy("Kind"), choices=AgencyKind.choices),
        Filter.within(unit_picker),
        Filter.yes_no("active"),
    ]  # fmt: skip

    def list_queryset(self, request):
        return self.queryset(request).select_related("unit").prefetch_related("sectors")

    def _fields(self, data):
        return {"name": data["name"], "kind": data["kind"], "unit": data["unit"].key,
                "parent": data["parent"].code if data["parent"] else None,
                "sectors": [s.code for s in data["sectors"]], "email": data["email"], "phone": data["phone"],
                "address": data["address"]}  # fmt: skip

    def create(self, request, data):
        fields = self._fields(data)
        return services.create_agency(by=request.user, scope=request.user.scope, code=data["code"], **fields)

    def update(self, request, obj, data):
        return services.update_agency(obj, by=request.user, scope=request.user.scope, **self._fields(data))

    def initial(self, request, obj):
        return {"code": obj.code, "name": obj.name, "kind": obj.kind, "unit": obj.unit.key,
                "parent": obj.parent.code if obj.parent_id else None, "sectors": list(obj.sectors.all()),
                "email": obj.email, "phone": obj.phone, "address": obj.address}  # fmt: skip

    acts = [
        Act("disable", gettext_lazy("Stop using"), danger=True,
            confirm=gettext_lazy("The agency stays in the records and its history is kept, but it can no longer be "
                                 "chosen for new work."),
            available=lambda a: a.active, done=gettext_lazy("The agency is no longer in use."),
            perform=lambda request, a, data: services.update_agency(a, by=request.user, scope=request.user.scope,
                                                                    active=False)),
        Act("enable", gettext_lazy("Use again"), available=lambda a: not a.active,
            perform=lambda request, a, data: services.update_agency(a, by=request.user, scope=request.user.scope,
                                                                    active=True)),
    ]  # fmt: skip


agency_pages = AgencyPages()
