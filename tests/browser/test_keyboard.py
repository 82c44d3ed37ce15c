"""Keyboard alone, no mouse or touch, with Tab, Shift+Tab, Space, Enter and the arrow keys
(WCAG 2.1.1): a resident files a problem, follows it with the tracking code and says it is
solved; an officer moves one a SARA step and logs a visit; a Polres commander drills down the
dashboard to a desa, downloads the table and opens the month's report."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from issues.forms import FeedbackForm, ProblemForm, TrackingForm, TransitionForm
from issues.models import Problem, ProblemEvent, VulnerableGroup
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from issues.workflow import Status
from metrics.compute import recompute
from metrics.compute.months import month_start
from officers.forms import VisitForm
from officers.models import GroupReached, Visit
from tests.browser.helpers import choose_with_arrows, expect_page_response, screenshot, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_with_the_keyboard(page, email: str) -> None:
    t, keyboard = page.t, page.keyboard
    page.goto(page.base_url + "/accounts/login/")
    tab_to(page, page.get_by_label(t("Email")))
    keyboard.type(email)
    tab_to(page, page.get_by_label(t("Password")))
    keyboard.type(PASSWORD)
    keyboard.press("Enter")


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
    sign_in_with_the_keyboard(page, officer.email)
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


def test_a_resident_follows_a_problem_and_says_it_is_solved_with_the_keyboard_alone(page, t, area):
    problem = ProblemFactory(
        village=area.village,
        title="Motor hilang di pos ronda",
        status=Status.RESOLVED,
        resolved_at=timezone.now(),
    )
    keyboard = page.keyboard
    page.goto(page.base_url + "/")
    tab_to(page, page.get_by_role("link", name=t("Follow a report")).first)
    keyboard.press("Enter")
    tab_to(page, page.get_by_label(t.label(TrackingForm, "reference")))
    keyboard.type(problem.reference)
    tab_to(page, page.get_by_label(t.label(TrackingForm, "code")))
    keyboard.type(TRACKING_CODE)
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(problem.title)

    feedback = page.get_by_role("region", name=t("Your report is marked solved"))
    # Tab enters a group of radio buttons at its first; the arrow keys move within it and
    # choose as they go.
    yes = feedback.get_by_role("group", name=t.label(FeedbackForm, "solved")).get_by_label(t("Yes"))
    tab_to(page, yes)
    keyboard.press("Space")
    expect(yes).to_be_checked()
    rating = feedback.get_by_role("group", name=t.label(FeedbackForm, "rating"))
    tab_to(page, rating.get_by_label("1", exact=True))
    for _ in range(3):
        keyboard.press("ArrowRight")
    expect(rating.get_by_label("4", exact=True)).to_be_checked()
    tab_to(page, feedback.get_by_label(t.label(FeedbackForm, "comment")))
    keyboard.type("Motor sudah kembali.")
    tab_to(page, feedback.get_by_role("button", name=t("Send answer")))
    keyboard.press("Enter")

    expect(page.get_by_text(t("Thank you for your answer."))).to_be_visible()
    screenshot(page, "keyboard-confirmed")
    answer = problem.feedback.get()
    assert (answer.solved, answer.rating, answer.comment) == (True, 4, "Motor sudah kembali.")


def test_an_officer_logs_a_visit_with_the_keyboard_alone(page, t, area, officer):
    keyboard = page.keyboard
    sign_in_with_the_keyboard(page, officer.email)
    tab_to(page, page.get_by_role("link", name=t("Log a visit")).first)
    keyboard.press("Enter")

    kind = page.get_by_label(t.label(VisitForm, "kind"))
    tab_to(page, kind)
    choose_with_arrows(page, kind, t(Visit.Kind.FOOT_PATROL.label))
    people = page.get_by_label(t.label(VisitForm, "people"))
    tab_to(page, people)
    # The preset count is replaced, not added to.
    keyboard.press("ControlOrMeta+A")
    keyboard.type("6")
    tab_to(page, page.get_by_label(t(GroupReached.WOMEN.label)))
    keyboard.press("Space")
    tab_to(page, page.get_by_label(t.label(VisitForm, "notes")))
    keyboard.type("Patroli sore di pasar desa")
    tab_to(page, page.get_by_role("button", name=t("Save visit")))
    keyboard.press("Enter")

    expect(page.get_by_text(t("Visit saved."))).to_be_visible()
    screenshot(page, "keyboard-visit")
    visit = Visit.objects.get()
    assert (visit.kind, visit.people, visit.groups_reached, visit.notes) == (
        Visit.Kind.FOOT_PATROL,
        6,
        [GroupReached.WOMEN],
        "Patroli sore di pasar desa",
    )
    assert visit.village == area.village


def test_a_commander_drills_down_the_dashboard_and_opens_the_report_with_the_keyboard_alone(
    page, t, area, officer, polres_commander
):
    recompute(months=[month_start(timezone.localdate())])
    keyboard = page.keyboard
    sign_in_with_the_keyboard(page, polres_commander.email)
    tab_to(page, page.get_by_role("link", name=t("Dashboard of indicators")))
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polres.name)

    # The table of the areas below comes after the indicators: a long way by Tab, but on the way.
    tab_to(page, page.get_by_role("row").get_by_role("link", name=area.polsek.name), limit=200)
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polsek.name)

    table = page.get_by_role(
        "region", name=t("Desa and kelurahan of %(area)s", area=area.polsek.name)
    )
    with page.expect_download() as download:
        tab_to(page, table.get_by_role("link", name="XLSX"), limit=200)
        keyboard.press("Enter")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    cells = {cell for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {area.village.code, area.village_b.code} <= cells

    tab_to(page, table.get_by_role("row").get_by_role("link", name=area.village.name))
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.village.name)
    screenshot(page, "keyboard-dashboard-desa")

    # Back up to the Polres by the breadcrumbs, and its month's report, which Chromium opens
    # in its PDF viewer in the tab.
    breadcrumbs = page.get_by_role("navigation", name=t("Areas above"))
    tab_to(page, breadcrumbs.get_by_role("link", name=area.polres.name))
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(area.polres.name)
    with expect_page_response(page) as opened:
        tab_to(page, page.get_by_role("link", name=t("Monthly report (PDF)")))
        keyboard.press("Enter")
    assert opened.value.status == 200
    assert opened.value.headers["content-type"] == "application/pdf"
