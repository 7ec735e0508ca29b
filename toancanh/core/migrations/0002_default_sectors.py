from django.db import migrations


def seed_sectors(apps, schema_editor):
    from toancanh.core.sectors import DEFAULT_SECTORS

    Sector = apps.get_model("core", "Sector")
    for order, (code, vi, en) in enumerate(DEFAULT_SECTORS, start=1):
        Sector.objects.update_or_create(code=code, defaults={"name_vi": vi, "name_en": en, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed_sectors, migrations.RunPython.noop)]
