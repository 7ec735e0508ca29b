from django.urls import include, path

from toancanh.core import calendar_pages, connector_views, views
from toancanh.core.audit_pages import audit_pages

urlpatterns = [
    path("audit/", include(audit_pages.urls())),
    path("calendar/", include(calendar_pages.urls())),
    path("connectors/", connector_views.connector_list, name="connectors"),
    path("connectors/<int:pk>/act", connector_views.connector_act, name="connector-act"),
    path("jobs/", views.jobs_page, name="jobs"),
]
