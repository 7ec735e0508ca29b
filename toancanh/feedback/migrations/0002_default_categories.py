from django.db import migrations


def seed(apps, schema_editor):
    from toancanh.feedback.catalogue import seed as seed_categories

    seed_categories(apps.get_model("feedback", "Category"), apps.get_model("feedback", "HandlingSettings"))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
