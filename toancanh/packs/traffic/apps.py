from toancanh.packs.api import PackConfig


class TrafficConfig(PackConfig):
    name = "toancanh.packs.traffic"
    label = "traffic"
    verbose_name = "Giao thông"
