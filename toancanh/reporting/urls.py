from django.urls import path

from toancanh.reporting import views

urlpatterns = [
    path("", views.submissions, name="reporting"),
    path("open/", views.open_report, name="reporting-open"),
    path("monitoring/", views.monitoring, name="reporting-monitoring"),
    path("<str:regime>/<str:unit>/<str:period>/", views.entry, name="reporting-entry"),
]
