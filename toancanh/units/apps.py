from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "toancanh.units"
    label = "units"
    verbose_name = "Administrative units"
