from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "toancanh.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from toancanh.core.collation import register_sqlite

        connection_created.connect(register_sqlite, dispatch_uid="toancanh.collation.vi")

        from toancanh.core.registry import declare
        from toancanh.core.sectors import BUILT_IN as SECTORS

        declare(*SECTORS)

        # Each context registers its background tasks in a ``tasks.py`` module (see core/jobs.py),
        # found here the way Django's admin finds ``admin.py``.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
