"""The minutes of a meeting as a PDF in the usual notulen layout: heading, day, date and place,
attendance list, agenda, discussion, decisions, signatures.

Built with ReportLab (pure Python, BSD): nothing to install beyond pip, on a laptop or in the
container. The text is set in Bitstream Vera, which ships inside ReportLab, so names with
letters outside Latin-1 still print. Minutes are Markdown: they are rendered and sanitised as
for the meeting's page (`forums.markdown`), and that HTML is laid out here, every text escaped
again, so no markup a user typed reaches ReportLab's own paragraph markup.
"""

import io
from html.parser import HTMLParser
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
    HRFlowable,
    Indenter,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from forums.markdown import render_markdown
from forums.models import Meeting
from forums.selectors import problem_title_for
from issues.models import VulnerableGroup
from portal.locale import in_reader_language

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
        "minutes": ParagraphStyle("minutes", parent=body, spaceAfter=2 * mm),
        "code": ParagraphStyle(
            "code",
            parent=body,
            fontSize=9,
            leading=12,
            leftIndent=4 * mm,
            backColor=colors.HexColor("#f0f2f5"),
            spaceAfter=2 * mm,
        ),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "sign": ParagraphStyle("sign", parent=body, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


class _Node:
    """An element of the sanitised minutes: its tag, attributes and children (nodes, text)."""

    def __init__(self, tag: str, attrs: dict | None = None):
        self.tag, self.attrs, self.children = tag, attrs or {}, []


class _TreeBuilder(HTMLParser):
    """The tree of the HTML that `render_markdown` made: nh3 wrote it, so it is well formed
    and holds only the tags of `forums.markdown.ALLOWED_TAGS`."""

    VOID = {"br", "hr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, dict(attrs)))

    def handle_endtag(self, tag):
        if any(node.tag == tag for node in self.stack[1:]):
            while self.stack.pop().tag != tag:
                pass

    def handle_data(self, data):
        self.stack[-1].children.append(data)


_BLOCKS = {"p", "ul", "ol", "li", "blockquote", "h3", "h4", "h5", "h6", "hr", "pre", "table"}
_LINK = '<a href="%s" color="#1a4d8f">%s</a>'


def _text(node) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


def _inline(children) -> str:
    """ReportLab paragraph markup for inline HTML: every text escaped, only bold, italic,
    line breaks and links made again."""
    parts = []
    for child in children:
        if isinstance(child, str):
            parts.append(escape(child))
        elif child.tag in ("strong", "b"):
            parts.append(f"<b>{_inline(child.children)}</b>")
        elif child.tag in ("em", "i"):
            parts.append(f"<i>{_inline(child.children)}</i>")
        elif child.tag == "br":
            parts.append("<br/>")
        elif child.tag == "a" and child.attrs.get("href"):
            href = escape(child.attrs["href"], {'"': "&quot;"})
            parts.append(_LINK % (href, _inline(child.children)))
        else:  # code, a link without address, anything else inline: its text
            parts.append(_inline(child.children))
    return "".join(parts)


def _html_table(node, styles) -> Table:
    rows, header = [], False
    for part in node.children:
        if isinstance(part, str):
            continue
        header = header or part.tag == "thead"
        for row in part.children if part.tag in ("thead", "tbody") else [part]:
            if not isinstance(row, str) and row.tag == "tr":
                rows.append(
                    [
                        Paragraph(_inline(cell.children), styles["cell"])
                        for cell in row.children
                        if not isinstance(cell, str) and cell.tag in ("th", "td")
                    ]
                )
    width = max((len(row) for row in rows), default=1)
    rows = [row + [""] * (width - len(row)) for row in rows] or [[""]]
    return _table(rows, [170 * mm / width] * width, header=header)


def _block(node, styles, around=("", "")) -> list:
    """The flowables of a block element; `around` is the bold or italic an inline element
    around the block gives its text (see `_holds_blocks`)."""
    before, after = around
    if node.tag == "p":
        return [Paragraph(before + _inline(node.children) + after, styles["minutes"])]
    if node.tag in ("h3", "h4", "h5", "h6"):
        return [Paragraph(_inline(node.children), styles["h2"])]
    if node.tag in ("ul", "ol"):
        items = [
            ListItem(_flowables(item, styles, around) or [Paragraph("", styles["minutes"])])
            for item in node.children
            if not isinstance(item, str) and item.tag == "li"
        ]
        if not items:
            return []
        numbered = {"bulletType": "1", "bulletFormat": "%s."} if node.tag == "ol" else {}
        return [
            ListFlowable(
                items,
                **({"bulletType": "bullet"} | numbered),
                bulletFontName=FONT,
                bulletFontSize=10,
                leftIndent=14,
                spaceAfter=2 * mm,
            )
        ]
    if node.tag == "blockquote":
        quoted = _flowables(node, styles, around)
        return [Indenter(left=6 * mm), *quoted, Indenter(left=-6 * mm)]
    if node.tag == "pre":
        code = escape(_text(node).rstrip("\n")).replace("\n", "<br/>")
        return [Paragraph(code, styles["code"])]
    if node.tag == "hr":
        return [HRFlowable(width="100%", thickness=0.5, color=colors.grey, spaceAfter=2 * mm)]
    if node.tag == "table":
        return [_html_table(node, styles), Spacer(0, 2 * mm)]
    # An inline element around blocks: its blocks, with its bold or italic.
    tag = {"strong": "b", "b": "b", "em": "i", "i": "i"}.get(node.tag)
    if tag:
        around = (f"{before}<{tag}>", f"</{tag}>{after}")
    return _flowables(node, styles, around)


def _flowables(node, styles, around=("", "")) -> list:
    """The blocks of a node; inline content between blocks becomes a paragraph."""
    flowables, run = [], []

    def flush():
        markup = _inline(run).strip()
        if markup:
            flowables.append(Paragraph(around[0] + markup + around[1], styles["minutes"]))
        run.clear()

    for child in node.children:
        if isinstance(child, str) or (child.tag not in _BLOCKS and not _holds_blocks(child)):
            run.append(child)
        else:
            flush()
            flowables.extend(_block(child, styles, around))
    flush()
    return flowables


def _holds_blocks(node) -> bool:
    """An inline element around blocks: `a<b>c` typed before a list leaves the list inside
    the <b> (the browser's way of closing it, which nh3 follows)."""
    return any(
        not isinstance(child, str) and (child.tag in _BLOCKS or _holds_blocks(child))
        for child in node.children
    )


def markdown_flowables(text: str, styles) -> list:
    """The minutes as the meeting's page shows them: the same Markdown rendered and sanitised
    by `render_markdown` (what it removes, such as a script, is not printed either), then its
    paragraphs, headings, lists (numbered ones numbered), quotes, code and tables laid out."""
    builder = _TreeBuilder()
    builder.feed(str(render_markdown(text or "")))
    builder.close()
    return _flowables(builder.root, styles)


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


def _decisions_and_signatures(rows, signatures, place_date, s) -> KeepTogether:
    """Part 4 and the signatures. The signatures never stand alone on the last page (a signed
    page must show what was agreed): the part goes over to a new page whole when it fits on
    one; when it is longer than a page, its table breaks across pages and its last row goes
    over with the signatures (keepWithNext: the document keeps that run together once the
    part is split; a KeepTogether inside a KeepTogether would make it always too tall)."""
    widths = [10 * mm, 80 * mm, 35 * mm, 22 * mm, 23 * mm]
    table = Table(signatures, colWidths=[57 * mm] * 3, rowHeights=[None, 20 * mm, None])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    closing = [Spacer(0, 10 * mm), place_date, Spacer(0, 3 * mm)]
    if len(rows) > 2:
        body = _table(rows[:-1], widths)
        closing.insert(0, _table(rows[-1:], widths, header=False))
    else:
        body = _table(rows, widths)
    for flowable in closing:
        flowable.keepWithNext = 1
    heading = Paragraph(escape(_("4. Decisions and action items")), s["h2"])
    return KeepTogether([heading, body, *closing, table])


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
        facts.append([_("Reason for cancelling"), in_reader_language(meeting.cancel_reason)])
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

    rows = [[p(_("No.")), p(_("What")), p(_("Who")), p(_("Due")), p(_("Status"))]]
    for number, item in enumerate(action_items, start=1):
        due = formats.date_format(item.due_on, "j M Y") if item.due_on else "–"
        rows.append(
            [p(number), p(item.what), p(item.owner_display), p(due), p(item.get_status_display())]
        )
    if len(rows) == 1:
        rows.append([p("–"), p(_("No decisions recorded.")), "", "", ""])
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
    place_date = p(f"{village.name}, {formats.date_format(starts, 'j F Y')}", "right")
    story.append(_decisions_and_signatures(rows, signatures, place_date, s))

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
