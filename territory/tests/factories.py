import factory

from territory.models import District, PoliceUnit, Province, Regency, Village
from territory.timezones import timezone_for_code


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = "32"
    name = "Jawa Barat"


class PoldaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceUnit
        django_get_or_create = ["code"]

    kind = PoliceUnit.Kind.POLDA
    code = factory.Sequence(lambda n: f"POLDA-{n}")
    name = factory.Sequence(lambda n: f"Polda {n}")
    timezone = factory.LazyAttribute(lambda unit: timezone_for_code(unit.code[-2:]))


class PolresFactory(PoldaFactory):
    kind = PoliceUnit.Kind.POLRES
    code = factory.Sequence(lambda n: f"POLRES-{n}")
    name = factory.Sequence(lambda n: f"Polres {n}")
    parent = factory.SubFactory(PoldaFactory)
    timezone = factory.SelfAttribute("parent.timezone")


class PolsekFactory(PoldaFactory):
    kind = PoliceUnit.Kind.POLSEK
    code = factory.Sequence(lambda n: f"POLSEK-{n}")
    name = factory.Sequence(lambda n: f"Polsek {n}")
    parent = factory.SubFactory(PolresFactory)
    timezone = factory.SelfAttribute("parent.timezone")


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Regency

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"32.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kab. Contoh {n}")
    kind = Regency.Kind.KABUPATEN


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    regency = factory.SubFactory(RegencyFactory)
    code = factory.Sequence(lambda n: f"32.01.{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Kecamatan {n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    district = factory.SubFactory(DistrictFactory)
    polsek = factory.SubFactory(PolsekFactory)
    code = factory.Sequence(lambda n: f"32.01.01.{2000 + n % 8000:04d}")
    name = factory.Sequence(lambda n: f"Sukamaju {n}")
    kind = Village.Kind.DESA
