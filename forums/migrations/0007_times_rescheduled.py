from django.db import migrations, models
from django.db.models import F


def count_the_moves_so_far(apps, schema_editor):
    # A meeting moved before the count existed has moved at least once.
    Meeting = apps.get_model("forums", "Meeting")
    Meeting.objects.filter(rescheduled_from__isnull=False).update(
        times_rescheduled=F("times_rescheduled") + 1
    )


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0006_meeting_rescheduling"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="times_rescheduled",
            field=models.PositiveSmallIntegerField(
                default=0, editable=False, verbose_name="times rescheduled"
            ),
        ),
        migrations.RunPython(count_the_moves_so_far, migrations.RunPython.noop),
    ]
