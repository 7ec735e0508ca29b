from toancanh.packs.api import PackConfig


class EnvironmentConfig(PackConfig):
    name = "toancanh.packs.environment"
    label = "environment"
    verbose_name = "Tài nguyên – môi trường"
    demo_order = 120

    def ready(self) -> None:
        super().ready()
        from toancanh.packs.api import Quantity, ReadingsHook, declare
        from toancanh.packs.environment.quantities import QUANTITIES

        # The quantities the pack's stations measure (quantities.py is plain data; the registry takes them here).
        declare(*(Quantity(**q, pack=self.label) for q in QUANTITIES))

        def floods_watch(readings):  # imported at the first batch: models are not loaded at start-up
            from toancanh.packs.environment import floodwatch

            floodwatch.handle(readings)

        declare(ReadingsHook("environment.floods", ("water_level", "rainfall"), floods_watch, pack=self.label))
