from django.db import migrations, models

import issues.models


def make_thumbnails(apps, schema_editor):
    from issues.photos import fill_thumbnails

    fill_thumbnails(apps.get_model("issues", "ProblemPhoto"))


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0004_problemphoto_is_public"),
    ]

    operations = [
        migrations.AddField(
            model_name="problemphoto",
            name="thumbnail",
            field=models.ImageField(
                blank=True,
                editable=False,
                storage=issues.models.private_storage,
                upload_to="problems/%Y/%m/small/",
                verbose_name="thumbnail",
            ),
        ),
        migrations.RunPython(make_thumbnails, migrations.RunPython.noop),
    ]
