"""The stations' pages on the page machinery: a list (filters by kind, status and unit; search; export),
a station's page with its latest values and a chart of each quantity, and the forms to register and
edit a station (administrators)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote, urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from toancanh.core.pages import Column, Filter, PageForm, PageSet, PickerField
from toancanh.telemetry import queries, services
from toancanh.telemetry.models import Station, StationKind, StationStatus
from toancanh.telemetry.permissions import TELEMETRY_MANAGE, TELEMETRY_VIEW
from toancanh.units.models import Agency
from toancanh.units.pages import unit_picker


class StationForm(PageForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=40)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=StationKind.choices)
    lat = forms.FloatField(label=gettext_lazy("Latitude"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=gettext_lazy("Longitude"), min_value=-180, max_value=180)
    unit = PickerField(unit_picker, label=gettext_lazy("Unit (empty: the commune at the position)"), required=False)
    interval_seconds = forms.IntegerField(label=gettext_lazy("Expected reporting interval (seconds)"),
                                          min_value=10, max_value=7 * 86400, initial=3600)  # fmt: skip
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=StationStatus.choices)
    calibrated_on = forms.DateField(label=gettext_lazy("Last calibrated on"), required=False)
    calibration_notes = forms.CharField(label=gettext_lazy("Calibration notes"), max_length=2000, required=False,
                                        widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"] = forms.ModelChoiceField(
            queryset=Agency.objects.visible_to(self.request.user).filter(active=True),
            required=False, label=gettext_lazy("Owner agency"),
        )  # fmt: skip
        english = (get_language() or "vi").startswith("en")
        self.fields["quantities"] = forms.MultipleChoiceField(
            label=gettext_lazy("Measured quantities"), widget=forms.CheckboxSelectMultiple,
            choices=[(q.code, f"{q.name_en if english else q.name_vi} ({q.unit})")
                     for q in services.quantities().values()],
        )  # fmt: skip
        if self.instance is not None:
            self.fields["code"].disabled = True


def _latest(s: Station) -> str:
    if s.last_reading_at is None:
        return "—"
    return timezone.localtime(s.last_reading_at).strftime("%d/%m/%Y %H:%M")


class StationPages(PageSet):
    model = Station
    name = "telemetry-station"
    title = gettext_lazy("monitoring station")
    title_plural = gettext_lazy("Monitoring stations")
    intro = gettext_lazy("Automatic stations that send readings: air and water quality, river levels, rain.")
    view_permission = TELEMETRY_VIEW
    manage_permission = TELEMETRY_MANAGE
    search_fields = ["code", "name"]
    ordering = ("code",)
    form_class = StationForm
    detail_template = "telemetry/station.html"
    columns = [
        Column("code", gettext_lazy("Code"), order="code", link=True),
        Column("name", gettext_lazy("Name"), order="name", link=True),
        Column("kind", gettext_lazy("Kind"), order="kind"),
        Column("unit.name", gettext_lazy("Unit"), order="unit__name"),
        Column("agency.name", gettext_lazy("Owner agency")),
        Column("status", gettext_lazy("Status"), order="status"),
        Column("last_reading_at", gettext_lazy("Last reading"), order="last_reading_at", value=_latest),
    ]
    detail_fields = [
        Column("code", gettext_lazy("Code")),
        Column("kind", gettext_lazy("Kind")),
        Column("unit.name", gettext_lazy("Unit")),
        Column("agency.name", gettext_lazy("Owner agency")),
        Column("position", gettext_lazy("Position"), value=lambda s: f"{s.lat:.5f}, {s.lon:.5f}"),
        Column("interval_seconds", gettext_lazy("Expected reporting interval (seconds)")),
        Column("status", gettext_lazy("Status")),
        Column("calibrated_on", gettext_lazy("Last calibrated on")),
        Column("calibration_notes", gettext_lazy("Calibration notes")),
        Column("last_reading_at", gettext_lazy("Last reading"), value=_latest),
    ]
    filters = [
        Filter("kind", gettext_lazy("Kind"), choices=StationKind.choices),
        Filter("status", gettext_lazy("Status"), choices=StationStatus.choices),
        Filter.within(unit_picker),
    ]

    def queryset(self, request):
        return Station.objects.visible_to(request.user).select_related("unit", "agency")

    def label(self, obj):
        return f"{obj.name} ({obj.code})"

    def detail_context(self, request, obj):
        start = (timezone.now() - dt.timedelta(days=7)).replace(microsecond=0).isoformat()
        latest = queries.latest(obj)
        for r in latest:
            query = urlencode({"quantity": r["code"], "resolution": "hourly", "start": start})
            r["series_url"] = f"/api/v1/telemetry/stations/{quote(obj.code)}/series?{query}"
        return {"latest": latest}

    def initial(self, request, obj):
        data = {f: getattr(obj, f) for f in services.STATION_FIELDS}
        return data | {"unit": obj.unit.key, "quantities": [s.quantity for s in obj.sensors.all()]}

    def create(self, request, data):
        return services.register_station(by=request.user, **_fields(data))

    def update(self, request, obj, data):
        return services.update_station(obj, by=request.user, **_fields(data))


def _fields(data: dict) -> dict:
    out = {f: data.get(f) for f in services.STATION_FIELDS if f in data}
    out["calibration_notes"] = out.get("calibration_notes") or ""
    return out | {"quantities": list(data.get("quantities") or [])}


station_pages = StationPages()
