import datetime

import factory

from metrics.models import (
    CrimeStatistic,
    CrimeType,
    CrimeTypeValue,
    IndicatorValue,
    SurveyResponse,
)
from territory.tests.factories import VillageFactory


class CrimeTypeFactory(factory.django.DjangoModelFactory):
    """Matched by code, so `CrimeTypeFactory(code="pencurian")` returns the seeded type."""

    class Meta:
        model = CrimeType
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"jenis-{n}")
    name = factory.Sequence(lambda n: f"Jenis {n}")
    name_en = factory.Sequence(lambda n: f"Type {n}")
    position = factory.Sequence(lambda n: 1000 + n)


class CrimeStatisticFactory(factory.django.DjangoModelFactory):
    """A desa row by default (its Polsek follows the desa); for a Polsek-only row pass
    `village=None, polsek=<unit>`."""

    class Meta:
        model = CrimeStatistic

    month = datetime.date(2026, 1, 1)
    village = factory.SubFactory(VillageFactory)
    polsek = factory.LazyAttribute(lambda row: row.village.polsek)
    crime_type = factory.SubFactory(CrimeTypeFactory)
    reported = 3
    cleared = 1


class SurveyResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyResponse

    village = factory.SubFactory(VillageFactory)
    quarter = datetime.date(2026, 1, 1)
    respondent_key = factory.Sequence(lambda n: f"{n:064x}")
    trust = 4
    satisfaction = 4
    safe_at_night = 3
    knows_forum = 2


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    """A desa's value by default; pass level and area_code for a unit or the nation."""

    class Meta:
        model = IndicatorValue

    indicator = "coverage_pct"
    level = IndicatorValue.Level.VILLAGE
    area_code = factory.Sequence(lambda n: f"32.04.05.{2000 + n % 8000:04d}")
    month = datetime.date(2026, 1, 1)
    value = 50.0
    numerator = 1.0
    denominator = 2.0


class CrimeTypeValueFactory(factory.django.DjangoModelFactory):
    """A computed row of the breakdown by crime type; a Polsek's by default."""

    class Meta:
        model = CrimeTypeValue

    level = IndicatorValue.Level.POLSEK
    area_code = "POLSEK-32.04.05"
    month = datetime.date(2026, 1, 1)
    crime_type = factory.SubFactory(CrimeTypeFactory)
    reported = 3
    cleared = 1
