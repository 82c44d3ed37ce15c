"""How the officer's problem page names a reporter without an account, and the order of the
tracking page's rating scale: each read wrong on a phone."""

import pytest
from django.urls import reverse

from issues import services
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from issues.workflow import Status


def reporter_box(client, settings, officer, problem) -> str:
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    return page[page.index("<h2>Reporter</h2>") :].split("</section>")[0]


def test_a_report_without_an_account_but_with_a_name_is_not_called_anonymous(
    client, settings, area, officer
):
    problem = ProblemFactory(village=area.village, contact_name="Budi", contact_phone="0812")
    box = reporter_box(client, settings, officer, problem)
    assert "No account · contact: Budi" in box
    assert "Anonymous" not in box
    assert 'href="tel:0812"' in box


@pytest.mark.parametrize(
    ("contact", "wording"),
    [
        ({"contact_email": "warga@example.org"}, "Anonymous, left a contact:"),
        ({"contact_email": ""}, "Anonymous, no contact."),
    ],
)
def test_a_report_without_a_name_is_anonymous(client, settings, area, officer, contact, wording):
    problem = ProblemFactory(village=area.village, contact_name="", **contact)
    box = reporter_box(client, settings, officer, problem)
    assert wording in box
    assert "No account" not in box


def test_the_rating_scale_is_explained_before_its_choices_and_tied_to_the_group(client, area):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    page = client.get(url).content.decode()
    hint_id = "id_feedback-rating_helptext"
    group = page[page.index(f'<fieldset class="field" aria-describedby="{hint_id}"') :]
    group = group.split("</fieldset>")[0]
    hint = group.index(f'<span class="helptext" id="{hint_id}">1 = sangat buruk')
    assert hint < group.index('type="radio"')


def test_the_reporter_sees_every_step_but_only_the_notes_made_public(
    client, area, officer, operator
):
    problem = ProblemFactory(village=area.village, is_private=False)
    services.problem_transition(
        actor=officer, problem=problem, to_status=Status.VERIFIED, note="Dicek ke lokasi"
    )
    services.problem_transition(
        actor=officer,
        problem=problem,
        to_status=Status.ANALYSIS,
        note="Pelaku diduga anak RT 05",  # internal: the officer's working note
    )
    # A step an operator hid (abuse in its note) stays hidden from everyone.
    hidden = services.problem_transition(
        actor=officer, problem=problem, to_status=Status.REJECTED, note="Kata kasar"
    )
    services.event_set_hidden(actor=operator, event=hidden, hidden=True)
    services.problem_transition(
        actor=officer, problem=problem, to_status=Status.REOPENED, note="Dibuka lagi"
    )
    services.problem_transition(actor=officer, problem=problem, to_status=Status.ANALYSIS)
    services.problem_transition(
        actor=officer,
        problem=problem,
        to_status=Status.RESPONSE,
        note="Ronda malam ditambah",
        is_public=True,
    )
    services.problem_comment(actor=officer, problem=problem, note="Catatan dalam")
    page = client.get(reverse("issues:track", args=[problem.reference, TRACKING_CODE]))
    timeline = page.content.decode().split('<ol class="timeline">')[1].split("</ol>")[0]
    for status in (Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE):
        assert f"Status: {status.label}" in timeline
    assert "Ronda malam ditambah" in timeline
    assert "Dicek ke lokasi" not in timeline and "Pelaku diduga" not in timeline
    assert "Catatan dalam" not in timeline  # an internal note that is no step at all
    assert 'class="internal"' not in timeline
    assert f"Status: {Status.REJECTED.label}" not in timeline and "Kata kasar" not in timeline
    assert officer.name not in timeline  # the steps never name the officer
    # The public page still shows only what was made public: one step, with its note.
    public = client.get(reverse("issues:public", args=[problem.reference])).content.decode()
    public = public.split('<ol class="timeline">')[1].split("</ol>")[0]
    assert public.count("Status:") == 1 and "Ronda malam ditambah" in public


@pytest.mark.parametrize("typed", ["abcde fghjk", "ABCDEFGHJK", " abcde-fghjk "])
def test_a_tracking_code_typed_loosely_opens_the_link_as_the_thank_you_page_wrote_it(
    client, area, typed
):
    problem = ProblemFactory(village=area.village)
    response = client.post(
        reverse("issues:track_lookup"), {"reference": problem.reference.lower(), "code": typed}
    )
    assert response.url == reverse("issues:track", args=[problem.reference, TRACKING_CODE])


def test_the_notes_the_portal_writes_read_in_the_readers_language(client, settings, area, officer):
    """The portal writes its own notes in its language (others read them later); a reader in
    English reads them in English, names and all, and what a person wrote as it was written."""
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED, is_private=False)
    services.problem_assign(actor=officer, problem=problem, officer=officer.officer)
    services.problem_feedback(problem=problem, solved=False)
    services.problem_comment(
        actor=officer, problem=problem, note="Ditugaskan kepada Pak RT", is_public=True
    )

    def timeline(language: str) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(reverse("issues:track", args=[problem.reference, TRACKING_CODE]))
        return page.content.decode().split('<ol class="timeline">')[1].split("</ol>")[0]

    english = timeline("en")
    assert "The reporter says the problem is not solved." in english
    assert "Pelapor menyatakan" not in english
    assert "Ditugaskan kepada Pak RT" in english  # an officer's words, never translated
    assert "Pelapor menyatakan masalahnya belum selesai." in timeline("id")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    page = client.get(reverse("issues:detail", args=[problem.reference])).content.decode()
    assert f"Assigned to {officer.name}" in page
