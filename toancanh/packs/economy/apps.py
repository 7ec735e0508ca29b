from toancanh.packs.api import PackConfig


class EconomyConfig(PackConfig):
    name = "toancanh.packs.economy"
    label = "economy"
    verbose_name = "Kinh tế – xã hội"
