from django.urls import include, path

from toancanh.accounts.views import LoginView, LogoutView
from toancanh.api import api
from toancanh.core.registry import Routes, registry
from toancanh.operations import stream as operations_stream
from toancanh.operations import views as operations_views
from toancanh.web import views

urlpatterns = [
    path("api/v1/", api.urls),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("theme/", views.set_theme, name="set-theme"),
    path("", views.home, name="home"),
    path("overview/", views.glance, name="glance"),
    path("overview/brief.pdf", views.brief_pdf, name="brief-pdf"),
    path("units/<str:key>/", views.unit_page, name="unit"),
    path("sectors/<slug:code>/", views.sector_page, name="sector"),
    path("wall/", views.wall, name="wall"),
    path("indicators/", include("toancanh.indicators.urls")),
    path("reporting/", include("toancanh.reporting.urls")),
    path("", include("toancanh.indicators.page_urls")),
    path("", include("toancanh.units.urls")),
    path("", include("toancanh.accounts.urls")),
    path("", include("toancanh.core.urls")),
    path("ops/stream", operations_stream.stream, name="ops-stream"),
    path("", include("toancanh.operations.urls")),
    path("", include("toancanh.feedback.urls")),
    path("telemetry/", include("toancanh.telemetry.urls")),
    path("cap/alerts.atom", operations_views.cap_feed, name="cap-feed"),
    path("cap/alerts/<str:identifier>.xml", operations_views.cap_alert, name="cap-alert"),
]

# Each pack's pages, under its prefix.
urlpatterns += [path(f"{r.prefix}/", include(r.urls)) for r in registry.all(Routes) if r.urls]
