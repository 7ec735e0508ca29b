from django.urls import path

from toancanh.packs.tests.harbour import views

urlpatterns = [
    path("", views.ports_page, name="harbour-ports"),
    path("ports.geojson", views.ports_geojson, name="harbour-ports-geojson"),
]
