"""The seed list of crime types for the statistics import. Operators edit the list in the
administration afterwards; seeding only adds what is missing, and the reverse removes only
seeded types that no statistic uses yet.

The list is written out here rather than imported so that the migration keeps working
whatever later happens to the app's code."""

from django.db import migrations

# (code, Indonesian name, English name). The codes are what the import's `jenis` column
# holds; curas and curanmor are the abbreviations Polri's own reports use.
CRIME_TYPES = [
    ("pencurian", "Pencurian", "Theft"),
    ("curas", "Pencurian dengan kekerasan", "Robbery (theft with violence)"),
    ("curanmor", "Pencurian kendaraan bermotor", "Motor vehicle theft"),
    ("penganiayaan", "Penganiayaan", "Assault"),
    ("narkoba", "Narkoba", "Drugs"),
    ("penipuan", "Penipuan", "Fraud"),
    ("perjudian", "Perjudian", "Gambling"),
    ("kdrt", "Kekerasan dalam rumah tangga", "Domestic violence"),
    ("kekerasan-seksual", "Kekerasan seksual", "Sexual violence"),
    ("pembunuhan", "Pembunuhan", "Murder"),
    ("perusakan", "Perusakan", "Criminal damage"),
    ("lainnya", "Lainnya", "Other"),
]


def seed(apps, schema_editor):
    CrimeType = apps.get_model("metrics", "CrimeType")
    for position, (code, name, name_en) in enumerate(CRIME_TYPES):
        CrimeType.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "position": position * 10}
        )


def unseed(apps, schema_editor):
    CrimeType = apps.get_model("metrics", "CrimeType")
    CrimeStatistic = apps.get_model("metrics", "CrimeStatistic")
    used = CrimeStatistic.objects.values("crime_type_id")
    CrimeType.objects.filter(code__in=[code for code, _n, _e in CRIME_TYPES]).exclude(
        pk__in=used
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
