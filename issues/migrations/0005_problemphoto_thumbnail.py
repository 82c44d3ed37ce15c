from django.db import migrations, models

import issues.models

# Photos stored before this get their thumbnails from `manage.py fill_thumbnails`, row by row,
# outside the deploy's migration.


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
    ]
