"""The heart of the portal in a real browser: a resident files an anonymous problem with a
photo and gets a tracking code; the desa's officer takes it through every SARA stage; the
resident confirms through the tracking link."""

import re

import pytest
from playwright.sync_api import expect

from issues.forms import FeedbackForm, ProblemForm, TrackingForm, TransitionForm
from issues.models import Problem, VulnerableGroup
from issues.workflow import Status
from tests.browser.helpers import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAGES = [Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE, Status.ASSESSMENT, Status.RESOLVED]


def file_anonymously(page, area, photo_path) -> tuple[str, str]:
    t = page.t
    page.goto(page.base_url + "/")
    page.get_by_role("link", name=t("Report a problem")).first.click()
    page.get_by_label(t("Name of the desa or kelurahan")).fill("Cileunyi Kulon")
    page.get_by_role("button", name=t("Search")).click()
    page.get_by_role("link", name=str(area.village)).click()
    # 110, the emergency number, in the header and again above the form.
    expect(page.get_by_role("note")).to_have_text(
        t.plain("Emergency? Call <strong>110</strong>. This portal is not an emergency channel.")
    )
    urgent = (
        "Is someone in danger now? Call <strong>110</strong>. "
        "This form is not watched around the clock."
    )
    expect(page.get_by_text(t.plain(urgent))).to_be_visible()
    page.get_by_label(t.label(ProblemForm, "category")).select_option(label=t.category("pencurian"))
    page.get_by_label(t.label(ProblemForm, "title")).fill("Motor hilang di pos ronda")
    page.get_by_label(t.label(ProblemForm, "description")).fill(
        "Sepeda motor hilang dari depan pos ronda RT 03."
    )
    page.get_by_label(t.label(ProblemForm, "location_text")).fill("Pos ronda RT 03 RW 02")
    page.get_by_label(t.label(ProblemForm, "photos")).set_input_files(str(photo_path))
    page.get_by_label(t(VulnerableGroup.YOUTH.label)).check()
    page.get_by_label(t.label(ProblemForm, "contact_phone")).fill("0812 3456 7890")
    page.get_by_label(t.label(ProblemForm, "consent")).check()
    screenshot(page, "problem-form")
    page.get_by_role("button", name=t("Send report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you, your report was sent"))
    screenshot(page, "problem-filed")
    codes = page.locator("strong.code").all_inner_texts()
    return codes[0], codes[1]


def test_a_problem_goes_from_report_to_confirmed_solution(
    page, other_page, t, area, officer, photo_path
):
    reference, code = file_anonymously(page, area, photo_path)
    assert re.fullmatch(r"KMT-\d{4}-\d{6}", reference)
    assert Problem.objects.get(reference=reference).photos.count() == 1

    officer_page = other_page
    sign_in(officer_page, officer.email)
    officer_page.get_by_role("link", name=t("Open problems in my desa")).click()
    officer_page.get_by_role("link", name="Motor hilang di pos ronda").click()
    expect(officer_page.get_by_text("0812 3456 7890")).to_be_visible()
    for stage in STAGES:
        step = officer_page.get_by_role("region", name=t("Next step in the SARA cycle"))
        step.get_by_label(t.label(TransitionForm, "to_status")).select_option(label=t(stage.label))
        step.get_by_role("textbox", name=t.label(TransitionForm, "note")).fill(
            f"Tahap {stage.value}"
        )
        step.get_by_label(t.label(TransitionForm, "is_public")).check()
        if stage == Status.RESOLVED:
            step.get_by_label(t.label(TransitionForm, "resolution")).select_option(
                label=t(Problem.Resolution.COMMUNITY_ACTION.label)
            )
        step.get_by_role("button", name=t("Save step")).click()
        expect(officer_page.get_by_text(t("Status changed."))).to_be_visible()
    screenshot(officer_page, "problem-officer")

    page.goto(page.base_url + "/lacak/")
    page.get_by_label(t.label(TrackingForm, "reference")).fill(reference)
    page.get_by_label(t.label(TrackingForm, "code")).fill(code)
    page.get_by_role("button", name=t.in_context("button: open a report", "Open")).click()
    expect(page.get_by_text("Tahap assessment")).to_be_visible()
    expect(page.locator(".photos img")).to_have_count(1)
    feedback = page.get_by_role("region", name=t("Your report is marked solved"))
    feedback.get_by_role("group", name=t.label(FeedbackForm, "solved")).get_by_label(
        t("Yes")
    ).check()
    feedback.get_by_role("group", name=t.label(FeedbackForm, "rating")).get_by_label(
        "5", exact=True
    ).check()
    page.get_by_role("button", name=t("Send answer")).click()
    expect(page.get_by_text(t("Thank you for your answer."))).to_be_visible()
    screenshot(page, "problem-confirmed")
    assert Problem.objects.get(reference=reference).feedback.get().solved is True


@pytest.mark.parametrize(
    "context_options",
    [
        {
            "geolocation": {"latitude": -6.9312, "longitude": 107.7205},
            "permissions": ["geolocation"],
        }
    ],
    ids=["located"],
)
def test_the_reporter_marks_the_place_with_the_phones_location(page, t, area):
    page.goto(f"{page.base_url}/lapor/?desa={area.village.code}")
    page.get_by_role("button", name=t("Use my location")).click()
    expect(page.get_by_text(f"{t('Point chosen:')} -6.931200, 107.720500")).to_be_visible()
    # The map loads Leaflet from the portal itself; a click moves the point.
    page.get_by_role("button", name=t("Mark the place on a map")).click()
    expect(page.locator(".leaflet-container")).to_be_visible()
    page.get_by_label(t.label(ProblemForm, "category")).select_option(label=t.category("perjudian"))
    page.get_by_label(t.label(ProblemForm, "title")).fill("Judi sabung ayam")
    page.get_by_label(t.label(ProblemForm, "description")).fill(
        "Setiap malam Minggu di kebun belakang balai."
    )
    page.get_by_label(t.label(ProblemForm, "consent")).check()
    page.get_by_role("button", name=t("Send report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you, your report was sent"))
    problem = Problem.objects.get(title="Judi sabung ayam")
    assert (float(problem.latitude), float(problem.longitude)) == (-6.9312, 107.7205)


@pytest.mark.parametrize("context_options", [{"java_script_enabled": False}], ids=["no-js"])
def test_the_form_works_without_javascript(page, t, area):
    page.goto(f"{page.base_url}/lapor/")
    page.get_by_label(t("Name of the desa or kelurahan")).fill("Cileunyi")
    page.get_by_role("button", name=t("Search")).click()
    page.get_by_role("link", name=str(area.village_b)).click()
    page.get_by_label(t.label(ProblemForm, "category")).select_option(
        label=t.category("minuman-keras")
    )
    page.get_by_label(t.label(ProblemForm, "title")).fill("Pesta miras di lapangan")
    page.get_by_label(t.label(ProblemForm, "description")).fill(
        "Sekelompok pemuda minum sampai larut malam."
    )
    page.get_by_label(t.label(ProblemForm, "consent")).check()
    page.get_by_role("button", name=t("Send report")).click()
    code = page.locator("strong.code").nth(1).inner_text()
    page.get_by_role("link", name=t("Follow my report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pesta miras di lapangan")
    assert len(code) == 11
