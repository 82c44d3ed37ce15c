"""The officer's day: each desa card shows the open action items of the forums covering it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import selectors as forum_selectors
from forums.models import ActionItem
from forums.tests.factories import ActionItemFactory, ForumFactory, HeldMeetingFactory
from issues.services import problem_assign
from issues.tests.factories import ProblemFactory
from officers import selectors
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
