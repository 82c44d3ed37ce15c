"""The computed rows by crime type keep their crime type without a constraint in the database: on
PostgreSQL the constraint is dropped and the rows stay. Dropping it takes a short exclusive lock
on the table, which waits for a month being recomputed (and the dashboards' reads wait behind
it): migrate when no recompute runs."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0007_desa_indicators"),
    ]

    operations = [
        migrations.AlterField(
            model_name="crimetypevalue",
            name="crime_type",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="metrics.crimetype",
                verbose_name="crime type",
            ),
        ),
    ]
