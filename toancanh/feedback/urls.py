"""The feedback context's addresses: Open311, the citizens' app, the staff pages."""

from django.urls import include, path, re_path

from toancanh.feedback import citizen, layers, open311, phone_login
from toancanh.feedback.pages import answer_view, report_pages
from toancanh.feedback.setup_pages import category_pages, lock_pages, rule_pages, settings_pages, stats_view

FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^open311/v2/discovery" + FMT, open311.discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FMT, open311.service_list, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<code>[\w.]{1,60})" + FMT, open311.service_definition, name="open311-service"),
    re_path(r"^open311/v2/requests" + FMT, open311.requests_view, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<code>[\w-]{1,40})" + FMT, open311.request_detail, name="open311-request"),
    re_path(r"^open311/v2/tokens/(?P<token>[\w-]{1,64})" + FMT, open311.token_view, name="open311-token"),
    path("phan-anh/", citizen.app, name="feedback-app"),
    path("phan-anh/gui/", citizen.submit, name="feedback-submit"),
    path("phan-anh/goi-y/", citizen.suggest, name="feedback-suggest"),
    path("phan-anh/vi-tri/", citizen.locate, name="feedback-locate"),
    path("phan-anh/trung/", citizen.nearby_open, name="feedback-dupes"),
    path("phan-anh/theo-doi/<str:code>/", citizen.follow, name="feedback-follow"),
    path("phan-anh/tra-cuu/", citizen.lookup, name="feedback-lookup"),
    path("phan-anh/tra-cuu/<str:code>/", citizen.status, name="feedback-status"),
    path("phan-anh/tra-cuu/<str:code>/danh-gia/", citizen.rate, name="feedback-rate"),
    path("phan-anh/tra-cuu/<str:code>/mo-lai/", citizen.reopen, name="feedback-reopen"),
    path("phan-anh/gan-day/", citizen.nearby, name="feedback-nearby"),
    path("phan-anh/ban-do.json", citizen.map_data, name="feedback-map"),
    path("phan-anh/anh/<int:pk>.jpg", citizen.photo, name="feedback-photo"),
    path("phan-anh/manifest.webmanifest", citizen.manifest, name="feedback-manifest"),
    path("phan-anh/sw.js", citizen.service_worker, name="feedback-sw"),
    path("phan-anh/dang-nhap/", phone_login.sign_in, name="feedback-sign-in"),
    path("feedback/reports/<int:pk>/answer/", answer_view, name="feedback-answer"),
    path("feedback/reports.geojson", layers.open_reports_geojson, name="feedback-layer"),
    path("feedback/reports/", include(report_pages.urls())),
    path("feedback/categories/", include(category_pages.urls())),
    path("feedback/rules/", include(rule_pages.urls())),
    path("feedback/settings/", include(settings_pages.urls())),
    path("feedback/locks/", include(lock_pages.urls())),
    path("feedback/statistics/", stats_view, name="feedback-stats"),
]
