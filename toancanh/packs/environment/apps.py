from toancanh.packs.api import PackConfig


class EnvironmentConfig(PackConfig):
    name = "toancanh.packs.environment"
    label = "environment"
    verbose_name = "Tài nguyên – môi trường"
    demo_order = 120

    def ready(self) -> None:
        super().ready()
        from toancanh.packs.api import Quantity, declare
        from toancanh.packs.environment.quantities import QUANTITIES

        # The quantities the pack's stations measure (quantities.py is plain data; the registry takes them here).
        declare(*(Quantity(**q, pack=self.label) for q in QUANTITIES))
