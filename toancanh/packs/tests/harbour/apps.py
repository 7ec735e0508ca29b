from toancanh.packs.api import PackConfig


class HarbourConfig(PackConfig):
    name = "toancanh.packs.tests.harbour"
    label = "harbour"
    verbose_name = "Cảng cá (test pack)"
