from django.urls import include, path

from toancanh.accounts.views import LoginView, LogoutView
from toancanh.api import api
from toancanh.operations import pages as operations_pages
from toancanh.operations import rule_pages as operations_rule_pages
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
    path("units/<str:key>/", views.unit_page, name="unit"),
    path("sectors/<slug:code>/", views.sector_page, name="sector"),
    path("wall/", views.wall, name="wall"),
    path("indicators/", include("toancanh.indicators.urls")),
    path("ops/stream", operations_stream.stream, name="ops-stream"),
    path("situations/", operations_pages.situation_list, name="situations"),
    path("rules/", operations_rule_pages.rules_page, name="rules"),
    path("situations/<int:pk>/", operations_pages.situation_page, name="situation"),
    path("situations/<int:pk>/act", operations_pages.situation_act, name="situation-act"),
    path("cap/alerts.atom", operations_views.cap_feed, name="cap-feed"),
    path("cap/alerts/<str:identifier>.xml", operations_views.cap_alert, name="cap-alert"),
]
