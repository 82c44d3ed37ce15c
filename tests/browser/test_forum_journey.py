"""An officer sets up the desa's FKPM (name, monthly schedule, members) and, a week after a
meeting that took up a problem and agreed an action item, finds both on the next meeting's
agenda; the minutes print as a PDF.

Planning, taking up a problem, agreeing an action item and recording attendance and minutes
through the pages are part of the officer's journey in test_problem_journey.py: the meeting
held here is recorded through the services."""

import datetime
import io
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from forums.forms import MeetingPlanForm
from forums.models import Forum, Meeting
from forums.services import action_item_add, meeting_link_problem, meeting_plan, meeting_record
from issues.models import Problem
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from tests.browser.helpers import menu, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_runs_a_forum_from_setup_to_the_next_agenda(page, t, area, officer):
    problem = ProblemFactory(
        village=area.village, title="Balap liar di jalan desa", status=Status.ANALYSIS
    )
    sign_in(page, officer.email)
    menu(page).get_by_role("link", name="FKPM").click()
    page.get_by_role("link", name=t("New forum")).click()
    page.get_by_label(t.verbose_name(Forum, "name")).fill("FKPM Cileunyi Kulon")
    page.get_by_role("button", name=t("Save")).click()

    # Straight on to the schedule: monthly, second Tuesday, 19:00 at the balai desa.
    expect(page.get_by_text(t("Forum created. Now set its meeting schedule."))).to_be_visible()
    page.get_by_role("button", name=t("Save schedule")).click()
    expect(page.get_by_text(t("Schedule saved; the coming meetings are planned."))).to_be_visible()
    forum = Forum.objects.get(village=area.village)
    assert forum.meetings.filter(status=Meeting.Status.PLANNED).exists()

    page.get_by_role("link", name=t("Members")).first.click()
    Member = forum.members.model
    people = [
        ("Ustaz Hasan", t(Member.Sector.RELIGIOUS.label), t(Member.Gender.MALE.label)),
        ("Ibu Euis", t(Member.Sector.WOMEN.label), t(Member.Gender.FEMALE.label)),
    ]
    for name, sector, gender in people:
        page.get_by_label(t.verbose_name(Member, "name")).fill(name)
        page.get_by_label(t.verbose_name(Member, "sector")).select_option(label=sector)
        page.get_by_label(t.verbose_name(Member, "gender")).select_option(label=gender)
        page.get_by_role("button", name=t("Add member")).click()
        expect(page.get_by_text(t("Member added."))).to_be_visible()

    # A week ago the forum took the problem up and agreed an action item.
    forum.refresh_from_db()
    hasan, euis = forum.members.get(name="Ustaz Hasan"), forum.members.get(name="Ibu Euis")
    held_at = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(days=7)
    meeting = meeting_plan(
        actor=officer, forum=forum, scheduled_at=held_at, place="Balai desa", held_already=True
    )
    meeting_link_problem(actor=officer, meeting=meeting, problem=problem)
    action_item_add(
        actor=officer,
        meeting=meeting,
        what="Pasang polisi tidur di jalan desa",
        owner_member=hasan,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
        problem=problem,
    )
    meeting_record(
        actor=officer,
        meeting=meeting,
        members_present=[hasan, euis],
        minutes="Warga mengeluhkan **balap liar** tiap malam Minggu.",
        other_women=7,
    )

    # The next meeting opens with the problem carried over, at its current stage, and the
    # action item still open.
    Problem.objects.filter(pk=problem.pk).update(status=Status.RESPONSE)
    page.goto(page.base_url + f"/fkpm/{forum.pk}/")
    page.get_by_role("link", name=t("Plan a meeting")).click()
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(forum.timezone))
    page.get_by_label(t.label(MeetingPlanForm, "date")).fill(
        (today + datetime.timedelta(days=21)).isoformat()
    )
    page.get_by_role("button", name=t("Plan the meeting")).click()
    carried = page.locator("section", has=page.get_by_role("heading", name=t("Agenda")))
    expect(carried).to_contain_text(problem.reference)
    expect(carried).to_contain_text(t(Status.RESPONSE.label))
    expect(page.get_by_text("Pasang polisi tidur di jalan desa")).to_be_visible()
    screenshot(page, "forum-next-agenda")

    response = page.request.get(page.base_url + f"/fkpm/{forum.pk}/rapat/{meeting.pk}/notulen.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "FKPM Cileunyi Kulon" in text and "Ustaz Hasan" in text
