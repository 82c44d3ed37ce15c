from django.db import migrations

from issues.categories import seed_categories


def seed(apps, schema_editor):
    seed_categories(apps.get_model("issues", "Category"))


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
