"""The monthly report of a Polres (or a Polsek) as a PDF, for the commander's monthly meeting
and the report upwards: a cover, each indicator family with this month and last month, the
crime statistics beside them (never merged into one score), and the desa needing attention.

Built with ReportLab the way the notulen are (forums/pdf.py): the same Bitstream Vera fonts,
every text escaped before it becomes a paragraph. Vera has no arrow glyphs, so the change
from last month is said in words.
"""

import datetime
import io
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from forums import pdf as notulen_pdf
from metrics.selectors import (
    Area,
    AreaFigures,
    ChildRow,
    CrimeTypeRow,
    IndicatorLine,
    month_label,
)
from territory.timezones import ZONE_LABELS

FONT, FONT_BOLD = notulen_pdf.FONT, notulen_pdf.FONT_BOLD
WIDTH = 170 * mm
# A section starts on a new page when less than this is left of the page: its title never
# ends one. (Kept with a whole table instead, a long table would leave a page half empty.)
SECTION_ROOM = 50 * mm
KEY_GREY = "#6b7280"
QUOTE = {'"': "&quot;"}  # escape() leaves quotes alone; an attribute needs them escaped


def _table(rows, widths, *, header: bool = True) -> Table:
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


def _change(line: IndicatorLine) -> str:
    if line.change is None:
        return "–"
    return f"{line.change_display} ({line.verdict_label})"


def _label(line: IndicatorLine, p, s) -> list[Paragraph]:
    """The indicator's name, then its key in small grey letters: the anchor of its definition
    (see the note on the cover), as the XLSX's "Key" column. A survey figure says which
    quarters it holds, since the columns are headed with months."""
    key = f'<font size="7" color="{KEY_GREY}">{escape(line.key)}</font>'
    label = [Paragraph(f"{escape(str(line.indicator.label))} {key}", s["cell"])]
    if line.period_note:
        label.append(p(line.period_note, "small"))
    return label


def _previous(line: IndicatorLine, p) -> list[Paragraph]:
    """Last month's figure; a survey figure's is the quarter before's, though its column is
    headed with last month, so it is named under the figure."""
    cell = [p(line.previous_display)]
    if line.quarter is not None:
        cell.append(p(line.previous_period, "small"))
    return cell


def _when(moment: datetime.datetime) -> str:
    """The time with its zone (WIB, WITA or WIT), as the CSV and XLSX exports give it."""
    zone = ZONE_LABELS.get(timezone.get_current_timezone_name(), "")
    return f"{formats.date_format(moment, 'j F Y, H:i')} {zone}".strip()


def _family_table(lines: list[IndicatorLine], p, s, *, this_month: str, last_month: str) -> Table:
    rows = [[p(_("Indicator")), p(this_month), p(last_month), p(_("Change"))]]
    rows += [
        [_label(line, p, s), p(line.display), _previous(line, p), p(_change(line))]
        for line in lines
    ]
    return _table(rows, [78 * mm, 26 * mm, 26 * mm, 40 * mm])


def monthly_report_pdf(
    *,
    area: Area,
    month: datetime.date,
    figures: AreaFigures,
    crime_types: list[CrimeTypeRow],
    needing_attention: list[ChildRow],
    desa_count: int,
    scope: str,
    generated_at: datetime.datetime,
    definitions_url: str,
) -> bytes:
    notulen_pdf._register_fonts()  # the notulen's fonts, registered once per process
    s = notulen_pdf._styles()
    p = lambda text, style="cell": Paragraph(escape(str(text)), s[style])  # noqa: E731
    this_month = month_label(month)
    last_month = month_label(figures.previous_month)

    story = [
        Spacer(0, 50 * mm),
        Paragraph(escape(_("Monthly community policing report").upper()), s["title"]),
        Spacer(0, 6 * mm),
        Paragraph(escape(area.name), s["title"]),
    ]
    if area.unit is not None and area.unit.parent is not None:
        story.append(p(area.unit.parent.name, "subtitle"))
    story += [
        Spacer(0, 4 * mm),
        Paragraph(escape(this_month), s["title"]),
    ]
    if figures.in_progress:
        as_of = formats.date_format(figures.as_of, "j F Y")
        story.append(p(_("Month in progress: figures to %(day)s.") % {"day": as_of}, "subtitle"))
    story += [
        Spacer(0, 30 * mm),
        p(
            _(
                "Intermediate indicators of community policing (Polmas), computed from the "
                "portal's records, beside the crime statistics. The two are read side by side "
                "and never merged into one score."
            ),
            "body",
        ),
        Spacer(0, 4 * mm),
        p(
            _("%(count)d desa/kelurahan; %(attention)d need attention this month.")
            % {"count": desa_count, "attention": len(needing_attention)},
            "body",
        ),
        Spacer(0, 4 * mm),
        # The way back from a printed figure to what it counts: the definitions page, where
        # each indicator is found under its key.
        p(
            _(
                "Each indicator is defined on the page below, under the key printed after its "
                "name in the tables:"
            ),
            "body",
        ),
        Paragraph(
            f'<link href="{escape(definitions_url, QUOTE)}">{escape(definitions_url)}</link>',
            s["body"],
        ),
        Spacer(0, 4 * mm),
        p(
            _("Generated on %(when)s · scope: %(scope)s")
            % {"when": _when(generated_at), "scope": scope},
            "small",
        ),
        PageBreak(),
        Paragraph(escape(_("Intermediate indicators")), s["section"]),
    ]
    if not figures.has_data:
        story.append(p(_("No indicator has been computed for this month yet."), "body"))
    for family in figures.families:
        story.append(Paragraph(escape(f"{family.number}. {family.label}"), s["h2"]))
        story.append(
            _family_table(family.lines, p, s, this_month=this_month, last_month=last_month)
        )

    story += [CondPageBreak(SECTION_ROOM), Paragraph(escape(_("Crime statistics")), s["section"])]
    story.append(
        _family_table(figures.crime.lines, p, s, this_month=this_month, last_month=last_month)
    )
    story.append(Paragraph(escape(_("By crime type, %(month)s") % {"month": this_month}), s["h2"]))
    rows = [[p(_("Crime type")), p(_("Reported")), p(_("Cleared")), p(_("Cleared (%)"))]]
    rows += [
        [p(row.name), p(row.reported_display), p(row.cleared_display), p(row.clearance_display)]
        for row in crime_types
    ]
    if len(rows) == 1 and figures.no_crimes_reported:
        rows.append([p(_("No cases reported this month.")), "", "", ""])
    elif len(rows) == 1:
        rows.append([p(_("No crime statistics imported for this month.")), "", "", ""])
    story.append(_table(rows, [80 * mm, 30 * mm, 30 * mm, 30 * mm]))

    story += [
        CondPageBreak(SECTION_ROOM),
        Paragraph(escape(_("Desa needing attention")), s["section"]),
    ]
    rows = [[p(_("No.")), p(_("Desa/kelurahan")), p(_("Polsek")), p(_("Why"))]]
    rows += [
        [
            p(number),
            p(row.name),
            p(row.parent_name or area.name),
            p("; ".join(label for _rule, _short, label in row.marks)),
        ]
        for number, row in enumerate(needing_attention, start=1)
    ]
    if len(rows) == 1:
        rows.append(["", p(_("No desa needs attention this month.")), "", ""])
    story.append(_table(rows, [12 * mm, 50 * mm, 40 * mm, 68 * mm]))

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(
            20 * mm,
            10 * mm,
            f"{area.name} · {this_month} · " + _("page %(number)d") % {"number": document.page},
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Monthly report %(area)s %(month)s")
        % {"area": area.name, "month": f"{month:%Y-%m}"},
        author="Polmas Portal",
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
