"""A form that failed shows why where the reader is: the meeting page is long on a phone, so each
of its forms posts to an address ending with its own anchor (the browser keeps it for the
answer to a POST and scrolls there), opens the <details> that holds it and starts with a summary
of its errors (role="alert") linking to the fields, as the problem report does."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from forums.models import ActionItem
from forums.tests.factories import ActionItemFactory, MeetingFactory
from issues.tests.factories import ProblemFactory


@pytest.fixture
def planned(forum, members):
    return MeetingFactory(forum=forum, scheduled_at=timezone.now() - datetime.timedelta(hours=2))


def section(html: str, anchor: str) -> str:
    """The element with id `anchor`, up to the end of its <details> (or form)."""
    match = re.search(rf'<(details|form|div|li)[^>]*id="{anchor}"[^>]*>.*?</\1>', html, re.S)
    assert match, anchor
    return match.group(0)


def assert_failed_form_in_view(response, *, anchor: str, field_id: str, action: str, status=400):
    assert response.status_code == status
    html = response.content.decode()
    part = section(html, anchor)
    opening = part.split(">", 1)[0]
    if opening.startswith("<details"):
        assert " open" in opening
    assert f'action="{action}#{anchor}"' in html
    assert 'role="alert"' in part
    assert f'href="#{field_id}"' in part


@pytest.mark.parametrize(
    "name, data, anchor, field_id",
    [
        ("forums:action_item_add", {"what": "Ronda ditambah"}, "add-action", "action_owner_name"),
        ("forums:meeting_cancel", {"reason": ""}, "cancel-meeting", "cancel_reason"),
        ("forums:meeting_link_problem", {"problem": ""}, "put-on-agenda", "link_problem"),
        ("forums:meeting_files", {"kind": "photo"}, "add-files", "files_files"),
        ("forums:meeting_files", {"kind": ""}, "add-files", "files_kind"),
    ],
)
def test_a_failed_form_on_the_meeting_page_comes_back_open_at_its_anchor(
    client, forum, secretary, planned, name, data, anchor, field_id
):
    client.force_login(secretary)
    url = reverse(name, args=[forum.pk, planned.pk])
    response = client.post(url, data)
    assert_failed_form_in_view(response, anchor=anchor, field_id=field_id, action=url)


def test_a_failed_status_update_comes_back_to_its_row_with_its_message(
    client, forum, secretary, held_meeting
):
    item = ActionItemFactory(meeting=held_meeting, forum=forum)
    meeting_url = reverse("forums:meeting", args=[forum.pk, held_meeting.pk])
    client.force_login(secretary)
    response = client.post(
        reverse("forums:action_item_status", args=[item.pk]),
        {"status": "dropped", "note": "", "next": meeting_url},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url}#{item.anchor}"
    item.refresh_from_db()
    assert item.status == ActionItem.Status.OPEN
    row = section(client.get(meeting_url).content.decode(), item.anchor)
    assert '<details class="action-update" open>' in row
    assert 'role="alert"' in row


def test_a_status_update_that_worked_goes_back_to_the_page(client, forum, secretary, held_meeting):
    item = ActionItemFactory(meeting=held_meeting, forum=forum)
    meeting_url = reverse("forums:meeting", args=[forum.pk, held_meeting.pk])
    client.force_login(secretary)
    response = client.post(
        reverse("forums:action_item_status", args=[item.pk]),
        {"status": "done", "next": meeting_url},
    )
    assert response["Location"] == meeting_url
    row = section(client.get(meeting_url).content.decode(), item.anchor)
    assert '<details class="action-update">' in row


def test_a_failed_new_member_comes_back_at_the_form_below_the_list(client, forum, officer):
    url = reverse("forums:members", args=[forum.pk])
    client.force_login(officer)
    response = client.post(url, {"name": "", "role": "anggota"})
    assert_failed_form_in_view(
        response, anchor="add-member", field_id="id_name", action=url, status=200
    )


def test_leaving_without_a_date_says_so_on_the_members_page(client, forum, officer, members):
    client.force_login(officer)
    member = members[1]
    response = client.post(
        reverse("forums:member_leave", args=[forum.pk, member.pk]), {"left_on": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "forums:member_edit", args=[forum.pk, member.pk]
    )
    assert 'class="error"' in response.content.decode()
    member.refresh_from_db()
    assert member.left_on is None


def test_the_record_form_opens_with_a_summary_of_its_errors(client, forum, secretary, planned):
    client.force_login(secretary)
    response = client.post(
        reverse("forums:meeting_record", args=[forum.pk, planned.pk]),
        {"other_men": "0", "other_women": "0", "minutes": ""},
    )
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('role="alert"', 1)[1]
    assert summary.index('href="#id_minutes"') < summary.index('name="members_present"')


def test_the_raise_problem_form_opens_with_a_summary_of_its_errors(
    client, forum, secretary, planned
):
    client.force_login(secretary)
    response = client.post(
        reverse("forums:meeting_raise_problem", args=[forum.pk, planned.pk]), {"title": ""}
    )
    html = response.content.decode()
    summary = html.split('role="alert"', 1)[1]
    assert summary.index('href="#id_title"') < summary.index('name="title"')


def test_a_word_for_a_members_phone_is_refused(client, forum, officer):
    url = reverse("forums:members", args=[forum.pk])
    client.force_login(officer)
    member = {
        "name": "Bu Ani",
        "role": "anggota",
        "sector": "women",
        "gender": "female",
        "joined_on": "2026-01-05",
    }
    response = client.post(url, {**member, "phone": "tanya RT"})
    assert_failed_form_in_view(
        response, anchor="add-member", field_id="id_phone", action=url, status=200
    )
    assert list(response.context["form"].errors) == ["phone"]
    assert not forum.members.filter(name="Bu Ani").exists()
    client.post(url, {**member, "phone": "0812 3456 7890"})
    assert forum.members.get(name="Bu Ani").phone == "0812 3456 7890"


def test_a_new_member_lands_at_their_row_not_at_the_emptied_form(client, forum, officer):
    # The form posts to #add-member; a redirect without an anchor of its own keeps that one,
    # and on a phone the page opened at the emptied form with "Member added." out of view.
    url = reverse("forums:members", args=[forum.pk])
    client.force_login(officer)
    response = client.post(
        f"{url}#add-member",
        {
            "name": "Bu Ani",
            "role": "anggota",
            "sector": "women",
            "gender": "female",
            "joined_on": "2026-01-05",
        },
    )
    member = forum.members.get(name="Bu Ani")
    assert response["Location"] == f"{url}#{member.anchor}"
    assert f'<li id="{member.anchor}">' in client.get(url).content.decode()


def test_what_is_added_on_the_meeting_page_is_where_the_page_opens(
    client, area, forum, secretary, held_meeting
):
    problem = ProblemFactory(village=area.village, title="Balap liar")
    meeting_url = reverse("forums:meeting", args=[forum.pk, held_meeting.pk])
    client.force_login(secretary)
    response = client.post(
        reverse("forums:meeting_link_problem", args=[forum.pk, held_meeting.pk]),
        {"problem": problem.pk},
    )
    assert response["Location"] == f"{meeting_url}#problems-heading"
    response = client.post(
        reverse("forums:action_item_add", args=[forum.pk, held_meeting.pk]),
        {"what": "Portal jalan dipasang", "owner_name": "Karang taruna"},
    )
    item = ActionItem.objects.get()
    assert response["Location"] == f"{meeting_url}#{item.anchor}"
    response = client.post(
        reverse("forums:meeting_files", args=[forum.pk, held_meeting.pk]),
        {"kind": "photo", "files": [SimpleUploadedFile("rapat.jpg", _jpeg())]},
    )
    assert response["Location"] == f"{meeting_url}#files-heading"
    page = client.get(meeting_url).content.decode()
    assert 'id="problems-heading"' in page
    assert f'id="{item.anchor}"' in page
    assert 'id="files-heading"' in page


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def test_the_member_form_asks_to_choose_a_sector_and_a_gender(client, forum, officer):
    client.force_login(officer)
    html = client.get(reverse("forums:members", args=[forum.pk])).content.decode()
    for name in ("sector", "gender"):
        select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
        assert '<option value="" selected>Pilih…</option>' in select
    assert "---------" not in html
