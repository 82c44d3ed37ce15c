from django.db import migrations, models

import issues.models


def make_thumbnails(apps, schema_editor):
    from issues.photos import fill_thumbnails

    fill_thumbnails(apps.get_model("forums", "MeetingFile"))


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0002_schedule_time_default"),
        ("issues", "0005_problemphoto_thumbnail"),
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
        migrations.RunPython(make_thumbnails, migrations.RunPython.noop),
    ]
