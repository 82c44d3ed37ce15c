"""The heart of the portal in a real browser, one problem from start to end: a resident files
it anonymously with a photo and gets a tracking code; the desa's officer takes it through
every SARA stage, tells the FKPM about it at a meeting with attendance and minutes, and logs
the day's visit; the resident comes back with the tracking code and confirms it solved."""

import os
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from forums.models import ActionItem, Meeting, MeetingProblem
from forums.tests.factories import ForumFactory, MemberFactory
from issues.forms import ProblemForm
from issues.models import Problem
from issues.photos import MAX_PHOTOS
from issues.workflow import Status
from officers.models import Visit
from tests.browser.helpers import screenshot, sign_in
from tests.browser.steps import (
    TO_RESOLUTION,
    TRIAGE,
    confirm_solved,
    file_anonymously,
    hold_meeting,
    log_visit,
    move_through_sara,
    open_from_my_problems,
    open_with_tracking_code,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_problem_goes_from_report_through_the_officers_day_to_confirmed_solution(
    page, other_page, t, area, officer, photo_path
):
    # The desa's FKPM exists already (setting one up is test_forum_journey.py's part).
    forum = ForumFactory(village=area.village, name="FKPM Cileunyi Kulon")
    for name in ("Ustaz Hasan", "Ibu Euis"):
        MemberFactory(forum=forum, name=name)

    reference, code = file_anonymously(page, area, photo_path)
    assert re.fullmatch(r"KMT-\d{4}-\d{6}", reference)
    problem = Problem.objects.get(reference=reference, title="Motor hilang di pos ronda")
    assert problem.photos.count() == 1

    # Triage, then the FKPM takes the problem up at the analysis stage, the officer follows
    # it up on the ground, and the response resolves it.
    officer_page = other_page
    sign_in(officer_page, officer.email)
    open_from_my_problems(officer_page, problem.title)
    expect(officer_page.get_by_text("0812 3456 7890")).to_be_visible()
    move_through_sara(officer_page, TRIAGE)
    problem.refresh_from_db()
    assert problem.status == Status.ANALYSIS

    hold_meeting(officer_page, forum, problem=problem, present=["Ustaz Hasan", "Ibu Euis"])
    discussed = officer_page.get_by_role("region", name=t("Problems discussed"))
    expect(discussed).to_contain_text(f"{reference} {problem.title}")
    expect(officer_page.locator("strong", has_text="kosong tiap malam")).to_be_visible()
    screenshot(officer_page, "forum-meeting-held")
    meeting = forum.meetings.get(status=Meeting.Status.HELD)
    assert meeting.attendance.count() == 2 and meeting.other_women == 7
    link = MeetingProblem.objects.get(meeting=meeting)
    assert link.problem == problem and link.status_at_meeting == Status.ANALYSIS
    item = ActionItem.objects.get(meeting=meeting)
    assert item.problem == problem and item.owner_member.name == "Ustaz Hasan"

    log_visit(officer_page, people=6, notes="Sambang ke pos ronda RT 03", problem=problem)
    # The desa card's last visit: today (the "Today" list's heading says it too).
    expect(officer_page.locator(".facts dd").get_by_text(t("Today"), exact=True)).to_be_visible()
    screenshot(officer_page, "officer-day")
    visit = Visit.objects.get()
    assert visit.people == 6 and visit.village == area.village
    assert list(visit.problems.all()) == [problem]

    open_from_my_problems(officer_page, problem.title)
    move_through_sara(officer_page, TO_RESOLUTION)
    screenshot(officer_page, "problem-officer")
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED

    open_with_tracking_code(page, reference, code)
    expect(page.get_by_text("Tahap assessment")).to_be_visible()
    expect(page.locator(".photos img")).to_have_count(1)
    confirm_solved(page, rating=5)
    screenshot(page, "problem-confirmed")
    assert problem.feedback.get().solved is True


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


def test_a_large_phone_photo_is_made_smaller_before_it_is_sent(page, t, area, tmp_path):
    # A 4000 x 3000 photo of noise: some 9 MB, over the portal's 5 MB limit as it is.
    path = tmp_path / "IMG_2041.JPG"
    Image.frombytes("RGB", (4000, 3000), os.urandom(4000 * 3000 * 3)).save(path, quality=95)
    assert path.stat().st_size > 5 * 1024 * 1024
    page.goto(f"{page.base_url}/lapor/?desa={area.village.code}")
    page.get_by_label(t.label(ProblemForm, "category")).select_option(label=t.category("pencurian"))
    page.get_by_label(t.label(ProblemForm, "title")).fill("Kabel listrik dicuri")
    page.get_by_label(t.label(ProblemForm, "description")).fill("Kabel di tiang dekat masjid.")
    photos = page.get_by_label(t.label(ProblemForm, "photos"))
    photos.set_input_files(str(path))
    expect(
        page.get_by_text(
            re.compile(t("Photos ready to send: %(after)s instead of %(before)s.").split("%")[0])
        )
    ).to_be_visible()
    chosen = photos.evaluate("input => [input.files[0].name, input.files[0].size]")
    assert chosen[0] == "IMG_2041.jpg" and chosen[1] < 5 * 1024 * 1024
    page.get_by_label(t.label(ProblemForm, "consent")).check()
    page.get_by_role("button", name=t("Send report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you, your report was sent"))
    photo = Problem.objects.get(title="Kabel listrik dicuri").photos.get()
    assert max(photo.width, photo.height) == 2000


def test_more_photos_than_the_limit_are_refused_before_anything_is_sent(page, t, area, tmp_path):
    """Four photos were refused by the portal only after all of them had been sent over a slow
    signal. Now the choice is emptied as soon as it is made, with the reason beside the field,
    and a choice within the limit is sent."""
    paths = []
    for number in range(MAX_PHOTOS + 1):
        path = tmp_path / f"IMG_{number}.jpg"
        Image.new("RGB", (640, 480), (40 * number, 120, 200)).save(path, "JPEG")
        paths.append(str(path))
    page.goto(f"{page.base_url}/lapor/?desa={area.village.code}")
    photos = page.get_by_label(t.label(ProblemForm, "photos"))
    sent = []
    page.on("request", lambda request: sent.append(request.method))

    photos.set_input_files(paths)
    # The message is the page's, in its language (issues.forms.PhotosInput).
    too_many = t(
        "You chose %(chosen)s photos, but at most %(count)s can be sent. No photo is chosen "
        "now: please choose again, at most %(count)s.",
        chosen=MAX_PHOTOS + 1,
        count=MAX_PHOTOS,
    )
    message = page.get_by_role("alert").filter(has_text=too_many)
    expect(message).to_be_visible()
    expect(photos).to_have_attribute("aria-invalid", "true")
    assert photos.evaluate("input => input.files.length") == 0
    # Beside the field, not at the top of a long page.
    field_box, message_box = photos.bounding_box(), message.bounding_box()
    assert 0 <= message_box["y"] - (field_box["y"] + field_box["height"]) < 40
    screenshot(page, "photos-too-many")
    assert "POST" not in sent

    photos.set_input_files(paths[:MAX_PHOTOS])
    expect(message).to_be_hidden()
    expect(photos).not_to_have_attribute("aria-invalid", "true")
    page.get_by_label(t.label(ProblemForm, "category")).select_option(label=t.category("pencurian"))
    page.get_by_label(t.label(ProblemForm, "title")).fill("Jemuran dicuri")
    page.get_by_label(t.label(ProblemForm, "description")).fill("Pakaian di jemuran hilang.")
    page.get_by_label(t.label(ProblemForm, "consent")).check()
    page.get_by_role("button", name=t("Send report")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you, your report was sent"))
    assert Problem.objects.get(title="Jemuran dicuri").photos.count() == MAX_PHOTOS
