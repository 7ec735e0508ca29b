"""The pages of operations, in one place: the alert inbox, situations, notifications, alert rules, public
warnings, situation types and their procedures, notification channels and subscriptions."""

from django.urls import include, path

from toancanh.operations.alert_pages import alert_pages, notification_pages, read_notifications
from toancanh.operations.channel_pages import channel_pages, subscription_pages
from toancanh.operations.procedure_pages import situation_type_pages
from toancanh.operations.rule_pages import rule_pages
from toancanh.operations.situation_pages import situation_act, situation_pages
from toancanh.operations.warning_pages import warning_pages

urlpatterns = [
    path("alerts/", include(alert_pages.urls())),
    path("situations/", include(situation_pages.urls())),
    path("situations/<int:pk>/act", situation_act, name="situation-act"),
    path("notifications/read", read_notifications, name="notification-read"),
    path("notifications/", include(notification_pages.urls())),
    path("rules/", include(rule_pages.urls())),
    path("warnings/", include(warning_pages.urls())),
    path("procedures/", include(situation_type_pages.urls())),
    path("channels/", include(channel_pages.urls())),
    path("subscriptions/", include(subscription_pages.urls())),
]
