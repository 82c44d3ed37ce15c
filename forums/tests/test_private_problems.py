"""A private problem (KDRT, a family quarrel) is for the police and operators. The forum's
secretary is a civilian who reads the forum's record: on the meeting page, the print-out and
the PDF a private problem shows them its reference, never its title, and the problem picker
does not offer it."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from forums import selectors, services
from forums.models import MeetingProblem
from forums.tests.factories import MeetingFactory
from issues.tests.factories import ProblemFactory

SECRET = "KDRT di rumah Pak Darta"


@pytest.fixture
def private_problem(area):
    return ProblemFactory(village=area.village, title=SECRET, is_private=True)


@pytest.fixture
def public_problem(area):
    return ProblemFactory(village=area.village, title="Lampu jalan mati")


@pytest.fixture
def discussed(held_meeting, private_problem):
    """The private problem was discussed at the last held meeting."""
    return MeetingProblem.objects.create(
        meeting=held_meeting,
        problem=private_problem,
        kind=MeetingProblem.Kind.DISCUSSED,
        status_at_meeting=private_problem.status,
    )


@pytest.fixture
def next_meeting(forum, held_meeting):
    return MeetingFactory(forum=forum, scheduled_at=timezone.now() + datetime.timedelta(days=3))


def page(client, user, name, meeting):
    client.force_login(user)
    response = client.get(reverse(name, args=[meeting.forum_id, meeting.pk]))
    assert response.status_code == 200
    return response


def test_the_secretary_is_not_offered_a_private_problem_in_the_picker(
    client, secretary, next_meeting, private_problem, public_problem
):
    html = page(client, secretary, "forums:meeting", next_meeting).content.decode()
    assert public_problem.title in html
    assert SECRET not in html
    assert private_problem.reference not in html


def test_the_officer_is_offered_a_private_problem_in_the_picker(
    client, officer, next_meeting, private_problem
):
    assert SECRET in page(client, officer, "forums:meeting", next_meeting).content.decode()


def test_the_secretary_cannot_put_a_private_problem_on_the_agenda(
    client, secretary, next_meeting, private_problem
):
    client.force_login(secretary)
    client.post(
        reverse("forums:meeting_link_problem", args=[next_meeting.forum_id, next_meeting.pk]),
        {"problem": private_problem.pk},
    )
    assert not MeetingProblem.objects.filter(meeting=next_meeting).exists()
    with pytest.raises(ValidationError):
        services.meeting_link_problem(
            actor=secretary, meeting=next_meeting, problem=private_problem
        )


def test_linkable_problems_keep_private_ones_for_the_police_and_operators(
    next_meeting, private_problem, public_problem, secretary, officer, operator
):
    assert list(selectors.linkable_problems(next_meeting, viewer=secretary)) == [public_problem]
    for user in (officer, operator):
        assert private_problem in selectors.linkable_problems(next_meeting, viewer=user)


def test_the_secretary_sees_a_carried_over_private_problem_by_its_reference_only(
    client, secretary, next_meeting, discussed
):
    html = page(client, secretary, "forums:meeting", next_meeting).content.decode()
    assert discussed.problem.reference in html
    assert SECRET not in html
    # Nor in the record form, where the secretary ticks it as reviewed.
    next_meeting.scheduled_at = timezone.now() - datetime.timedelta(hours=1)
    next_meeting.save()
    html = page(client, secretary, "forums:meeting_record", next_meeting).content.decode()
    assert discussed.problem.reference in html
    assert SECRET not in html


def test_the_officer_sees_a_carried_over_private_problem_with_its_title(
    client, officer, next_meeting, discussed
):
    assert SECRET in page(client, officer, "forums:meeting", next_meeting).content.decode()


def test_the_secretary_sees_a_private_problem_of_a_held_meeting_by_its_reference_only(
    client, secretary, held_meeting, discussed
):
    for name in ("forums:meeting", "forums:meeting_print"):
        html = page(client, secretary, name, held_meeting).content.decode()
        assert discussed.problem.reference in html, name
        assert SECRET not in html, name


def pdf_text(response) -> str:
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())


def test_the_secretarys_pdf_shows_a_private_problem_by_its_reference_only(
    client, secretary, held_meeting, discussed
):
    text = pdf_text(page(client, secretary, "forums:meeting_pdf", held_meeting))
    assert discussed.problem.reference in text
    assert SECRET not in text


def test_the_officers_print_out_and_pdf_show_a_private_problems_title(
    client, officer, held_meeting, discussed
):
    assert SECRET in page(client, officer, "forums:meeting_print", held_meeting).content.decode()
    assert SECRET in pdf_text(page(client, officer, "forums:meeting_pdf", held_meeting))
