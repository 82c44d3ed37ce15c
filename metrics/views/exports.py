"""A dashboard's tables as CSV and XLSX, and the monthly PDF report of a Polres (or Polsek).

Scoped exactly as the pages: the same request parameters go through the same checks
(`read_query`), so an export holds the rows and columns of the page it was asked from (every
row of the child table, not only the page on screen), under a header naming the area, the
month and whose scope it was drawn from.
"""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from metrics import report_pdf, selectors
from metrics.charts import DECIMALS
from metrics.compute.months import quarter_start
from metrics.views.dashboards import DashboardQuery, read_query
from portal import audit, csv_files
from territory.timezones import ZONE_LABELS

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _number(value: float | None, unit: str):
    if value is None:
        return None
    decimals = DECIMALS.get(unit, 1)
    return round(value, decimals) if decimals else round(value)


def _text(value):
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _meta(request, query: DashboardQuery, *, survey: bool) -> list[list]:
    """The header above the columns. `survey`: the table holds survey figures, which are the
    quarter's: a closed month of a quarter still running says they are provisional."""
    area = query.area
    day = formats.date_format(query.today, "j F Y")
    month = [[_("Month"), f"{query.month:%Y-%m}"]]
    if query.in_progress:
        month.append([_("Note"), _("Month in progress: figures to %(day)s.") % {"day": day}])
    notes = []
    quarter = quarter_start(query.month)
    if survey and not query.in_progress and quarter >= quarter_start(query.today):
        notes.append(
            [
                _("Note"),
                _(
                    "The survey's quarter %(quarter)s is still running: its figures are "
                    "provisional (answers to %(day)s)."
                )
                % {"quarter": selectors.quarter_label(quarter), "day": day},
            ]
        )
    return [
        [_("Area"), f"{area.name} ({area.level_label} {area.code})"],
        *month,
        [_("Scope"), selectors.scope_label(request.user)],
        [
            _("Exported"),
            formats.date_format(query.now, "Y-m-d H:i")
            + " "
            + ZONE_LABELS.get(timezone.get_current_timezone_name(), ""),
        ],
        *notes,
    ]


def indicator_table(query: DashboardQuery) -> tuple[list[str], list[list]]:
    """The area's own indicators as on the page: this month, last month, the change, and the
    twelve months the sparkline draws. A survey figure is its quarter's and is compared with
    the quarter before: "Period compared" names it, since "Last month" does not; the last
    column says how many answered in the quarter."""
    figures = selectors.area_figures(query.area, month=query.month, today=query.today)
    header = [
        _("Family"),
        _("Indicator"),
        _("Key"),
        _("This month"),
        _("Last month"),
        _("Change"),
        _("Compared with last month"),
        _("Period compared"),
        *[f"{month:%Y-%m}" for month in figures.months],
        # Last, so that the month columns keep their places.
        _("Survey answers in the quarter"),
    ]
    rows = []
    for family in [*figures.families, figures.crime]:
        for line in family.lines:
            unit = line.indicator.unit
            rows.append(
                [
                    family.label,
                    str(line.indicator.label),
                    line.key,
                    _number(line.value, unit),
                    _number(line.previous, unit),
                    _number(line.change, unit),
                    line.verdict_label,
                    line.previous_period,
                    *[_number(value, unit) for value in line.trend],
                    line.answers,
                ]
            )
    return header, rows


def child_rows_table(query: DashboardQuery) -> tuple[list[str], list[list]]:
    """The areas below, every row, in the page's sort."""
    table = selectors.child_table(
        query.area, month=query.month, sort=query.sort, desa_rows=query.desa_rows
    )
    if table is None:
        raise Http404
    header = [_("Code"), table.level_label]
    if table.show_parent:
        header.append(_("Polsek"))
    if table.desa_rows:
        header.append(_("Needs attention"))
    header += [str(c.label) for c in table.columns]
    rows = []
    for row in table.rows:
        cells = [row.code, row.name]
        if table.show_parent:
            cells.append(row.parent_name)
        if table.desa_rows:
            cells.append("; ".join(label for _rule, _short, label in row.marks))
        cells += [_number(value, c.unit) for c, value, _display in row.cells]
        rows.append(cells)
    return header, rows


def crime_type_table(query: DashboardQuery) -> tuple[list[str], list[list]]:
    """The month's cases by crime type, as the crime panel shows them."""
    header = [_("Code"), _("Crime type"), _("Reported"), _("Cleared"), _("Cleared (%)")]
    rows = [
        [row.code, row.name, row.reported, row.cleared, _number(row.clearance_pct, "percent")]
        for row in selectors.crime_by_type(query.area, month=query.month)
    ]
    return header, rows


# The table's slug in the URL: how to build it, and the title of its sheet.
TABLES = {
    "indikator": (indicator_table, gettext_lazy("Indicators")),
    "wilayah": (child_rows_table, gettext_lazy("Areas")),
    "jenis-kejahatan": (crime_type_table, gettext_lazy("Crime types")),
}


def _csv(meta, header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv_files.writer(buffer)
    for line in [*meta, [], header, *rows]:
        writer.writerow([csv_files.cell(_text(cell)) for cell in line])
    return (csv_files.BOM + buffer.getvalue()).encode("utf-8")


def _xlsx(meta, header, rows, *, title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    bold = Font(bold=True)
    for line in meta:
        sheet.append([_text(cell) for cell in line])
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append([])
    sheet.append([_text(cell) for cell in header])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = bold
    for line in rows:
        sheet.append([_text(cell) for cell in line])
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(len(label), 10), 40)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _month_refused(request, query: DashboardQuery):
    """A file for a `bulan` that cannot be shown (2026-13, a month to come) is refused: the page
    may show another month under a notice, but a file carries no notice, and a commander would
    file the current month's figures under the month they asked for. Nothing is exported, so
    nothing is audited."""
    return render(
        request,
        "metrics/export_refused.html",
        {"area": query.area, "month": query.month, "asked": query.month_refused},
        status=400,
    )


@require_GET
@login_required
def export_table(request, level: str, code: str, table: str, fmt: str):
    if table not in TABLES or fmt not in FORMATS:
        raise Http404
    query = read_query(request, level=level, code=code)
    if query.month_refused:
        return _month_refused(request, query)
    build, title = TABLES[table]
    header, rows = build(query)
    meta = _meta(request, query, survey=table != "jenis-kejahatan")
    content = (
        _csv(meta, header, rows) if fmt == "csv" else _xlsx(meta, header, rows, title=str(title))
    )
    response = HttpResponse(content, content_type=FORMATS[fmt])
    # A Polres's desa rows are another file than its Polsek rows: the second download would
    # overwrite the first under the same name, and the audit trail could not tell them apart.
    rows_of = f"{table}-desa" if table == "wilayah" and query.desa_rows else table
    name = f"dasbor-{query.area.level}-{query.area.code}-{query.month:%Y-%m}-{rows_of}.{fmt}"
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORTED,
        request=request,
        kind=f"dashboard_{rows_of}",
        format=fmt,
        level=query.area.level,
        code=query.area.code,
        month=f"{query.month:%Y-%m}",
        rows=len(rows),
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def monthly_report(request, level: str, code: str):
    """The month's report of a Polres (or a Polsek) as a PDF: cover, each family with this
    month and last, the crime statistics, the desa needing attention."""
    query = read_query(request, level=level, code=code)
    area, month = query.area, query.month
    if not area.has_report:
        raise Http404
    if query.month_refused:
        return _month_refused(request, query)
    desa = selectors.child_table(area, month=month, desa_rows=True)
    needing = sorted(
        (row for row in desa.rows if row.attention), key=lambda r: (r.parent_name, r.name)
    )
    content = report_pdf.monthly_report_pdf(
        area=area,
        month=month,
        figures=selectors.area_figures(area, month=month, today=query.today),
        crime_types=selectors.crime_by_type(area, month=month),
        needing_attention=needing,
        desa_count=len(desa.rows),
        scope=selectors.scope_label(request.user),
        generated_at=query.now,
        definitions_url=request.build_absolute_uri(reverse("metrics:definitions")),
    )
    audit.record(
        actor=request.user,
        action=audit.Action.EXPORTED,
        request=request,
        kind="monthly_report",
        format="pdf",
        level=area.level,
        code=area.code,
        month=f"{month:%Y-%m}",
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="laporan-{area.code}-{month:%Y-%m}.pdf"'
    return response
