from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "toancanh.core"
    label = "core"
    verbose_name = "Core"
