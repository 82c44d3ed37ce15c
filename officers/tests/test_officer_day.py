"""The officer's day: each desa card shows the open action items of the forums covering it."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from forums import selectors as forum_selectors
from forums.models import ActionItem
from forums.tests.factories import ActionItemFactory, ForumFactory, HeldMeetingFactory
from issues.services import problem_assign
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from officers import selectors, services
from officers.tests.factories import AssignmentFactory

TODAY = timezone.localdate()


@pytest.fixture
def two_desa(area, officer):
    """The officer also serves `village_b`."""
    AssignmentFactory(officer=officer.officer, village=area.village_b)
    return officer


def items_of(forum, *due_days):
    meeting = HeldMeetingFactory(forum=forum)
    return [
        ActionItemFactory(
            meeting=meeting,
            forum=forum,
            what=f"Tindak lanjut {forum.village.name} {days}",
            due_on=TODAY + datetime.timedelta(days=days),
        )
        for days in due_days
    ]


def test_each_desa_has_the_open_action_items_of_its_forum_soonest_due_first(area, two_desa):
    kulon = items_of(ForumFactory(village=area.village), 9, -2, 30, 4)
    wetan = items_of(ForumFactory(village=area.village_b), 5)
    ActionItemFactory(forum=kulon[0].forum, meeting=kulon[0].meeting, status="done")
    days = {d.village: d for d in selectors.officer_day(two_desa)}
    assert days[area.village].open_item_count == 4
    assert days[area.village].first_open_items == [kulon[1], kulon[3], kulon[0]]
    assert days[area.village_b].open_items == wetan


def test_an_area_forums_items_show_on_each_desa_it_covers_and_once_for_today(area, two_desa):
    market = ForumFactory(village=area.village, kind="area")
    market.other_villages.set([area.village_b])
    items = items_of(market, 3, 1)
    days = selectors.officer_day(two_desa)
    assert [d.open_items for d in days] == [[items[1], items[0]]] * 2
    todo = selectors.todo_today(two_desa, days)
    assert todo["action_items"] == [items[1], items[0]]


def test_todays_action_items_are_those_of_the_officers_forums(area, two_desa, officer_elsewhere):
    items = items_of(ForumFactory(village=area.village), 3, -1)
    items += items_of(ForumFactory(village=area.village_b), 2, 40, 8, 6)
    ActionItemFactory(
        meeting=HeldMeetingFactory(forum=ForumFactory(village=area.village_elsewhere)),
        due_on=TODAY,
    )
    undated = ActionItemFactory(forum=items[0].forum, meeting=items[0].meeting, due_on=None)
    todo = selectors.todo_today(two_desa, selectors.officer_day(two_desa))
    expected = list(forum_selectors.open_action_items_for(two_desa)[:5])
    assert todo["action_items"] == expected
    assert undated not in expected and len(expected) == 5


def test_the_officers_page_shows_each_desas_action_items_and_links_to_them(client, area, two_desa):
    items_of(ForumFactory(village=area.village), 1, 2, 3, 4)
    items_of(ForumFactory(village=area.village_b), 7)
    client.force_login(two_desa)
    html = client.get(reverse("landing")).content.decode()
    assert reverse("forums:action_items") in html
    wetan = html[html.index(f'id="desa-{area.village_b.pk}"') :]
    assert f"Tindak lanjut {area.village_b.name} 7" in wetan
    kulon = html[
        html.index(f'id="desa-{area.village.pk}"') : html.index(f'id="desa-{area.village_b.pk}"')
    ]
    for days in (1, 2, 3):
        assert f"Tindak lanjut {area.village.name} {days}" in kulon
    # The card lists the first few; the count and the link lead to the rest.
    assert f"Tindak lanjut {area.village.name} 4" not in kulon
    assert ActionItem.objects.filter(forum__village=area.village, status="open").count() == 4


def test_today_lists_a_problem_the_kapolsek_gave_the_officer_in_another_desa(
    area, officer, kapolsek
):
    elsewhere = ProblemFactory(village=area.village_b)
    problem_assign(actor=kapolsek, problem=elsewhere, officer=officer.officer)
    todo = selectors.todo_today(officer, selectors.officer_day(officer))
    assert elsewhere in todo["waiting_problems"]


def english_landing(client, user) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("landing")).content.decode()


def today_section(html: str) -> str:
    start = html.index('id="today-heading"')
    return html[start : html.index("</section>", start)]


def test_today_counts_the_waiting_problems_it_leaves_out_and_links_to_them(client, area, officer):
    now = timezone.now()
    oldest = [
        ProblemFactory(village=area.village, created_at=now - datetime.timedelta(days=9 - n))
        for n in range(5)
    ]
    newest = ProblemFactory(village=area.village, title="Lampu jalan mati", created_at=now)
    for hours in (3, 2):
        ProblemFactory(
            village=area.village,
            status=Status.REOPENED,
            created_at=now - datetime.timedelta(hours=hours),
        )
    todo = selectors.todo_today(officer, selectors.officer_day(officer))
    assert todo["waiting_problems"] == oldest
    assert (todo["more_new_problems"], todo["more_reopened_problems"]) == (1, 2)
    today = today_section(english_landing(client, officer))
    assert newest.title not in today
    url = reverse("issues:list")
    assert f'<a class="tap" href="{url}?status=new">1 more new problem</a>' in today
    assert f'<a class="tap" href="{url}?status=reopened">2 more reopened problems</a>' in today


def test_today_has_no_more_link_when_everything_waiting_is_listed(client, area, officer):
    for _ in range(5):
        ProblemFactory(village=area.village)
    todo = selectors.todo_today(officer, selectors.officer_day(officer))
    assert len(todo["waiting_problems"]) == 5
    assert (todo["more_new_problems"], todo["more_reopened_problems"]) == (0, 0)
    assert "more new problem" not in today_section(english_landing(client, officer))


def test_today_counts_the_action_items_it_leaves_out_and_links_to_them(client, area, officer):
    items = items_of(ForumFactory(village=area.village), 1, 2, 3, 4, 5, 6, 7)
    todo = selectors.todo_today(officer, selectors.officer_day(officer))
    assert todo["action_items"] == items[:5]
    assert todo["more_action_items"] == 2
    today = today_section(english_landing(client, officer))
    assert items[5].what not in today
    url = reverse("forums:action_items")
    assert f'<a class="tap" href="{url}">2 more action items</a>' in today


@pytest.mark.parametrize(
    ("visited", "shown"),
    [
        (datetime.timedelta(minutes=5), "Today"),
        (datetime.timedelta(days=1), "Yesterday"),
        (datetime.timedelta(days=3), "3 days ago"),
    ],
)
def test_the_last_visit_reads_today_yesterday_or_days_ago(client, area, officer, visited, shown):
    # At noon: five minutes ago is today whatever the hour the suite runs.
    noon = timezone.make_aware(datetime.datetime(2026, 3, 10, 12, 0))
    with time_machine.travel(noon, tick=False):
        services.visit_log(actor=officer, village=area.village, visited_at=noon - visited)
        html = english_landing(client, officer)
    last_visit = html[html.index("<dt>Last visit</dt>") :]
    assert last_visit[: last_visit.index("</dd>")].split("<dd>")[1] == shown


def test_a_visit_last_evening_was_yesterday_though_not_24_hours_ago(area, officer):
    evening = timezone.make_aware(datetime.datetime(2026, 3, 9, 22, 0))
    with time_machine.travel(evening, tick=False):
        services.visit_log(actor=officer, village=area.village, visited_at=evening)
    morning = evening + datetime.timedelta(hours=10)
    (day,) = selectors.officer_day(officer, now=morning)
    assert day.days_since_visit == 1
