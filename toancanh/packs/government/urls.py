from django.urls import include, path

from toancanh.packs.government import views
from toancanh.packs.government.pages import document_pages

urlpatterns = [
    path("", views.sector_page, name="government-sector"),
    path("dossiers/<str:code>/", views.dossier_page, name="government-dossier"),
    path("documents/", include(document_pages.urls())),
    path("tasks/new/", views.task_form, name="government-task-form"),
    path("communes.geojson", views.communes_geojson, name="government-communes-geojson"),
]
