from django.apps import AppConfig


class TelemetryConfig(AppConfig):
    name = "toancanh.telemetry"
    label = "telemetry"
    verbose_name = "Telemetry: stations and readings"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from toancanh.core.registry import ConnectorKind, NavEntry, declare
        from toancanh.telemetry.connectors import ReadingsFileDrop
        from toancanh.telemetry.mqtt import MqttReadings
        from toancanh.telemetry.permissions import TELEMETRY_VIEW, declarations

        declare(
            *declarations(),
            ConnectorKind("telemetry.file", _("Station logger files (CSV, Excel)"), ReadingsFileDrop),
            ConnectorKind("telemetry.mqtt", _("Station loggers over MQTT"), MqttReadings),
            NavEntry("telemetry-stations", _("Monitoring stations"), "/telemetry/stations/", TELEMETRY_VIEW, None, 60),
        )
