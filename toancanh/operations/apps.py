from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "toancanh.operations"
    label = "operations"
    verbose_name = "Operations"
