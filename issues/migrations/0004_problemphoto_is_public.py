import datetime

from django.db import migrations, models
from django.db.models import F


def mark_filing_photos_public(apps, schema_editor):
    """Photos saved with a public report belong to it; later additions stay private. Filing is
    one transaction, so its photos are at most seconds younger than the problem, while the
    reporter can add more only after reading the tracking code. Privately filed reports keep
    their photos private even if they were made public later."""
    ProblemPhoto = apps.get_model("issues", "ProblemPhoto")
    ProblemPhoto.objects.filter(
        uploaded_by_reporter=True,
        problem__is_private=False,
        created_at__lt=F("problem__created_at") + datetime.timedelta(minutes=1),
    ).update(is_public=True)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0003_problem_resolution"),
    ]

    operations = [
        migrations.AddField(
            model_name="problemphoto",
            name="is_public",
            field=models.BooleanField(default=False, verbose_name="shown on public pages"),
        ),
        migrations.RunPython(mark_filing_photos_public, migrations.RunPython.noop),
    ]
