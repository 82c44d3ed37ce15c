"""Minutes rendered safely, the calendar feed, the notulen as a printable page and a PDF."""

import datetime
import io

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from forums.markdown import render_markdown
from forums.models import MeetingFile
from forums.tests.factories import ActionItemFactory, MeetingFactory

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    '<svg onload="alert(1)"></svg>',
    "[klik](javascript:alert(1))",
    '<p onclick="alert(1)" style="color:red">teks</p>',
    "<iframe src='https://example.org'></iframe>",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_no_script_or_event_handler_gets_through_the_minutes(source):
    html = render_markdown(f"Notulen rapat.\n\n{source}\n\n**Keputusan**: ronda.").lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<iframe",
        "style=",
        "<svg",
        "<img",
    ):
        assert needle not in html
    assert "<strong>keputusan</strong>" in html


def test_markdown_keeps_lists_emphasis_and_safe_links():
    html = render_markdown("- satu\n- **dua**\n\n[Polri](https://polri.go.id)")
    assert "<li>satu</li>" in html
    assert "<strong>dua</strong>" in html
    assert 'href="https://polri.go.id"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_the_meeting_page_shows_sanitised_minutes(client, forum, held_meeting, officer):
    held_meeting.minutes = 'Rapat.\n\n<script>alert("x")</script><img src=x onerror=alert(1)>'
    held_meeting.save()
    client.force_login(officer)
    page = client.get(reverse("forums:meeting", args=[forum.pk, held_meeting.pk])).content.decode()
    assert 'alert("x")' not in page
    assert "onerror" not in page


# --- Calendar -----------------------------------------------------------------------------------


def test_the_calendar_feed_parses_back_with_utc_times_and_cancellations(client, forum, officer):
    planned = MeetingFactory(
        forum=forum, scheduled_at=datetime.datetime(2026, 12, 8, 12, 0, tzinfo=datetime.UTC)
    )
    cancelled = MeetingFactory(
        forum=forum,
        scheduled_at=datetime.datetime(2026, 12, 15, 12, 0, tzinfo=datetime.UTC),
        status="cancelled",
        cancel_reason="Banjir, rapat diundur",
    )
    response = client.get(reverse("forums:calendar_public", args=[forum.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    # RFC 5545: CRLF line endings and lines of at most 75 octets.
    assert b"\r\n" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    first = events[f"fkpm-meeting-{planned.pk}@testserver"]
    assert first.decoded("DTSTART") == planned.scheduled_at
    assert first.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert first.decoded("DTEND") == planned.scheduled_at + datetime.timedelta(hours=2)
    assert "DTSTAMP" in first
    assert str(first["LOCATION"]) == "Balai desa"
    assert forum.name in str(first["SUMMARY"])
    second = events[f"fkpm-meeting-{cancelled.pk}@testserver"]
    assert str(second["STATUS"]) == "CANCELLED"
    assert "Banjir" in str(second["DESCRIPTION"])


def test_a_new_calendar_link_retires_the_old_one(client, forum, officer):
    old = forum.calendar_token
    client.force_login(officer)
    client.post(reverse("forums:calendar_renew", args=[forum.pk]))
    forum.refresh_from_db()
    assert forum.calendar_token != old
    client.logout()
    assert client.get(reverse("forums:calendar_private", args=[forum.pk, old])).status_code == 404
    new = reverse("forums:calendar_private", args=[forum.pk, forum.calendar_token])
    assert client.get(new).status_code == 200


# --- Notulen ------------------------------------------------------------------------------------


def test_the_print_page_has_the_notulen_parts(client, forum, held_meeting, secretary, officer):
    ActionItemFactory(meeting=held_meeting, forum=forum, what="Pasang lampu di gang mawar")
    client.force_login(officer)
    page = client.get(reverse("forums:meeting_print", args=[forum.pk, held_meeting.pk]))
    html = page.content.decode()
    for part in [
        forum.name,
        "Balai desa",
        "Pak Ketua",
        "Pasang lampu di gang mawar",
        "ronda malam",
        "Bu Sekretaris",
        officer.name,
    ]:
        assert part in html, part


def test_the_notulen_pdf_is_a_pdf_with_the_forum_and_its_decisions(
    client, forum, held_meeting, secretary, officer
):
    ActionItemFactory(meeting=held_meeting, forum=forum, what="Pasang lampu di gang mawar")
    held_meeting.minutes += "\n\n## Lain-lain\n\nNama dengan huruf ŝ, — dan “kutipan” <b>x</b> & y"
    held_meeting.save()
    client.force_login(officer)
    response = client.get(reverse("forums:meeting_pdf", args=[forum.pk, held_meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert forum.name in text
    assert "Pasang lampu di gang mawar" in text
    assert "Pak Ketua" in text
    assert "Bu Sekretaris" in text
    assert "<b>x</b> & y" in text  # typed markup is printed, never interpreted


def test_the_notulen_pdf_has_the_group_counts_and_problem_statuses_of_the_print_page(
    client, area, forum, held_meeting, officer
):
    from forums.models import MeetingProblem
    from issues.tests.factories import ProblemFactory

    problem = ProblemFactory(village=area.village, title="Balap liar di jalan desa")
    MeetingProblem.objects.create(
        meeting=held_meeting,
        problem=problem,
        kind=MeetingProblem.Kind.DISCUSSED,
        status_at_meeting="analysis",
    )
    held_meeting.other_by_group = {"youth": 2}
    held_meeting.save()
    client.force_login(officer)
    response = client.get(reverse("forums:meeting_pdf", args=[forum.pk, held_meeting.pk]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Remaja/pemuda: 2" in text
    assert "status Analisis" in text


def test_the_meeting_page_shows_small_squares_of_its_photos(client, forum, held_meeting, officer):
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), "white").save(buffer, "JPEG")
    client.force_login(officer)
    response = client.post(
        reverse("forums:meeting_files", args=[forum.pk, held_meeting.pk]),
        {
            "kind": "attendance_sheet",
            "files": [SimpleUploadedFile("daftar.jpg", buffer.getvalue())],
        },
    )
    assert response.status_code == 302
    sheet = MeetingFile.objects.get(meeting=held_meeting)
    page = client.get(reverse("forums:meeting", args=[forum.pk, held_meeting.pk])).content.decode()
    small, full = (reverse(name, args=[sheet.pk]) for name in ("forums:file_small", "forums:file"))
    assert f'<a href="{full}"><img src="{small}"' in page
    thumbnail = Image.open(io.BytesIO(b"".join(client.get(small).streaming_content)))
    assert thumbnail.size == (300, 300)
    assert Image.open(io.BytesIO(b"".join(client.get(full).streaming_content))).size == (1600, 1200)
