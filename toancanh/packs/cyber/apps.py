from toancanh.packs.api import PackConfig


class CyberConfig(PackConfig):
    name = "toancanh.packs.cyber"
    label = "cyber"
    verbose_name = "An toàn thông tin"
