import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone, translation

from forums import services
from forums.models import (
    ActionItem,
    ForumEvent,
    Meeting,
    MeetingProblem,
    Member,
    Reminder,
    Schedule,
)
from forums.tests.factories import (
    ActionItemFactory,
    ForumFactory,
    HeldMeetingFactory,
    MeetingFactory,
    MemberFactory,
    ScheduleFactory,
)
from issues import selectors as issue_selectors
from issues.models import Category, Problem
from issues.tests.factories import ProblemFactory
from issues.workflow import Status as ProblemStatus

UTC = datetime.UTC
# Monday 2 March 2026, 08:00 WIB.
NOW = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def record(meeting, actor, **extra):
    data = {
        "members_present": list(meeting.forum.members.all()[:2]),
        "minutes": "Ronda malam dihidupkan lagi.",
        "now": meeting.scheduled_at + datetime.timedelta(hours=3),
    }
    data.update(extra)
    return services.meeting_record(actor=actor, meeting=meeting, **data)


# --- Forums and members ------------------------------------------------------------------------


def test_the_desa_officer_creates_the_forum_of_the_desa(area, officer):
    forum = services.forum_create(actor=officer, village=area.village, name="FKPM Cileunyi Kulon")
    assert forum.created_by == officer
    assert ForumEvent.objects.filter(forum=forum, kind="forum_created", actor=officer).exists()


def test_a_desa_has_one_fkpm_but_may_have_area_forums_too(area, officer, kapolsek):
    services.forum_create(actor=officer, village=area.village, name="FKPM Cileunyi Kulon")
    with pytest.raises(ValidationError):
        services.forum_create(actor=kapolsek, village=area.village, name="FKPM kedua")
    market = services.forum_create(
        actor=kapolsek,
        village=area.village,
        name="FKPM Pasar Cileunyi",
        kind="area",
        other_villages=[area.village_b],
    )
    assert list(market.other_villages.all()) == [area.village_b]


@pytest.mark.parametrize(
    "role", ["officer_elsewhere", "polda_viewer", "resident", "other_polres_commander"]
)
def test_only_the_police_of_the_desa_create_its_forum(request, area, role):
    with pytest.raises(PermissionDenied):
        services.forum_create(
            actor=request.getfixturevalue(role), village=area.village, name="FKPM"
        )


def test_an_area_forum_cannot_reach_beyond_the_officers_desa(area, officer):
    with pytest.raises(PermissionDenied):
        services.forum_create(
            actor=officer,
            village=area.village,
            name="FKPM Pasar",
            kind="area",
            other_villages=[area.village_elsewhere],
        )


def test_a_forum_has_one_sitting_chair(forum, officer):
    services.member_add(
        actor=officer, forum=forum, name="Pak Ketua", role="ketua", sector="rt_rw", gender="male"
    )
    with pytest.raises(ValidationError):
        services.member_add(
            actor=officer,
            forum=forum,
            name="Ketua Baru",
            role="ketua",
            sector="rt_rw",
            gender="male",
        )


def test_a_member_who_leaves_stays_in_the_history(forum, officer, members):
    chair = members[0]
    services.member_leave(actor=officer, member=chair, left_on=datetime.date(2026, 1, 31))
    assert Member.objects.get(pk=chair.pk).left_on == datetime.date(2026, 1, 31)
    assert chair not in Member.objects.active(datetime.date(2026, 2, 1))
    assert chair in Member.objects.active(datetime.date(2026, 1, 15))
    # The chair's seat is free again.
    services.member_add(
        actor=officer, forum=forum, name="Ketua Baru", role="ketua", sector="rt_rw", gender="male"
    )


def test_only_a_residents_account_can_be_linked_to_a_member(forum, officer, kapolsek):
    with pytest.raises(ValidationError):
        services.member_add(
            actor=officer,
            forum=forum,
            name="Pak Kapolsek",
            role="anggota",
            sector="community",
            gender="male",
            user=kapolsek,
        )


# --- Schedule and generation ---------------------------------------------------------------------


def test_a_monthly_schedule_plans_the_second_tuesday_at_19_wib(area, officer, forum):
    services.schedule_set(
        actor=officer, forum=forum, frequency="monthly", weekday=1, week_of_month=2, now=NOW
    )
    times = list(forum.meetings.order_by("scheduled_at").values_list("scheduled_at", flat=True))
    # 10 March and 14 April 2026, 19:00 WIB = 12:00 UTC; 60 days ahead of 2 March.
    assert times == [
        datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
        datetime.datetime(2026, 4, 14, 12, 0, tzinfo=UTC),
    ]
    assert all(m.from_schedule and m.status == "planned" for m in forum.meetings.all())


def test_the_forums_log_is_written_in_indonesian_whatever_the_request_language(
    area, officer, forum
):
    with translation.override("en"):
        services.schedule_set(actor=officer, forum=forum, frequency="monthly", now=NOW)
    event = ForumEvent.objects.get(forum=forum, kind=ForumEvent.Kind.SCHEDULE_SET)
    with translation.override("id"):
        assert event.note == str(Schedule.Frequency.MONTHLY.label) != "Monthly"


def test_a_weekly_schedule_in_wita_counts_in_the_desas_own_time(db):
    from territory.tests.factories import VillageFactory

    village = VillageFactory(code="73.71.01.1001")  # Makassar: WITA, UTC+8
    schedule = ScheduleFactory(
        forum=ForumFactory(village=village), frequency="weekly", weekday=4, time=datetime.time(16)
    )
    created = services.meetings_generate(now=NOW, horizon=datetime.timedelta(days=14))
    assert created == 2
    first = schedule.forum.meetings.order_by("scheduled_at").first()
    assert first.scheduled_at == datetime.datetime(2026, 3, 6, 8, 0, tzinfo=UTC)


def test_generating_twice_changes_nothing(area):
    ScheduleFactory(forum=ForumFactory(village=area.village))
    ScheduleFactory(forum=ForumFactory(village=area.village_b), frequency="weekly")
    first = services.meetings_generate(now=NOW)
    snapshot = sorted(Meeting.objects.values_list("forum_id", "scheduled_at"))
    assert first == len(snapshot) > 0
    assert services.meetings_generate(now=NOW) == 0
    assert sorted(Meeting.objects.values_list("forum_id", "scheduled_at")) == snapshot


def test_an_ad_hoc_forum_gets_no_meetings_by_itself(area):
    ScheduleFactory(forum=ForumFactory(village=area.village), frequency="ad_hoc")
    assert services.meetings_generate(now=NOW) == 0


def test_the_management_command_plans_and_is_safe_to_run_twice(area, capsys):
    ScheduleFactory(forum=ForumFactory(village=area.village))
    call_command("generate_meetings")
    count = Meeting.objects.count()
    assert count >= 1
    call_command("generate_meetings")
    assert Meeting.objects.count() == count


def test_changing_the_schedule_removes_the_untouched_meetings_of_the_old_rule(area, officer, forum):
    services.schedule_set(actor=officer, forum=forum, frequency="monthly", weekday=1, now=NOW)
    kept = forum.meetings.order_by("scheduled_at").last()
    ActionItemFactory(meeting=kept, forum=forum)
    services.schedule_set(actor=officer, forum=forum, frequency="monthly", weekday=3, now=NOW)
    times = set(forum.meetings.values_list("scheduled_at", flat=True))
    assert datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC) not in times  # old Tuesday, gone
    assert kept.scheduled_at in times  # something was recorded on it
    assert datetime.datetime(2026, 3, 12, 12, 0, tzinfo=UTC) in times  # second Thursday


# --- Recording, cancelling, missed ---------------------------------------------------------------


def test_a_held_meeting_needs_minutes(forum, officer, members):
    meeting = MeetingFactory(forum=forum)
    with pytest.raises(ValidationError) as error:
        record(meeting, officer, minutes="   ")
    assert "minutes" in error.value.message_dict
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"


def test_a_held_meeting_needs_attendance(forum, officer, members):
    meeting = MeetingFactory(forum=forum)
    with pytest.raises(ValidationError) as error:
        record(meeting, officer, members_present=[])
    assert "members_present" in error.value.message_dict
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"


def test_recording_marks_the_meeting_held_with_attendance_and_counts(forum, officer, members):
    meeting = MeetingFactory(forum=forum)
    record(
        meeting,
        officer,
        other_men=5,
        other_women=7,
        other_by_group={"youth": 4, "elderly": 2, "disability": 0},
    )
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.status == "held"
    assert meeting.recorded_by == officer
    assert meeting.attendance.count() == 2
    assert meeting.other_by_group == {"youth": 4, "elderly": 2}
    assert ForumEvent.objects.filter(meeting=meeting, kind="meeting_held").count() == 1


def test_the_secretary_records_a_meeting(forum, secretary, members):
    meeting = MeetingFactory(forum=forum)
    record(meeting, secretary)
    assert Meeting.objects.get(pk=meeting.pk).status == "held"


@pytest.mark.parametrize(
    "role", ["kapolsek", "polres_commander", "polda_viewer", "officer_elsewhere", "resident"]
)
def test_only_the_desa_officer_and_the_secretary_record(request, forum, members, role):
    meeting = MeetingFactory(forum=forum)
    with pytest.raises(PermissionDenied):
        record(meeting, request.getfixturevalue(role))


def test_a_former_secretary_no_longer_records(forum, officer, secretary, members):
    services.member_leave(actor=officer, member=Member.objects.get(user=secretary))
    with pytest.raises(PermissionDenied):
        record(MeetingFactory(forum=forum), secretary)


def test_cancelling_needs_a_reason(forum, officer):
    meeting = MeetingFactory(forum=forum)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=officer, meeting=meeting, reason=" ")
    services.meeting_cancel(actor=officer, meeting=meeting, reason="Bertepatan dengan Idulfitri")
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert meeting.cancel_reason == "Bertepatan dengan Idulfitri"


def test_a_cancelled_meeting_cannot_be_recorded(forum, officer, members):
    meeting = MeetingFactory(forum=forum)
    services.meeting_cancel(actor=officer, meeting=meeting, reason="Hujan deras")
    with pytest.raises(ValidationError):
        record(meeting, officer)


def test_two_people_changing_a_meeting_at_once_cannot_both_win(forum, officer, secretary, members):
    meeting = MeetingFactory(forum=forum)
    seen_by_secretary = Meeting.objects.select_related("forum").get(pk=meeting.pk)
    services.meeting_cancel(actor=officer, meeting=meeting, reason="Banjir")
    with pytest.raises(services.StatusConflict):
        record(seen_by_secretary, secretary)
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert meeting.attendance.count() == 0
    assert not meeting.minutes


def test_a_meeting_without_a_record_three_days_later_is_marked_missed(forum):
    late = MeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=3, minutes=1))
    recent = MeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=2))
    held = HeldMeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=40))
    assert services.meetings_mark_missed(now=NOW) == 1
    assert Meeting.objects.get(pk=late.pk).status == "missed"
    assert Meeting.objects.get(pk=recent.pk).status == "planned"
    assert Meeting.objects.get(pk=held.pk).status == "held"
    # A second run finds nothing more to do and writes no second event.
    assert services.meetings_mark_missed(now=NOW) == 0
    assert ForumEvent.objects.filter(kind="meeting_missed").count() == 1


def test_a_missed_meeting_can_still_be_recorded_late(forum, officer, members):
    meeting = MeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=5))
    services.meetings_mark_missed(now=NOW)
    meeting.refresh_from_db()
    record(meeting, officer, now=NOW)
    assert Meeting.objects.get(pk=meeting.pk).status == "held"


def test_a_future_meeting_cannot_be_recorded_yet(forum, officer, members):
    meeting = MeetingFactory(forum=forum, scheduled_at=NOW + datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        record(meeting, officer, now=NOW)


# --- The agenda: problems carried over, discussed, raised ----------------------------------------


def test_the_next_agenda_opens_with_the_problems_of_the_last_meeting(area, forum, officer, members):
    problem = ProblemFactory(village=area.village)
    first = HeldMeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(days=30))
    services.meeting_link_problem(actor=officer, meeting=first, problem=problem)
    ProblemFactory(village=area.village)  # never discussed: not carried over
    second = MeetingFactory(forum=forum, scheduled_at=NOW - datetime.timedelta(hours=3))
    from forums import selectors

    assert selectors.carried_over_problems(second) == [problem]
    Problem.objects.filter(pk=problem.pk).update(status=ProblemStatus.ANALYSIS)
    problem.refresh_from_db()
    record(second, officer, reviewed_problems=[problem], now=NOW)
    link = MeetingProblem.objects.get(meeting=second)
    assert (link.problem, link.kind, link.status_at_meeting) == (problem, "reviewed", "analysis")


def test_a_problem_of_another_desa_cannot_be_linked(area, forum, officer):
    meeting = MeetingFactory(forum=forum)
    with pytest.raises(ValidationError):
        services.meeting_link_problem(
            actor=officer, meeting=meeting, problem=ProblemFactory(village=area.village_b)
        )


def raise_drinking_party(meeting, actor, area):
    return services.meeting_raise_problem(
        actor=actor,
        meeting=meeting,
        village=area.village,
        category=Category.objects.get(code="minuman-keras"),
        title="Pesta miras di lapangan",
        description="Warga mengeluhkan pesta miras setiap malam Minggu.",
    )


def test_a_problem_raised_at_the_meeting_enters_the_problems_workflow(
    area, forum, officer, secretary, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(forum=forum)
    with django_capture_on_commit_callbacks(execute=True):
        problem = raise_drinking_party(meeting, secretary, area)
    assert problem.source == Problem.Source.FORUM
    assert problem.reporter == secretary
    assert problem.status == ProblemStatus.NEW
    assert MeetingProblem.objects.get(meeting=meeting, problem=problem).kind == "raised"
    # The desa's officer is told, as for any new problem; the recorder needs no receipt.
    assert any(officer.email in m.to for m in mail.outbox)
    assert not any(secretary.email in m.to for m in mail.outbox)


def test_the_problem_page_says_the_problem_was_raised_at_the_meeting(
    client, area, forum, officer, secretary
):
    meeting = MeetingFactory(forum=forum)
    problem = raise_drinking_party(meeting, secretary, area)
    client.force_login(officer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    date = formats.date_format(timezone.localtime(meeting.scheduled_at), "j M Y")
    assert f"Diangkat dalam rapat {forum} pada {date}." in page
    assert f"Dicatat oleh {secretary.name}" in page


def test_the_secretary_who_raised_a_problem_at_the_meeting_is_not_withheld_from_the_police(
    area, forum, officer, secretary
):
    # The secretary raises it openly, at the meeting, and was never asked to withhold a name.
    problem = raise_drinking_party(MeetingFactory(forum=forum), secretary, area)
    problem = Problem.objects.select_related("reporter").get(pk=problem.pk)
    assert not issue_selectors.name_withheld(problem)
    assert issue_selectors.can_see_reporter(officer, problem)


# --- Action items ---------------------------------------------------------------------------------


def test_an_action_item_is_done_or_dropped_with_a_reason(forum, officer):
    item = ActionItemFactory(meeting=HeldMeetingFactory(forum=forum), forum=forum)
    with pytest.raises(ValidationError):
        services.action_item_set_status(actor=officer, item=item, status="dropped")
    services.action_item_set_status(actor=officer, item=item, status="done")
    assert ActionItem.objects.get(pk=item.pk).closed_at is not None


def test_two_people_closing_an_action_item_at_once_cannot_both_win(forum, officer, secretary):
    item = ActionItemFactory(meeting=HeldMeetingFactory(forum=forum), forum=forum)
    stale = ActionItem.objects.select_related("forum").get(pk=item.pk)
    services.action_item_set_status(actor=officer, item=item, status="done")
    with pytest.raises(services.StatusConflict):
        services.action_item_set_status(
            actor=secretary, item=stale, status="dropped", note="Tidak perlu lagi"
        )
    assert ActionItem.objects.get(pk=item.pk).status == "done"


def test_an_action_item_names_a_member_of_the_same_forum(area, forum, officer):
    other = MemberFactory(forum=ForumFactory(village=area.village_b))
    with pytest.raises(ValidationError):
        services.action_item_add(
            actor=officer, meeting=MeetingFactory(forum=forum), what="Ronda", owner_member=other
        )


# --- Reminders -----------------------------------------------------------------------------------


def test_reminders_go_to_the_officer_and_members_once(
    forum, officer, secretary, members, django_capture_on_commit_callbacks
):
    Member.objects.filter(pk=members[1].pk).update(email="hasan@example.org")
    MeetingFactory(forum=forum, scheduled_at=NOW + datetime.timedelta(days=2))
    MeetingFactory(forum=forum, scheduled_at=NOW + datetime.timedelta(days=9))  # too early
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_due(now=NOW) == 3
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([officer.email, secretary.email, "hasan@example.org"])
    assert "Balai desa" in mail.outbox[0].body
    assert "19:00" in mail.outbox[0].body or "WIB" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_due(now=NOW) == 0
    assert len(mail.outbox) == 3
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 3


def test_a_reminder_delivered_twice_is_sent_once(forum, officer):
    from forums import notifications

    MeetingFactory(forum=forum, scheduled_at=NOW + datetime.timedelta(days=1))
    services.meeting_reminders_due(now=NOW)
    reminder = Reminder.objects.get()
    assert notifications.deliver(reminder.pk) is True
    assert notifications.deliver(reminder.pk) is False
    assert len(mail.outbox) == 1
