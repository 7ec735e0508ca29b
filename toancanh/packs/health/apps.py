from toancanh.packs.api import PackConfig


class HealthConfig(PackConfig):
    name = "toancanh.packs.health"
    label = "health"
    verbose_name = "Y tế"
