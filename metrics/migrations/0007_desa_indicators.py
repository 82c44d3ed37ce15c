"""The desa's indicators move to one row per desa and month (`DesaIndicators`), the rows above
the desa stay in the narrow table (renamed `metrics_areaindicatorvalue`), and
`metrics_indicatorvalue` becomes a view over both with triggers that write through it
(`metrics.desa_table`). At national scale (40 million rows) the move takes minutes with the
tables locked: migrate outside working hours, see the README.
"""

import django.utils.timezone
from django.db import migrations, models

from metrics import desa_table

# The desa indicators of the catalogue when this migration was written: a migration that
# adds one builds the view and the triggers again with its own list.
KEYS = [
    "coverage_pct",
    "desa_per_officer",
    "visits_per_officer_week",
    "desa_visited_pct",
    "forums_met_90d_pct",
    "meetings_held_pct",
    "attendance_mean",
    "women_pct",
    "vulnerable_pct",
    "sectors_mean",
    "first_time_attendees",
    "problems_per_meeting",
    "resident_raised_pct",
    "response_hours_median",
    "response_48h_pct",
    "overdue_open",
    "past_analysis_pct",
    "days_new_median",
    "days_verified_median",
    "days_analysis_median",
    "days_response_median",
    "days_assessment_median",
    "carried_reviewed_pct",
    "fixed_yes_pct",
    "reopen_pct",
    "rating_mean",
    "community_solved_pct",
    "trust_pct",
    "satisfaction_pct",
    "safe_night_pct",
    "knows_forum_pct",
    "crimes_reported",
    "crimes_cleared",
    "crimes_per_10k",
    "clearance_pct",
]

LEVELS = [
    ("desa", "Desa"),
    ("polsek", "Polsek"),
    ("polres", "Polres"),
    ("polda", "Polda"),
    ("nation", "Nation"),
]


def rename(old: str, new: str):
    def run(apps, schema_editor):
        schema_editor.execute(f"ALTER TABLE {old} RENAME TO {new}")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER INDEX {old}_pkey RENAME TO {new}_pkey")

    return run


def to_view(apps, schema_editor):
    desa_table.fold(schema_editor, KEYS)
    desa_table.create(schema_editor, KEYS)


def from_view(apps, schema_editor):
    desa_table.drop(schema_editor)
    desa_table.unfold(schema_editor, KEYS)


def row_fields():
    return [
        ("indicator", models.CharField(max_length=40, verbose_name="indicator")),
        ("level", models.CharField(choices=LEVELS, max_length=10, verbose_name="level")),
        ("area_code", models.CharField(max_length=20, verbose_name="area code")),
        ("month", models.DateField(verbose_name="month")),
        ("value", models.FloatField(null=True, verbose_name="value")),
        ("numerator", models.FloatField(null=True, verbose_name="numerator")),
        ("denominator", models.FloatField(null=True, verbose_name="denominator")),
        (
            "computed_at",
            models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="computed at"
            ),
        ),
        (
            "pk",
            models.CompositePrimaryKey(
                "level",
                "month",
                "area_code",
                "indicator",
                blank=True,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
    ]


def desa_fields():
    fields = [
        ("month", models.DateField(verbose_name="month")),
        ("area_code", models.CharField(max_length=20, verbose_name="desa code")),
        (
            "pk",
            models.CompositePrimaryKey(
                "month",
                "area_code",
                blank=True,
                editable=False,
                primary_key=True,
                serialize=False,
            ),
        ),
    ]
    for key in KEYS:
        fields += [
            (key, models.FloatField(null=True)),
            (f"{key}_num", models.FloatField(null=True)),
            (f"{key}_den", models.FloatField(null=True)),
            (f"{key}_at", models.DateTimeField(null=True)),
        ]
    return fields


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0006_indicator_value_composite_key"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunPython(
                    rename("metrics_indicatorvalue", "metrics_areaindicatorvalue"),
                    rename("metrics_areaindicatorvalue", "metrics_indicatorvalue"),
                )
            ],
            state_operations=[
                migrations.RenameModel("IndicatorValue", "AreaIndicatorValue"),
                migrations.AlterModelOptions(
                    name="areaindicatorvalue",
                    options={
                        "verbose_name": "indicator value of an area",
                        "verbose_name_plural": "indicator values of areas",
                    },
                ),
            ],
        ),
        migrations.CreateModel(
            name="DesaIndicators",
            fields=desa_fields(),
            options={
                "verbose_name": "indicators of a desa",
                "verbose_name_plural": "indicators of desa",
            },
        ),
        migrations.CreateModel(
            name="IndicatorValue",
            fields=row_fields(),
            options={
                "verbose_name": "indicator value",
                "verbose_name_plural": "indicator values",
                "db_table": "metrics_indicatorvalue",
                "managed": False,
            },
        ),
        migrations.RunPython(to_view, from_view),
    ]
