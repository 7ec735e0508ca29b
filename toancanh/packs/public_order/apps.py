from toancanh.packs.api import PackConfig


class PublicOrderConfig(PackConfig):
    name = "toancanh.packs.public_order"
    label = "public_order"
    verbose_name = "An ninh trật tự"
