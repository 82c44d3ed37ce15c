from django.db import migrations, models

import issues.models


def make_thumbnails(apps, schema_editor):
    """The photos stored before thumbnails existed get theirs. A file that is gone or cannot
    be read keeps none: the page then shows the photo itself."""
    from issues.photos import thumbnail_of

    ProblemPhoto = apps.get_model("issues", "ProblemPhoto")
    for photo in ProblemPhoto.objects.filter(thumbnail="").iterator():
        try:
            with photo.image.open("rb") as image:
                thumbnail = thumbnail_of(image.read())
        except Exception:  # noqa: BLE001 - a missing or broken file must not stop the migration
            continue
        photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
        photo.save(update_fields=["thumbnail"])


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
