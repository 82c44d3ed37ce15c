"""Desa populations from a CSV or XLSX file: all or nothing, a second import changes nothing,
and crimes per 10,000 residents is computed for the desa that have one."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from metrics.models import IndicatorValue
from metrics.tests.compute_helpers import compute
from metrics.tests.factories import CrimeStatisticFactory
from territory.models import Village
from territory.population import population_import


def csv_file(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def populations(area) -> dict[str, int | None]:
    villages = [area.village, area.village_b, area.village_elsewhere]
    return dict(
        Village.objects.filter(pk__in=[v.pk for v in villages]).values_list("code", "population")
    )


def test_a_file_sets_the_populations_it_names_and_a_second_run_changes_nothing(area):
    area.village_elsewhere.population = 900
    area.village_elsewhere.save()
    content = csv_file("kode_desa,penduduk", "32.04.05.2001,12.345", "32.04.05.2002,4 210")
    result = population_import(name="penduduk.csv", content=content)
    assert (result.ok, result.updated, result.unchanged) == (True, 2, 0)
    assert populations(area) == {
        "32.04.05.2001": 12345,  # grouped by thousands, as an Indonesian spreadsheet shows it
        "32.04.05.2002": 4210,
        "32.04.06.2001": 900,  # not in the file: kept
    }
    again = population_import(name="penduduk.csv", content=content)
    assert (again.updated, again.unchanged) == (0, 2)


def test_an_xlsx_file_with_numbers_and_other_header_spellings(area):
    book = Workbook()
    sheet = book.active
    sheet.append(["Kode Wilayah", "Jumlah Penduduk"])
    sheet.append(["32.04.05.2001", 2500.0])  # Excel's numbers come back as floats
    sheet.append([3204052002, 3100])  # the code taken for a number
    buffer = io.BytesIO()
    book.save(buffer)
    result = population_import(name="penduduk.xlsx", content=buffer.getvalue())
    assert result.updated == 2
    assert populations(area)["32.04.05.2001"] == 2500


def test_a_file_with_a_bad_row_writes_nothing_and_names_every_bad_line(area):
    content = csv_file(
        "kode_desa,penduduk",
        "32.04.05.2001,5000",  # good, but not written: the file has bad rows
        "32.99.99.9999,100",
        "32.04.05.2001,5100",
        "32.04.05.2002,-3",
        "32.04.06.2001,banyak",
        ",100",
        "32.04.05.2002,2000000",
        "32.04.06.2001," + "9" * 5000,  # int() would refuse it with an error of its own
    )
    with translation.override("id"):
        result = population_import(name="penduduk.csv", content=content)
    assert not result.ok and result.updated == 0
    assert [bad.line for bad in result.bad_rows] == [3, 4, 5, 6, 7, 8, 9]
    reasons = " | ".join(bad.reason for bad in result.bad_rows)
    assert "32.99.99.9999" in reasons and "baris 2" in reasons
    assert populations(area) == dict.fromkeys(populations(area))  # every one still None


def test_a_file_without_the_columns_is_refused(area):
    with pytest.raises(ValidationError):
        population_import(name="penduduk.csv", content=csv_file("desa,jiwa", "x,1"))
    with pytest.raises(ValidationError):
        population_import(name="penduduk.pdf", content=b"%PDF")
    # Neither UTF-8 nor cp1252 (0x81 is undefined there): read, and its header is missing.
    with pytest.raises(ValidationError):
        population_import(name="penduduk.csv", content=b"kode\x81,jiwa\n")


def test_the_command_reports_the_counts_or_fails_with_the_bad_lines(area, tmp_path, capsys):
    good = tmp_path / "penduduk.csv"
    good.write_bytes(csv_file("kode_desa,penduduk", "32.04.05.2001,5000"))
    with translation.override("en"):
        call_command("import_population", str(good))
    assert "Population of 1 desa set, 0 unchanged." in capsys.readouterr().out
    bad = tmp_path / "salah.csv"
    bad.write_bytes(csv_file("kode_desa,penduduk", "32.04.05.2001,x"))
    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_population", str(bad))
    assert "Line 2:" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_population", str(tmp_path / "missing.csv"))


def test_crimes_per_10k_is_computed_for_the_desa_with_a_population(area):
    january = datetime.date(2026, 1, 1)
    for village in (area.village, area.village_b):
        CrimeStatisticFactory(village=village, month=january, reported=3, cleared=1)
    population_import(name="p.csv", content=csv_file("kode_desa,penduduk", "32.04.05.2001,6000"))
    compute(january)
    rates = dict(
        IndicatorValue.objects.filter(indicator="crimes_per_10k", month=january).values_list(
            "area_code", "value"
        )
    )
    assert rates[area.village.code] == 5.0  # 3 cases ÷ 6,000 × 10,000
    assert area.village_b.code not in rates  # no population: not defined
    assert rates[area.polsek.code] == 5.0  # the desa without a population is left out
