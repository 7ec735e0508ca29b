from toancanh.packs.api import PackConfig


class TourismConfig(PackConfig):
    name = "toancanh.packs.tourism"
    label = "tourism"
    verbose_name = "Du lịch"
