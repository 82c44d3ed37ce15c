import datetime

import factory

from accounts.models import User
from accounts.tests.factories import UserFactory
from officers.models import Assignment, Officer, Rank
from territory.tests.factories import PolsekFactory, VillageFactory


class OfficerFactory(factory.django.DjangoModelFactory):
    """A Bhabinkamtibmas by default; pass user__role and a unit of the matching kind for
    other police roles."""

    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory, role=User.Role.OFFICER)
    nrp = factory.Sequence(lambda n: f"{80000000 + n}")
    rank = Rank.BRIPKA
    unit = factory.SubFactory(PolsekFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    officer = factory.SubFactory(OfficerFactory)
    village = factory.SubFactory(VillageFactory)
    is_primary = True
    starts_on = factory.LazyFunction(lambda: datetime.date(2025, 1, 1))
