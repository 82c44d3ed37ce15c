"""Families 3, 4, 5 (problems per meeting) and 8: the FKPM's meetings."""

import pytest

from forums.models import Attendance, Meeting, MeetingProblem, Member
from forums.tests.factories import ForumFactory, HeldMeetingFactory, MeetingFactory, MemberFactory
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from metrics.tests.compute_helpers import FEB, JAN, MAR, at, compute, row, value


def test_forums_that_met_count_a_meeting_held_in_the_90_days_before_the_month_end(area):
    met = ForumFactory(village=area.village, created_at=at("2025-01-01"))
    HeldMeetingFactory(forum=met, scheduled_at=at("2025-12-10", "19:00"))
    quiet = ForumFactory(village=area.village_b, created_at=at("2025-01-01"))
    HeldMeetingFactory(forum=quiet, scheduled_at=at("2025-11-10", "19:00"))
    compute(FEB)
    assert value("forums_met_90d_pct", area.village.code) == 100
    assert value("forums_met_90d_pct", area.village_b.code) == 0
    assert row("forums_met_90d_pct", area.polsek.code) == (50, 1, 2)
    # No forum, nothing to count.
    assert value("forums_met_90d_pct", area.village_elsewhere.code) is None


def test_meetings_held_leave_out_the_planned_ones_not_yet_recorded(area):
    forum = ForumFactory(village=area.village)
    HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-03", "19:00"))
    MeetingFactory(
        forum=forum, scheduled_at=at("2026-02-10", "19:00"), status=Meeting.Status.MISSED
    )
    MeetingFactory(
        forum=forum, scheduled_at=at("2026-02-17", "19:00"), status=Meeting.Status.CANCELLED
    )
    MeetingFactory(
        forum=forum, scheduled_at=at("2026-02-27", "19:00"), status=Meeting.Status.PLANNED
    )
    compute(FEB)
    assert row("meetings_held_pct", area.village.code) == (pytest.approx(33.333333), 1, 3)


def _attend(meeting, *members):
    for member in members:
        Attendance.objects.create(meeting=meeting, member=member)


def test_participation_counts_members_present_and_other_residents(area):
    forum = ForumFactory(village=area.village)
    woman = MemberFactory(forum=forum, gender=Member.Gender.FEMALE, sector=Member.Sector.WOMEN)
    youth = MemberFactory(forum=forum, sector=Member.Sector.YOUTH)
    rt = MemberFactory(forum=forum, sector=Member.Sector.RT_RW)
    meeting = HeldMeetingFactory(
        forum=forum,
        scheduled_at=at("2026-02-10", "19:00"),
        other_men=2,
        other_women=1,
        other_by_group={"elderly": 2, "disability": 1},
    )
    _attend(meeting, woman, youth, rt)
    compute(FEB)
    # 3 members and 3 other residents.
    assert row("attendance_mean", area.village.code) == (6, 6, 1)
    # One woman member and one other woman.
    assert row("women_pct", area.village.code) == (pytest.approx(33.333333), 2, 6)
    # The youth member, two elderly residents, one resident with a disability.
    assert row("vulnerable_pct", area.village.code) == (pytest.approx(66.666667), 4, 6)
    assert value("sectors_mean", area.village.code) == 3


def test_first_time_attendees_are_members_at_their_first_held_meeting(area):
    forum = ForumFactory(village=area.village)
    old, new = MemberFactory(forum=forum), MemberFactory(forum=forum)
    _attend(HeldMeetingFactory(forum=forum, scheduled_at=at("2026-01-13", "19:00")), old)
    _attend(HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-10", "19:00")), old, new)
    compute(JAN, FEB)
    assert value("first_time_attendees", area.village.code, JAN) == 1
    assert value("first_time_attendees", area.village.code, FEB) == 1
    assert value("first_time_attendees", area.polres.code, FEB) == 1


def test_a_one_desa_run_counts_first_time_attendees_as_a_full_run_does(area):
    # The member's first held meeting was another forum's: in February they are no newcomer.
    elsewhere = ForumFactory()
    forum = ForumFactory(village=area.village)
    member, new = MemberFactory(forum=forum), MemberFactory(forum=forum)
    _attend(HeldMeetingFactory(forum=elsewhere, scheduled_at=at("2026-01-13", "19:00")), member)
    _attend(HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-10", "19:00")), member, new)
    compute(FEB, village_ids=[area.village.pk])
    assert value("first_time_attendees", area.village.code) == 1
    compute(FEB)
    assert value("first_time_attendees", area.village.code) == 1


def test_problems_per_meeting_count_those_raised_at_the_meeting(area):
    forum = ForumFactory(village=area.village)
    first = HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-03", "19:00"))
    HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-17", "19:00"))
    for kind in (
        MeetingProblem.Kind.RAISED,
        MeetingProblem.Kind.RAISED,
        MeetingProblem.Kind.DISCUSSED,
    ):
        MeetingProblem.objects.create(
            meeting=first,
            problem=ProblemFactory(village=area.village),
            kind=kind,
            status_at_meeting=Status.NEW,
        )
    compute(FEB)
    assert row("problems_per_meeting", area.village.code) == (1, 2, 2)


def test_follow_up_is_the_share_of_the_last_meetings_open_problems_reviewed(area):
    forum = ForumFactory(village=area.village)
    january = HeldMeetingFactory(forum=forum, scheduled_at=at("2026-01-13", "19:00"))
    MeetingFactory(
        forum=forum, scheduled_at=at("2026-02-03", "19:00"), status=Meeting.Status.MISSED
    )
    february = HeldMeetingFactory(forum=forum, scheduled_at=at("2026-02-10", "19:00"))
    reviewed, forgotten, solved = (ProblemFactory(village=area.village) for _ in range(3))
    for problem, status in ((reviewed, Status.NEW), (forgotten, Status.ANALYSIS)):
        MeetingProblem.objects.create(
            meeting=january,
            problem=problem,
            kind=MeetingProblem.Kind.DISCUSSED,
            status_at_meeting=status,
        )
    # Already resolved when January looked at it: not carried over.
    MeetingProblem.objects.create(
        meeting=january,
        problem=solved,
        kind=MeetingProblem.Kind.DISCUSSED,
        status_at_meeting=Status.RESOLVED,
    )
    MeetingProblem.objects.create(
        meeting=february,
        problem=reviewed,
        kind=MeetingProblem.Kind.REVIEWED,
        status_at_meeting=Status.VERIFIED,
    )
    compute(FEB, MAR)
    assert row("carried_reviewed_pct", area.village.code) == (50, 1, 2)
    assert value("carried_reviewed_pct", area.village.code, MAR) is None
