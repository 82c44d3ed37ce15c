import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums.models import ActionItem, Forum, Meeting
from forums.tests.factories import (
    ActionItemFactory,
    ForumFactory,
    HeldMeetingFactory,
    MeetingFactory,
)
from issues.tests.factories import ProblemFactory
from officers.tests.factories import AssignmentFactory
from territory.tests.factories import VillageFactory


def count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), [q["sql"][:100] for q in queries]


def _forums_in_polsek(area, count):
    """`count` desa of the Polsek, each with a forum, a planned and a held meeting and an open
    action item."""
    now = timezone.now()
    forums = []
    for number in range(count):
        village = VillageFactory(
            code=f"32.04.05.{3000 + number}", district=area.village.district, polsek=area.polsek
        )
        forum = ForumFactory(village=village)
        MeetingFactory(forum=forum, scheduled_at=now + datetime.timedelta(days=5))
        held = HeldMeetingFactory(forum=forum, scheduled_at=now - datetime.timedelta(days=20))
        ActionItemFactory(meeting=held, forum=forum)
        forums.append(forum)
    return forums


@pytest.mark.parametrize("rows", [1, 20])
def test_the_forum_list_costs_the_same_queries_for_1_and_20_forums(client, area, kapolsek, rows):
    _forums_in_polsek(area, rows)
    client.force_login(kapolsek)
    # session, user (with the officer profile the scope reads), count, may they create a
    # forum, the page of forums (desa, kecamatan, next meeting, last held and open items as
    # subqueries).
    count, sql = count_queries(client, reverse("forums:list"))
    assert count == 5, "\n".join(sql)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_action_item_list_costs_the_same_queries_for_1_and_20_items(
    client, area, officer, forum, rows
):
    meeting = HeldMeetingFactory(forum=forum)
    for _number in range(rows):
        ActionItemFactory(
            meeting=meeting, forum=forum, problem=ProblemFactory(village=area.village)
        )
    client.force_login(officer)
    # session, user (with the officer profile the scope reads), count, the page of items
    # (forum, desa, meeting, owner, problem), the forums among them the officer may update,
    # the pages the officer may open for their problems.
    count, sql = count_queries(client, reverse("forums:action_items"))
    assert count == 6, "\n".join(sql)


def test_each_open_action_item_names_its_forum_within_its_own_row(client, area, officer, forum):
    # An officer's desa each have a forum, and their items read alike ("Mediasi lanjutan"):
    # the forum was a row of its own after the item, as near to the next item as to its own.
    village = VillageFactory(
        code="32.04.05.2999", district=area.village.district, polsek=area.polsek
    )
    AssignmentFactory(officer=officer.officer, village=village)
    other = ForumFactory(village=village, name="FKPM Desa Lain")
    for each in (forum, other):
        ActionItemFactory(meeting=HeldMeetingFactory(forum=each), forum=each, what="Mediasi")
    client.force_login(officer)
    html = client.get(reverse("forums:action_items")).content.decode()
    for item in ActionItem.objects.all():
        row = re.search(rf'<li id="{item.anchor}">.*?</li>', html, re.S).group(0)
        assert item.forum.name in row
        assert reverse("forums:detail", args=[item.forum_id]) in row
    assert html.split("<main", 1)[1].count("<li") == 2


def test_an_action_item_is_agreed_on_its_forums_day_not_jakartas(client, operator):
    # 23:30 WIB on 1 March is 01:30 WIT on 2 March, in a Papuan desa.
    forum = ForumFactory(village=VillageFactory(code="91.71.01.1001"))
    meeting = HeldMeetingFactory(
        forum=forum, scheduled_at=datetime.datetime(2026, 3, 1, 16, 30, tzinfo=datetime.UTC)
    )
    ActionItemFactory(meeting=meeting, forum=forum)
    client.force_login(operator)
    html = client.get(reverse("forums:action_items")).content.decode()
    assert "disepakati 2 Mar 2026" in html


@pytest.mark.parametrize("rows", [1, 10])
def test_the_public_page_costs_the_same_queries_for_1_and_10_meetings(client, forum, rows):
    for _number in range(rows):
        meeting = HeldMeetingFactory(forum=forum)
        ActionItemFactory(meeting=meeting, forum=forum)
    MeetingFactory(forum=forum, scheduled_at=timezone.now() + datetime.timedelta(days=3))
    # the forum (desa, kecamatan, kabupaten, schedule), count, the page of held meetings, their
    # decisions, the next planned meetings, the cancelled ones.
    count, sql = count_queries(client, reverse("forums:public", args=[forum.pk]))
    assert count == 6, "\n".join(sql)


@pytest.mark.parametrize("rows", [1, 20])
def test_the_forum_page_costs_the_same_queries_for_1_and_20_meetings(
    client, forum, officer, members, rows
):
    for _number in range(rows):
        ActionItemFactory(
            meeting=HeldMeetingFactory(forum=forum),
            forum=forum,
            problem=ProblemFactory(village=forum.village),
        )
    client.force_login(officer)
    # session, user, the forum (desa, kecamatan, kabupaten, Polsek, schedule), may they read /
    # record / manage, count of meetings, members, open action items (owner, problem,
    # meeting), the pages the officer may open for their problems, next meetings, the other
    # desa covered, the page of meetings (attendance counted).
    count, sql = count_queries(client, reverse("forums:detail", args=[forum.pk]))
    assert count == 13, "\n".join(sql)


def test_the_officer_creates_a_forum_and_its_schedule_plans_meetings(client, area, officer):
    client.force_login(officer)
    response = client.post(
        reverse("forums:create"),
        {
            "village": area.village.pk,
            "kind": "desa",
            "name": "FKPM Cileunyi Kulon",
            "decree_number": "141/12/2021",
            "is_public": "on",
        },
    )
    forum = Forum.objects.get()
    assert response["Location"] == reverse("forums:schedule", args=[forum.pk])
    client.post(
        response["Location"],
        {
            "frequency": "monthly",
            "interval": "1",
            "weekday": "1",
            "week_of_month": "2",
            "time": "19:00",
            "place": "Balai desa",
            "duration_minutes": "120",
            "starts_on": "2026-01-01",
        },
    )
    assert forum.meetings.filter(status="planned", from_schedule=True).count() >= 1


def test_an_officer_plans_an_ad_hoc_meeting_in_the_desas_time(client, forum, officer):
    year = timezone.localdate().year + 1  # still to come: a past time is refused
    client.force_login(officer)
    client.post(
        reverse("forums:meeting_plan", args=[forum.pk]),
        {
            "date": f"{year}-12-20",
            "time": "09:30",
            "place": "Masjid Al-Ikhlas",
            "duration_minutes": "90",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.scheduled_at == datetime.datetime(year, 12, 20, 2, 30, tzinfo=datetime.UTC)
    assert not meeting.from_schedule


def test_cancelling_a_held_meeting_says_why_it_cannot(client, forum, officer, held_meeting):
    client.force_login(officer)
    response = client.post(
        reverse("forums:meeting_cancel", args=[forum.pk, held_meeting.pk]), {"reason": "Hujan"}
    )
    assert response.status_code == 400
    assert "Pertemuan ini tidak dapat diubah lagi" in response.content.decode()
    held_meeting.refresh_from_db()
    assert held_meeting.status == "held"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_meeting_in_year_1_or_9999_is_refused(client, forum, officer, day):
    client.force_login(officer)
    response = client.post(
        reverse("forums:meeting_plan", args=[forum.pk]),
        {"date": day, "time": "09:30", "place": "Balai desa", "duration_minutes": "90"},
    )
    assert "Periksa tahunnya" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_secretary_links_a_problem_and_agrees_an_action_item_for_it(
    client, area, forum, secretary, held_meeting
):

    problem = ProblemFactory(village=area.village, title="Balap liar")
    client.force_login(secretary)
    page = client.get(reverse("forums:meeting", args=[forum.pk, held_meeting.pk])).content.decode()
    assert "Balap liar" in page  # offered in the picker
    client.post(
        reverse("forums:meeting_link_problem", args=[forum.pk, held_meeting.pk]),
        {"problem": problem.pk},
    )
    client.post(
        reverse("forums:action_item_add", args=[forum.pk, held_meeting.pk]),
        {
            "what": "Portal jalan dipasang",
            "owner_name": "Karang taruna",
            "problem": problem.pk,
            "due_on": "2026-12-31",
        },
    )
    item = ActionItem.objects.get()
    assert item.problem == problem
    assert item.due_on == datetime.date(2026, 12, 31)


def test_a_resident_of_the_desa_sees_the_forum_on_the_desa_page(client, area, forum, resident):
    planned = MeetingFactory(forum=forum, scheduled_at=timezone.now() + datetime.timedelta(days=4))
    HeldMeetingFactory(forum=forum, summary="Ronda malam dihidupkan lagi.")
    client.force_login(resident)
    page = client.get(
        reverse("territory:village_detail", args=[area.village.code])
    ).content.decode()
    assert forum.name in page
    assert "Ronda malam dihidupkan lagi." in page
    assert planned.place in page
    assert reverse("forums:public", args=[forum.pk]) in page


def test_a_forum_that_is_not_public_is_left_off_the_desa_page_for_outsiders(
    client, area, forum, other_resident, resident
):
    forum.is_public = False
    forum.save()
    client.force_login(other_resident)
    url = reverse("territory:village_detail", args=[area.village.code])
    assert forum.name not in client.get(url).content.decode()
    client.force_login(resident)
    assert forum.name in client.get(url).content.decode()


def test_an_area_forum_shows_on_each_desa_it_covers(client, area, forum):
    market = ForumFactory(village=area.village, kind="area", name="FKPM Pasar Cileunyi")
    market.other_villages.set([area.village_b])
    page = client.get(reverse("territory:village_detail", args=[area.village_b.code]))
    assert "FKPM Pasar Cileunyi" in page.content.decode()


def test_no_group_outnumbers_the_other_residents_present(client, forum, members, officer):
    meeting = MeetingFactory(forum=forum)
    client.force_login(officer)
    response = client.post(
        reverse("forums:meeting_record", args=[forum.pk, meeting.pk]),
        {"other_men": "3", "other_women": "4", "group_youth": "9", "minutes": "Ronda malam."},
    )
    assert response.status_code == 400
    assert "(7)" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_a_future_meetings_record_form_says_so_before_it_is_filled_in(client, forum, officer):
    meeting = MeetingFactory(forum=forum, scheduled_at=timezone.now() + datetime.timedelta(days=3))
    client.force_login(officer)
    response = client.get(reverse("forums:meeting_record", args=[forum.pk, meeting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("forums:meeting", args=[forum.pk, meeting.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Pertemuan baru dapat dicatat setelah berlangsung." in page


def test_the_member_list_tells_a_womans_gender_from_the_group_she_represents(
    client, forum, secretary, officer, settings
):
    # Both read "Perempuan" in Indonesian: the group represented carries its label.
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("forums:members", args=[forum.pk])).content.decode()
    entry = page[page.index("Bu Sekretaris") :].split("</li>")[0]
    assert "Female · represents: Women" in entry


def test_every_form_on_the_forum_pages_ignores_a_second_tap(client, area, forum, officer):
    # Over a weak signal a second tap while the first crosses filed the problem raised at the
    # meeting twice, added the member or the action item twice, or answered "already has a
    # meeting at this time" for the meeting just planned (js/form-sending.js).
    planned = MeetingFactory(forum=forum, scheduled_at=timezone.now() - datetime.timedelta(hours=2))
    ActionItemFactory(meeting=planned, forum=forum)
    member = forum.members.create(name="Pak RT", sector="rt_rw", gender="male")
    args = [forum.pk, planned.pk]
    pages = [
        reverse("forums:create"),
        reverse("forums:detail", args=[forum.pk]),
        reverse("forums:edit", args=[forum.pk]),
        reverse("forums:schedule", args=[forum.pk]),
        reverse("forums:members", args=[forum.pk]),
        reverse("forums:member_edit", args=[forum.pk, member.pk]),
        reverse("forums:meeting_plan", args=[forum.pk]),
        reverse("forums:meeting", args=args),
        reverse("forums:meeting_record", args=args),
        reverse("forums:meeting_raise_problem", args=args),
        reverse("forums:action_items"),
    ]
    client.force_login(officer)
    for url in pages:
        html = client.get(url).content.decode()
        main = html.split("<main", 1)[1].split("</main>", 1)[0]
        forms = re.findall(r"<form [^>]*>", main)
        posting = [form for form in forms if 'method="post"' in form]
        assert posting, url
        assert all('data-sending-label="Menyimpan…"' in form for form in posting), url
        assert "js/form-sending.js" in html, url
    planned.scheduled_at = timezone.now() + datetime.timedelta(days=3)
    planned.save()
    html = client.get(reverse("forums:meeting_reschedule", args=args)).content.decode()
    assert 'data-sending-label="Menyimpan…"' in html
    assert "js/form-sending.js" in html
