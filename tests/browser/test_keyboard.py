"""Keyboard alone, no mouse or touch: a resident files a problem and an officer moves one a
SARA step with Tab, Shift+Tab, Space, Enter and the arrow keys (WCAG 2.1.1)."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from issues.forms import ProblemForm, TransitionForm
from issues.models import Problem, ProblemEvent, VulnerableGroup
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from tests.browser.helpers import choose_with_arrows, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_resident_files_a_problem_with_the_keyboard_alone(page, t, area, photo_path):
    keyboard = page.keyboard
    # The phone's file picker, answered with a photo. Listening from the start: Playwright
    # intercepts pickers only once a listener exists, and turning that on is not instant.
    page.on("filechooser", lambda chooser: chooser.set_files(str(photo_path)))
    page.goto(page.base_url + "/lapor/")
    # The first Tab reaches the skip link; it jumps over the menu to the search field.
    keyboard.press("Tab")
    expect(page.get_by_role("link", name=t("Skip to content"))).to_be_focused()
    keyboard.press("Enter")
    assert tab_to(page, page.get_by_label(t("Name of the desa or kelurahan"))) == 1
    keyboard.type("Cileunyi Kulon")
    keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=str(area.village)))
    keyboard.press("Enter")

    category = page.get_by_label(t.label(ProblemForm, "category"))
    tab_to(page, category)
    choose_with_arrows(page, category, t.category("pencurian"))
    tab_to(page, page.get_by_label(t.label(ProblemForm, "title")))
    keyboard.type("Motor hilang di pos ronda")
    tab_to(page, page.get_by_label(t.label(ProblemForm, "description")))
    keyboard.type("Sepeda motor hilang dari depan pos ronda RT 03.")
    photos = page.get_by_label(t.label(ProblemForm, "photos"))
    tab_to(page, photos)
    keyboard.press("Space")
    page.wait_for_function("input => input.files.length === 1", arg=photos.element_handle())
    tab_to(page, page.get_by_label(t(VulnerableGroup.YOUTH.label)))
    keyboard.press("Space")
    send = page.get_by_role("button", name=t("Send report"))
    tab_to(page, send)
    # Went past the agreement: one Shift+Tab goes back to it.
    keyboard.press("Shift+Tab")
    expect(page.get_by_label(t.label(ProblemForm, "consent"))).to_be_focused()
    keyboard.press("Space")
    keyboard.press("Tab")
    expect(send).to_be_focused()
    keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you, your report was sent"))
    screenshot(page, "keyboard-filed")
    problem = Problem.objects.get(title="Motor hilang di pos ronda")
    assert problem.category.code == "pencurian"
    assert problem.vulnerable_groups == [VulnerableGroup.YOUTH]
    assert problem.photos.count() == 1


def test_an_officer_moves_a_problem_one_sara_step_with_the_keyboard_alone(page, t, area, officer):
    problem = ProblemFactory(village=area.village, title="Balap liar di jalan desa")
    keyboard = page.keyboard
    page.goto(page.base_url + "/accounts/login/")
    tab_to(page, page.get_by_label(t("Email")))
    keyboard.type(officer.email)
    tab_to(page, page.get_by_label(t("Password")))
    keyboard.type(PASSWORD)
    keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=t("Open problems in my desa")))
    keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=problem.title))
    keyboard.press("Enter")

    step = page.get_by_role("region", name=t("Next step in the SARA cycle"))
    next_step = step.get_by_label(t.label(TransitionForm, "to_status"))
    tab_to(page, next_step)
    choose_with_arrows(page, next_step, t(Status.VERIFIED.label))
    tab_to(page, step.get_by_role("textbox", name=t.label(TransitionForm, "note")))
    keyboard.type("Sudah dicek ke lokasi bersama ketua RT.")
    tab_to(page, step.get_by_label(t.label(TransitionForm, "is_public")))
    keyboard.press("Space")
    tab_to(page, step.get_by_role("button", name=t("Save step")))
    keyboard.press("Enter")

    expect(page.get_by_text(t("Status changed."))).to_be_visible()
    screenshot(page, "keyboard-sara-step")
    problem.refresh_from_db()
    assert problem.status == Status.VERIFIED
    event = problem.events.get(kind=ProblemEvent.Kind.TRANSITION)
    assert event.is_public and event.note == "Sudah dicek ke lokasi bersama ketua RT."
