"""A problem's reference on a forum page links only to a page the reader may open: the police
page for who may open it there (the police of its area, operators, its reporter), the public
page for a public problem, no link otherwise. A forum's secretary is a resident: the police
page of a problem they did not report answers them 404."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forums import selectors
from forums.models import MeetingProblem
from forums.tests.factories import ActionItemFactory, HeldMeetingFactory, MeetingFactory
from issues.tests.factories import ProblemFactory

PROBLEM_HREF = re.compile(r'href="(/(?:masalah|publik)/[^"]+)"')


@pytest.fixture
def problems(area, secretary):
    """One problem of each kind the forum may discuss."""
    return {
        "public": ProblemFactory(village=area.village, title="Lampu jalan mati"),
        "private": ProblemFactory(village=area.village, title="Cekcok keluarga", is_private=True),
        "hidden": ProblemFactory(village=area.village, title="Laporan iseng", is_hidden=True),
        "own": ProblemFactory(
            village=area.village, title="Pagar sekolah rusak", is_private=True, reporter=secretary
        ),
    }


@pytest.fixture
def meeting(forum, held_meeting, problems):
    """A held meeting that discussed every problem and agreed an action item for each."""
    for problem in problems.values():
        MeetingProblem.objects.create(
            meeting=held_meeting,
            problem=problem,
            kind=MeetingProblem.Kind.DISCUSSED,
            status_at_meeting=problem.status,
        )
        ActionItemFactory(meeting=held_meeting, forum=forum, problem=problem)
    return held_meeting


def pages(forum, meeting):
    return [
        reverse("forums:detail", args=[forum.pk]),
        reverse("forums:meeting", args=[forum.pk, meeting.pk]),
        reverse("forums:action_items"),
    ]


def hrefs(client, url) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    return set(PROBLEM_HREF.findall(response.content.decode()))


def test_the_secretary_gets_the_public_page_of_a_public_problem_and_no_dead_links(
    client, forum, secretary, meeting, problems
):
    client.force_login(secretary)
    detail = reverse("issues:detail", args=[problems["public"].reference])
    public = reverse("issues:public", args=[problems["public"].reference])
    for url in pages(forum, meeting):
        links = hrefs(client, url)
        assert public in links, url
        assert detail not in links, url
        # Every problem link on the page opens for the secretary.
        for href in links:
            assert client.get(href).status_code == 200, (url, href)


def test_the_secretary_sees_a_private_or_hidden_problem_they_did_not_report_unlinked(
    client, forum, secretary, meeting, problems
):
    client.force_login(secretary)
    page = client.get(reverse("forums:meeting", args=[forum.pk, meeting.pk])).content.decode()
    for kind in ("private", "hidden"):
        reference = problems[kind].reference
        assert reference in page
        assert f"/{reference}/" not in page, kind
    assert "Cekcok keluarga" not in page  # a private problem keeps its title from them
    assert "Laporan iseng" not in page  # and one an operator hid, from all but operators


def test_the_secretary_opens_the_police_page_of_a_problem_they_reported(
    client, forum, secretary, meeting, problems
):
    client.force_login(secretary)
    own = reverse("issues:detail", args=[problems["own"].reference])
    assert own in hrefs(client, reverse("forums:meeting", args=[forum.pk, meeting.pk]))


def test_the_officer_gets_the_police_page_of_the_desas_problems(
    client, forum, officer, meeting, problems
):
    client.force_login(officer)
    links = hrefs(client, reverse("forums:meeting", args=[forum.pk, meeting.pk]))
    for kind in ("public", "private", "own"):
        assert reverse("issues:detail", args=[problems[kind].reference]) in links, kind
    # Hidden by an operator: not even the officer opens it, or reads its title.
    assert not any(problems["hidden"].reference in href for href in links)
    page = client.get(reverse("forums:meeting", args=[forum.pk, meeting.pk])).content.decode()
    assert "Laporan iseng" not in page
    for url in pages(forum, meeting):
        for href in hrefs(client, url):
            assert client.get(href).status_code == 200, (url, href)


def test_a_carried_over_problem_links_as_the_reader_may_open_it(
    client, forum, secretary, officer, meeting, problems
):
    following = MeetingFactory(
        forum=forum, scheduled_at=timezone.now() + datetime.timedelta(days=3)
    )
    url = reverse("forums:meeting", args=[forum.pk, following.pk])
    public = problems["public"].reference
    client.force_login(secretary)
    assert reverse("issues:public", args=[public]) in hrefs(client, url)
    client.force_login(officer)
    assert reverse("issues:detail", args=[public]) in hrefs(client, url)


def test_problem_pages_for_asks_once_and_not_at_all_without_problems(
    django_assert_num_queries, secretary, problems
):
    with django_assert_num_queries(1):
        pages_ = selectors.problem_pages_for(secretary, [*problems.values(), None])
    assert pages_.url(problems["public"]).startswith("/publik/")
    assert pages_.url(problems["own"]).startswith("/masalah/")
    assert pages_.url(problems["private"]) == pages_.url(problems["hidden"]) == ""
    with django_assert_num_queries(0):
        assert selectors.problem_pages_for(secretary, [None]).url(problems["public"]) == ""


@pytest.mark.parametrize("rows", [1, 20])
def test_the_meeting_page_costs_the_same_queries_for_1_and_20_problems(
    client, area, forum, officer, members, rows
):
    HeldMeetingFactory(forum=forum, scheduled_at=timezone.now() - datetime.timedelta(days=60))
    meeting = HeldMeetingFactory(
        forum=forum, scheduled_at=timezone.now() - datetime.timedelta(days=1)
    )
    earlier = HeldMeetingFactory(
        forum=forum, scheduled_at=timezone.now() - datetime.timedelta(days=30)
    )
    for _number in range(rows):
        problem = ProblemFactory(village=area.village)
        MeetingProblem.objects.create(
            meeting=meeting, problem=problem, kind=MeetingProblem.Kind.DISCUSSED
        )
        ActionItemFactory(meeting=meeting, forum=forum, problem=problem)
        ActionItemFactory(
            meeting=earlier, forum=forum, problem=ProblemFactory(village=area.village)
        )
    client.force_login(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("forums:meeting", args=[forum.pk, meeting.pk]))
    assert response.status_code == 200
    # session, user (with the officer profile), the forum, the meeting, its attendance, the
    # problems discussed (category), the action items (owner, problem), files, may they record,
    # earlier open items (owner, problem, meeting), the pages the officer may open for all those
    # problems (one query), the other desa covered, the problem picker, the members for the
    # action item form, the problems it offers.
    assert len(queries) == 15, "\n".join(q["sql"][:100] for q in queries)
