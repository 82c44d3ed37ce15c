"""Reads for the commanders' dashboards, their exports and the monthly report.

Dashboards read only computed tables: the indicators' (`metrics.figures`; the crime figures
too, as the indicators `crimes_reported`, `crimes_cleared`, `crimes_per_10k` and
`clearance_pct`) and, for the breakdown by crime type, `CrimeTypeValue`, all written by
`metrics.compute`. Each function
below answers in a fixed number of queries whatever the number of desa, units or months:
the values of one area come in one query and are pivoted here, the child table in two.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from accounts.models import User
from metrics import charts, figures
from metrics.catalogue import BY_KEY, FAMILIES, INDICATORS, Indicator
from metrics.compute.months import months_between, quarter_start
from metrics.models import CrimeTypeValue, IndicatorValue
from portal import scope
from territory.models import PoliceUnit, Village

Level = IndicatorValue.Level
Role = User.Role

NATION_CODE = "ID"
DASHBOARD_ROLES = {
    Role.KAPOLSEK,
    Role.POLRES_COMMANDER,
    Role.POLRES_STAFF,
    Role.POLDA_VIEWER,
    Role.OPERATOR,
}
LEVEL_RANK = {Level.VILLAGE: 0, Level.POLSEK: 1, Level.POLRES: 2, Level.POLDA: 3, Level.NATION: 4}
CHILD_LEVEL = {
    Level.NATION: Level.POLDA,
    Level.POLDA: Level.POLRES,
    Level.POLRES: Level.POLSEK,
    Level.POLSEK: Level.VILLAGE,
}
TREND_MONTHS = 12
# How far back a dashboard looks for the newest computed month when none is asked for.
LATEST_WITHIN_MONTHS = 36
CRIME_FAMILY = 13
SURVEY_FAMILY = 12

# The columns of the child table: one or two per family that a commander compares across
# areas, the crime figures last and separate.
KEY_COLUMNS = [
    "coverage_pct",
    "desa_visited_pct",
    "forums_met_90d_pct",
    "response_48h_pct",
    "fixed_yes_pct",
    "satisfaction_pct",
    "crimes_reported",
    "clearance_pct",
]
LOW_SATISFACTION_PCT = 50.0


@dataclass(frozen=True)
class AttentionRule:
    """One reason a desa needs attention, read from its own computed figures for the month.

    `test` gets the value of the row (None where the indicator is undefined). It is never
    asked about a desa-month that was not computed at all; where the desa was computed but
    has no row for the indicator, it gets None only if `missing_is_none` (the computation
    writes no forum row for a desa without a forum)."""

    key: str
    indicator: str
    label: str
    short: str  # the mark in the child table
    test: Callable[[float | None], bool]
    missing_is_none: bool = False


# The notion of officers.selectors.villages_needing_attention (no officer, no recent visit),
# with the forum, overdue problems and residents' satisfaction added.
ATTENTION_RULES = [
    AttentionRule(
        "no_officer",
        "coverage_pct",
        gettext_lazy("No officer assigned"),
        gettext_lazy("No officer"),
        lambda v: v is not None and v <= 0,
    ),
    AttentionRule(
        "not_visited",
        "desa_visited_pct",
        gettext_lazy("Not visited this month"),
        gettext_lazy("Not visited"),
        lambda v: v is not None and v <= 0,
    ),
    # No row, or no value, means the desa has no forum at all: no meeting either.
    AttentionRule(
        "no_forum_meeting",
        "forums_met_90d_pct",
        gettext_lazy("No forum meeting in 90 days"),
        gettext_lazy("No forum meeting"),
        lambda v: v is None or v <= 0,
        missing_is_none=True,
    ),
    AttentionRule(
        "overdue_problems",
        "overdue_open",
        gettext_lazy("Overdue problems (still waiting over 48 hours for a first action)"),
        gettext_lazy("Overdue problems"),
        lambda v: v is not None and v > 0,
    ),
    AttentionRule(
        "low_satisfaction",
        "satisfaction_pct",
        gettext_lazy("Low satisfaction (fewer than half satisfied)"),
        gettext_lazy("Low satisfaction"),
        lambda v: v is not None and v < LOW_SATISFACTION_PCT,
    ),
]
ATTENTION_INDICATORS = {rule.indicator for rule in ATTENTION_RULES}
# Written for every desa the computation covered: its presence says the desa-month was computed.
COMPUTED_MARKER = "coverage_pct"
SURVEY_KEYS = {i.key for i in INDICATORS if i.family == SURVEY_FAMILY}


# --- Months ------------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, day.month, 1)


def shift_month(month: datetime.date, delta: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)


def parse_month(text: str | None) -> datetime.date | None:
    """`YYYY-MM` (the `bulan` parameter) to the first day of that month, or None."""
    try:
        month = datetime.datetime.strptime((text or "").strip(), "%Y-%m").date()
    except ValueError:
        return None
    return month if month.year >= 2000 else None


# --- Areas and scope ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Crumb:
    level: str
    code: str
    name: str
    linked: bool


@dataclass
class Area:
    """One dashboard's area: a desa, a police unit or the nation."""

    level: str
    code: str
    name: str
    unit: PoliceUnit | None = None
    village: Village | None = None
    crumbs: list[Crumb] = field(default_factory=list)

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL.get(self.level)

    @property
    def has_report(self) -> bool:
        """The monthly PDF report is for a Polres (and a Polsek, for its Kapolsek)."""
        return self.level in (Level.POLRES, Level.POLSEK)


def can_use_dashboards(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in DASHBOARD_ROLES


def home_area(user) -> tuple[str, str] | None:
    """(level, area code) of the user's own dashboard, or None for those who have none."""
    if not can_use_dashboards(user):
        return None
    if user.role == Role.OPERATOR:
        return Level.NATION, NATION_CODE
    unit = scope.police_unit(user)
    if unit is None:
        return None
    return unit.kind, unit.code


def dashboard_area(user, *, level: str, code: str) -> Area:
    """The area if the user may see its dashboard; 404 otherwise, as for any record outside
    the user's scope. One query (with the user's unit, loaded once per request)."""
    home = home_area(user)
    if home is None or level not in LEVEL_RANK:
        raise Http404
    home_rank = LEVEL_RANK[home[0]]
    if level == Level.NATION:
        if home[0] != Level.NATION or code != NATION_CODE:
            raise Http404
        return Area(level=level, code=code, name=_("Indonesia"))
    if level == Level.VILLAGE:
        village = (
            scope.visible_villages(user)
            .select_related("polsek__parent__parent")
            .filter(code=code)
            .first()
        )
        if village is None:
            raise Http404
        return Area(
            level=level,
            code=code,
            name=str(village),
            village=village,
            unit=village.polsek,
            crumbs=_crumbs(village.polsek, home_rank),
        )
    unit = (
        scope.visible_units(user).filter(kind=level, code=code).select_related("parent__parent")
    ).first()
    if unit is None:
        raise Http404
    return Area(
        level=level, code=code, name=unit.name, unit=unit, crumbs=_crumbs(unit.parent, home_rank)
    )


def _crumbs(unit: PoliceUnit | None, home_rank: int) -> list[Crumb]:
    """The areas above, from the top down; linked where the user may open them."""
    crumbs = []
    while unit is not None:
        crumbs.append(Crumb(unit.kind, unit.code, unit.name, LEVEL_RANK[unit.kind] <= home_rank))
        unit = unit.parent
    if home_rank >= LEVEL_RANK[Level.NATION]:
        crumbs.append(Crumb(Level.NATION, NATION_CODE, _("Indonesia"), True))
    return list(reversed(crumbs))


def scope_label(user) -> str:
    """Whose figures an export holds, written into its header."""
    if user.role == Role.OPERATOR:
        return _("All of Indonesia (%(role)s)") % {"role": user.get_role_display()}
    unit = scope.police_unit(user)
    name = unit.name if unit is not None else "–"
    return f"{name} ({user.get_role_display()})"


def dashboard_month(area: Area, requested: str | None, *, today: datetime.date) -> datetime.date:
    """The month asked for (`bulan`), else the newest month computed for the area in the last
    three years, else this month. A month in the future is not asked for. At most one query."""
    current = month_start(today)
    month = parse_month(requested)
    if month is not None and month <= current:
        return month
    recent = [shift_month(current, -offset) for offset in range(LATEST_WITHIN_MONTHS)]
    return figures.latest_month(area.level, area.code, recent) or current


# --- One area's figures ------------------------------------------------------------------------

_VERDICT_LABELS = {
    "better": gettext_lazy("better"),
    "worse": gettext_lazy("worse"),
    "same": gettext_lazy("unchanged"),
    "up": gettext_lazy("up"),
    "down": gettext_lazy("down"),
}


@dataclass
class IndicatorLine:
    """One indicator of one area: the months of the trend, oldest first, the last being the
    dashboard's month; the figure shown and the one it is compared with. A survey figure is
    quarterly: the quarter holding the month, against the quarter before."""

    indicator: Indicator
    months: list[datetime.date]
    trend: list[float | None]
    value: float | None
    previous: float | None
    quarter: datetime.date | None = None  # for a survey figure, the quarter shown
    # The month shown (a survey figure: its quarter) is still running: its figures run to
    # today, so a change from the one before is shown without calling it better or worse.
    in_progress: bool = False
    answers: int | None = None  # for a survey figure, how many answered in its quarter

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def period_note(self) -> str:
        if self.quarter is None:
            return ""
        values = {
            "quarter": quarter_label(self.quarter),
            "previous": quarter_label(shift_month(self.quarter, -3)),
        }
        if self.in_progress:
            # A closed month's report reads a quarter still running: its figure may change.
            note = (
                _(
                    "Quarterly survey: %(quarter)s, still running (provisional), against "
                    "%(previous)s"
                )
                % values
            )
        else:
            note = _("Quarterly survey: %(quarter)s, against %(previous)s") % values
        if self.answers is None:
            return note
        # Six answers are not sixty: the reader weighs the percentage by them.
        answers = ngettext(
            "%(count)s answer in the quarter", "%(count)s answers in the quarter", self.answers
        ) % {"count": formats.number_format(self.answers, force_grouping=True)}
        return f"{note} · {answers}"

    @property
    def previous_period(self) -> str:
        """What the figure is compared with: the quarter before for a survey figure (its cell
        sits under last month's heading, so it must say so), last month otherwise."""
        if self.quarter is not None:
            return quarter_label(shift_month(self.quarter, -3))
        return month_label(self.months[-2])

    @property
    def change(self) -> float | None:
        """The difference of the two figures as shown (rounded alike), so that the change
        column agrees with them: 22,06 against 21,80 is +0,26, not the +0,25 of the
        unrounded values."""
        if self.value is None or self.previous is None:
            return None
        decimals = charts.DECIMALS.get(self.indicator.unit, 1)
        return round(self.value, decimals) - round(self.previous, decimals)

    @property
    def verdict(self) -> str | None:
        """ "better", "worse", "same", or "up"/"down" where neither direction is good in
        itself or the month is still in progress; None without last month's figure."""
        change = self.change
        if change is None:
            return None
        if round(change, charts.DECIMALS.get(self.indicator.unit, 1)) == 0:
            return "same"
        rising = change > 0
        if self.indicator.higher_is_better is None or self.in_progress:
            return "up" if rising else "down"
        return "better" if rising == self.indicator.higher_is_better else "worse"

    @property
    def verdict_label(self) -> str:
        return str(_VERDICT_LABELS.get(self.verdict, ""))

    @property
    def arrow(self) -> str:
        change = self.change
        if change is None:
            return ""
        if self.verdict == "same":
            return "▬"
        return "▲" if change > 0 else "▼"

    @property
    def display(self) -> str:
        return charts.format_value(self.value, self.indicator.unit)

    @property
    def previous_display(self) -> str:
        return charts.format_value(self.previous, self.indicator.unit)

    @property
    def change_display(self) -> str:
        return charts.format_change(self.change, self.indicator.unit)

    @cached_property
    def sparkline(self):
        return charts.sparkline_svg(
            self.trend,
            months=self.months,
            unit=self.indicator.unit,
            connect=self.quarter is not None,  # quarterly points, joined across the gaps
        )


@dataclass
class Family:
    number: int
    label: str
    lines: list[IndicatorLine]


@dataclass
class AreaFigures:
    month: datetime.date
    months: list[datetime.date]
    families: list[Family]  # the intermediate indicators, families 1-12
    crime: Family  # family 13, shown beside them and never folded into them
    attention: list[AttentionRule]  # for a desa: why it needs attention this month
    has_data: bool
    as_of: datetime.date | None = None  # the month is this month, its figures run to this day

    @property
    def in_progress(self) -> bool:
        return self.as_of is not None

    @property
    def previous_month(self) -> datetime.date:
        return self.months[-2]

    @property
    def lines(self) -> list[IndicatorLine]:
        return [line for family in [*self.families, self.crime] for line in family.lines]

    @property
    def no_crimes_reported(self) -> bool:
        """The month's crime statistics were imported and count no case in the area (a desa
        of a Polsek that reported): an empty table by crime type then means no cases, not
        figures missing."""
        return any(line.key == "crimes_reported" and line.value == 0 for line in self.crime.lines)


def area_figures(area: Area, *, month: datetime.date, today: datetime.date) -> AreaFigures:
    """Every indicator of the area for the month, last month and the 12-month trend. One
    query: (indicator, month, value) rows of one area, pivoted here. The survey figures are
    stored under the first month of their quarter; the quarter before may lie before the
    twelve months, so the query reaches back to it. `today` is the reader's date (the
    request's zone, see UnitTimezoneMiddleware): the month holding it is in progress, and so is
    the survey's quarter holding it; their changes are not judged better or worse."""
    in_progress = month >= month_start(today)
    quarter_in_progress = quarter_start(month) >= quarter_start(today)
    months = [shift_month(month, offset) for offset in range(1 - TREND_MONTHS, 1)]
    quarter = quarter_start(month)
    since = min(months[0], shift_month(quarter, -3))
    rows = figures.figures(area.level, months=months_between(since, month), areas=[area.code])
    found: dict[tuple[str, datetime.date], float | None] = {
        (row.indicator, row.month): row.value for row in rows
    }
    answered = {
        row.indicator: int(row.denominator)
        for row in rows
        if row.indicator in SURVEY_KEYS and row.month == quarter and row.denominator is not None
    }
    by_family: dict[int, list[IndicatorLine]] = {number: [] for number in FAMILIES}
    for indicator in INDICATORS:
        key = indicator.key
        trend = [found.get((key, m)) for m in months]
        if key in SURVEY_KEYS:
            line = IndicatorLine(
                indicator,
                months,
                trend,
                value=found.get((key, quarter)),
                previous=found.get((key, shift_month(quarter, -3))),
                quarter=quarter,
                in_progress=quarter_in_progress,
                answers=answered.get(key),
            )
        else:
            line = IndicatorLine(
                indicator,
                months,
                trend,
                value=trend[-1],
                previous=trend[-2],
                in_progress=in_progress,
            )
        by_family[indicator.family].append(line)
    families = [
        Family(number, str(label), by_family[number])
        for number, label in FAMILIES.items()
        if number != CRIME_FAMILY
    ]
    attention = []
    if area.level == Level.VILLAGE:
        attention = attention_for(
            {
                key: value
                for (key, row_month), value in found.items()
                if row_month == (quarter if key in SURVEY_KEYS else month)
            }
        )
    return AreaFigures(
        month=month,
        months=months,
        families=families,
        crime=Family(CRIME_FAMILY, str(FAMILIES[CRIME_FAMILY]), by_family[CRIME_FAMILY]),
        attention=attention,
        has_data=any(row_month >= months[0] for _key, row_month in found),
        as_of=today if in_progress else None,
    )


def attention_for(values: dict[str, float | None]) -> list[AttentionRule]:
    """The rules a desa's computed values (indicator → value, only rows that exist) trip."""
    if COMPUTED_MARKER not in values:
        return []
    return [
        rule
        for rule in ATTENTION_RULES
        if (rule.indicator in values or rule.missing_is_none)
        and rule.test(values.get(rule.indicator))
    ]


@dataclass
class CrimeTypeRow:
    name: str
    reported: int
    cleared: int
    code: str = ""

    @property
    def clearance_pct(self) -> float | None:
        return self.cleared * 100 / self.reported if self.reported else None

    @property
    def clearance_display(self) -> str:
        if not self.reported:
            return "–"
        return charts.format_value(self.clearance_pct, "percent")

    @property
    def reported_display(self) -> str:
        return charts.format_value(self.reported, "count")

    @property
    def cleared_display(self) -> str:
        return charts.format_value(self.cleared, "count")


def crime_by_type(area: Area, *, month: datetime.date) -> list[CrimeTypeRow]:
    """Cases reported and cleared per crime type in the area for the month, as computed
    (`CrimeTypeValue`). One query, whatever the size of the area."""
    english = (get_language() or "").startswith("en")
    rows = (
        CrimeTypeValue.objects.filter(level=area.level, area_code=area.code, month=month)
        .select_related("crime_type")
        .order_by("crime_type__position", "crime_type__code")
    )
    return [
        CrimeTypeRow(
            name=row.crime_type.name_en if english else row.crime_type.name,
            reported=row.reported,
            cleared=row.cleared,
            code=row.crime_type.code,
        )
        for row in rows
    ]


# --- The child table ---------------------------------------------------------------------------


@dataclass
class ChildRow:
    level: str
    code: str
    name: str
    parent_name: str  # the Polsek of a desa listed under its Polres
    values: dict[str, float | None]
    attention: list[AttentionRule]
    satisfaction_answers: int | None = None  # how many answered the quarter's survey

    @property
    def marks(self) -> list[tuple[AttentionRule, str, str]]:
        """(rule, short text, label) of each mark: low satisfaction says on how many answers
        it rests, since six answers are not sixty."""
        marks = []
        for rule in self.attention:
            short, label = str(rule.short), str(rule.label)
            if rule.key == "low_satisfaction" and self.satisfaction_answers is not None:
                answers = ngettext(
                    "%(count)s answer", "%(count)s answers", self.satisfaction_answers
                ) % {"count": formats.number_format(self.satisfaction_answers)}
                short, label = f"{short} ({answers})", f"{label} ({answers})"
            marks.append((rule, short, label))
        return marks

    @property
    def cells(self) -> list[tuple[Indicator, float | None, str]]:
        """(indicator, value, as shown) for each column of the table."""
        columns = [BY_KEY[key] for key in KEY_COLUMNS]
        return [
            (c, self.values.get(c.key), charts.format_value(self.values.get(c.key), c.unit))
            for c in columns
        ]


@dataclass
class ChildTable:
    level: str
    rows: list[ChildRow]
    columns: list[Indicator]
    sort: str
    # A Polres's desa list names each desa's Polsek in a column of its own.
    show_parent: bool = False

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def desa_rows(self) -> bool:
        return self.level == Level.VILLAGE


def sort_keys() -> set[str]:
    return {"name", "attention", *KEY_COLUMNS}


def clean_sort(requested: str | None, *, desa_rows: bool) -> str:
    """`urut`: a column key, `name` or `attention`; a leading "-" sorts descending."""
    requested = (requested or "").strip()
    field_name = requested.removeprefix("-")
    if field_name not in sort_keys() or (field_name == "attention" and not desa_rows):
        return "name"
    return requested


def child_table(
    area: Area, *, month: datetime.date, sort: str = "name", desa_rows: bool = False
) -> ChildTable | None:
    """The areas one level down with the key indicators of the month, sorted. Two queries
    (the areas, their values) whatever their number; sorting and paging happen here, so a
    sort by any column needs no further query. `desa_rows` lists a Polres's desa instead of
    its Polsek."""
    level = area.child_level
    if level is None:
        return None
    children = _children(area, desa_rows=desa_rows)
    level = Level.VILLAGE if children.model is Village else level
    if children.model is Village:
        listed = [
            (code, f"{Village.Kind(kind).label} {name}", polsek or "")
            for code, name, kind, polsek in children.values_list(
                "code", "name", "kind", "polsek__name"
            )
        ]
    else:
        listed = [(code, name, "") for code, name in children.values_list("code", "name")]
    indicators = set(KEY_COLUMNS) | (ATTENTION_INDICATORS if level == Level.VILLAGE else set())
    quarter = quarter_start(month)
    # A survey figure is its quarter's, any other the month's.
    rows = figures.figures(
        level, months={month, quarter}, areas=children.values("code"), keys=indicators
    )
    values: dict[str, dict[str, float | None]] = {}
    answers: dict[str, int] = {}
    for row in rows:
        if row.month == (quarter if row.indicator in SURVEY_KEYS else month):
            values.setdefault(row.area_code, {})[row.indicator] = row.value
            if row.indicator == "satisfaction_pct" and row.denominator is not None:
                answers[row.area_code] = int(row.denominator)
    table_rows = [
        ChildRow(
            level=level,
            code=code,
            name=name,
            parent_name=parent,
            values=values.get(code, {}),
            attention=attention_for(values.get(code, {})) if level == Level.VILLAGE else [],
            satisfaction_answers=answers.get(code),
        )
        for code, name, parent in listed
    ]
    return ChildTable(
        level=level,
        rows=sort_rows(table_rows, sort),
        columns=[BY_KEY[key] for key in KEY_COLUMNS],
        sort=sort,
        show_parent=area.level == Level.POLRES and level == Level.VILLAGE,
    )


def _children(area: Area, *, desa_rows: bool):
    if area.level == Level.NATION:
        return PoliceUnit.objects.filter(kind=PoliceUnit.Kind.POLDA)
    if area.level == Level.POLDA:
        return PoliceUnit.objects.filter(kind=PoliceUnit.Kind.POLRES, parent=area.unit)
    if area.level == Level.POLRES and not desa_rows:
        return PoliceUnit.objects.filter(kind=PoliceUnit.Kind.POLSEK, parent=area.unit)
    if area.level == Level.POLRES:
        return Village.objects.filter(polsek__parent=area.unit)
    return Village.objects.filter(polsek=area.unit)


def sort_rows(rows: list[ChildRow], sort: str) -> list[ChildRow]:
    """By name, by the number of attention marks, or by a column; areas without a figure go
    last whichever the direction."""
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    rows = sorted(rows, key=lambda row: (row.name.lower(), row.code))
    if key == "name":
        return list(reversed(rows)) if descending else rows
    if key == "attention":
        return sorted(rows, key=lambda row: len(row.attention), reverse=descending)
    known = [row for row in rows if row.values.get(key) is not None]
    unknown = [row for row in rows if row.values.get(key) is None]
    return sorted(known, key=lambda row: row.values[key], reverse=descending) + unknown


def month_label(month: datetime.date) -> str:
    return formats.date_format(month, "F Y")


def quarter_label(quarter: datetime.date) -> str:
    """ "Okt–Des 2026" for the quarter starting in October 2026."""
    last = shift_month(quarter, 2)
    return f"{formats.date_format(quarter, 'M')}–{formats.date_format(last, 'M Y')}"
