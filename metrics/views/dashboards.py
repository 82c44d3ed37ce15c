"""The commanders' dashboards: an area's intermediate indicators for a month beside its crime
statistics, the areas below it in a sortable table, and the page of indicator definitions.

Read only, and only from the computed tables (see metrics.selectors): the page costs the same
queries for a Polsek of ten desa as for a Polda of thousands.
"""

import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path

import markdown as markdown_lib
import nh3
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from metrics import selectors
from metrics.catalogue import BY_KEY, FAMILIES, INDICATORS
from metrics.selectors import Level

PAGE_SIZE = 50
# `cetak=1` lays the whole child table on one page for the browser's print (Ctrl+P): a Polres
# prints its ~280 desa, not the 50 on screen. The rows are read whole for any page anyway
# (selectors.child_table sorts them in Python), so it costs no query more; only the HTML
# grows, and this bounds it. No Polres has near this many desa: above it the page prints as
# paged and says that the XLSX and CSV downloads hold every row.
PRINT_ROWS_MAX = 2000
# The English original; its translations sit beside it (docs/indicators.id.md).
DEFINITIONS_PATH = Path(settings.BASE_DIR) / "docs" / "indicators.md"


@dataclass
class DashboardQuery:
    """What a dashboard request asks for, checked: the area (404 outside the user's scope),
    the month, the sort and whether a Polres lists its desa rather than its Polsek. `today` is
    the reader's date, taken once: the page, its exports and its report agree on whether the
    month is still in progress."""

    area: selectors.Area
    month: datetime.date
    sort: str
    desa_rows: bool
    today: datetime.date
    now: datetime.datetime  # today's moment, for the exports' "Exported" line
    # A `bulan` asked for that could not be shown (a month to come, 2026-13, a month before
    # the computed ones): the page says so.
    month_refused: str = ""
    # `cetak=1`: the whole child table on one page, to print.
    print_all: bool = False

    @property
    def in_progress(self) -> bool:
        return self.month >= selectors.month_start(self.today)

    @property
    def rows_are_desa(self) -> bool:
        return self.area.level == Level.POLSEK or (
            self.area.level == Level.POLRES and self.desa_rows
        )


def read_query(request, *, level: str, code: str) -> DashboardQuery:
    area = selectors.dashboard_area(request.user, level=level, code=code)
    now = timezone.localtime()
    today = now.date()
    asked = request.GET.get("bulan", "").strip()
    month = selectors.dashboard_month(area, asked, today=today)
    desa_rows = area.level == Level.POLRES and request.GET.get("baris") == "desa"
    query = DashboardQuery(
        area=area,
        month=month,
        sort="name",
        desa_rows=desa_rows,
        today=today,
        now=now,
        print_all=request.GET.get("cetak") == "1",
    )
    if asked and selectors.parse_month(asked) != month:
        query.month_refused = asked[:20]
    query.sort = selectors.clean_sort(request.GET.get("urut"), desa_rows=query.rows_are_desa)
    return query


@require_GET
@login_required
def dashboard_home(request):
    """/dasbor/ opens the user's own area; residents and officers have no dashboard (404). The
    query string goes along: a bookmarked /dasbor/?bulan=2026-11 opens that month."""
    home = selectors.home_area(request.user)
    if home is None:
        raise Http404
    level, code = home
    url = reverse("metrics:dashboard", kwargs={"level": level, "code": code})
    if request.GET:
        url += "?" + request.GET.urlencode()
    return redirect(url)


@require_GET
@login_required
def dashboard(request, level: str, code: str):
    query = read_query(request, level=level, code=code)
    area, month = query.area, query.month
    figures = selectors.area_figures(area, month=month, today=query.today)
    table = selectors.child_table(area, month=month, sort=query.sort, desa_rows=query.desa_rows)
    printing = bool(table) and query.print_all and len(table.rows) <= PRINT_ROWS_MAX
    page = None
    if table:
        # Printing: one page holding every row.
        per_page = PRINT_ROWS_MAX if printing else PAGE_SIZE
        page = Paginator(table.rows, per_page).get_page(
            None if printing else request.GET.get("page")
        )
    return render(
        request,
        "metrics/dashboard.html",
        {
            "area": area,
            "month": month,
            "month_refused": query.month_refused,
            "previous_month": selectors.shift_month(month, -1),
            "next_month": None if query.in_progress else selectors.shift_month(month, 1),
            "figures": figures,
            "crime_types": selectors.crime_by_type(area, month=month),
            "table": table,
            "headers": _headers(table) if table else [],
            "attention_rules": selectors.ATTENTION_RULES,
            "page_obj": page,
            "printing": printing,
            # Asked to print the whole table, too long for one page: the page says so.
            "print_refused": bool(table) and query.print_all and not printing,
            "query": query,
        },
    )


def _headers(table: selectors.ChildTable) -> list[dict]:
    """The sortable column headers: the sort a click asks for and `aria-sort` for the current
    one. A first click sorts ascending, a second descending."""
    columns = [("name", table.level_label)]
    if table.desa_rows:
        columns.append(("attention", _("Needs attention")))
    columns += [(c.key, str(c.label)) for c in table.columns]
    headers = []
    for key, label in columns:
        state = (
            "ascending" if table.sort == key else "descending" if table.sort == f"-{key}" else None
        )
        headers.append(
            {
                "key": key,
                "label": label,
                "aria_sort": state or "none",
                "state": state,
                "next": f"-{key}" if state == "ascending" else key,
                "numeric": key in BY_KEY,
            }
        )
    return headers


# --- Definitions -------------------------------------------------------------------------------

_KEY_HEADING = re.compile(r"^(#{1,6})[ \t]+`?([a-z0-9_]+)`?(.*)$")
DEFINITION_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
    "hr",
}
DEFINITION_ATTRIBUTES = {
    "h2": {"id", "lang"},
    "h3": {"id", "lang"},
    "h4": {"id", "lang"},
    "a": {"href", "title"},
    "th": {"align"},
    "td": {"align"},
}


def _anchor_headings(text: str, language: str) -> str:
    """A heading that names an indicator key (`### coverage_pct`) gets the key as its id, so
    that the dashboards can link to /dasbor/definisi/#coverage_pct, and the indicator's label
    as its text where the heading has no other: in the reader's `language`, which the document
    may not be written in (the English original, where it has no translation)."""
    lines = []
    for line in text.splitlines():
        match = _KEY_HEADING.match(line)
        if match and match.group(2) in BY_KEY:
            hashes, key, rest = match.groups()
            title = rest.strip().strip("#").strip().lstrip("—–-:·").strip()
            attributes = f"#{key}"
            if not title:
                title, attributes = str(BY_KEY[key].label), f'#{key} lang="{language}"'
            line = f"{hashes} {title} · `{key}` {{{attributes}}}"
        lines.append(line)
    return "\n".join(lines)


@functools.lru_cache(maxsize=8)
def _definitions_html(path: Path, modified: float, language: str) -> str:
    # Keyed on the file, its modification time and the language (labels are translated).
    text = _anchor_headings(path.read_text(encoding="utf-8"), language)
    html = markdown_lib.markdown(
        text,
        # toc: every other heading gets an id from its words (#desa-that-need-attention).
        extensions=["attr_list", "tables", "sane_lists", "fenced_code", "toc"],
        output_format="html",
    )
    # The page has its own h1: the document's top heading becomes an h2.
    html = re.sub(r"<(/?)h1\b", r"<\1h2", html)
    return nh3.clean(
        html,
        tags=DEFINITION_TAGS,
        attributes=DEFINITION_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def definitions_html() -> tuple[SafeString, str] | None:
    """The definitions in the reader's language where they are translated, else in English, and
    the language they are written in; None when there is no document at all."""
    language = get_language() or ""
    translated = DEFINITIONS_PATH.with_name(f"{DEFINITIONS_PATH.stem}.{language}.md")
    for path, written_in in ((translated, language), (DEFINITIONS_PATH, "en")):
        try:
            modified = path.stat().st_mtime
        except FileNotFoundError:
            continue
        html = _definitions_html(path, modified, language)
        return mark_safe(html), written_in  # noqa: S308 - cleaned by nh3
    return None


@require_GET
def definitions(request):
    """How each indicator is computed (docs/indicators.md, or its translation), one anchor per
    indicator key. Public: residents may read how their police are measured."""
    document, document_language = definitions_html() or (None, "")
    # Every dashboard link lands somewhere: a key the document lacks anchors in the index.
    written = set(re.findall(r'id="([a-z0-9_]+)"', document or ""))
    index = [
        (str(label), [(i, i.key not in written) for i in INDICATORS if i.family == number])
        for number, label in FAMILIES.items()
    ]
    return render(
        request,
        "metrics/dashboard_definitions.html",
        {
            "document": document,
            "document_language": document_language,
            "index": index,
            "can_use_dashboards": selectors.can_use_dashboards(request.user),
        },
    )
