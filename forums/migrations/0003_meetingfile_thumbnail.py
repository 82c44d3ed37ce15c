from django.db import migrations, models

import issues.models

# Photos stored before this get their thumbnails from `manage.py fill_thumbnails`, row by row,
# outside the deploy's migration.


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0002_schedule_time_default"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingfile",
            name="thumbnail",
            field=models.ImageField(
                blank=True,
                editable=False,
                storage=issues.models.private_storage,
                upload_to="forums/%Y/%m/small/",
                verbose_name="thumbnail",
            ),
        ),
    ]
