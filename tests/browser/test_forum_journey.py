"""An officer sets up the desa's FKPM on a phone, records a meeting that takes up a problem
and agrees an action item, and finds both on the next meeting's agenda; the minutes print as
a PDF."""

import datetime
import io
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from forums.forms import ActionItemForm, LinkProblemForm, MeetingPlanForm, RecordForm
from forums.models import ActionItem, Forum, Meeting, MeetingProblem
from issues.models import Problem
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from tests.browser.helpers import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_runs_a_forum_from_setup_to_the_next_agenda(page, t, area, officer):
    problem = ProblemFactory(
        village=area.village, title="Balap liar di jalan desa", status=Status.ANALYSIS
    )
    sign_in(page, officer.email)
    page.get_by_role("navigation").get_by_role("link", name="FKPM").click()
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

    # A meeting held this morning, planned by hand.
    page.goto(page.base_url + f"/fkpm/{forum.pk}/")
    page.get_by_role("link", name=t("Plan a meeting")).click()
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(forum.timezone))
    page.get_by_label(t.label(MeetingPlanForm, "date")).fill(today.isoformat())
    page.get_by_label(t.label(MeetingPlanForm, "time")).fill("00:05")
    page.get_by_role("button", name=t("Plan the meeting")).click()
    expect(page.get_by_text(t("Meeting planned."))).to_be_visible()
    meeting = forum.meetings.get(scheduled_at__date__lte=today)

    page.get_by_text(t("Put a problem of the desa on the agenda")).click()
    page.get_by_label(t.label(LinkProblemForm, "problem")).select_option(str(problem.pk))
    page.get_by_role("button", name=t("Add to the agenda")).click()
    expect(page.get_by_text(t("Problem put on the agenda."))).to_be_visible()

    page.get_by_text(t("Add a decision or action item")).click()
    page.get_by_label(t.label(ActionItemForm, "what")).fill("Pasang polisi tidur di jalan desa")
    page.get_by_label(t.label(ActionItemForm, "owner_member")).select_option(
        str(forum.members.get(name="Ustaz Hasan").pk)
    )
    due = today + datetime.timedelta(days=14)
    page.get_by_label(t.label(ActionItemForm, "due_on")).fill(due.isoformat())
    page.get_by_label(t.label(ActionItemForm, "problem")).select_option(str(problem.pk))
    page.get_by_role("button", name=t("Add"), exact=True).click()
    expect(page.get_by_text(t("Action item added."))).to_be_visible()

    page.get_by_role("link", name=t("Record attendance and minutes")).click()
    page.get_by_label("Ustaz Hasan").check()
    page.get_by_label("Ibu Euis").check()
    page.get_by_label(t.label(RecordForm, "other_women")).fill("7")
    page.get_by_role("textbox", name=t.label(RecordForm, "minutes")).fill(
        "Warga mengeluhkan **balap liar** tiap malam Minggu.\n\n- Ronda diaktifkan lagi"
    )
    page.get_by_role("button", name=t("Save: the meeting was held")).click()
    expect(page.get_by_text(t("Meeting recorded as held."))).to_be_visible()
    expect(page.locator("strong", has_text="balap liar")).to_be_visible()
    screenshot(page, "forum-meeting-held")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.attendance.count() == 2 and meeting.other_women == 7
    assert MeetingProblem.objects.filter(meeting=meeting, problem=problem).exists()
    item = ActionItem.objects.get(meeting=meeting)
    assert item.owner_member.name == "Ustaz Hasan" and item.due_on == due

    # The next meeting opens with the problem carried over, at its current stage, and the
    # action item still open.
    Problem.objects.filter(pk=problem.pk).update(status=Status.RESPONSE)
    page.goto(page.base_url + f"/fkpm/{forum.pk}/")
    page.get_by_role("link", name=t("Plan a meeting")).click()
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
