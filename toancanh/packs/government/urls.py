from django.urls import path

from toancanh.packs.government import views

urlpatterns = [
    path("", views.sector_page, name="government-sector"),
    path("dossiers/<str:code>/", views.dossier_page, name="government-dossier"),
    path("tasks/new/", views.task_form, name="government-task-form"),
    path("communes.geojson", views.communes_geojson, name="government-communes-geojson"),
]
