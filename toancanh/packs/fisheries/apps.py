from toancanh.packs.api import PackConfig


class FisheriesConfig(PackConfig):
    name = "toancanh.packs.fisheries"
    label = "fisheries"
    verbose_name = "Thủy sản"
