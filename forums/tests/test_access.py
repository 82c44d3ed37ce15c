"""Every forum view, tried by every role against the FKPM of `area.village` (a public forum)
and against a forum that is not public.

- read the record: the police whose area covers the desa, operators, the sitting secretary;
- record: the desa's Bhabinkamtibmas and the secretary;
- manage (details, schedule, members): the desa's Bhabinkamtibmas, Kapolsek, Polres, operators;
- the public page of a public forum: anyone; of a forum that is not public: the desa's residents
  and whoever reads the record.
Everything else answers 404 (anonymous users are sent to sign in where a page needs it).
"""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from forums.models import ActionItem, Meeting, MeetingFile
from forums.tests.factories import ActionItemFactory, MeetingFactory

ROLES = [
    "anonymous",
    "resident",
    "other_resident",
    "secretary",
    "officer",
    "officer_elsewhere",
    "kapolsek",
    "polres_commander",
    "other_polres_commander",
    "polda_viewer",
    "operator",
]
READERS = {"secretary", "officer", "kapolsek", "polres_commander", "polda_viewer", "operator"}
RECORDERS = {"secretary", "officer"}
MANAGERS = {"officer", "kapolsek", "polres_commander", "operator"}


def login(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))


def expected(role, allowed):
    if role in allowed:
        return 200
    return 302 if role == "anonymous" else 404


@pytest.fixture
def meeting_file(held_meeting):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    return MeetingFile.objects.create(
        meeting=held_meeting, kind="attendance_sheet", image=ContentFile(buffer.getvalue(), "a.jpg")
    )


@pytest.mark.parametrize("role", ROLES)
def test_reading_the_forums_pages(
    client, request, forum, secretary, held_meeting, meeting_file, role
):
    login(client, request, role)
    pages = {
        "detail": reverse("forums:detail", args=[forum.pk]),
        "members": reverse("forums:members", args=[forum.pk]),
        "meeting": reverse("forums:meeting", args=[forum.pk, held_meeting.pk]),
        "print": reverse("forums:meeting_print", args=[forum.pk, held_meeting.pk]),
        "pdf": reverse("forums:meeting_pdf", args=[forum.pk, held_meeting.pk]),
    }
    for name, url in pages.items():
        assert client.get(url).status_code == expected(role, READERS), name
    for name in ("forums:file", "forums:file_small"):
        image = client.get(reverse(name, args=[meeting_file.pk]))
        assert image.status_code == (200 if role in READERS else 404), name
    # Lists are scoped rather than refused.
    listing = client.get(reverse("forums:list"))
    if role == "anonymous":
        assert listing.status_code == 302
    else:
        assert (forum.name in listing.content.decode()) == (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_the_public_page_of_a_public_forum_is_open_to_everyone(
    client, request, forum, secretary, held_meeting, role
):
    login(client, request, role)
    page = client.get(reverse("forums:public", args=[forum.pk]))
    assert page.status_code == 200
    assert held_meeting.summary in page.content.decode()
    assert client.get(reverse("forums:calendar_public", args=[forum.pk])).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_forum_that_is_not_public_shows_only_to_its_desa_and_its_police(
    client, request, forum, secretary, held_meeting, role
):
    forum.is_public = False
    forum.save()
    login(client, request, role)
    page = client.get(reverse("forums:public", args=[forum.pk]))
    assert page.status_code == (200 if role in READERS | {"resident"} else 404)
    assert client.get(reverse("forums:calendar_public", args=[forum.pk])).status_code == 404
    private = reverse("forums:calendar_private", args=[forum.pk, forum.calendar_token])
    assert client.get(private).status_code == 200
    wrong = reverse("forums:calendar_private", args=[forum.pk, "not-the-token"])
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("role", ["resident", "other_resident", "anonymous"])
def test_residents_never_see_internal_minutes(client, request, forum, held_meeting, role):
    held_meeting.minutes = "Nama saksi: Pak Dadang, rumah nomor 5"
    held_meeting.minutes_internal = True
    held_meeting.save()
    login(client, request, role)
    page = client.get(reverse("forums:public", args=[forum.pk])).content.decode()
    assert held_meeting.summary in page
    assert "Pak Dadang" not in page
    village_page = client.get(reverse("territory:village_detail", args=[forum.village.code]))
    assert "Pak Dadang" not in village_page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_meeting(client, request, forum, secretary, members, role):
    meeting = MeetingFactory(forum=forum)
    login(client, request, role)
    record_url = reverse("forums:meeting_record", args=[forum.pk, meeting.pk])
    assert client.get(record_url).status_code == expected(role, RECORDERS)
    response = client.post(
        record_url,
        {
            "members_present": [members[0].pk, members[1].pk],
            "other_men": "3",
            "other_women": "5",
            "group_youth": "2",
            "minutes": "Ronda malam dihidupkan lagi.",
        },
    )
    meeting.refresh_from_db()
    if role in RECORDERS:
        assert response.status_code == 302
        assert meeting.status == Meeting.Status.HELD
        assert meeting.other_by_group == {"youth": 2}
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert meeting.status == Meeting.Status.PLANNED


@pytest.mark.parametrize("role", ROLES)
def test_cancelling_a_meeting(client, request, forum, secretary, role):
    meeting = MeetingFactory(forum=forum)
    login(client, request, role)
    response = client.post(
        reverse("forums:meeting_cancel", args=[forum.pk, meeting.pk]), {"reason": "Hujan"}
    )
    meeting.refresh_from_db()
    assert (meeting.status == Meeting.Status.CANCELLED) == (role in RECORDERS)
    if role not in RECORDERS:
        assert response.status_code == (302 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_agreeing_and_closing_action_items(client, request, forum, secretary, held_meeting, role):
    login(client, request, role)
    client.post(
        reverse("forums:action_item_add", args=[forum.pk, held_meeting.pk]),
        {"what": "Pasang lampu", "owner_name": "Ketua RT"},
    )
    assert ActionItem.objects.filter(what="Pasang lampu").exists() == (role in RECORDERS)
    item = ActionItemFactory(meeting=held_meeting, forum=forum)
    response = client.post(reverse("forums:action_item_status", args=[item.pk]), {"status": "done"})
    item.refresh_from_db()
    assert (item.status == "done") == (role in RECORDERS)
    if role not in RECORDERS:
        assert response.status_code == (302 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ROLES)
def test_managing_the_forum(client, request, area, forum, secretary, role):
    login(client, request, role)
    pages = [
        reverse("forums:edit", args=[forum.pk]),
        reverse("forums:schedule", args=[forum.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == expected(role, MANAGERS), url
    client.post(
        reverse("forums:members", args=[forum.pk]),
        {
            "name": "Pak Haji",
            "role": "anggota",
            "sector": "religious",
            "gender": "male",
            "joined_on": "2026-01-05",
        },
    )
    assert forum.members.filter(name="Pak Haji").exists() == (role in MANAGERS)
    client.post(
        reverse("forums:schedule", args=[forum.pk]),
        {
            "frequency": "monthly",
            "interval": "1",
            "weekday": "1",
            "week_of_month": "2",
            "time": "19:00",
            "place": "Balai desa",
            "duration_minutes": "120",
            "starts_on": "2026-01-01",
        },
    )
    assert hasattr(type(forum).objects.get(pk=forum.pk), "schedule") == (role in MANAGERS)


@pytest.mark.parametrize("role", ROLES)
def test_creating_a_forum(client, request, area, role):
    login(client, request, role)
    # The police of other desa open the form for their own desa, but not for this one.
    form = client.get(reverse("forums:create"))
    assert form.status_code == expected(
        role, MANAGERS | {"officer_elsewhere", "other_polres_commander"}
    )
    client.post(
        reverse("forums:create"),
        {"village": area.village.pk, "kind": "desa", "name": "FKPM Baru", "is_public": "on"},
    )
    from forums.models import Forum

    assert Forum.objects.filter(name="FKPM Baru").exists() == (role in MANAGERS)


def test_the_officer_elsewhere_gets_404_on_every_page_of_the_forum(
    client, forum, held_meeting, officer_elsewhere
):
    client.force_login(officer_elsewhere)
    for name, args in [
        ("detail", [forum.pk]),
        ("members", [forum.pk]),
        ("edit", [forum.pk]),
        ("schedule", [forum.pk]),
        ("meeting_plan", [forum.pk]),
        ("meeting", [forum.pk, held_meeting.pk]),
        ("meeting_record", [forum.pk, held_meeting.pk]),
        ("meeting_raise_problem", [forum.pk, held_meeting.pk]),
        ("meeting_print", [forum.pk, held_meeting.pk]),
        ("meeting_pdf", [forum.pk, held_meeting.pk]),
    ]:
        assert client.get(reverse(f"forums:{name}", args=args)).status_code == 404, name
