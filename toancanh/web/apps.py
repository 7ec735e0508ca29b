from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "toancanh.web"
    label = "web"
    verbose_name = "Web shell"
