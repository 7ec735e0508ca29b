from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "toancanh.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        from toancanh.core.registry import SectorDecl, declare

        # The sector of the reporting system's operations events (reports overdue), so that
        # rules and subscriptions can pick them out.
        declare(SectorDecl("reporting", "Chế độ báo cáo", "Reporting", order=120))

        from toancanh.reporting.panels import PANELS

        declare(*PANELS)  # the reporting status on the wall and the leader's home
