from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "toancanh.indicators"
    label = "indicators"
    verbose_name = "Indicators"
