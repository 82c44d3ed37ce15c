"""Forum fixtures on top of the shared role fixtures: the FKPM of `area.village` with a sitting
secretary (a resident who signs in), a chair and members, and one held meeting."""

import pytest

from accounts.tests.factories import UserFactory
from forums.models import Member
from forums.tests.factories import ForumFactory, HeldMeetingFactory, MemberFactory


@pytest.fixture
def forum(area):
    return ForumFactory(village=area.village, name="FKPM Cileunyi Kulon")


@pytest.fixture
def secretary(area, forum):
    user = UserFactory(email="sekretaris@example.org", name="Bu Sekretaris", village=area.village)
    MemberFactory(
        forum=forum,
        user=user,
        name=user.name,
        role=Member.Role.SECRETARY,
        sector=Member.Sector.WOMEN,
        gender=Member.Gender.FEMALE,
    )
    return user


@pytest.fixture
def members(forum):
    return [
        MemberFactory(forum=forum, name="Pak Ketua", role=Member.Role.CHAIR),
        MemberFactory(forum=forum, name="Ustaz Hasan", sector=Member.Sector.RELIGIOUS),
        MemberFactory(
            forum=forum, name="Teh Euis", sector=Member.Sector.YOUTH, gender=Member.Gender.FEMALE
        ),
    ]


@pytest.fixture
def held_meeting(forum, members):
    meeting = HeldMeetingFactory(forum=forum)
    meeting.members_present.set(members[:2])
    return meeting
