"""The photos filed with a public report were shown on its public page, against the privacy
notice the reporter agreed to (a public report shows only its category, title, status and the
officers' public notes): none is public any more."""

from django.db import migrations


def photos_private(apps, schema_editor):
    apps.get_model("issues", "ProblemPhoto").objects.filter(is_public=True).update(
        is_public=False
    )


class Migration(migrations.Migration):
    dependencies = [("issues", "0007_problemevent_problem_time")]

    operations = [migrations.RunPython(photos_private, migrations.RunPython.noop, elidable=True)]
