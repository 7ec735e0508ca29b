"""The telemetry context's pages, under /telemetry/."""

from django.urls import include, path

from toancanh.telemetry.pages import station_pages

urlpatterns = [path("stations/", include(station_pages.urls()))]
