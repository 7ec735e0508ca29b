from django.db import migrations


# The sectors as they were when this migration was written; they are declared by the core and the
# packs now (SectorDecl), and created at every migrate from the registry.
DEFAULT_SECTORS = [
    ("economy", "Kinh tế – xã hội", "Socio-economy"),
    ("government", "Chính quyền số – hành chính công", "Government performance"),
    ("health", "Y tế", "Health"),
    ("education", "Giáo dục", "Education"),
    ("public-order", "An ninh trật tự", "Public order"),
    ("traffic", "Giao thông", "Traffic"),
    ("cyber", "An toàn thông tin", "Cyber security"),
    ("fisheries", "Thủy sản", "Fisheries"),
    ("tourism", "Du lịch", "Tourism"),
    ("environment", "Tài nguyên – môi trường", "Natural resources and environment"),
    ("feedback", "Phản ánh hiện trường", "Citizen reports"),
]


def seed_sectors(apps, schema_editor):
    Sector = apps.get_model("core", "Sector")
    for order, (code, vi, en) in enumerate(DEFAULT_SECTORS, start=1):
        Sector.objects.update_or_create(code=code, defaults={"name_vi": vi, "name_en": en, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed_sectors, migrations.RunPython.noop)]
