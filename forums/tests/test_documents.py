"""Minutes rendered safely, the calendar feed, the notulen as a printable page and a PDF."""

import datetime
import io
import re

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from forums.markdown import render_markdown
from forums.models import Meeting, MeetingFile
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


def test_the_print_page_has_a_print_button_its_script_shows(client, forum, held_meeting, officer):
    # On a phone the browser's print is deep in its menu: "Cetak" on the meeting page led to a
    # page that looked like the notulen and did not print.
    client.force_login(officer)
    response = client.get(reverse("forums:meeting_print", args=[forum.pk, held_meeting.pk]))
    html = response.content.decode()
    assert '<button class="primary" type="button" id="print-now" hidden>Cetak</button>' in html
    nonce = response.wsgi_request.csp_nonce
    script = html.split(f'<script nonce="{nonce}">')[-1].split("</script>")[0]
    assert 'getElementById("print-now")' in script
    assert "window.print()" in script


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
    # As on the meeting's page: the allowed markup is kept (bold), never ReportLab's own.
    assert "x & y" in text
    assert "<b>" not in text


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


# --- The PDF's minutes are the web page's minutes ------------------------------------------------


def _pdf_pages(client, meeting) -> list[str]:
    response = client.get(reverse("forums:meeting_pdf", args=[meeting.forum_id, meeting.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_pdf_numbers_a_numbered_list_of_the_minutes(client, forum, held_meeting, officer):
    held_meeting.minutes = "Keputusan:\n\n1. Ronda ditambah\n2. Koordinasi dengan Babinsa\n"
    held_meeting.save()
    client.force_login(officer)
    text = " ".join(_pdf_pages(client, held_meeting))
    assert "1. Ronda ditambah" in text
    assert "2. Koordinasi dengan Babinsa" in text
    assert "•" not in text


def test_the_pdf_leaves_out_what_the_web_page_leaves_out(client, forum, held_meeting, officer):
    held_meeting.minutes = "Awal a<b>c akhir\n\n<script>alert('x')</script>\n\n- satu\n- dua"
    held_meeting.save()
    client.force_login(officer)
    page = client.get(reverse("forums:meeting", args=[forum.pk, held_meeting.pk])).content.decode()
    assert "alert(" not in page
    text = " ".join(_pdf_pages(client, held_meeting))
    assert "Awal ac akhir" in text
    assert "<b>" not in text
    assert "alert(" not in text
    assert "script" not in text
    assert "• satu • dua" in text  # a list after the unclosed <b> stays a list


def test_the_pdf_lays_out_quotes_code_tables_and_links_of_the_minutes():
    from forums.pdf import _register_fonts, _styles, markdown_flowables

    # As notulen_pdf does first: alone in a worker, the test met fonts nobody had registered.
    _register_fonts()
    source = (
        "> Kutipan *penting*\n\n    kode\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n---\n\n"
        "[Polri](https://polri.go.id?a=1&b=2) dan [jahat](javascript:alert(1))"
    )
    flowables = markdown_flowables(source, _styles())
    kinds = [type(f).__name__ for f in flowables]
    assert "Table" in kinds
    assert "HRFlowable" in kinds
    assert kinds.count("Indenter") == 2
    link = flowables[-1].text
    assert 'href="https://polri.go.id?a=1&amp;b=2"' in link
    assert "javascript" not in link


def test_the_signatures_never_stand_alone_on_the_last_page(forum, held_meeting, officer):
    """Minutes of every length: the last page always holds the last decision too."""
    from forums import pdf, selectors

    ActionItemFactory(meeting=held_meeting, forum=forum, what="Keputusan pertama")
    ActionItemFactory(meeting=held_meeting, forum=forum, what="Keputusan terakhir")
    for lines in range(20, 80, 2):
        held_meeting.minutes = "\n\n".join(f"Paragraf nomor {n}." for n in range(lines))
        held_meeting.save()
        meeting = selectors.meeting_for_user_or_404(officer, forum.pk, held_meeting.pk)
        content = pdf.minutes_pdf(
            meeting,
            attendance=list(meeting.attendance.all()),
            problem_links=[],
            action_items=list(meeting.action_items.order_by("pk")),
            viewer=officer,
        )
        last = PdfReader(io.BytesIO(content)).pages[-1].extract_text()
        assert "Keputusan terakhir" in last, lines


def test_short_minutes_with_their_signatures_fit_on_one_page(client, forum, held_meeting, officer):
    ActionItemFactory(meeting=held_meeting, forum=forum)
    ActionItemFactory(meeting=held_meeting, forum=forum)
    client.force_login(officer)
    assert len(_pdf_pages(client, held_meeting)) == 1


# --- Minutes are internal unless the recorder opens them ------------------------------------------


def _record_form(client, meeting):
    url = reverse("forums:meeting_record", args=[meeting.forum_id, meeting.pk])
    html = client.get(url).content.decode()
    return re.search(r'<input[^>]*name="minutes_internal"[^>]*>', html).group(0)


def test_a_new_meetings_minutes_are_internal(forum):
    assert MeetingFactory(forum=forum).minutes_internal is True


def test_the_record_form_keeps_the_minutes_internal_unless_unticked(client, forum, secretary):
    planned = MeetingFactory(forum=forum, scheduled_at=timezone.now() - datetime.timedelta(hours=2))
    # Planned before minutes were internal by default: the row still says public.
    Meeting.objects.filter(pk=planned.pk).update(minutes_internal=False)
    client.force_login(secretary)
    assert "checked" in _record_form(client, planned)


def test_correcting_a_held_meeting_keeps_its_choice(client, forum, held_meeting, secretary):
    assert held_meeting.minutes_internal is False
    client.force_login(secretary)
    assert "checked" not in _record_form(client, held_meeting)


def test_the_minutes_field_warns_against_names_while_they_can_be_public(client, forum, secretary):
    planned = MeetingFactory(forum=forum, scheduled_at=timezone.now() - datetime.timedelta(hours=2))
    client.force_login(secretary)
    client.cookies["django_language"] = "en"
    url = reverse("forums:meeting_record", args=[forum.pk, planned.pk])
    assert "then write no names" in client.get(url).content.decode()
