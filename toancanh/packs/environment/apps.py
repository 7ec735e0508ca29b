from toancanh.packs.api import PackConfig


class EnvironmentConfig(PackConfig):
    name = "toancanh.packs.environment"
    label = "environment"
    verbose_name = "Tài nguyên – môi trường"
