"""What the forums app offers the other apps: the officer's day, the commander's views, the
desa page, and the demo."""

import datetime
import random

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from forums import selectors
from forums.demo import seed_forums
from forums.models import ActionItem, Forum, Meeting, MeetingProblem, Member
from forums.tests.factories import (
    ActionItemFactory,
    ForumFactory,
    HeldMeetingFactory,
    MeetingFactory,
)
from issues.tests.factories import ProblemFactory
from territory.tests.factories import VillageFactory

NOW = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=datetime.UTC)


def test_next_meeting_for_villages_takes_two_queries_for_any_number_of_desa(area):
    villages = [area.village, area.village_b]
    villages += [
        VillageFactory(code=f"32.04.05.{4000 + n}", district=area.village.district)
        for n in range(20)
    ]
    expected = {}
    for number, village in enumerate(villages[:-1]):
        forum = ForumFactory(village=village)
        expected[village.pk] = MeetingFactory(
            forum=forum, scheduled_at=NOW + datetime.timedelta(days=number + 1)
        )
        MeetingFactory(forum=forum, scheduled_at=NOW + datetime.timedelta(days=40))
        MeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=3))
    with CaptureQueriesContext(connection) as queries:
        result = selectors.next_meeting_for_villages(villages, now=NOW)
        assert {pk: m.forum.village.name for pk, m in result.items()}  # joined, no more queries
    assert len(queries) <= 3  # the forums with their next meeting's id, other desa, meetings
    assert result == expected
    assert villages[-1].pk not in result


def test_an_area_forum_counts_for_each_desa_it_covers(area):
    market = ForumFactory(village=area.village, kind="area")
    market.other_villages.set([area.village_b])
    meeting = MeetingFactory(forum=market, scheduled_at=NOW + datetime.timedelta(days=2))
    result = selectors.next_meeting_for_villages(
        type(area.village).objects.filter(pk__in=[area.village.pk, area.village_b.pk]), now=NOW
    )
    assert result == {area.village.pk: meeting, area.village_b.pk: meeting}


def test_meetings_held_count_follows_the_users_scope(area, officer, kapolsek, officer_elsewhere):
    forum = ForumFactory(village=area.village)
    other = ForumFactory(village=area.village_b)
    HeldMeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=10))
    HeldMeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=100))
    HeldMeetingFactory(forum=other, scheduled_at=NOW - datetime.timedelta(days=5))
    MeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=1))  # planned
    since = NOW - datetime.timedelta(days=30)
    assert selectors.meetings_held_count(officer, since) == 1
    assert selectors.meetings_held_count(kapolsek, since) == 2
    assert selectors.meetings_held_count(kapolsek, since.date()) == 2
    assert selectors.meetings_held_count(officer_elsewhere, since) == 0


def test_open_action_items_for_the_officer_are_those_of_their_desa(
    area, officer, officer_elsewhere
):
    forum = ForumFactory(village=area.village)
    meeting = HeldMeetingFactory(forum=forum)
    late = ActionItemFactory(meeting=meeting, forum=forum, due_on=datetime.date(2026, 1, 1))
    undated = ActionItemFactory(meeting=meeting, forum=forum, due_on=None)
    soon = ActionItemFactory(meeting=meeting, forum=forum, due_on=datetime.date(2026, 4, 1))
    ActionItemFactory(meeting=meeting, forum=forum, status="done")
    ActionItemFactory(
        meeting=HeldMeetingFactory(forum=ForumFactory(village=area.village_elsewhere))
    )
    items = list(selectors.open_action_items_for(officer))
    assert items == [late, soon, undated]
    with CaptureQueriesContext(connection) as queries:
        [(i.forum.village.name, i.meeting.scheduled_at, i.owner_display) for i in items]
    assert len(queries) == 0
    assert all(
        i.forum.village != area.village for i in selectors.open_action_items_for(officer_elsewhere)
    )


# --- The demo -----------------------------------------------------------------------------------


def _signature():
    return (
        sorted(Forum.objects.values_list("name", "decree_number")),
        sorted(Meeting.objects.values_list("forum__name", "scheduled_at", "status")),
        sorted(Member.objects.values_list("forum__name", "name", "role", "left_on")),
        sorted(ActionItem.objects.values_list("what", "status", "due_on")),
    )


@pytest.fixture
def demo_area(area, officer, resident):
    from officers.tests.factories import AssignmentFactory

    AssignmentFactory(officer=officer.officer, village=area.village_b)
    # A reference of its own: the problem the demo raises gets one from its id.
    ProblemFactory(
        village=area.village,
        created_at=NOW - datetime.timedelta(days=50),
        reference="KMT-2025-999999",
    )
    return area


def test_seed_forums_makes_two_years_of_meetings_for_each_assigned_desa(demo_area, resident):
    regency = demo_area.village.district.regency
    created = seed_forums(regency=regency, rng=random.Random(7), now=NOW)
    assert created == 2
    forum = Forum.objects.get(village=demo_area.village)
    assert forum.members.count() >= 8
    assert forum.members.get(role="sekretaris").user == resident
    past = forum.meetings.filter(scheduled_at__lt=NOW)
    assert 23 <= past.count() <= 25
    statuses = set(Meeting.objects.values_list("status", flat=True))
    assert {"held", "cancelled", "missed", "planned"} <= statuses
    assert not past.filter(status="planned", scheduled_at__lt=NOW - datetime.timedelta(days=3))
    held = Meeting.objects.filter(status="held")
    assert all(m.minutes and m.attendance.exists() for m in held)
    assert MeetingProblem.objects.filter(meeting__forum=forum).exists()
    assert ActionItem.objects.filter(status="done").exists()
    assert ActionItem.objects.filter(status="open").exists()


def test_seed_forums_is_deterministic_and_idempotent(demo_area):
    regency = demo_area.village.district.regency
    with transaction.atomic():
        seed_forums(regency=regency, rng=random.Random(7), now=NOW)
        first = _signature()
        transaction.set_rollback(True)
    assert seed_forums(regency=regency, rng=random.Random(7), now=NOW) == 2
    assert _signature() == first
    assert seed_forums(regency=regency, rng=random.Random(8), now=NOW) == 0
    assert _signature() == first
