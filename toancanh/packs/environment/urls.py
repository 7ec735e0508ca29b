from django.urls import path

from toancanh.packs.environment import views

urlpatterns = [
    path("", views.overview, name="environment-overview"),
    path("stations.geojson", views.stations_geojson, name="environment-stations-geojson"),
]
