from django.urls import include, path

from toancanh.units.pages import agency_pages, agency_picker, unit_picker
from toancanh.units.unit_pages import any_unit_picker, import_units, succession_pages, unit_pages, upload_boundary

urlpatterns = [
    path("pick/units/", unit_picker.as_view(), name="unit-picker"),
    path("pick/units/any/", any_unit_picker.as_view(), name="unit-any-picker"),
    path("pick/agencies/", agency_picker.as_view(), name="agency-picker"),
    path("agencies/", include(agency_pages.urls())),
    path("unit-tree/import/", import_units, name="unit-import"),
    path("unit-tree/<int:pk>/boundary/", upload_boundary, name="unit-boundary"),
    path("unit-tree/", include(unit_pages.urls())),  # /units/<key>/ is the unit's dashboard
    path("successions/", include(succession_pages.urls())),
]
