"""Rescheduling a planned meeting (another date, time or place), what follows from it for the
reminders and the schedule, and the rule that a meeting is not planned in the past unless it
has already taken place."""

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from forums import notifications, services
from forums.models import ForumEvent, Meeting, Member, Reminder
from forums.tests.factories import (
    ActionItemFactory,
    ForumFactory,
    MeetingFactory,
    MemberFactory,
)
from portal.locale import in_portal_language

UTC = datetime.UTC
# Monday 2 March 2026, 08:00 WIB.
NOW = datetime.datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
# Tuesday 3 March, 19:00 WIB: within the three days reminders go out before.
TUESDAY = datetime.datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
# Thursday 5 March, 19:00 WIB.
THURSDAY = datetime.datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
# Tuesday 17 March, 19:00 WIB: two weeks later.
LATER = datetime.datetime(2026, 3, 17, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    # The views ask the clock ("a time still to come"); the services are given `now`.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def planned(forum, members):
    return MeetingFactory(forum=forum, scheduled_at=TUESDAY, place="Balai desa")


def reschedule(meeting, actor, **changes):
    data = {
        "scheduled_at": THURSDAY,
        "place": "Masjid Al-Ikhlas",
        "duration_minutes": meeting.duration_minutes,
        "now": NOW,
    }
    data.update(changes)
    return services.meeting_reschedule(actor=actor, meeting=meeting, **data)


def snapshot(meeting) -> tuple:
    fresh = Meeting.objects.get(pk=meeting.pk)
    return fresh.scheduled_at, fresh.place, fresh.duration_minutes, fresh.rescheduled_from


# --- The service ---------------------------------------------------------------------------------


def test_the_secretary_moves_a_planned_meeting_from_tuesday_to_thursday(forum, secretary, planned):
    reschedule(planned, secretary, duration_minutes=90)
    meeting = Meeting.objects.get(pk=planned.pk)
    assert (meeting.scheduled_at, meeting.place, meeting.duration_minutes) == (
        THURSDAY,
        "Masjid Al-Ikhlas",
        90,
    )
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.rescheduled_from == TUESDAY
    event = ForumEvent.objects.get(meeting=meeting, kind=ForumEvent.Kind.MEETING_RESCHEDULED)
    assert event.actor == secretary
    # In the desa's own time, old and new.
    assert "2026-03-03 19:00" in event.note and "2026-03-05 19:00" in event.note


@pytest.mark.parametrize("role", ["officer", "kapolsek", "polres_commander", "operator"])
def test_whoever_may_plan_the_meeting_may_reschedule_it(request, planned, role):
    reschedule(planned, request.getfixturevalue(role))
    assert Meeting.objects.get(pk=planned.pk).scheduled_at == THURSDAY


@pytest.mark.parametrize(
    "role", ["resident", "other_resident", "officer_elsewhere", "polda_viewer"]
)
def test_whoever_may_not_plan_the_meeting_may_not_reschedule_it(request, forum, planned, role):
    # The resident sits in the forum as an ordinary member.
    MemberFactory(forum=forum, user=request.getfixturevalue("resident"))
    before = snapshot(planned)
    with pytest.raises(PermissionDenied):
        reschedule(planned, request.getfixturevalue(role))
    assert snapshot(planned) == before
    assert not ForumEvent.objects.filter(kind=ForumEvent.Kind.MEETING_RESCHEDULED).exists()


@pytest.mark.parametrize("status", ["held", "cancelled", "missed"])
def test_only_a_planned_meeting_is_rescheduled(forum, officer, planned, status):
    Meeting.objects.filter(pk=planned.pk).update(status=status)
    planned.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        reschedule(planned, officer)
    assert error.value.messages == [services.reschedule_refusal(planned)]
    assert Meeting.objects.get(pk=planned.pk).scheduled_at == TUESDAY


def test_a_meeting_is_not_moved_into_the_past(officer, planned):
    with pytest.raises(ValidationError) as error:
        reschedule(planned, officer, scheduled_at=NOW - datetime.timedelta(minutes=1))
    assert "date" in error.value.message_dict
    assert Meeting.objects.get(pk=planned.pk).scheduled_at == TUESDAY


def test_a_meeting_whose_time_went_by_unrecorded_may_still_be_moved_ahead(officer, planned):
    # It did not take place on Tuesday: on Wednesday it is moved to Thursday.
    reschedule(planned, officer, now=TUESDAY + datetime.timedelta(hours=14))
    assert Meeting.objects.get(pk=planned.pk).scheduled_at == THURSDAY


def test_a_meeting_is_not_moved_onto_another_meeting_of_the_forum(forum, officer, planned):
    MeetingFactory(forum=forum, scheduled_at=THURSDAY)
    with pytest.raises(ValidationError):
        reschedule(planned, officer)
    assert Meeting.objects.get(pk=planned.pk).scheduled_at == TUESDAY


def test_a_meeting_recorded_or_cancelled_a_moment_ago_does_not_move(officer, secretary, planned):
    stale = Meeting.objects.select_related("forum__village").get(pk=planned.pk)
    services.meeting_cancel(actor=secretary, meeting=planned, reason="Hujan deras", now=NOW)
    with pytest.raises(services.StatusConflict):
        reschedule(stale, officer)
    meeting = Meeting.objects.get(pk=planned.pk)
    assert (meeting.status, meeting.scheduled_at) == ("cancelled", TUESDAY)


def test_a_meeting_moved_twice_remembers_when_it_was_first_planned(officer, planned):
    reschedule(planned, officer)
    reschedule(planned, officer, scheduled_at=LATER)
    assert snapshot(planned)[0::3] == (LATER, TUESDAY)
    assert ForumEvent.objects.filter(kind=ForumEvent.Kind.MEETING_RESCHEDULED).count() == 2


def test_saving_the_same_date_time_and_place_changes_nothing(officer, planned):
    reschedule(planned, officer, scheduled_at=TUESDAY, place="Balai desa")
    assert snapshot(planned) == (TUESDAY, "Balai desa", planned.duration_minutes, None)
    assert not ForumEvent.objects.filter(kind=ForumEvent.Kind.MEETING_RESCHEDULED).exists()


# --- Reminders -----------------------------------------------------------------------------------


def test_reminders_not_sent_yet_do_not_go_out_for_the_old_time(
    forum, officer, secretary, planned, django_capture_on_commit_callbacks
):
    # Queued for Tuesday, but the broker was down: nothing has gone out yet.
    assert services.meeting_reminders_due(now=NOW) == 2
    waiting = list(Reminder.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        reschedule(planned, officer, scheduled_at=LATER)
    # The tasks already queued for them, and the sweep, find nothing to send.
    assert not any(notifications.deliver(pk) for pk in waiting)
    assert not Reminder.objects.exists()
    assert mail.outbox == []
    # Nor do they go out now, two weeks ahead, but three days before the new time.
    assert services.meeting_reminders_due(now=NOW + datetime.timedelta(hours=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_due(now=LATER - datetime.timedelta(days=2)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, secretary.email])
    assert "17 Maret 2026" in mail.outbox[0].body


def test_whoever_was_reminded_of_the_old_time_is_told_of_the_new_one_at_once(
    forum, officer, secretary, planned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reminders_due(now=NOW)
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        reschedule(planned, secretary, scheduled_at=LATER)
    told = mail.outbox[2:]
    assert sorted(m.to[0] for m in told) == sorted([officer.email, secretary.email])
    for message in told:
        assert "17 Mar" in message.subject and "Masjid Al-Ikhlas" in message.body
        assert message.subject != mail.outbox[0].subject  # it says the meeting changed
    # The mails about Tuesday stay on record, superseded; one current reminder per person.
    assert Reminder.objects.filter(superseded_at=NOW, sent_at__isnull=False).count() == 2
    assert Reminder.objects.filter(superseded_at__isnull=True, announces_change=True).count() == 2
    # The notice went two weeks ahead: three days before the new time, the usual reminder.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_due(now=LATER - datetime.timedelta(days=2)) == 2
    assert len(mail.outbox) == 6
    assert Reminder.objects.filter(superseded_at__isnull=True, announces_change=False).count() == 2


def test_a_notice_of_a_move_within_the_next_days_is_the_reminder(
    forum, officer, secretary, planned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reminders_due(now=NOW)
    later_today = NOW + datetime.timedelta(hours=12)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule(planned, secretary, now=later_today)  # to Thursday, within three days
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_due(now=later_today + datetime.timedelta(hours=1)) == 0
    assert len(mail.outbox) == 4


def test_a_notice_not_sent_yet_survives_a_second_move_and_gives_the_latest_time(
    forum, officer, secretary, planned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reminders_due(now=NOW)
    # Moved, then its place corrected a minute later, before the worker sent the notices.
    reschedule(planned, secretary, scheduled_at=LATER)
    reschedule(planned, secretary, scheduled_at=LATER, place="Aula kantor desa")
    pending = Reminder.objects.filter(announces_change=True, sent_at__isnull=True)
    assert pending.count() == 2
    for pk in pending.values_list("pk", flat=True):
        assert notifications.deliver(pk)
    told = mail.outbox[2:]
    assert len(told) == 2 and all("Aula kantor desa" in m.body for m in told)


def test_a_change_of_duration_alone_is_no_move(
    forum, officer, secretary, planned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reminders_due(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        reschedule(
            planned, secretary, scheduled_at=TUESDAY, place="Balai desa", duration_minutes=90
        )
    assert snapshot(planned) == (TUESDAY, "Balai desa", 90, None)
    assert len(mail.outbox) == 2
    assert not Reminder.objects.filter(announces_change=True).exists()


def test_the_hourly_job_leaves_alone_a_meeting_moved_since_it_read_it(officer, planned):
    stale = Meeting.objects.get(pk=planned.pk)
    reschedule(planned, officer, scheduled_at=LATER)
    with pytest.raises(services.StatusConflict):
        services._transition(
            stale,
            to_status=Meeting.Status.MISSED,
            now=TUESDAY + datetime.timedelta(days=4),
            from_statuses=[Meeting.Status.PLANNED],
        )
    assert Meeting.objects.get(pk=planned.pk).status == Meeting.Status.PLANNED


def test_a_meeting_moved_by_someone_else_meanwhile_is_not_moved_again(officer, planned):
    stale = Meeting.objects.get(pk=planned.pk)
    reschedule(planned, officer, scheduled_at=LATER)
    with pytest.raises(services.StatusConflict):
        reschedule(stale, officer)
    assert snapshot(planned)[0] == LATER


def test_someone_not_reminded_before_gets_the_ordinary_reminder_before_the_new_time(
    forum, officer, planned, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reminders_due(now=NOW)
    reschedule(planned, officer, scheduled_at=LATER)
    Member.objects.filter(pk=members[1].pk).update(email="hasan@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_due(now=LATER - datetime.timedelta(days=2)) == 1
    reminder = Reminder.objects.get(recipient="hasan@example.org")
    assert reminder.sent_at is not None and not reminder.announces_change


def test_a_meeting_moved_within_the_next_days_is_reminded_for_its_new_time(
    forum, officer, planned, django_capture_on_commit_callbacks
):
    # Nobody had been reminded yet; Thursday is within three days of Tuesday evening.
    reschedule(planned, officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.meeting_reminders_due(now=TUESDAY) == 1
    assert "Kamis, 5 Maret 2026" in mail.outbox[0].body


# --- The schedule --------------------------------------------------------------------------------


@pytest.fixture
def scheduled(forum, officer):
    """Monthly on the second Tuesday: 10 March and 14 April 2026, 19:00 WIB."""
    services.schedule_set(actor=officer, forum=forum, frequency="monthly", weekday=1, now=NOW)
    return forum.meetings.get(scheduled_at=datetime.datetime(2026, 3, 10, 12, 0, tzinfo=UTC))


def test_the_daily_job_does_not_plan_a_rescheduled_meeting_again(forum, officer, scheduled):
    wednesday = scheduled.scheduled_at + datetime.timedelta(days=1)
    reschedule(scheduled, officer, scheduled_at=wednesday)
    assert services.meetings_generate(now=NOW) == 0
    assert services.meetings_generate(now=NOW + datetime.timedelta(days=5)) == 0
    times = sorted(forum.meetings.values_list("scheduled_at", flat=True))
    assert times == [wednesday, datetime.datetime(2026, 4, 14, 12, 0, tzinfo=UTC)]
    assert Meeting.objects.get(pk=scheduled.pk).from_schedule


def test_a_rescheduled_meeting_counts_as_touched(forum, officer, scheduled):
    untouched = services._untouched(forum.meetings.all())
    assert scheduled in untouched
    reschedule(scheduled, officer, scheduled_at=scheduled.scheduled_at, place="Aula kantor desa")
    assert scheduled not in services._untouched(forum.meetings.all())


def test_changing_the_schedule_keeps_a_meeting_someone_rescheduled(forum, officer, scheduled):
    untouched = forum.meetings.get(scheduled_at=datetime.datetime(2026, 4, 14, 12, 0, tzinfo=UTC))
    wednesday = scheduled.scheduled_at + datetime.timedelta(days=1)
    reschedule(scheduled, officer, scheduled_at=wednesday)
    # Now the second Thursday: the untouched April Tuesday goes, the moved meeting stays.
    services.schedule_set(actor=officer, forum=forum, frequency="monthly", weekday=3, now=NOW)
    times = set(forum.meetings.values_list("scheduled_at", flat=True))
    assert wednesday in times
    assert untouched.scheduled_at not in times
    assert datetime.datetime(2026, 3, 12, 12, 0, tzinfo=UTC) in times  # second Thursday
    assert scheduled.rescheduled_from not in times  # the Tuesday it left, not planned again


def test_a_moved_meeting_is_a_new_version_in_the_phone_calendar(client, forum, officer, planned):
    forum.is_public = True
    forum.save()
    url = reverse("forums:calendar_public", args=[forum.pk])
    assert b"SEQUENCE:0" in client.get(url).content
    reschedule(planned, officer)
    feed = client.get(url).content
    assert b"SEQUENCE:1" in feed and b"DTSTART:20260305T120000Z" in feed
    # Moved again: a newer version still, or the phone keeps Thursday.
    reschedule(planned, officer, scheduled_at=LATER)
    feed = client.get(url).content
    assert b"SEQUENCE:2" in feed and b"DTSTART:20260317T120000Z" in feed


# --- Planning in the past ------------------------------------------------------------------------


def test_a_meeting_is_not_planned_in_the_past(forum, officer):
    with pytest.raises(ValidationError) as error:
        services.meeting_plan(
            actor=officer, forum=forum, scheduled_at=NOW - datetime.timedelta(days=1), place="X"
        )
    assert "date" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_a_meeting_that_already_took_place_is_planned_to_be_recorded(forum, officer, members):
    yesterday = NOW - datetime.timedelta(days=1)
    meeting = services.meeting_plan(
        actor=officer,
        forum=forum,
        scheduled_at=yesterday,
        place="Pos ronda RW 02",
        held_already=True,
        now=NOW,
    )
    services.meeting_record(
        actor=officer, meeting=meeting, members_present=members[:2], minutes="Rapat darurat."
    )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD


def test_a_meeting_that_already_took_place_is_not_in_the_future(forum, officer):
    with pytest.raises(ValidationError) as error:
        services.meeting_plan(
            actor=officer,
            forum=forum,
            scheduled_at=NOW + datetime.timedelta(days=2),
            place="Balai desa",
            held_already=True,
            now=NOW,
        )
    assert "date" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_the_plan_form_refuses_a_time_already_past(client, forum, officer):
    client.force_login(officer)
    response = client.post(
        reverse("forums:meeting_plan", args=[forum.pk]),
        {"date": "2026-03-01", "time": "19:00", "place": "Balai desa", "duration_minutes": "120"},
    )
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_the_plan_form_takes_a_meeting_held_yesterday_straight_to_its_record(
    client, forum, officer
):
    client.force_login(officer)
    response = client.post(
        reverse("forums:meeting_plan", args=[forum.pk]),
        {
            "date": "2026-03-01",
            "time": "19:00",
            "place": "Pos ronda RW 02",
            "duration_minutes": "120",
            "held_already": "on",
        },
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("forums:meeting_record", args=[forum.pk, meeting.pk])
    assert client.get(response["Location"]).status_code == 200


# --- The page ------------------------------------------------------------------------------------


def reschedule_url(meeting):
    return reverse("forums:meeting_reschedule", args=[meeting.forum_id, meeting.pk])


def form_data(**changes):
    return {
        "date": "2026-03-05",
        "time": "19:00",
        "place": "Masjid Al-Ikhlas",
        "duration_minutes": "120",
    } | changes


def test_the_form_opens_with_the_meetings_date_time_and_place(client, secretary, planned):
    client.force_login(secretary)
    response = client.get(reschedule_url(planned))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["date"] == datetime.date(2026, 3, 3)
    assert form.initial["time"] == datetime.time(19, 0)
    assert form.initial["place"] == "Balai desa"
    assert 'value="2026-03-03"' in response.content.decode()


def test_the_secretary_moves_the_meeting_through_the_form(client, forum, secretary, planned):
    client.force_login(secretary)
    response = client.post(reschedule_url(planned), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:meeting", args=[forum.pk, planned.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)]
    meeting = Meeting.objects.get(pk=planned.pk)
    assert (meeting.scheduled_at, meeting.place) == (THURSDAY, "Masjid Al-Ikhlas")


@pytest.mark.parametrize(
    "data",
    [
        form_data(date=""),
        form_data(date="2026-03-01"),  # yesterday
        form_data(place=""),
        form_data(duration_minutes="5"),
    ],
    ids=["no date", "in the past", "no place", "too short"],
)
def test_invalid_input_changes_nothing(client, secretary, planned, data):
    client.force_login(secretary)
    before = snapshot(planned)
    response = client.post(reschedule_url(planned), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert snapshot(planned) == before
    assert not ForumEvent.objects.filter(kind=ForumEvent.Kind.MEETING_RESCHEDULED).exists()


@pytest.mark.parametrize(
    "role", ["officer_elsewhere", "other_resident", "resident", "polda_viewer"]
)
def test_outside_who_may_plan_the_form_is_404(client, request, planned, role):
    client.force_login(request.getfixturevalue(role))
    before = snapshot(planned)
    assert client.get(reschedule_url(planned)).status_code == 404
    assert client.post(reschedule_url(planned), form_data()).status_code == 404
    assert snapshot(planned) == before


def test_a_meeting_of_another_forum_is_404(client, area, secretary, planned):
    elsewhere = MeetingFactory(forum=ForumFactory(village=area.village_b), scheduled_at=LATER)
    client.force_login(secretary)
    url = reverse("forums:meeting_reschedule", args=[planned.forum_id, elsewhere.pk])
    assert client.get(url).status_code == 404


def test_a_held_meeting_sends_its_form_back_to_the_meeting_with_the_reason(
    client, forum, secretary, held_meeting
):
    client.force_login(secretary)
    response = client.get(reschedule_url(held_meeting), follow=True)
    assert response.redirect_chain == [
        (reverse("forums:meeting", args=[forum.pk, held_meeting.pk]), 302)
    ]
    with translation.override("id"):
        assert services.reschedule_refusal(held_meeting) in response.content.decode()


def test_the_meeting_page_offers_rescheduling_to_whoever_may_do_it(
    client, forum, secretary, polda_viewer, kapolsek, planned, held_meeting
):
    link = reschedule_url(planned)
    client.force_login(secretary)
    assert (
        link in client.get(reverse("forums:meeting", args=[forum.pk, planned.pk])).content.decode()
    )
    held_page = client.get(reverse("forums:meeting", args=[forum.pk, held_meeting.pk]))
    assert reschedule_url(held_meeting) not in held_page.content.decode()
    client.force_login(kapolsek)
    assert (
        link in client.get(reverse("forums:meeting", args=[forum.pk, planned.pk])).content.decode()
    )
    client.force_login(polda_viewer)  # reads the meeting, may not plan it
    page = client.get(reverse("forums:meeting", args=[forum.pk, planned.pk]))
    assert page.status_code == 200 and link not in page.content.decode()


def test_the_meeting_page_says_when_it_was_first_planned(client, forum, secretary, planned):
    reschedule(planned, secretary)
    client.force_login(secretary)
    page = client.get(reverse("forums:meeting", args=[forum.pk, planned.pk])).content.decode()
    assert "Selasa, 3 Maret 2026 · 19:00 WIB" in page
    reschedule(planned, secretary, scheduled_at=TUESDAY)  # moved back: nothing to say
    page = client.get(reverse("forums:meeting", args=[forum.pk, planned.pk])).content.decode()
    assert "Selasa, 3 Maret 2026 · 19:00 WIB" not in page


def test_an_action_item_on_a_planned_meeting_moves_with_it(forum, officer, planned):
    item = ActionItemFactory(meeting=planned, forum=forum)
    reschedule(planned, officer)
    assert Meeting.objects.get(pk=planned.pk).action_items.get() == item


def test_the_admin_neither_moves_nor_adds_nor_deletes_a_meeting(client, operator, planned):
    # A move made there would tell none of the members reminded of the old time.
    client.force_login(operator)
    page = client.get(reverse("admin:forums_meeting_change", args=[planned.pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert not {"scheduled_at", "duration_minutes", "place", "status"} & set(form.fields)
    assert "minutes" in form.fields  # the record's details are still corrected there
    assert client.get(reverse("admin:forums_meeting_add")).status_code == 403
    delete = reverse("admin:forums_meeting_delete", args=[planned.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=planned.pk).exists()


def test_the_reason_the_portal_gave_for_a_cancelled_meeting_reads_in_the_readers_language(
    client, settings, forum, officer, planned
):
    # As schedule_set writes it when a new schedule drops a meeting already announced.
    reason = in_portal_language(services.SCHEDULE_CHANGED)
    Meeting.objects.filter(pk=planned.pk).update(
        status=Meeting.Status.CANCELLED, cancel_reason=reason
    )
    client.force_login(officer)
    url = reverse("forums:meeting", args=[forum.pk, planned.pk])
    assert "Dibatalkan: Jadwal forum berubah." in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Cancelled: The forum&#x27;s schedule changed." in client.get(url).content.decode()
