"""Desa populations from a spreadsheet (CSV or XLSX): a desa code and its number of residents,
as Dukcapil or BPS publish them. Crimes per 10,000 residents divides by them; a desa without
one is left out of that indicator (docs/indicators.md).

All or nothing, like the other imports: every row is checked first and each bad row is
reported with its line and reasons; only a file without a bad row is written, in one
transaction. A desa the file does not name keeps its population; a row with the population
already stored writes nothing, so a second import of the same file changes nothing.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from officers.spreadsheet import BadRow, BadRowsResult, table_rows, whole_number
from territory.codes import dotted_code
from territory.models import Village

_SPELLINGS = {
    "village": ["kode_desa", "kode_kelurahan", "kode_wilayah", "kode", "village_code", "code"],
    "population": ["penduduk", "jumlah_penduduk", "jumlah", "population"],
}
HEADERS = {
    spelling: column
    for column, spellings in _SPELLINGS.items()
    for word in spellings
    for spelling in dict.fromkeys([word, word.replace("_", " ")])
}
REQUIRED = ("village", "population")
# The largest kelurahan have a few hundred thousand residents: anything above is a typo.
MAX_POPULATION = 1_000_000
MAX_LISTED = 500  # bad rows reported in detail; the rest are only counted
BATCH_SIZE = 2000


@dataclass
class PopulationImportResult(BadRowsResult):
    updated: int = 0
    unchanged: int = 0


def population_import(*, name: str, content: bytes) -> PopulationImportResult:
    """Check every row of the file, then (only if none is bad) store the populations that
    differ from those stored. ValidationError for an unreadable file or a missing column."""
    rows = table_rows(name=name, content=content, headers=HEADERS, required=REQUIRED)
    # Every desa of the country is 83,000 pairs: one query, then no query a row.
    stored = {
        code: (pk, population)
        for pk, code, population in Village.objects.values_list("pk", "code", "population")
    }
    result = PopulationImportResult()
    changes: dict[int, int] = {}
    seen: dict[str, int] = {}
    for line, record in rows:
        reasons = []
        code = dotted_code(record.get("village", ""))
        population = whole_number(
            "penduduk", record.get("population", ""), reasons, maximum=MAX_POPULATION
        )
        if not code:
            reasons.append(_("column %(column)s is empty") % {"column": "kode_desa"})
        elif code not in stored:
            reasons.append(_("desa %(code)s does not exist") % {"code": code})
        elif code in seen:
            reasons.append(
                _("desa %(code)s is already given on line %(line)d")
                % {"code": code, "line": seen[code]}
            )
        else:
            seen[code] = line
        if reasons:
            result.bad_count += 1
            if len(result.bad_rows) < MAX_LISTED:
                result.bad_rows.append(BadRow(line, "; ".join(reasons)))
            continue
        pk, current = stored[code]
        if population == current:
            result.unchanged += 1
        else:
            changes[pk] = population
    if result.bad_count:
        return result
    with transaction.atomic():
        Village.objects.bulk_update(
            [Village(pk=pk, population=population) for pk, population in changes.items()],
            ["population"],
            batch_size=BATCH_SIZE,
        )
    result.updated = len(changes)
    return result
