from toancanh.packs.api import PackConfig


class GovernmentConfig(PackConfig):
    name = "toancanh.packs.government"
    label = "government"
    verbose_name = "Chính quyền số – hành chính công"
