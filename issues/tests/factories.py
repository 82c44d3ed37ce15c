import factory
from django.utils import timezone

from issues.models import Category, Problem
from issues.workflow import Status
from territory.tests.factories import VillageFactory

TRACKING_CODE = "ABCDE-FGHJK"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["code"]

    code = "pencurian"
    name = "Pencurian"
    name_en = "Theft"


class ProblemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Problem

    # Far above the references `problem_file` gives (by id, from 000001): a test that files
    # problems and builds some here must not meet its own first reference twice.
    reference = factory.Sequence(lambda n: f"KMT-2026-{n + 500001:06d}")
    village = factory.SubFactory(VillageFactory)
    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Motor hilang di pos ronda {n}")
    description = "Sepeda motor hilang dari depan pos ronda RT 03 tadi malam."
    consent_at = factory.LazyFunction(timezone.now)
    tracking_code_hash = Problem.hash_tracking_code(TRACKING_CODE)
    status = Status.NEW
    contact_name = "Pak Ujang"
    contact_email = "ujang@example.org"
