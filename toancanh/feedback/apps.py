from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "toancanh.feedback"
    label = "feedback"
    verbose_name = "Citizen field reports"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from toancanh.core.registry import DemoBuilder, NavEntry, declare
        from toancanh.feedback.demo import build as build_demo
        from toancanh.feedback.layers import layers
        from toancanh.feedback.permissions import FEEDBACK_MANAGE, FEEDBACK_VIEW, declarations

        declare(
            *declarations(),
            *layers(),
            DemoBuilder("feedback", build_demo, order=50),
            NavEntry("feedback-reports", _("Citizen reports"), "/feedback/reports/", FEEDBACK_VIEW, "feedback", 20),
            NavEntry(
                "feedback-stats",
                _("Statistics of citizen reports"),
                "/feedback/statistics/",
                FEEDBACK_VIEW,
                "feedback",
                21,
            ),
            NavEntry(
                "feedback-categories", _("Report categories"), "/feedback/categories/", FEEDBACK_MANAGE, "feedback", 22
            ),
            NavEntry(
                "feedback-rules", _("Routing rules of reports"), "/feedback/rules/", FEEDBACK_MANAGE, "feedback", 23
            ),
            NavEntry(
                "feedback-locks", _("Locked citizen accounts"), "/feedback/locks/", FEEDBACK_MANAGE, "feedback", 24
            ),
            NavEntry(
                "feedback-settings",
                _("Report handling settings"),
                "/feedback/settings/",
                FEEDBACK_MANAGE,
                "feedback",
                25,
            ),
        )
