"""Exports of the dashboards: CSV and XLSX of each table (the page's rows and columns under a
header naming the area, the month and the user's scope), and the monthly PDF report, scoped
exactly as the pages."""

import csv
import datetime
import io
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from metrics.catalogue import INDICATORS
from metrics.models import IndicatorValue
from metrics.selectors import ATTENTION_RULES
from metrics.tests.factories import (
    CrimeStatisticFactory,
    CrimeTypeFactory,
    CrimeTypeValueFactory,
    IndicatorValueFactory,
)
from portal.models import AuditEvent
from territory.tests.factories import PolsekFactory

Level = IndicatorValue.Level
MONTH = datetime.date(2026, 1, 1)
LAST_MONTH = datetime.date(2025, 12, 1)


@pytest.fixture(autouse=True)
def _february_2026():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 3, 0, tzinfo=datetime.UTC)):
        yield


def put(level: str, code: str, month: datetime.date = MONTH, **values) -> None:
    for key, value in values.items():
        IndicatorValueFactory(level=level, area_code=code, month=month, indicator=key, value=value)


def export_url(level, code, table, fmt, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"bulan": "2026-01", **params}.items())
    return reverse("metrics:export", args=[level, code, table, fmt]) + "?" + query


def report_url(level, code) -> str:
    return reverse("metrics:report_pdf", args=[level, code]) + "?bulan=2026-01"


def read_csv(response, separator: str = ";") -> list[list[str]]:
    """The rows of a CSV export, in Indonesian (the default) by semicolons."""
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator))


def split(lines: list[list]) -> tuple[dict, list, list[list]]:
    """(the header rows as a dict, the column names, the data rows)."""
    blank = next(i for i, line in enumerate(lines) if not any(line))
    meta = {line[0]: line[1] for line in lines[:blank]}
    return meta, lines[blank + 1], lines[blank + 2 :]


@pytest.fixture
def desa_figures(area):
    """Two desa of the Polsek: one fine, one without an officer."""
    put(Level.VILLAGE, area.village.code, coverage_pct=100.0, forums_met_90d_pct=100.0)
    put(Level.VILLAGE, area.village_b.code, coverage_pct=0.0, forums_met_90d_pct=100.0)


@pytest.fixture
def hostile_polsek(area):
    """A unit name a spreadsheet would run as a formula."""
    return PolsekFactory(
        code="POLSEK-32.04.99", name='=HYPERLINK("http://evil")', parent=area.polres
    )


def test_the_child_table_as_csv_has_the_pages_rows_columns_and_a_header(
    client, kapolsek, area, desa_figures
):
    client.force_login(kapolsek)
    page = client.get(
        reverse("metrics:dashboard", args=[Level.POLSEK, area.polsek.code])
        + "?bulan=2026-01&urut=-coverage_pct"
    )
    response = client.get(
        export_url(Level.POLSEK, area.polsek.code, "wilayah", "csv", urut="-coverage_pct")
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    meta, columns, rows = split(read_csv(response))
    values = list(meta.values())
    assert area.polsek.name in values[0]
    assert values[1] == "2026-01"
    assert area.polsek.name in values[2] and kapolsek.get_role_display() in values[2]
    assert len(columns) == 2 + 1 + 8  # code, desa, attention, the key indicators
    assert [row[0] for row in rows] == [r.code for r in page.context["table"].rows]
    assert rows[0][:2] == [area.village.code, "Desa Cileunyi Kulon"]
    assert rows[0][3] == "100,0"
    wetan = next(row for row in rows if row[0] == area.village_b.code)
    assert wetan[3] == "0,0" and wetan[2]  # the attention mark, in words


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(
    client, polres_commander, area, hostile_polsek
):
    client.force_login(polres_commander)
    _meta, _columns, rows = split(
        read_csv(client.get(export_url(Level.POLRES, area.polres.code, "wilayah", "csv")))
    )
    assert next(row for row in rows if row[0] == hostile_polsek.code)[1].startswith("'=")
    response = client.get(export_url(Level.POLRES, area.polres.code, "wilayah", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [sheet.cell(row=r, column=2) for r in range(1, sheet.max_row + 1)]
    assert all(cell.data_type != "f" for cell in cells)
    assert any(str(cell.value).startswith("'=") for cell in cells)


def test_the_child_table_as_xlsx_holds_numbers_under_the_same_header(
    client, kapolsek, area, desa_figures
):
    client.force_login(kapolsek)
    response = client.get(export_url(Level.POLSEK, area.polsek.code, "wilayah", "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    lines = [list(row) for row in sheet.iter_rows(values_only=True)]
    meta, columns, rows = split(lines)
    assert list(meta.values())[1] == "2026-01"
    assert columns[0] and columns[1]
    kulon = next(row for row in rows if row[0] == area.village.code)
    assert kulon[3] == 100  # a number, not text
    wetan = next(row for row in rows if row[0] == area.village_b.code)
    assert wetan[3] == 0 and wetan[2]


def test_a_csv_export_follows_the_spreadsheets_of_the_pages_language(
    client, polres_commander, area
):
    """Indonesian spreadsheets split on semicolons and read decimal commas, English ones on
    commas with decimal points (portal.csv_files); the XLSX holds numbers either way."""
    put(Level.POLRES, area.polres.code, coverage_pct=67.5)
    client.force_login(polres_commander)
    url = export_url(Level.POLRES, area.polres.code, "indikator", "csv")
    for language, separator, figure in [("id", ";", "67,5"), ("en", ",", "67.5")]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        assert response.content.decode("utf-8-sig").splitlines()[0].count(separator) == 1
        _meta, _columns, rows = split(read_csv(response, separator))
        assert next(row for row in rows if row[2] == "coverage_pct")[3] == figure


def test_the_indicator_table_exports_this_month_last_month_and_the_trend(
    client, polres_commander, area
):
    put(Level.POLRES, area.polres.code, coverage_pct=67.5, crimes_reported=12)
    put(Level.POLRES, area.polres.code, LAST_MONTH, coverage_pct=60.0, crimes_reported=10)
    client.force_login(polres_commander)
    for fmt in ("csv", "xlsx"):
        response = client.get(export_url(Level.POLRES, area.polres.code, "indikator", fmt))
        if fmt == "csv":
            lines = read_csv(response)
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            lines = [
                ["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)
            ]
        _meta, columns, rows = split(lines)
        assert columns[-2] == "2026-01" and columns[-13] == "2025-02"
        assert columns[-1] == "Jawaban survei dalam triwulan"
        coverage = next(row for row in rows if row[2] == "coverage_pct")
        assert [float(str(v).replace(",", ".")) for v in coverage[3:6]] == [67.5, 60.0, 7.5]
        assert coverage[6]  # better, in words
        assert coverage[7] == "Desember 2025"  # the period compared
        assert str(next(row for row in rows if row[2] == "crimes_reported")[3]) == "12"
        assert len(rows) == len(INDICATORS)  # every indicator of the catalogue


@pytest.fixture
def crime_types(area):
    """The Polsek's January by crime type, one type named like a formula."""
    theft = CrimeTypeFactory(code="uji-curian", name="Pencurian uji", name_en="Test theft")
    hostile = CrimeTypeFactory(code="uji-rumus", name="=1+2", name_en="=1+2")
    for crime_type, reported, cleared in [(theft, 8, 2), (hostile, 0, 0)]:
        CrimeTypeValueFactory(
            area_code=area.polsek.code, crime_type=crime_type, reported=reported, cleared=cleared
        )


def test_the_crime_types_export_as_csv_with_the_header_and_formulas_as_text(
    client, kapolsek, area, crime_types
):
    client.force_login(kapolsek)
    response = client.get(export_url(Level.POLSEK, area.polsek.code, "jenis-kejahatan", "csv"))
    assert response.status_code == 200
    assert "jenis-kejahatan.csv" in response["Content-Disposition"]
    meta, columns, rows = split(read_csv(response))
    values = list(meta.values())
    assert area.polsek.name in values[0] and values[1] == "2026-01"
    assert kapolsek.get_role_display() in values[2]
    assert len(columns) == 5
    assert rows == [
        ["uji-curian", "Pencurian uji", "8", "2", "25,0"],
        ["uji-rumus", "'=1+2", "0", "0", ""],
    ]
    entry = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert entry.details["kind"] == "dashboard_jenis-kejahatan"
    assert entry.details["rows"] == 2


def test_the_crime_types_export_as_xlsx_holds_numbers(client, kapolsek, area, crime_types):
    client.force_login(kapolsek)
    response = client.get(export_url(Level.POLSEK, area.polsek.code, "jenis-kejahatan", "xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    _meta, columns, rows = split([list(row) for row in sheet.iter_rows(values_only=True)])
    assert columns[1] == "Jenis kejahatan"
    assert rows[0] == ["uji-curian", "Pencurian uji", 8, 2, 25]
    assert rows[1][1] == "'=1+2"
    cells = [sheet.cell(row=r, column=2) for r in range(1, sheet.max_row + 1)]
    assert all(cell.data_type != "f" for cell in cells)


@pytest.mark.parametrize(
    ("role", "level", "code_of"),
    [
        ("kapolsek", Level.POLRES, "polres"),
        ("kapolsek", Level.POLSEK, "polsek_other"),
        ("polres_commander", Level.POLRES, "polres_other"),
        ("resident", Level.POLSEK, "polsek"),
        ("officer", Level.POLSEK, "polsek"),
    ],
)
def test_exports_and_report_outside_the_users_scope_are_404(
    client, request, area, role, level, code_of
):
    client.force_login(request.getfixturevalue(role))
    code = getattr(area, code_of).code
    assert client.get(export_url(level, code, "wilayah", "csv")).status_code == 404
    assert client.get(export_url(level, code, "indikator", "xlsx")).status_code == 404
    assert client.get(export_url(level, code, "jenis-kejahatan", "csv")).status_code == 404
    assert client.get(report_url(level, code)).status_code == 404


def test_an_unknown_table_or_format_is_404(client, kapolsek, area):
    client.force_login(kapolsek)
    assert client.get(export_url(Level.POLSEK, area.polsek.code, "sandi", "csv")).status_code == 404
    assert (
        client.get(export_url(Level.POLSEK, area.polsek.code, "wilayah", "ods")).status_code == 404
    )
    # A desa has no table below it.
    assert (
        client.get(export_url(Level.VILLAGE, area.village.code, "wilayah", "csv")).status_code
        == 404
    )


def test_the_polres_rows_and_desa_rows_download_under_different_names(
    client, polres_commander, area
):
    client.force_login(polres_commander)
    code = area.polres.code
    for fmt in ("csv", "xlsx"):
        polsek = client.get(export_url(Level.POLRES, code, "wilayah", fmt))
        desa = client.get(export_url(Level.POLRES, code, "wilayah", fmt, baris="desa"))
        name = f"dasbor-polres-{code}-2026-01-wilayah"
        assert f'filename="{name}.{fmt}"' in polsek["Content-Disposition"]
        assert f'filename="{name}-desa.{fmt}"' in desa["Content-Disposition"]
    # The audit trail tells them apart too.
    kinds = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).order_by("pk")
    assert [entry.details["kind"] for entry in kinds] == [
        "dashboard_wilayah",
        "dashboard_wilayah-desa",
    ] * 2


@pytest.mark.parametrize("asked", ["2026-13", "xyz", "2026-03"])
def test_a_file_for_a_month_that_cannot_be_shown_is_refused_and_not_audited(
    client, polres_commander, area, asked
):
    """The page shows another month under a notice; a file has no room for the notice, and the
    current month's figures would be filed under the month asked for."""
    put(Level.POLRES, area.polres.code, coverage_pct=67.5)
    client.force_login(polres_commander)
    code = area.polres.code
    urls = [
        export_url(Level.POLRES, code, "wilayah", "csv", bulan=asked, baris="desa"),
        export_url(Level.POLRES, code, "indikator", "xlsx", bulan=asked),
        export_url(Level.POLRES, code, "jenis-kejahatan", "csv", bulan=asked),
        reverse("metrics:report_pdf", args=[Level.POLRES, code]) + f"?bulan={asked}",
    ]
    with translation.override("id"):
        message = translation.gettext(
            "There are no figures to show for “%(asked)s”, so there is no file to download."
        ) % {"asked": asked}
    back = reverse("metrics:dashboard", args=[Level.POLRES, code]) + "?bulan=2026-01"
    for address in urls:
        response = client.get(address)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert "Content-Disposition" not in response
        page = response.content.decode()
        assert message in page
        # Back to the month the dashboard can show, the page's other choices kept.
        assert f'href="{back}' in page
    assert 'baris=desa"' in client.get(urls[0]).content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_the_monthly_report_of_a_polres_is_a_pdf_with_every_part(
    client, polres_commander, area, desa_figures
):
    put(Level.POLRES, area.polres.code, coverage_pct=67.5, crimes_reported=12)
    put(Level.POLRES, area.polres.code, LAST_MONTH, coverage_pct=60.0, crimes_reported=10)
    theft = CrimeTypeFactory(code="uji-curian", name="Pencurian uji", name_en="Test theft")
    CrimeTypeValueFactory(
        level=Level.POLRES, area_code=area.polres.code, crime_type=theft, reported=5, cleared=2
    )
    # A raw row not computed yet: the report shows the computed figures only.
    fraud = CrimeTypeFactory(code="uji-tipu", name="Penipuan uji", name_en="Test fraud")
    CrimeStatisticFactory(village=area.village, crime_type=fraud, reported=5, cleared=2)
    client.force_login(polres_commander)
    response = client.get(report_url(Level.POLRES, area.polres.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert area.polres.name in flat and area.polda.name in flat
    assert "Januari 2026" in flat and "Desember 2025" in flat
    # The time it was made, with its zone (the area's: Jawa Barat is WIB).
    assert re.search(r"Dibuat pada \d+ \w+ \d{4}, \d\d:\d\d WIB", flat)
    assert "67,5%" in flat and "60,0%" in flat
    assert "Pencurian uji" in flat and "Penipuan uji" not in flat
    # The desa needing attention (listed after the crime statistics), with the reason; the
    # one doing well is not listed.
    attention = flat.split("Pencurian uji", 1)[1]
    assert "Cileunyi Wetan" in attention and "Cileunyi Kulon" not in attention
    with translation.override("id"):
        assert str(ATTENTION_RULES[0].label) in attention


def test_a_survey_figure_is_exported_as_compared_with_the_quarter_before(
    client, polres_commander, area
):
    code = area.polres.code
    put(Level.POLRES, code, datetime.date(2026, 2, 1), satisfaction_pct=99.0)  # not its quarter
    put(Level.POLRES, code, satisfaction_pct=70.0)
    put(Level.POLRES, code, datetime.date(2025, 10, 1), satisfaction_pct=60.0)
    client.force_login(polres_commander)
    for month in ("2026-01", "2026-02"):
        _meta, columns, rows = split(
            read_csv(client.get(export_url(Level.POLRES, code, "indikator", "csv", bulan=month)))
        )
        with translation.override("id"):
            assert columns[7] == translation.gettext("Period compared")
        survey = next(row for row in rows if row[2] == "satisfaction_pct")
        # Under "Last month", the quarter before's figure, and the row says so.
        assert survey[4] == "60,0" and survey[7] == "Okt–Des 2025"
        # How many answered in the quarter (the factory's denominator), in the last column;
        # a monthly figure has none.
        assert survey[-1] == "2"
        assert next(row for row in rows if row[2] == "coverage_pct")[-1] == ""


def test_exports_and_the_report_of_this_month_say_it_is_in_progress(client, polres_commander, area):
    put(Level.POLRES, area.polres.code, datetime.date(2026, 2, 1), coverage_pct=40.0)
    put(Level.POLRES, area.polres.code, coverage_pct=60.0)
    put(Level.POLRES, area.polres.code, LAST_MONTH, coverage_pct=50.0)
    client.force_login(polres_commander)
    notice = "Bulan berjalan: angka sampai 10 Februari 2026."
    quarter_running = (
        "Triwulan survei Jan–Mar 2026 masih berjalan: angkanya sementara (jawaban sampai "
        "10 Februari 2026)."
    )
    for month, in_progress in [("2026-02", True), ("2026-01", False)]:
        csv_url, xlsx_url = (
            export_url(Level.POLRES, area.polres.code, "indikator", fmt, bulan=month)
            for fmt in ("csv", "xlsx")
        )
        meta, _columns, rows = split(read_csv(client.get(csv_url)))
        # January is over, its quarter is not: the survey figures are provisional.
        assert meta.get("Catatan") == (notice if in_progress else quarter_running)
        coverage = next(row for row in rows if row[2] == "coverage_pct")
        # February's fall is "down" while the month runs; January's rise is "better".
        assert coverage[6] == ("turun" if in_progress else "membaik")
        sheet = load_workbook(io.BytesIO(client.get(xlsx_url).content)).active
        cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert (notice in cells) is in_progress
        report = reverse("metrics:report_pdf", args=[Level.POLRES, area.polres.code])
        response = client.get(f"{report}?bulan={month}")
        reader = PdfReader(io.BytesIO(response.content))
        flat = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert (notice in flat) is in_progress


def test_the_report_names_the_quarters_of_the_survey_and_groups_large_counts(
    client, polres_commander, area
):
    put(Level.POLRES, area.polres.code, satisfaction_pct=70.0, crimes_reported=0)
    put(Level.POLRES, area.polres.code, datetime.date(2025, 10, 1), satisfaction_pct=60.0)
    client.force_login(polres_commander)
    response = client.get(report_url(Level.POLRES, area.polres.code))
    flat = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    # Under columns headed January and December, a survey figure says it is a quarter's, and
    # its previous figure is named as the quarter before.
    # January's report, printed in February, reads a quarter still running, and says so.
    assert (
        "Survei triwulanan: Jan–Mar 2026, masih berjalan (sementara), dibandingkan Okt–Des 2025"
        " · 2 jawaban dalam triwulan" in flat
    )
    assert "70,0% 60,0% Okt–Des 2025" in flat
    # The Polres reported January and had no case: not "nothing imported".
    with translation.override("id"):
        no_cases = translation.gettext("No cases reported this month.")
        not_imported = translation.gettext("No crime statistics imported for this month.")
    assert no_cases in flat and not_imported not in flat

    theft = CrimeTypeFactory(code="uji-curian", name="Pencurian uji", name_en="Test theft")
    CrimeTypeValueFactory(
        level=Level.POLRES, area_code=area.polres.code, crime_type=theft, reported=1250, cleared=2
    )
    response = client.get(report_url(Level.POLRES, area.polres.code))
    flat = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Pencurian uji 1.250 2" in flat


def test_the_report_says_where_each_indicator_is_defined_and_prints_its_key(
    client, polres_commander, area
):
    put(Level.POLRES, area.polres.code, coverage_pct=67.5)
    client.force_login(polres_commander)
    response = client.get(report_url(Level.POLRES, area.polres.code))
    reader = PdfReader(io.BytesIO(response.content))
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "http://testserver/dasbor/definisi/" in cover
    figures = " ".join(reader.pages[1].extract_text().split())
    assert "coverage_pct 67,5%" in figures


def test_a_kapolsek_gets_the_report_of_their_polsek_but_a_desa_has_none(client, kapolsek, area):
    client.force_login(kapolsek)
    response = client.get(report_url(Level.POLSEK, area.polsek.code))
    assert response.status_code == 200
    assert area.polsek.name in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert client.get(report_url(Level.VILLAGE, area.village.code)).status_code == 404


def test_the_polda_viewer_and_the_operator_may_read_a_polres_report(
    client, polda_viewer, operator, area
):
    for user in (polda_viewer, operator):
        client.force_login(user)
        assert client.get(report_url(Level.POLRES, area.polres.code)).status_code == 200
