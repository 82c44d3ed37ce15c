"""Steps that more than one browser test takes, done as a person does them: filing a problem,
moving it through the SARA stages, holding a forum meeting, logging a visit, following a
problem with its tracking code. Each step starts from where a person would be and leaves the
page on the result; the tests keep their own checks."""

import datetime
import zoneinfo

from django.utils import timezone
from playwright.sync_api import Page, expect

from forums.forms import ActionItemForm, LinkProblemForm, MeetingPlanForm, RecordForm
from forums.models import Forum, Member
from issues.forms import FeedbackForm, ProblemForm, TrackingForm, TransitionForm
from issues.models import Problem, VulnerableGroup
from issues.workflow import Status
from officers.forms import VisitForm
from officers.models import GroupReached, Visit
from tests.browser.helpers import menu, screenshot

# Triage takes a new problem to analysis, where the FKPM can take it up (a meeting's agenda
# only takes open problems); the rest of the cycle ends in its resolution.
TRIAGE = [Status.VERIFIED, Status.ANALYSIS]
TO_RESOLUTION = [Status.RESPONSE, Status.ASSESSMENT, Status.RESOLVED]


def file_anonymously(page: Page, area, photo_path) -> tuple[str, str]:
    """From the home page, without an account: a theft with a photo and a phone number.
    Returns the reference and the secret tracking code the thank-you page shows."""
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


def open_from_my_problems(page: Page, title: str) -> None:
    """The signed-in officer, from the home page, opens a problem of the desa."""
    t = page.t
    page.goto(page.base_url + "/home/")
    page.get_by_role("link", name=t("Open problems in my desa")).click()
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def move_through_sara(page: Page, stages: list[Status]) -> None:
    """On the problem's page: each stage in turn, each with a public note; resolved by the
    community's action."""
    t = page.t
    for stage in stages:
        step = page.get_by_role("region", name=t("Next step in the SARA cycle"))
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
        expect(page.get_by_text(t("Status changed."))).to_be_visible()


def hold_meeting(page: Page, forum: Forum, *, problem: Problem, present: list[str]) -> None:
    """The signed-in officer enters a meeting of `forum` held last night, puts `problem` on
    its agenda by its reference and title, agrees an action item for it and records the
    members `present` and the minutes."""
    t = page.t
    menu(page).get_by_role("link", name="FKPM").click()
    page.get_by_role("link", name=forum.name).click()
    page.get_by_role("link", name=t("Plan a meeting")).click()
    # Last night rather than this morning: a meeting is recorded only once it has begun, and
    # the test may run just after midnight.
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(forum.timezone))
    yesterday = today - datetime.timedelta(days=1)
    page.get_by_label(t.label(MeetingPlanForm, "date")).fill(yesterday.isoformat())
    page.get_by_label(t.label(MeetingPlanForm, "time")).fill("19:30")
    # Nobody planned it beforehand: the form takes a past time only for a meeting held already,
    # and goes on to its record form; the agenda is set on the meeting's page first.
    page.get_by_label(t.label(MeetingPlanForm, "held_already")).check()
    page.get_by_role("button", name=t("Plan the meeting")).click()
    expect(
        page.get_by_text(t("Meeting added. Now record who came and the minutes."))
    ).to_be_visible()
    page.locator(".breadcrumbs a").last.click()

    # The picker names each problem by reference, title and current stage, as the officer
    # knows it from the problem's page.
    status = t(Status(problem.status).label)
    page.get_by_text(t("Put a problem of the desa on the agenda")).click()
    page.get_by_label(t.label(LinkProblemForm, "problem")).select_option(
        label=f"{problem.reference} · {problem.title} · {status}"
    )
    page.get_by_role("button", name=t("Add to the agenda")).click()
    expect(page.get_by_text(t("Problem put on the agenda."))).to_be_visible()

    page.get_by_text(t("Add a decision or action item")).click()
    page.get_by_label(t.label(ActionItemForm, "what")).fill("Ronda malam di pos RT 03")
    page.get_by_label(t.label(ActionItemForm, "owner_member")).select_option(
        label=f"{present[0]} ({t(Member.Role.MEMBER.label)})"
    )
    due = today + datetime.timedelta(days=14)
    page.get_by_label(t.label(ActionItemForm, "due_on")).fill(due.isoformat())
    page.get_by_label(t.label(ActionItemForm, "problem")).select_option(
        label=f"{problem.reference} · {problem.title}"
    )
    page.get_by_role("button", name=t("Add"), exact=True).click()
    expect(page.get_by_text(t("Action item added."))).to_be_visible()

    page.get_by_role("link", name=t("Record attendance and minutes")).click()
    for name in present:
        page.get_by_label(name).check()
    page.get_by_label(t.label(RecordForm, "other_women")).fill("7")
    page.get_by_role("textbox", name=t.label(RecordForm, "minutes")).fill(
        "Pos ronda RT 03 **kosong tiap malam**; motor dicuri saat itu.\n\n- Ronda diaktifkan lagi"
    )
    page.get_by_role("button", name=t("Save: the meeting was held")).click()
    expect(page.get_by_text(t("Meeting recorded as held."))).to_be_visible()


def log_visit(page: Page, *, people: int, notes: str, problem: Problem | None = None) -> None:
    """The signed-in officer logs a visit from the home page: the desa, kind and time are
    preset, so a count, a group and a note are all it takes (and the problem it followed up,
    picked by its reference and title)."""
    t = page.t
    page.goto(page.base_url + "/home/")
    page.get_by_role("link", name=t("Log a visit")).first.click()
    page.get_by_label(t.label(VisitForm, "people")).fill(str(people))
    page.get_by_label(t(GroupReached.WOMEN.label)).check()
    page.get_by_label(t.label(VisitForm, "notes")).fill(notes)
    if problem is not None:
        page.get_by_label(t.label(VisitForm, "kind")).select_option(
            label=t(Visit.Kind.FOLLOW_UP.label)
        )
        page.get_by_label(f"{problem.reference}: {problem.title}").check()
    page.get_by_role("button", name=t("Save visit")).click()
    expect(page.get_by_text(t("Visit saved."))).to_be_visible()


def open_with_tracking_code(page: Page, reference: str, code: str) -> None:
    """A resident without an account comes back to the tracking page and types the codes."""
    t = page.t
    page.goto(page.base_url + "/lacak/")
    page.get_by_label(t.label(TrackingForm, "reference")).fill(reference)
    page.get_by_label(t.label(TrackingForm, "code")).fill(code)
    page.get_by_role("button", name=t.in_context("button: open a report", "Open")).click()


def confirm_solved(page: Page, *, rating: int) -> None:
    """On the tracking page of a resolved problem: yes, it is solved, and a rating."""
    t = page.t
    feedback = page.get_by_role("region", name=t("Your report is marked solved"))
    feedback.get_by_role("group", name=t.label(FeedbackForm, "solved")).get_by_label(
        t("Yes")
    ).check()
    feedback.get_by_role("group", name=t.label(FeedbackForm, "rating")).get_by_label(
        str(rating), exact=True
    ).check()
    page.get_by_role("button", name=t("Send answer")).click()
    expect(page.get_by_text(t("Thank you for your answer."))).to_be_visible()
