"""Officers and their desa from a spreadsheet, as Polres staff keep them (CSV or XLSX).

All or nothing: every row is checked first and every bad row is reported with its line and
reason; only a file without a bad row is imported, in one transaction. Officers are found by
NRP, so a second import of the same file changes nothing.
"""

import codecs
import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from officers.models import Assignment, Officer, Rank
from officers.services import assignment_create, staff_account_create
from portal import audit, scope
from portal.validators import phone_number
from territory.codes import dotted_code
from territory.models import PoliceUnit, Village

# Header spellings seen in Polres spreadsheets, all mapped to one column name.
HEADERS = {
    "nrp": "nrp",
    "nama": "name",
    "nama lengkap": "name",
    "name": "name",
    "pangkat": "rank",
    "rank": "rank",
    "polsek": "unit",
    "satuan": "unit",
    "kesatuan": "unit",
    "unit": "unit",
    "email": "email",
    "e-mail": "email",
    "surel": "email",
    "telepon": "phone",
    "hp": "phone",
    "no hp": "phone",
    "no. hp": "phone",
    "phone": "phone",
    "desa": "villages",
    "desa binaan": "villages",
    "kode desa": "villages",
    "villages": "villages",
    "mulai": "starts_on",
    "tmt": "starts_on",
    "mulai tugas": "starts_on",
    "starts on": "starts_on",
}
REQUIRED = ("nrp", "name", "rank", "unit", "email")
RANKS = {label.lower(): value for value, label in Rank.choices} | {
    value: value for value in Rank.values
}
MAX_ROWS = 5000
# What the database holds: a longer value would fail inside the import transaction.
MAX_LENGTHS = {
    "name": User._meta.get_field("name").max_length,
    "email": User._meta.get_field("email").max_length,
    "phone": Officer._meta.get_field("phone").max_length,
}


@dataclass
class BadRow:
    line: int  # FILE (0): the file as a whole, its type, encoding, header or length
    reason: str


# The line of a reason about the whole file: shown without a line number, which would send the
# user to line 1 of a file that may have no line 1 (a photo, a header without rows).
FILE = 0


@dataclass
class BadRowsResult:
    """An all-or-nothing import's bad rows: the first ones listed in detail (line, reason),
    every one counted. Nothing is imported while `bad_count` is above zero."""

    bad_rows: list[BadRow] = field(default_factory=list)
    bad_count: int = 0  # every bad row, listed or not

    @property
    def ok(self) -> bool:
        return not self.bad_count

    @property
    def unlisted(self) -> int:
        return self.bad_count - len(self.bad_rows)


@dataclass
class ParsedRow:
    line: int
    nrp: str
    name: str
    rank: str
    unit: PoliceUnit
    email: str
    phone: str
    villages: list[Village]
    starts_on: datetime.date


@dataclass
class ImportResult:
    bad_rows: list[BadRow] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    assignments_created: int = 0

    @property
    def ok(self) -> bool:
        return not self.bad_rows


def read_table(*, name: str, content: bytes) -> list[tuple[int, dict]]:
    """(line number, {column: text}) for each data row of an officers' CSV or XLSX file."""
    table = []
    for line, record in table_rows(name=name, content=content, headers=HEADERS, required=REQUIRED):
        table.append((line, record))
        if len(table) > MAX_ROWS:
            raise ValidationError(_("At most %(count)d rows per file.") % {"count": MAX_ROWS})
    return table


def table_rows(
    *, name: str, content: bytes, headers: dict[str, str], required: tuple[str, ...]
) -> Iterator[tuple[int, dict]]:
    """(line number, {column: text}) for each non-empty data row of a CSV or XLSX file, read
    lazily so that a file of a million rows is never held as a million dicts. `headers` maps
    each accepted spelling of a header (lower case) to a column name. The file type and the
    header row are checked at once: ValidationError for an unreadable file or a missing
    column."""
    text = name.lower().endswith((".csv", ".txt"))  # .txt: Excel's "Unicode text"
    # An XLSX renamed .csv is still a workbook (a ZIP archive): read it as one.
    if name.lower().endswith(".xlsx") or (text and content.startswith(b"PK\x03\x04")):
        rows = _xlsx_rows(content)
    elif text:
        rows = _csv_rows(content)
    else:
        raise ValidationError(_("Upload a CSV or XLSX file."))
    try:
        header = next(rows)[1]
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    columns = [headers.get(str(h or "").strip().lower()) for h in header]
    # A missing column is named as the import page documents it (its first spelling), not by
    # the name the code gives it.
    missing = [
        next(spelling for spelling, column in headers.items() if column == required_column)
        for required_column in required
        if required_column not in columns
    ]
    if missing:
        raise ValidationError(
            _("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return _records(rows, columns)


def _records(rows, columns: list[str | None]) -> Iterator[tuple[int, dict]]:
    for line, values in rows:
        record = {}
        for column, value in zip(columns, values, strict=False):
            if column:
                record[column] = "" if value is None else str(value).strip()
        if any(record.values()):
            yield line, record


def _csv_rows(content: bytes):
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16, its columns separated by tabs.
        text = content.decode("utf-16", errors="replace")
    elif encoding := _utf16_without_bom(content):
        text = content.decode(encoding, errors="replace")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Spreadsheets saved by older Excel; the five bytes cp1252 leaves undefined read
            # as "?" rather than failing the whole file.
            text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        # No table anyone typed holds a NUL: a photo or an old .xls renamed .csv, or text in
        # an encoding read wrongly. Its "header" would be reported as lacking every column.
        raise ValidationError(
            _(
                "This file cannot be read as CSV text: it may be another kind of file, or "
                "saved in an unusual encoding. Save it from the spreadsheet as CSV UTF-8 or "
                "as XLSX and upload it again."
            )
        )
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:  # one column, or an empty file: the sniffer has nothing to go on
        dialect = csv.excel
    # newline="": the csv module finds the line ends itself, a lone CR (Excel for Mac) too.
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error:  # a field beyond the csv module's limit: not a table anyone typed
        raise ValidationError(
            _(
                "The file could not be read as CSV (near line %(line)d). Save it from the "
                "spreadsheet as CSV or XLSX and upload it again."
            )
            % {"line": reader.line_num}
        ) from None


def _utf16_without_bom(content: bytes) -> str | None:
    """The codec of UTF-16 text without its byte order mark (some tools export so), told by
    the NUL byte of each ASCII character of the first line; None for any other file."""
    head = content[:200]
    even, odd = head[0::2], head[1::2]
    if len(odd) < 2:
        return None
    if odd.count(0) > len(odd) // 2 and not even.count(0):
        return "utf-16-le"
    if even.count(0) > len(even) // 2 and not odd.count(0):
        return "utf-16-be"
    return None


def _xlsx_rows(content: bytes):
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise ValidationError(_("This is not a readable XLSX file.")) from error
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield (
            number,
            [
                ""
                if v is None
                else (v.date().isoformat() if isinstance(v, datetime.datetime) else v)
                for v in row
            ],
        )


# 12345, or grouped by thousands as a spreadsheet in either locale shows it: 12.345, 12,345.
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")


def in_column(column: str, reason: str) -> str:
    """A row's reason that names the column it is about, as the file's header names it: the
    user fixing line 12 finds the cell without guessing which of its values was meant."""
    return _("column %(column)s: %(reason)s") % {"column": column, "reason": reason}


def whole_number(column: str, text: str, reasons: list, *, maximum: int) -> int | None:
    """The cell as a whole number from 0 to `maximum`, or None with the reason added to
    `reasons` (the file's column name in it, as the user wrote the file)."""
    text = text.replace(" ", "")
    if not text:
        reasons.append(_("column %(column)s is empty") % {"column": column})
        return None
    digits = text.removeprefix("-")
    if _GROUPED.fullmatch(digits):
        digits = digits.replace(".", "").replace(",", "")
    else:
        digits = digits.removesuffix(".0")  # Excel writes 12 as 12.0
    too_long = len(digits) > len(str(maximum))  # and int() refuses thousands of digits
    if not (digits.isascii() and digits.isdigit()):
        reasons.append(
            _("column %(column)s: “%(value)s” is not a whole number")
            % {"column": column, "value": text}
        )
        return None
    if text.startswith("-"):
        reasons.append(_("column %(column)s is negative") % {"column": column})
        return None
    if too_long or int(digits) > maximum:
        reasons.append(
            _("column %(column)s: %(value)s is more than %(max)d")
            % {"column": column, "value": digits[:20] + ("…" if too_long else ""), "max": maximum}
        )
        return None
    return int(digits)


def _date(text: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _phone(text: str) -> str:
    """A phone number as typed, except what a spreadsheet did to it: a mobile number kept as a
    number loses its leading 0 (0813 2222 3333 becomes 81322223333, or 81322223333.0)."""
    text = text.removesuffix(".0")
    return f"0{text}" if text.isdigit() and text.startswith("8") and 9 <= len(text) <= 12 else text


def _nrp(text: str) -> str:
    # Excel turns 85010203 into 85010203.0, and 08501020 into 8501020.
    text = text.removesuffix(".0")
    return text.zfill(8) if text.isdigit() and len(text) == 7 else text


def _desa_codes(cell: str) -> list[str]:
    """The desa codes of a cell ("32.04.05.2001; 32.04.05.2002"), dotted: a spreadsheet keeps a
    single code typed as 3204052001 as a number."""
    return [dotted_code(code) for code in re.split(r"[;,\s]+", cell) if code]


def check_rows(*, actor: User, table: list[tuple[int, dict]]) -> tuple[list, list[BadRow]]:
    """Every row checked; the parsed rows and the bad ones (line, reason)."""
    units = {u.code.lower(): u for u in scope.visible_units(actor).filter(kind="polsek")}
    units |= {u.name.lower(): u for u in units.values()}
    # In a column headed "Polsek" the Polres's files often write only its name: "Cileunyi".
    for unit in list(units.values()):
        units.setdefault(unit.name.lower().removeprefix("polsek ").strip(), unit)
    elsewhere = _polseks_named(
        {r.get("unit", "").lower() for _line, r in table} - units.keys() - {""}
    )
    codes = {code for _line, r in table for code in _desa_codes(r.get("villages", ""))}
    villages = {v.code: v for v in Village.objects.filter(code__in=codes)}
    known = {
        o.nrp: o
        for o in Officer.objects.select_related("user").filter(
            nrp__in=[_nrp(r.get("nrp", "")) for _line, r in table]
        )
    }
    held = _polseks_held(known.values())
    emails = dict(
        User.objects.filter(
            email__in=[r.get("email", "").lower() for _line, r in table]
        ).values_list("email", "pk")
    )
    seen_nrp, seen_email, seen_village, parsed, bad = {}, {}, {}, [], []
    for line, record in table:
        reasons = []
        nrp, email = _nrp(record.get("nrp", "")), record.get("email", "").lower()
        if not re.fullmatch(r"\d{8}", nrp):
            reasons.append(_("NRP %(nrp)s is not 8 digits") % {"nrp": nrp or "—"})
        elif nrp in seen_nrp:
            reasons.append(
                _("NRP %(nrp)s repeats line %(line)d") % {"nrp": nrp, "line": seen_nrp[nrp]}
            )
        else:
            reasons += _known_nrp_reasons(known.get(nrp), nrp=nrp, units=units)
        if not record.get("name"):
            reasons.append(_("column %(column)s is empty") % {"column": "Nama"})
        reasons += _length_reasons(record)
        phone = _phone(record.get("phone", ""))
        try:
            phone_number(phone)
        except ValidationError:
            reasons.append(
                in_column("Telepon", _("“%(phone)s” is not a phone number") % {"phone": phone})
            )
        rank = RANKS.get(record.get("rank", "").lower())
        if rank is None:
            reasons.append(
                in_column(
                    "Pangkat",
                    _("unknown rank “%(rank)s”: write one of %(ranks)s")
                    % {"rank": record.get("rank", ""), "ranks": ", ".join(Rank.labels)},
                )
            )
        unit = units.get(record.get("unit", "").lower())
        if unit is None:
            reasons.append(_unit_reason(record.get("unit", ""), elsewhere))
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            reasons.append(_("“%(email)s” is not an e-mail address") % {"email": email})
        elif email in seen_email:
            reasons.append(_("e-mail repeats line %(line)d") % {"line": seen_email[email]})
        else:
            owner = known.get(nrp)
            if email in emails and (owner is None or owner.user_id != emails[email]):
                reasons.append(_("e-mail %(email)s belongs to another account") % {"email": email})
            elif owner is not None and owner.user.email.lower() != email:
                # A login e-mail changed by a file, and the password reset sent there, would
                # hand the account to whoever wrote the file.
                reasons.append(
                    _(
                        "NRP %(nrp)s signs in with another e-mail; an import does not change it "
                        "(an operator can, in the administration)"
                    )
                    % {"nrp": nrp}
                )
        owner = known.get(nrp)
        if owner is not None and unit is not None and held.get(owner.pk, set()) - {unit.pk}:
            reasons.append(
                _("NRP %(nrp)s still serves desa of another Polsek: reassign them first")
                % {"nrp": nrp}
            )
        row_villages = []
        for code in _desa_codes(record.get("villages", "")):
            village = villages.get(code)
            if village is None:
                reasons.append(_("desa %(code)s does not exist") % {"code": code})
            elif unit is not None and village.polsek_id != unit.pk:
                reasons.append(
                    _("desa %(code)s is not in %(unit)s") % {"code": code, "unit": unit.name}
                )
            elif code in seen_village:
                reasons.append(
                    _("desa %(code)s is already given on line %(line)d")
                    % {"code": code, "line": seen_village[code]}
                )
            else:
                row_villages.append(village)
                seen_village[code] = line
        starts_on = datetime.date.today()
        if record.get("starts_on"):
            try:
                starts_on = _date(record["starts_on"])
            except ValueError:
                reasons.append(
                    in_column(
                        "TMT",
                        _("“%(date)s” is not a date (YYYY-MM-DD or DD/MM/YYYY)")
                        % {"date": record["starts_on"]},
                    )
                )
        seen_nrp.setdefault(nrp, line)
        seen_email.setdefault(email, line)
        if reasons:
            bad.append(BadRow(line=line, reason="; ".join(reasons)))
        else:
            parsed.append(
                ParsedRow(
                    line=line,
                    nrp=nrp,
                    name=record["name"],
                    rank=rank,
                    unit=unit,
                    email=email,
                    phone=phone,
                    villages=row_villages,
                    starts_on=starts_on,
                )
            )
    bad.extend(_taken_villages(parsed))
    # One entry per line, with every reason: the count on the page is a count of lines.
    reasons_by_line: dict[int, list[str]] = {}
    for row in sorted(bad, key=lambda b: b.line):
        reasons_by_line.setdefault(row.line, []).append(row.reason)
    return parsed, [BadRow(line=line, reason="; ".join(r)) for line, r in reasons_by_line.items()]


def _polseks_named(texts: set[str]) -> set[str]:
    """Which of `texts` (lower case, outside the importer's area) name a Polsek elsewhere, by
    code or name, with or without the word "Polsek": one query, and none for a clean file."""
    if not texts:
        return set()
    named = set()
    polseks = PoliceUnit.objects.filter(kind=PoliceUnit.Kind.POLSEK).annotate(
        lower_code=Lower("code"), lower_name=Lower("name")
    )
    prefixed = {f"polsek {text}" for text in texts}
    for code, name in polseks.filter(
        Q(lower_code__in=texts) | Q(lower_name__in=texts | prefixed)
    ).values_list("lower_code", "lower_name"):
        named |= {code, name, name.removeprefix("polsek ").strip()}
    return named & texts


def _unit_reason(text: str, elsewhere: set[str]) -> str:
    # "Not in your area" told an operator, whose area is the whole country, nothing about a
    # Polsek misspelt or left empty.
    if not text:
        return _("column %(column)s is empty") % {"column": "Polsek"}
    if text.lower() in elsewhere:
        return _("Polsek “%(unit)s” is not in your area") % {"unit": text}
    return _("no Polsek is named “%(unit)s”: write its name or its code") % {"unit": text}


def _polseks_held(officers) -> dict[int, set[int]]:
    """The Polsek of the desa each officer serves now or will (assignments not ended before
    today), by officer id."""
    held: dict[int, set[int]] = {}
    open_assignments = Assignment.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=datetime.date.today()), officer__in=officers
    )
    for officer_id, polsek_id in open_assignments.values_list("officer_id", "village__polsek_id"):
        held.setdefault(officer_id, set()).add(polsek_id)
    return held


def _known_nrp_reasons(officer: Officer | None, *, nrp: str, units: dict) -> list[str]:
    """An NRP already on file names an account the import will change (unit, name, login
    e-mail): only a Bhabinkamtibmas of the importer's own area. Anyone else's would be an
    account takeover through a password reset sent to the new e-mail."""
    if officer is None:
        return []
    if officer.user.role != User.Role.OFFICER:
        return [
            _("NRP %(nrp)s belongs to a %(role)s account, not a Bhabinkamtibmas")
            % {"nrp": nrp, "role": officer.user.get_role_display()}
        ]
    if officer.unit_id not in {unit.pk for unit in units.values()}:
        return [_("NRP %(nrp)s belongs to an officer outside your area") % {"nrp": nrp}]
    return []


def _length_reasons(record: dict) -> list[str]:
    labels = {"name": _("name"), "email": _("e-mail"), "phone": _("phone")}
    return [
        _("%(column)s is longer than %(max)d characters") % {"column": labels[column], "max": limit}
        for column, limit in MAX_LENGTHS.items()
        if len(record.get(column, "")) > limit
    ]


def _taken_villages(parsed: list[ParsedRow]) -> list[BadRow]:
    """A desa with a primary assignment in the way of the row that names it: an open one of
    another officer, or one that ends on or after the row's start (two primary officers on one
    day). A desa the row's officer already holds is left as it is: nothing is created there."""
    wanted = {v.pk: row for row in parsed for v in row.villages}
    if not wanted:
        return []
    earliest = min(row.starts_on for row in wanted.values())
    assignments = list(
        Assignment.objects.filter(
            Q(ends_on__isnull=True) | Q(is_primary=True, ends_on__gte=earliest),
            village__in=wanted,
        ).select_related("officer", "village")
    )
    held = {(a.village_id, a.officer.nrp) for a in assignments if a.ends_on is None}
    bad = []
    for assignment in assignments:
        row = wanted[assignment.village_id]
        if not assignment.is_primary:
            continue
        values = {"code": assignment.village.code, "nrp": assignment.officer.nrp}
        if assignment.ends_on is None:
            if assignment.officer.nrp == row.nrp:
                continue
            reason = _(
                "desa %(code)s already has a primary officer (NRP %(nrp)s): reassign it first"
            )
        elif assignment.ends_on >= row.starts_on and (assignment.village_id, row.nrp) not in held:
            values["date"] = assignment.ends_on.isoformat()
            reason = _(
                "desa %(code)s has a primary officer (NRP %(nrp)s) until %(date)s: "
                "start after that day"
            )
        else:
            continue
        bad.append(BadRow(line=row.line, reason=reason % values))
    return bad


def officers_import(*, actor: User, name: str, content: bytes) -> ImportResult:
    """Check the whole file, then import it in one transaction, or nothing."""
    if actor.role not in (
        User.Role.POLRES_COMMANDER,
        User.Role.POLRES_STAFF,
        User.Role.KAPOLSEK,
        User.Role.OPERATOR,
    ):
        raise PermissionDenied(_("Only a Kapolsek, the Polres or an operator imports officers."))
    result = ImportResult()
    try:
        table = read_table(name=name, content=content)
    except ValidationError as error:
        result.bad_rows = [BadRow(line=FILE, reason=" ".join(error.messages))]
        return result
    if not table:
        # A header without rows imported "0 new officers", as if something had been done.
        result.bad_rows = [BadRow(line=FILE, reason=_("The file has no rows."))]
        return result
    parsed, result.bad_rows = check_rows(actor=actor, table=table)
    if result.bad_rows:
        return result
    with transaction.atomic():
        for row in parsed:
            _import_row(row, result)
        # One event for the whole file: the accounts and assignments it creates are made
        # with actor=None, authorised here.
        audit.record(
            actor=actor,
            action=audit.Action.IMPORTED,
            kind="officers",
            file_name=name[:200],
            rows=len(parsed),
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            assignments_created=result.assignments_created,
            nrps=[row.nrp for row in parsed][:1000],
        )
    return result


def _import_row(row: ParsedRow, result: ImportResult) -> None:
    officer = Officer.objects.select_related("user").filter(nrp=row.nrp).first()
    if officer is None:
        user = staff_account_create(
            actor=None,
            email=row.email,
            name=row.name,
            role=User.Role.OFFICER,
            nrp=row.nrp,
            rank=row.rank,
            unit=row.unit,
            phone=row.phone,
        )
        officer = user.officer
        result.created += 1
    else:
        changed = _update(officer, row)
        result.updated += changed
        result.unchanged += not changed
    for village in row.villages:
        # Open, not active: an assignment starting on a future TMT is not active yet, and a
        # second import of the file must find it all the same.
        if not Assignment.objects.filter(
            officer=officer, village=village, ends_on__isnull=True
        ).exists():
            assignment_create(
                actor=None,
                officer=officer,
                village=village,
                is_primary=True,
                starts_on=row.starts_on,
            )
            result.assignments_created += 1


def _update(officer: Officer, row: ParsedRow) -> bool:
    changes = {
        k: v
        for k, v in {"rank": row.rank, "unit": row.unit, "phone": row.phone}.items()
        if getattr(officer, k) != v
    }
    renamed = officer.user.name != row.name
    if changes:
        Officer.objects.filter(pk=officer.pk).update(**changes)
    if renamed:
        User.objects.filter(pk=officer.user_id).update(name=row.name)
    return bool(changes or renamed)
