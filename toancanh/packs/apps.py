from django.apps import AppConfig


class PacksConfig(AppConfig):
    """Installed after every context and pack: when its turn comes, all have declared what they
    add, and the registry is frozen for the life of the process."""

    name = "toancanh.packs"
    label = "packs"
    verbose_name = "Packs"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from toancanh.core.registry import freeze

        freeze()
        # Sent once per app that has models: the core's is the one to hang this on.
        post_migrate.connect(_declared_sectors, sender=self.apps.get_app_config("core"))


def _declared_sectors(**kwargs) -> None:
    """Sectors that packs declare exist as rows (added, never removed: figures may refer to them)."""
    from toancanh.core.models import Sector
    from toancanh.core.registry import SectorDecl, registry

    for s in registry.all(SectorDecl):
        Sector.objects.get_or_create(
            code=s.code, defaults={"name_vi": s.name_vi, "name_en": s.name_en, "order": s.order}
        )
