"""The minutes of a meeting as a PDF in the usual notulen layout: heading, day, date and place,
attendance list, agenda, discussion, decisions, signatures.

Built with ReportLab (pure Python, BSD): nothing to install beyond pip, on a laptop or in the
container. The text is set in Bitstream Vera, which ships inside ReportLab, so names with
letters outside Latin-1 still print. Minutes are Markdown: they are turned into paragraphs and
lists here from the source text, every character escaped first, so no markup a user typed
reaches ReportLab's own paragraph markup.
"""

import io
import re
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from forums.models import Meeting
from forums.selectors import problem_title_for
from issues.models import VulnerableGroup

FONT_DIR = Path(reportlab.__file__).parent / "fonts"
FONT, FONT_BOLD = "Vera", "VeraBd"


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont("VeraIt", str(FONT_DIR / "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBI", str(FONT_DIR / "VeraBI.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic="VeraIt", boldItalic="VeraBI"
    )


def _styles():
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName=FONT, fontSize=10, leading=13)
    return {
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=TA_CENTER),
        "section": ParagraphStyle(
            "section",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=13,
            leading=17,
            alignment=TA_CENTER,
            spaceBefore=10,
        ),
        # A heading never ends a page: it goes over with what it heads (keepWithNext).
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _inline(text: str) -> str:
    """Escape everything, then allow Markdown's bold and italic back as ReportLab tags."""
    text = escape(text)
    text = _BOLD.sub(r"<b>\1</b>", text)
    return _ITALIC.sub(r"<i>\1</i>", text)


def markdown_flowables(text: str, styles) -> list:
    """Paragraphs, headings and lists from Markdown source: enough for minutes."""
    flowables, bullets, paragraph = [], [], []

    def flush():
        if paragraph:
            flowables.append(Paragraph(_inline(" ".join(paragraph)), styles["body"]))
            flowables.append(Spacer(0, 2 * mm))
            paragraph.clear()
        if bullets:
            flowables.append(
                ListFlowable(
                    [ListItem(Paragraph(_inline(b), styles["body"])) for b in bullets],
                    bulletType="bullet",
                    bulletFontName=FONT,
                    leftIndent=12,
                )
            )
            flowables.append(Spacer(0, 2 * mm))
            bullets.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("#"):
            flush()
            flowables.append(Paragraph(_inline(stripped.lstrip("#").strip()), styles["h2"]))
        elif _BULLET.match(line):
            if paragraph:
                flush()
            bullets.append(_BULLET.sub("", line, count=1).strip())
        elif bullets and line.startswith((" ", "\t")):
            bullets[-1] += " " + stripped
        else:
            if bullets:
                flush()
            paragraph.append(stripped)
    flush()
    return flowables


def _table(rows, widths, *, header=True):
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ]
    if header:
        style += [
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6eaf0")),
        ]
    table.setStyle(TableStyle(style))
    return table


def minutes_pdf(
    meeting: Meeting,
    *,
    attendance,
    problem_links,
    action_items,
    viewer,
    officer_name: str = "",
    chair_name: str = "",
    secretary_name: str = "",
) -> bytes:
    """The notulen as `viewer` may read them: a private problem on the agenda shows only its
    reference to a viewer who is not police (the forum's secretary prints them too)."""
    _register_fonts()
    forum = meeting.forum
    village = forum.village
    s = _styles()
    starts = forum.local(meeting.scheduled_at)
    p = lambda text, style="cell": Paragraph(escape(str(text)), s[style])  # noqa: E731

    story = [
        Paragraph(escape(_("MINUTES OF THE FKPM MEETING").upper()), s["title"]),
        Paragraph(escape(forum.name), s["title"]),
        Paragraph(
            escape(
                f"{village}, {_('Kec.')} {village.district.name}, {village.district.regency.name}"
            ),
            s["subtitle"],
        ),
    ]
    if forum.decree_number:
        story.append(
            Paragraph(escape(_("Decree (SK): %(sk)s") % {"sk": forum.decree_number}), s["subtitle"])
        )
    story.append(Spacer(0, 5 * mm))
    facts = [
        [_("Day, date"), formats.date_format(starts, "l, j F Y")],
        [_("Time"), f"{starts:%H:%M} {forum.zone_label}"],
        [_("Place"), meeting.place],
        [_("Status"), meeting.get_status_display()],
    ]
    if meeting.status == Meeting.Status.CANCELLED:
        facts.append([_("Reason for cancelling"), meeting.cancel_reason])
    story.append(_table([[p(a), p(b)] for a, b in facts], [40 * mm, 130 * mm], header=False))

    story.append(Paragraph(escape(_("1. Attendance")), s["h2"]))
    rows = [[p(_("No.")), p(_("Name")), p(_("Role")), p(_("Represents")), p(_("Signature"))]]
    for number, entry in enumerate(attendance, start=1):
        member = entry.member
        rows.append(
            [
                p(number),
                p(member.name),
                p(member.get_role_display()),
                p(member.get_sector_display()),
                "",
            ]
        )
    if len(rows) == 1:
        rows.append([p("–"), p(_("No member recorded.")), "", "", ""])
    story.append(_table(rows, [10 * mm, 55 * mm, 38 * mm, 37 * mm, 30 * mm]))
    story.append(Spacer(0, 2 * mm))
    others = _("Other residents: %(men)d men, %(women)d women.") % {
        "men": meeting.other_men,
        "women": meeting.other_women,
    }
    groups = dict(VulnerableGroup.choices)
    counts = [
        f"{groups.get(group, group)}: {count}"
        for group, count in (meeting.other_by_group or {}).items()
    ]
    story.append(p(" ".join([others, " · ".join(counts)]).strip(), "body"))
    if meeting.police_present:
        story.append(p(_("Police present: %(who)s") % {"who": meeting.police_present}, "body"))
    if meeting.partners_present:
        story.append(p(_("Partners present: %(who)s") % {"who": meeting.partners_present}, "body"))

    story.append(Paragraph(escape(_("2. Agenda")), s["h2"]))
    agenda = [_("Opening"), _("Review of the problems carried over from the last meeting")]
    for link in problem_links:
        # As on the print page: what the forum did with it and its SARA status at the meeting.
        about = [link.get_kind_display().lower()]
        if link.status_at_meeting:
            about.append(_("status %(status)s") % {"status": link.status_at_meeting_label})
        agenda.append(
            f"{link.problem.reference} · {problem_title_for(link.problem, viewer)} "
            f"({'; '.join(about)})"
        )
    agenda += [_("Decisions and action items"), _("Closing")]
    story.append(
        ListFlowable(
            [ListItem(p(item, "body")) for item in agenda],
            bulletType="1",
            bulletFontName=FONT,
            bulletFontSize=10,
            leftIndent=14,
        )
    )

    story.append(Paragraph(escape(_("3. Discussion")), s["h2"]))
    story += markdown_flowables(meeting.minutes, s) or [p("–", "body")]

    story.append(Paragraph(escape(_("4. Decisions and action items")), s["h2"]))
    rows = [[p(_("No.")), p(_("What")), p(_("Who")), p(_("Due")), p(_("Status"))]]
    for number, item in enumerate(action_items, start=1):
        due = formats.date_format(item.due_on, "j M Y") if item.due_on else "–"
        rows.append(
            [p(number), p(item.what), p(item.owner_display), p(due), p(item.get_status_display())]
        )
    if len(rows) == 1:
        rows.append([p("–"), p(_("No decisions recorded.")), "", "", ""])
    story.append(_table(rows, [10 * mm, 80 * mm, 35 * mm, 22 * mm, 23 * mm]))

    story.append(Spacer(0, 10 * mm))
    place_date = f"{village.name}, {formats.date_format(starts, 'j F Y')}"
    blank = "(....................)"
    signatures = [
        [
            p(_("Secretary (note taker)"), "sign"),
            p(_("Chair of the FKPM"), "sign"),
            p(_("Bhabinkamtibmas"), "sign"),
        ],
        ["", "", ""],
        [
            p(secretary_name or blank, "sign"),
            p(chair_name or blank, "sign"),
            p(officer_name or blank, "sign"),
        ],
    ]
    table = Table(signatures, colWidths=[57 * mm] * 3, rowHeights=[None, 20 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(KeepTogether([p(place_date, "right"), Spacer(0, 3 * mm), table]))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{_('Minutes')} {forum.name} {starts:%Y-%m-%d}",
        author="Polmas Portal",
    )
    document.build(story)
    return buffer.getvalue()
