"""The administrator's pages of the indicators context: the catalogue and the yearly targets."""

from django.urls import include, path

from toancanh.indicators.pages import catalogue_pages, check_formula, indicator_picker, target_pages

urlpatterns = [
    path("pick/indicators/", indicator_picker.as_view(), name="indicator-picker"),
    path("catalogue/indicators/check-formula/", check_formula, name="catalogue-check-formula"),
    path("catalogue/indicators/", include(catalogue_pages.urls())),
    path("catalogue/targets/", include(target_pages.urls())),
]
