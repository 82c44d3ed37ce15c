"""Crime statistics from the spreadsheets a Polres keeps (CSV or XLSX).

One row: a month, a desa (or only a Polsek, where the desa is not known), a crime type and
the cases reported and cleared. All or nothing, like the officers' import: every row is
checked first and each bad row is reported with its line and reasons; only a file without a
bad row is imported, in one transaction.

Re-importing replaces, once the importer says so (`replace`). For every month in the file and
every Polres the file's rows fall in, the figures already stored for that month and Polres
(desa rows and Polsek rows alike) are deleted and the file's rows take their place. A Polres's
file is therefore its complete report of the months it holds: a desa or crime type left out of
a re-imported month is gone afterwards. An operator's file replaces the same way, Polres by
Polres; a Polres the file does not mention keeps its figures.

Built for a national file (~1 million rows): the codes are loaded once into dicts, the rows
are checked without a query each, kept as small tuples, and written with bulk_create in
batches.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from metrics.models import CrimeImport, CrimeStatistic, CrimeType
from metrics.services import recompute_request
from officers.spreadsheet import (
    FILE,
    BadRow,
    BadRowsResult,
    in_column,
    table_rows,
    whole_number,
)
from portal import audit, scope
from territory.codes import dotted_code
from territory.models import PoliceUnit, Village
from territory.timezones import WIT

IMPORT_ROLES = (User.Role.POLRES_COMMANDER, User.Role.POLRES_STAFF, User.Role.OPERATOR)

# The columns of the template, in order; the names the import page documents.
TEMPLATE_COLUMNS = ["bulan", "kode_desa", "kode_polsek", "jenis", "dilaporkan", "diselesaikan"]
_SPELLINGS = {
    "month": ["bulan", "month", "periode"],
    "village": ["kode_desa", "desa", "kode_kelurahan", "kelurahan", "village", "village_code"],
    "polsek": ["kode_polsek", "polsek", "police_station"],
    "crime_type": ["jenis", "jenis_kejahatan", "kode_jenis", "crime_type", "type"],
    "reported": ["dilaporkan", "dilapor", "laporan", "ct", "crime_total", "reported"],
    "cleared": ["diselesaikan", "selesai", "penyelesaian", "cc", "crime_clearance", "cleared"],
}
# Header spellings (lower case; "kode desa" as well as "kode_desa") mapped to one column name.
HEADERS = {
    spelling: column
    for column, spellings in _SPELLINGS.items()
    for word in spellings
    for spelling in dict.fromkeys([word, word.replace("_", " ")])
}
REQUIRED = ("month", "crime_type", "reported", "cleared")

EARLIEST_MONTH = datetime.date(2000, 1, 1)
MAX_COUNT = 1_000_000  # cases of one type in one desa and month: anything above is a typo
MAX_LISTED = 500  # bad rows reported in detail; the rest are only counted
BATCH_SIZE = 5000
_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})(?:[-/]0?1)?|(?:0?1[-/])?(\d{1,2})[-/](\d{4})")

# One parsed row: (month, village id or None, Polsek id, crime type id, reported, cleared).
Row = tuple[datetime.date, int | None, int, int, int, int]


@dataclass
class CrimeImportResult(BadRowsResult):
    crime_import: CrimeImport | None = None
    rows: int = 0
    replaced: int = 0
    months: list[datetime.date] = field(default_factory=list)
    # Months of a good file that already hold figures, and the Polres they hold them in, when
    # the importer did not say to replace them: nothing was imported.
    already_imported: list[datetime.date] = field(default_factory=list)
    already_imported_in: list[PoliceUnit] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return super().ok and not self.already_imported

    @property
    def months_label(self) -> str:
        return _months_label(self.months)

    @property
    def already_imported_label(self) -> str:
        return _months_label(self.already_imported)

    @property
    def already_imported_in_label(self) -> str:
        return ", ".join(unit.name for unit in self.already_imported_in)


def _months_label(months: list[datetime.date]) -> str:
    return ", ".join(f"{month:%Y-%m}" for month in months)


@dataclass(frozen=True)
class _Unresolved:
    """A desa or Polsek code not in the importer's area: whether it exists elsewhere is
    asked once for all such codes after the pass, not once per row."""

    kind: str  # "village" or "polsek"
    code: str


class _Lookups:
    """The importer's area and the crime types, loaded once: a handful of queries for any
    size of file."""

    def __init__(self, actor: User | None = None, *, polseks=None, villages=None):
        """The units and desa `actor` may import for; or, for the administration, those given
        (`polseks` and `villages`, querysets)."""
        if actor is not None:
            polseks, villages = scope.visible_units(actor), scope.workable_villages(actor)
        polseks = polseks.filter(kind=PoliceUnit.Kind.POLSEK).values_list(
            "pk", "code", "parent_id", "parent__parent_id"
        )
        self.polsek = {code.lower(): (pk, parent_id) for pk, code, parent_id, _ in polseks}
        self.polda_of = {polres: polda for _, _, polres, polda in polseks}
        self.village = {
            code: (pk, polsek_id)
            for pk, code, polsek_id in villages.filter(polsek__isnull=False).values_list(
                "pk", "code", "polsek_id"
            )
        }
        self.polres_of = {pk: parent_id for pk, parent_id in self.polsek.values()}
        self.crime_type = {}
        for pk, *names in CrimeType.objects.values_list("pk", "code", "name", "name_en"):
            for name in names:
                self.crime_type.setdefault(name.strip().lower(), pk)
        self._villages_of_polsek: dict[int, list[int]] | None = None
        self._a_village_of: dict[int, int] = {}

    def villages_to_recompute(self, polsek_id: int) -> list[int]:
        """The desa whose recompute takes in a Polsek row: every desa of the Polsek. For a
        Polsek that holds none (a port's), one desa of its Polres, or of its Polda where the
        Polres holds none either: the run for it rewrites the Polsek and its Polres
        (`metrics.compute.staging.rewritten`). Empty if the importer sees no such desa."""
        if self._villages_of_polsek is None:
            self._villages_of_polsek = defaultdict(list)
            for pk, of_polsek in sorted(self.village.values()):
                self._villages_of_polsek[of_polsek].append(pk)
                polres = self.polres_of.get(of_polsek)
                for unit in (polres, self.polda_of.get(polres)):
                    if unit is not None:
                        self._a_village_of.setdefault(unit, pk)
        if villages := self._villages_of_polsek.get(polsek_id):
            return villages
        polres = self.polres_of.get(polsek_id)
        near = self._a_village_of.get(polres) or self._a_village_of.get(self.polda_of.get(polres))
        return [near] if near else []


class _Checker:
    """Checks rows one by one with dict lookups only; remembers what the write needs."""

    def __init__(self, lookups: _Lookups, *, latest_month: datetime.date):
        self.lookups = lookups
        self.latest_month = latest_month
        self.parsed: list[Row] = []
        self.bad: list[tuple[int, list]] = []
        self.bad_count = 0
        self.seen: dict[tuple, int] = {}
        self.months: dict[str, datetime.date | str] = {}

    def check(self, line: int, record: dict) -> None:
        reasons: list = []
        month = self._month(record.get("month", ""), reasons)
        village_id, polsek_id = self._area(record, reasons)
        crime_type = self._crime_type(record.get("crime_type", ""), reasons)
        reported = whole_number(
            "dilaporkan", record.get("reported", ""), reasons, maximum=MAX_COUNT
        )
        cleared = whole_number(
            "diselesaikan", record.get("cleared", ""), reasons, maximum=MAX_COUNT
        )
        if reported is not None and cleared is not None and cleared > reported:
            reasons.append(
                _("more cases cleared (%(cleared)d) than reported (%(reported)d)")
                % {"cleared": cleared, "reported": reported}
            )
        if month and polsek_id and crime_type:
            key = (month, village_id, None if village_id else polsek_id, crime_type)
            if key in self.seen:
                reasons.append(
                    _("the same month, area and crime type as line %(line)d")
                    % {"line": self.seen[key]}
                )
            else:
                self.seen[key] = line
        if reasons:
            self.bad_count += 1
            if len(self.bad) < MAX_LISTED:
                self.bad.append((line, reasons))
        elif not self.bad_count:  # once a row is bad nothing is imported: stop keeping rows
            self.parsed.append((month, village_id, polsek_id, crime_type, reported, cleared))

    def _month(self, text: str, reasons: list) -> datetime.date | None:
        # A file has a few distinct months in a million rows: parse each spelling once.
        month = self.months.get(text)
        if month is None:
            month = self.months[text] = _parse_month(text, latest=self.latest_month)
        if isinstance(month, str):
            reasons.append(in_column("bulan", month))
            return None
        return month

    def _area(self, record: dict, reasons: list) -> tuple[int | None, int | None]:
        # 3204052001 as well as 32.04.05.2001: a spreadsheet takes the code for a number.
        village_code = dotted_code(record.get("village", ""))
        polsek_code = record.get("polsek", "")
        polsek = None
        if polsek_code:
            polsek = self.lookups.polsek.get(polsek_code.lower())
            if polsek is None:
                reasons.append(_Unresolved("polsek", polsek_code))
        if village_code:
            village = self.lookups.village.get(village_code)
            if village is None:
                reasons.append(_Unresolved("village", village_code))
                return None, None
            if polsek is not None and village[1] != polsek[0]:
                reasons.append(
                    _("desa %(code)s is not under Polsek %(polsek)s")
                    % {"code": village_code, "polsek": polsek_code}
                )
                return None, None
            return village
        if not polsek_code:
            reasons.append(_("no desa code and no Polsek code"))
        return None, (polsek[0] if polsek else None)

    def _crime_type(self, text: str, reasons: list) -> int | None:
        if not text:
            reasons.append(_("column %(column)s is empty") % {"column": "jenis"})
            return None
        crime_type = self.lookups.crime_type.get(text.lower())
        if crime_type is None:
            reasons.append(
                in_column(
                    "jenis",
                    _(
                        "unknown crime type “%(type)s”: write a code from the list of crime "
                        "types on the import page"
                    )
                    % {"type": text},
                )
            )
        return crime_type


def _parse_month(text: str, *, latest: datetime.date) -> datetime.date | str:
    """The first day of the month `text` names (2026-03, 2026-03-01, 03/2026, 01/03/2026),
    or the reason it is refused."""
    match = _MONTH.fullmatch(text.strip())
    if not match:
        return _("“%(value)s” is not a month (YYYY-MM)") % {"value": text}
    year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
    try:
        day = datetime.date(int(year), int(month), 1)
    except ValueError:
        return _("“%(value)s” is not a month (YYYY-MM)") % {"value": text}
    if day > latest:
        return _("month %(month)s is in the future") % {"month": f"{day:%Y-%m}"}
    if day < EARLIEST_MONTH:
        return _("month %(month)s is before 2000") % {"month": f"{day:%Y-%m}"}
    return day


def _resolve(bad: list[tuple[int, list]]) -> list[BadRow]:
    """Word the codes outside the area: does the code exist elsewhere, or not at all? One
    query per kind for every such code in the listed rows."""
    wanted = {"village": set(), "polsek": set()}
    for _line, reasons in bad:
        for reason in reasons:
            if isinstance(reason, _Unresolved):
                wanted[reason.kind].add(reason.code)
    villages = dict(
        Village.objects.filter(code__in=wanted["village"]).values_list("code", "polsek_id")
    )
    polseks = set(
        PoliceUnit.objects.filter(kind=PoliceUnit.Kind.POLSEK)
        .annotate(lower_code=Lower("code"))
        .filter(lower_code__in={code.lower() for code in wanted["polsek"]})
        .values_list("lower_code", flat=True)
    )
    rows = []
    for line, reasons in bad:
        words = []
        for reason in reasons:
            if not isinstance(reason, _Unresolved):
                words.append(reason)
            elif reason.kind == "village" and reason.code not in villages:
                words.append(_("desa %(code)s does not exist") % {"code": reason.code})
            elif reason.kind == "village" and villages[reason.code] is None:
                words.append(_("desa %(code)s has no Polsek yet") % {"code": reason.code})
            elif reason.kind == "village":
                words.append(_("desa %(code)s is outside your area") % {"code": reason.code})
            elif reason.code.lower() not in polseks:
                words.append(_("Polsek %(code)s does not exist") % {"code": reason.code})
            else:
                words.append(_("Polsek %(code)s is outside your area") % {"code": reason.code})
        rows.append(BadRow(line=line, reason="; ".join(words)))
    return rows


def _latest_month(now: datetime.datetime | None) -> datetime.date:
    # The last month that may have figures is the one under way in the easternmost zone.
    today = timezone.localtime(now or timezone.now(), ZoneInfo(WIT)).date()
    return today.replace(day=1)


def crime_statistics_import(
    *,
    actor: User,
    name: str,
    content: bytes,
    max_rows: int | None = None,
    now: datetime.datetime | None = None,
    replace: bool = False,
) -> CrimeImportResult:
    """Check the whole file, then replace the months it holds in the Polres it covers and
    insert its rows, in one transaction; or, if any row is bad, change nothing and report.
    `max_rows` bounds what a web request takes on (a compressed XLSX of a few MB can hold a
    million rows). Months that already hold figures in those Polres are replaced only with
    `replace`: without it such a file changes nothing either, the result naming the months and
    the Polres (`already_imported`, `already_imported_in`), and the importer sends it again
    saying to replace them."""
    if not actor.is_active or actor.role not in IMPORT_ROLES:
        raise PermissionDenied(_("Only the Polres or an operator imports crime statistics."))
    result = CrimeImportResult()
    lookups = _Lookups(actor)
    checker = _Checker(lookups, latest_month=_latest_month(now))
    try:
        for line, record in table_rows(
            name=name, content=content, headers=HEADERS, required=REQUIRED
        ):
            if max_rows is not None and line > max_rows + 1:
                raise ValidationError(
                    _("At most %(count)d rows per file here.") % {"count": max_rows}
                )
            checker.check(line, record)
    except ValidationError as error:
        result.bad_rows, result.bad_count = [BadRow(line=FILE, reason=" ".join(error.messages))], 1
        return result
    if checker.bad_count:
        result.bad_rows, result.bad_count = _resolve(checker.bad), checker.bad_count
        return result
    if not checker.parsed:
        result.bad_rows, result.bad_count = [BadRow(FILE, _("The file has no rows."))], 1
        return result
    _write(
        actor=actor,
        name=name,
        rows=checker.parsed,
        lookups=lookups,
        result=result,
        replace=replace,
    )
    return result


@transaction.atomic
def _write(
    *,
    actor: User,
    name: str,
    rows: list[Row],
    lookups: _Lookups,
    result: CrimeImportResult,
    replace: bool,
) -> None:
    by_month: dict[datetime.date, set[int]] = defaultdict(set)  # month → Polres ids
    for month, _village, polsek_id, *_rest in rows:
        by_month[month].add(lookups.polres_of[polsek_id])
    # Two imports for the same Polres at once would both delete and then collide on the
    # unique constraints: lock the Polres rows (in id order, so no deadlock) to serialise them.
    polres_ids = sorted(set().union(*by_month.values()))
    list(PoliceUnit.objects.select_for_update().filter(pk__in=polres_ids).order_by("pk"))

    touched: list[tuple[datetime.date, int | None, int]] = []  # (month, desa, Polsek)
    old = {
        month: CrimeStatistic.objects.filter(month=month, polsek__parent_id__in=polres)
        for month, polres in sorted(by_month.items())
    }
    for month, statistics in old.items():
        touched += [
            (month, *pair) for pair in statistics.values_list("village_id", "polsek_id").distinct()
        ]
    if touched and not replace:
        result.already_imported = sorted({month for month, *_ in touched})
        polres = {lookups.polres_of.get(polsek) for _, _, polsek in touched}
        result.already_imported_in = list(PoliceUnit.objects.filter(pk__in=polres).order_by("code"))
        return
    for statistics in old.values():
        result.replaced += statistics.delete()[0]

    record = CrimeImport.objects.create(file_name=name[:200], imported_by=actor, rows=len(rows))
    touched += [(month, village_id, polsek_id) for month, village_id, polsek_id, *_ in rows]
    statistics = (
        CrimeStatistic(
            month=month,
            village_id=village_id,
            polsek_id=polsek_id,
            crime_type_id=crime_type_id,
            reported=reported,
            cleared=cleared,
            source=record,
        )
        for month, village_id, polsek_id, crime_type_id, reported, cleared in rows
    )
    for batch in _batches(statistics, BATCH_SIZE):
        CrimeStatistic.objects.bulk_create(batch)
    _queue_recomputes(lookups, touched)

    result.crime_import, result.rows, result.months = record, len(rows), sorted(by_month)
    audit.record(
        actor=actor,
        action=audit.Action.IMPORTED,
        target=record,
        kind="crime_statistics",
        file_name=name[:200],
        rows=len(rows),
        replaced=result.replaced,
        months=[f"{month:%Y-%m}" for month in result.months],
        polres=polres_ids,
    )


def queue_recomputes(rows: Iterable[tuple[datetime.date, int | None, int]]) -> None:
    """Queue the recomputes that changed crime statistics need, given the (month, desa or
    None, Polsek) of every row added, changed (before and after) or deleted, as the
    administration does: whoever changed them, the desa of the Polda of those Polsek are
    looked at, not the whole country."""
    rows = set(rows)
    poldas = PoliceUnit.objects.filter(pk__in={polsek for _, _, polsek in rows}).values(
        "parent__parent_id"
    )
    lookups = _Lookups(
        polseks=PoliceUnit.objects.filter(parent__parent_id__in=poldas),
        villages=Village.objects.filter(polsek__parent__parent_id__in=poldas),
    )
    _queue_recomputes(lookups, rows)


def _queue_recomputes(lookups: _Lookups, rows) -> None:
    # Any row of a Polsek, a desa's or the Polsek's own, counts for every desa of the Polsek:
    # once the Polsek has a row for the month, its desa without one count zero crimes, and
    # without any they have no figure (metrics.compute.outcomes). All of them are recomputed,
    # as a full run computes them; so is the desa a row names, should it have moved to another
    # Polsek since.
    villages: dict[datetime.date, set[int]] = defaultdict(set)
    for month, village_id, polsek_id in set(rows):
        if village_id is not None:
            villages[month].add(village_id)
        villages[month].update(lookups.villages_to_recompute(polsek_id))
    for month, village_ids in villages.items():
        for batch in _batches(sorted(village_ids), BATCH_SIZE):
            recompute_request(village_ids=batch, months=[month])


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def crime_imports_visible_to(user: User) -> QuerySet[CrimeImport]:
    """The imports a user may list: an operator all of them; the Polres those made by
    accounts of its own unit. (An operator's import that touched the Polres is not listed
    there: finding those would scan every import's rows on each page view.)"""
    imports = CrimeImport.objects.select_related("imported_by").order_by("-created_at", "-pk")
    if not user.is_authenticated or user.role not in IMPORT_ROLES:
        return imports.none()
    if user.role == User.Role.OPERATOR:
        return imports
    unit = scope.police_unit(user)
    if unit is None:
        return imports.none()
    return imports.filter(imported_by__officer__unit=unit)


def template_rows(*, actor: User, today: datetime.date | None = None) -> list[list[str]]:
    """The downloadable template: the header and two example rows from the user's own area
    (one desa row, one Polsek-only row) for the last full month."""
    today = today or timezone.localdate()
    month = f"{(today.replace(day=1) - datetime.timedelta(days=1)):%Y-%m}"
    village = (
        scope.workable_villages(actor)
        .filter(polsek__isnull=False)
        .select_related("polsek")
        .order_by("code")
        .first()
    )
    village_code, polsek_code = (
        (village.code, village.polsek.code) if village else ("32.04.05.2001", "POLSEK-32.04.05")
    )
    return [
        TEMPLATE_COLUMNS,
        [month, village_code, "", "pencurian", "3", "1"],
        [month, "", polsek_code, "narkoba", "2", "2"],
    ]
