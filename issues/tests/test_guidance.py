"""What the problem pages tell the person in front of them, found by a tester on a 360 px
phone: where a refused form's mistake is, which fields a step needs, where a report is
followed, and a phone number the officer can call."""

import pytest
from django.urls import reverse

from issues.forms import ProblemForm
from issues.models import Category, Problem
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from issues.workflow import Status


def form_data(area, **extra):
    return {
        "desa": area.village.code,
        "category": Category.objects.get(code="pencurian").pk,
        "title": "Motor hilang",
        "description": "Motor hilang di depan masjid tadi malam.",
        "consent": "on",
        **extra,
    }


def _top_notice(page: str) -> str:
    """The page above its first card: what a phone shows first."""
    return page[page.index("<h1>") : page.index('class="card')]


# --- The SARA step form -----------------------------------------------------------------------


def test_a_resolved_problem_offers_no_duplicate_or_referral_fields(client, area, kapolsek):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    client.force_login(kapolsek)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    # Only "reopened" is on offer: its note, not the boxes of steps that cannot be taken.
    assert f'value="{Status.REOPENED}"' in page
    assert 'name="duplicate_of"' not in page
    assert 'name="referred_to"' not in page
    assert 'name="resolution"' not in page


def test_a_new_problem_still_offers_the_duplicate_and_referral_fields(client, area, kapolsek):
    problem = ProblemFactory(village=area.village)
    client.force_login(kapolsek)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert 'name="duplicate_of"' in page and 'name="referred_to"' in page
    assert 'name="resolution"' not in page


def test_a_resolved_problem_is_reopened_from_its_page(client, area, kapolsek):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    client.force_login(kapolsek)
    response = client.post(
        reverse("issues:transition", args=[problem.reference]),
        {"to_status": Status.REOPENED, "note": "Warga bilang masih terjadi"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.REOPENED


def test_a_duplicate_is_still_merged_from_its_page(client, area, kapolsek):
    original = ProblemFactory(village=area.village)
    problem = ProblemFactory(village=area.village)
    client.force_login(kapolsek)
    response = client.post(
        reverse("issues:transition", args=[problem.reference]),
        {"to_status": Status.DUPLICATE, "duplicate_of": original.reference.lower()},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.duplicate_of) == (Status.DUPLICATE, original)


# --- A refused form says so at the top --------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "data", "anchor"),
    [
        ("issues:transition", {"to_status": Status.REJECTED, "note": ""}, "step-heading"),
        ("issues:comment", {"note": ""}, "note-heading"),
        ("issues:assign", {"officer": ""}, "assign-heading"),
    ],
)
def test_a_refused_form_on_the_problem_page_is_named_at_the_top(
    client, area, kapolsek, url_name, data, anchor
):
    """The answer opens at the top of a long page: on a phone the form and its mistake were
    two screens down, and nothing said the step was not saved."""
    problem = ProblemFactory(village=area.village)
    client.force_login(kapolsek)
    response = client.post(reverse(url_name, args=[problem.reference]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in _top_notice(page)
    assert f'href="#{anchor}"' in _top_notice(page)
    assert f'id="{anchor}"' in page


def test_the_problem_page_has_no_such_notice_when_nothing_was_sent(client, area, kapolsek):
    problem = ProblemFactory(village=area.village)
    client.force_login(kapolsek)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert 'href="#step-heading"' not in page


def test_information_sent_empty_through_the_tracking_link_is_named_at_the_top(client, area):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    response = client.post(url, {"action": "information", "info-note": ""})
    assert response.status_code == 400
    assert 'href="#info-heading"' in _top_notice(response.content.decode())
    assert not problem.events.filter(kind="information").exists()


def test_a_feedback_without_an_answer_is_named_at_the_top(client, area):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    response = client.post(url, {"action": "feedback", "feedback-rating": "4"})
    assert response.status_code == 400
    assert 'href="#feedback-heading"' in _top_notice(response.content.decode())
    assert not problem.feedback.exists()


# --- Where a report is followed ---------------------------------------------------------------


def test_a_signed_in_resident_is_shown_their_reports_after_filing(client, area, resident):
    client.force_login(resident)
    response = client.post(reverse("issues:file"), form_data(area))
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("issues:list")}"' in page


def test_an_anonymous_reporter_is_not_sent_to_an_account_page_after_filing(client, area):
    response = client.post(reverse("issues:file"), form_data(area))
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("issues:list")}"' not in page


def test_my_reports_says_where_reports_sent_without_signing_in_are_followed(client, area, resident):
    # A tester filed without an account, signed up with the same address and found
    # "You have not reported anything yet."
    ProblemFactory(village=area.village, contact_email=resident.email)
    client.force_login(resident)
    page = client.get(reverse("issues:list")).content.decode()
    main = page[page.index("<main") :]  # the header links there on every page
    assert f'href="{reverse("issues:track_lookup")}"' in main


# --- A phone number the officer can call -------------------------------------------------------


@pytest.mark.parametrize(
    "phone", ["0812 3456 7890", "0812-3456-7890", "+62 812 3456 7890", "(022) 7654321", ""]
)
def test_a_phone_number_as_people_write_it_is_accepted(area, phone):
    form = ProblemForm(form_data(area, contact_phone=phone))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact_phone"] == phone


@pytest.mark.parametrize(
    "phone", ["abc", "Pak Budi", "0812", "0812 3456 7890 1234 5", "08l2345678"]
)
def test_a_phone_field_without_a_number_is_refused(area, phone):
    form = ProblemForm(form_data(area, contact_phone=phone))
    assert not form.is_valid()
    # The message shows how a number is written, in either language.
    assert "0812 3456 7890" in form.errors["contact_phone"][0]


@pytest.mark.parametrize(
    ("phone", "told"),
    [("12345", "8 sampai 15 angka; nomor ini 5 angka"), ("Pak Budi", "dengan angka")],
)
def test_the_phone_message_says_what_is_wrong_with_the_number(area, phone, told):
    form = ProblemForm(form_data(area, contact_phone=phone))
    assert told in form.errors["contact_phone"][0]


def test_a_report_with_a_word_for_a_phone_number_is_sent_back_and_not_filed(client, area):
    response = client.post(reverse("issues:file"), form_data(area, contact_phone="abc"))
    assert response.status_code == 200
    assert 'href="#id_contact_phone"' in response.content.decode()
    assert not Problem.objects.exists()


def test_the_api_refuses_a_word_for_a_phone_number_too(client, area):
    response = client.post(
        "/api/v1/problems/",
        {
            "desa": area.village.code,
            "category": "pencurian",
            "title": "Motor hilang",
            "description": "Motor hilang di depan masjid.",
            "contact_phone": "abc",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "contact_phone" in response.json()
    assert not Problem.objects.exists()


def test_every_way_of_filing_refuses_a_word_for_a_phone_number(area):
    # The rule is the model's: the form, the API, Open311 and the forum's own reports alike.
    from django.core.exceptions import ValidationError

    from issues.services import problem_file

    with pytest.raises(ValidationError) as refused:
        problem_file(
            actor=None,
            village=area.village,
            category=Category.objects.get(code="pencurian"),
            title="Motor hilang",
            description="Motor hilang di depan masjid.",
            consent=True,
            contact_phone="abc",
        )
    assert "contact_phone" in refused.value.message_dict
    assert not Problem.objects.exists()
