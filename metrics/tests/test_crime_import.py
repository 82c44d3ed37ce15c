import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook
from PIL import Image

from accounts.models import User
from metrics.crime_import import crime_statistics_import
from metrics.models import CrimeImport, CrimeStatistic, RecomputeRequest
from metrics.tests.factories import CrimeStatisticFactory, CrimeTypeFactory
from officers.spreadsheet import FILE
from officers.tests.factories import OfficerFactory
from territory.models import Village
from territory.tests.factories import PolresFactory, PolsekFactory, VillageFactory

HEADER = ["bulan", "kode_desa", "kode_polsek", "jenis", "dilaporkan", "diselesaikan"]
JANUARY = datetime.date(2026, 1, 1)
FEBRUARY = datetime.date(2026, 2, 1)


@pytest.fixture(autouse=True)
def _english():
    """The service tests read the reasons in English (the pages pick the user's language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def polres_staff(area) -> User:
    return OfficerFactory(
        user__role=User.Role.POLRES_STAFF, user__email="staf@example.org", unit=area.polres
    ).user


@pytest.fixture
def other_polres_staff(area) -> User:
    return OfficerFactory(
        user__role=User.Role.POLRES_STAFF, user__email="staf2@example.org", unit=area.polres_other
    ).user


def three_rows(area, month="2026-01"):
    """Two desa rows and one Polsek-only row, all in the first Polres."""
    return [
        [month, area.village.code, "", "pencurian", "5", "2"],
        [month, area.village_b.code, area.polsek.code, "narkoba", "3", "3"],
        [month, "", area.polsek_other.code, "curanmor", "4", "0"],
    ]


def as_csv(table, header=HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([header, *table])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for month, *rest in table:
        # As Excel keeps them: the month as a date cell, the counts as numbers.
        year, number = month.split("-")
        sheet.append([datetime.datetime(int(year), int(number), 1), *rest[:3], *map(int, rest[3:])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def test_three_valid_rows_are_imported_with_a_record_and_recomputes(area, polres_staff):
    result = crime_statistics_import(
        actor=polres_staff, name="januari.csv", content=as_csv(three_rows(area))
    )
    assert result.ok, result.bad_rows
    assert (result.rows, result.replaced, result.months) == (3, 0, [JANUARY])
    stats = {
        (s.village_id, s.polsek_id, s.crime_type.code): (s.reported, s.cleared)
        for s in CrimeStatistic.objects.select_related("crime_type")
    }
    assert stats == {
        (area.village.pk, area.polsek.pk, "pencurian"): (5, 2),
        (area.village_b.pk, area.polsek.pk, "narkoba"): (3, 3),
        (None, area.polsek_other.pk, "curanmor"): (4, 0),
    }
    record = CrimeImport.objects.get()
    assert (record.file_name, record.imported_by, record.rows) == ("januari.csv", polres_staff, 3)
    assert set(CrimeStatistic.objects.values_list("source", flat=True)) == {record.pk}
    # The Polsek-only row queues every desa of that Polsek.
    assert set(RecomputeRequest.objects.values_list("village_id", "month")) == {
        (area.village.pk, JANUARY),
        (area.village_b.pk, JANUARY),
        (area.village_elsewhere.pk, JANUARY),
    }


def test_a_row_of_a_polsek_without_desa_queues_a_desa_of_its_polres(area, polres_staff):
    port = PolsekFactory(code="POLSEK-32.04.90", parent=area.polres)
    result = crime_statistics_import(
        actor=polres_staff,
        name="pelabuhan.csv",
        content=as_csv([["2026-01", "", port.code, "pencurian", "6", "3"]]),
    )
    assert result.ok, result.bad_rows
    # The run for that desa rewrites the port's Polsek (metrics.compute.staging.rewritten).
    first = min(area.village.pk, area.village_b.pk, area.village_elsewhere.pk)
    assert list(RecomputeRequest.objects.values_list("village_id", "month")) == [(first, JANUARY)]


def test_an_operator_queues_a_desa_of_the_polda_for_a_polres_without_desa(area, operator):
    """A port's Polres holding only port Polsek: a run for a desa of its Polda rewrites it."""
    port_polres = PolresFactory(code="POLRES-PELABUHAN", parent=area.polda)
    harbour = PolsekFactory(code="POLSEK-DERMAGA", parent=port_polres)
    port = PolsekFactory(code="POLSEK-32.04.90", parent=area.polres)
    result = crime_statistics_import(
        actor=operator,
        name="pelabuhan.csv",
        content=as_csv(
            [
                ["2026-01", "", harbour.code, "pencurian", "6", "3"],
                ["2026-01", "", port.code, "pencurian", "2", "0"],
            ]
        ),
    )
    assert result.ok, result.bad_rows
    of_polda = Village.objects.filter(polsek__parent__parent=area.polda).order_by("pk")
    of_polres = of_polda.filter(polsek__parent=area.polres)
    assert set(RecomputeRequest.objects.values_list("village_id", flat=True)) == {
        of_polda.first().pk,
        of_polres.first().pk,
    }


def test_reimporting_a_month_replaces_that_month_in_the_polres_only(area, polres_staff):
    crime_statistics_import(
        actor=polres_staff,
        name="a.csv",
        content=as_csv(
            [*three_rows(area), ["2026-02", area.village.code, "", "penipuan", "1", "0"]]
        ),
    )
    elsewhere = CrimeStatisticFactory(month=JANUARY, village=area.village_other_polres)
    RecomputeRequest.objects.all().delete()

    result = crime_statistics_import(
        actor=polres_staff,
        name="b.csv",
        content=as_csv([["2026-01", area.village_b.code, "", "narkoba", "7", "1"]]),
        replace=True,
    )

    assert result.ok, result.bad_rows
    assert (result.rows, result.replaced) == (1, 3)
    january = CrimeStatistic.objects.filter(month=JANUARY, polsek__parent=area.polres)
    assert list(january.values_list("village", "reported")) == [(area.village_b.pk, 7)]
    assert CrimeStatistic.objects.filter(month=FEBRUARY).count() == 1  # another month: kept
    assert CrimeStatistic.objects.filter(pk=elsewhere.pk).exists()  # another Polres: kept
    # The desa whose January figures went away are recomputed too.
    assert set(RecomputeRequest.objects.values_list("village_id", flat=True)) == {
        area.village.pk,
        area.village_b.pk,
        area.village_elsewhere.pk,
    }


def test_an_operator_replaces_only_the_polres_the_file_covers(area, operator):
    kept = CrimeStatisticFactory(month=JANUARY, village=area.village_other_polres)
    replaced = CrimeStatisticFactory(month=JANUARY, village=area.village)
    refused = crime_statistics_import(
        actor=operator, name="nasional.csv", content=as_csv(three_rows(area))
    )
    # Without being told to replace, nothing changes; the Polres whose month it is are named.
    assert (refused.already_imported, refused.already_imported_in) == ([JANUARY], [area.polres])
    assert CrimeStatistic.objects.count() == 2
    result = crime_statistics_import(
        actor=operator, name="nasional.csv", content=as_csv(three_rows(area)), replace=True
    )
    assert result.ok and result.replaced == 1
    assert CrimeStatistic.objects.filter(pk=kept.pk).exists()
    assert not CrimeStatistic.objects.filter(pk=replaced.pk).exists()


def test_a_file_with_bad_rows_imports_nothing_and_reports_each_row(area, polres_staff):
    existing = CrimeStatisticFactory(month=JANUARY, village=area.village, reported=9)
    table = [
        ["2026-01", area.village.code, "", "pencurian", "5", "2"],  # line 2: fine
        ["2026-01", "32.04.05.9999", "", "pencurian", "1", "0"],  # 3
        ["2026-01", area.village_b.code, "", "pencurian", "2", "5"],  # 4
        ["2026-01", area.village_b.code, "", "narkoba", "-1", "0"],  # 5
        ["2026-13", area.village_b.code, "", "penipuan", "1", "0"],  # 6
        ["2026-01", area.village.code, "", "pencurian", "1", "1"],  # 7: repeats line 2
        ["2026-01", area.village_b.code, "", "begal", "1", "1"],  # 8
        ["2026-01", "", "POLSEK-99.99", "narkoba", "1", "1"],  # 9
        ["2026-01", "", "", "narkoba", "1", "1"],  # 10
        ["2099-01", area.village_b.code, "", "perjudian", "1", "1"],  # 11
        ["2026-01", area.village_b.code, area.polsek_other.code, "kdrt", "1", "1"],  # 12
        ["2026-01", area.village_b.code, "", "pembunuhan", "dua", ""],  # 13
    ]
    result = crime_statistics_import(actor=polres_staff, name="x.csv", content=as_csv(table))

    assert not result.ok
    reasons = {bad.line: bad.reason for bad in result.bad_rows}
    assert sorted(reasons) == list(range(3, 14))
    assert "32.04.05.9999 does not exist" in reasons[3]
    assert "more cases cleared (5) than reported (2)" in reasons[4]
    assert "dilaporkan is negative" in reasons[5]
    # The column is named, and what to write instead.
    assert "column bulan: “2026-13” is not a month (YYYY-MM)" in reasons[6]
    assert "line 2" in reasons[7]
    assert "column jenis: unknown crime type “begal”: write a code from the list" in reasons[8]
    assert "POLSEK-99.99 does not exist" in reasons[9]
    assert "no desa code and no Polsek code" in reasons[10]
    assert "column bulan: month 2099-01 is in the future" in reasons[11]
    assert "is not under Polsek" in reasons[12]
    assert "“dua” is not a whole number" in reasons[13] and "diselesaikan is empty" in reasons[13]
    assert list(CrimeStatistic.objects.values_list("pk", "reported")) == [(existing.pk, 9)]
    assert not CrimeImport.objects.exists()
    assert not RecomputeRequest.objects.exists()


@pytest.mark.parametrize(
    ("language", "reason"),
    [("en", "desa 32.04.05.9999 does not exist"), ("id", "desa 32.04.05.9999 tidak ada")],
)
def test_the_reasons_are_in_the_users_language(client, area, polres_staff, language, reason):
    table = [["2026-01", "32.04.05.9999", "", "pencurian", "1", "0"]]
    client.force_login(polres_staff)
    client.post(reverse("set_language"), {"language": language})
    page = client.post(
        reverse("metrics_data:crime_import"), {"file": upload(as_csv(table), "x.csv")}
    ).content.decode()
    assert reason in page


def test_rows_outside_the_importers_polres_are_errors(area, other_polres_staff):
    table = [
        ["2026-01", area.village_other_polres.code, "", "pencurian", "1", "1"],  # own Polres
        ["2026-01", area.village.code, "", "pencurian", "1", "1"],
        ["2026-01", "", area.polsek.code, "narkoba", "1", "1"],
    ]
    result = crime_statistics_import(actor=other_polres_staff, name="x.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [3, 4]
    assert f"desa {area.village.code} is outside your area" in result.bad_rows[0].reason
    assert f"Polsek {area.polsek.code} is outside your area" in result.bad_rows[1].reason
    assert not CrimeStatistic.objects.exists()


def test_a_polres_commander_imports_an_xlsx_file(area, polres_commander):
    table = [*three_rows(area, "2026-02"), ["2026-01", area.village.code, "", "Narkoba", "2", "1"]]
    result = crime_statistics_import(
        actor=polres_commander, name="Rekap.XLSX", content=as_xlsx(table)
    )
    assert result.ok, result.bad_rows
    assert result.months == [JANUARY, FEBRUARY]
    assert CrimeStatistic.objects.filter(month=FEBRUARY).count() == 3
    # Crime types match their Indonesian name as well as their code.
    assert CrimeStatistic.objects.get(month=JANUARY).crime_type.code == "narkoba"


def test_excels_unicode_text_is_read(area, polres_staff):
    """Excel's "Unicode text" is UTF-16 with tabs, saved as .txt."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t").writerows([HEADER, *three_rows(area)])
    content = out.getvalue().encode("utf-16")
    result = crime_statistics_import(actor=polres_staff, name="rekap.txt", content=content)
    assert result.ok, result.bad_rows
    assert CrimeStatistic.objects.count() == 3


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_its_byte_order_mark_is_read(area, polres_staff, encoding):
    content = as_csv(three_rows(area)).decode("utf-8-sig").encode(encoding)
    result = crime_statistics_import(actor=polres_staff, name="rekap.csv", content=content)
    assert result.ok, result.bad_rows
    assert CrimeStatistic.objects.count() == 3


def test_an_xlsx_file_renamed_csv_is_read_as_a_workbook(area, polres_staff):
    book = Workbook()
    for row in [HEADER, *three_rows(area)]:
        book.active.append(row)
    content = io.BytesIO()
    book.save(content)
    result = crime_statistics_import(
        actor=polres_staff, name="rekap.csv", content=content.getvalue()
    )
    assert result.ok, result.bad_rows
    assert CrimeStatistic.objects.count() == 3


def test_lines_ending_in_a_lone_carriage_return_are_read(area, polres_staff):
    """Excel for Mac's "CSV (Macintosh)"."""
    content = as_csv(three_rows(area)).replace(b"\r\n", b"\r")
    result = crime_statistics_import(actor=polres_staff, name="rekap.csv", content=content)
    assert result.ok, result.bad_rows


@pytest.mark.parametrize("kind", ["photo", "a field no one typed"])
def test_a_file_that_is_not_a_table_is_refused_with_a_reason(area, polres_staff, kind):
    if kind == "photo":
        content = io.BytesIO()
        Image.new("RGB", (40, 40), "red").save(content, "PNG")
        # Not "the header row lacks the columns": the user would look for a typo there.
        content, reason = content.getvalue(), "This file cannot be read as CSV text"
    else:
        rows = as_csv(three_rows(area) * 30)  # beyond what the delimiter is guessed from
        content = rows + b"2026-01;" + b"9" * 200_000 + b"\r\n"
        reason = "The file could not be read as CSV (near line 92)"
    result = crime_statistics_import(actor=polres_staff, name="foto.csv", content=content)
    assert [bad.line for bad in result.bad_rows] == [FILE]
    assert result.bad_rows[0].reason.startswith(reason)
    assert not CrimeStatistic.objects.exists()


def test_a_desa_code_without_dots_is_read_as_the_kemendagri_code(area, polres_staff):
    # Excel keeps 32.04.05.2001 typed as 3204052001 as a number: the XLSX cell is an integer.
    undotted = area.village.code.replace(".", "")
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(["2026-01", int(undotted), "", "pencurian", 5, 2])
    book.active.append(["2026-01", area.village_b.code.replace(".", ""), "", "narkoba", 1, 0])
    content = io.BytesIO()
    book.save(content)
    result = crime_statistics_import(
        actor=polres_staff, name="rekap.xlsx", content=content.getvalue()
    )
    assert result.ok, result.bad_rows
    assert set(CrimeStatistic.objects.values_list("village_id", flat=True)) == {
        area.village.pk,
        area.village_b.pk,
    }


def test_a_broken_or_headless_file_is_refused(area, polres_staff):
    broken = crime_statistics_import(actor=polres_staff, name="x.xlsx", content=b"not a zip")
    headless = crime_statistics_import(
        actor=polres_staff,
        name="x.csv",
        content=as_csv(three_rows(area), header=["bulan", "desa", "jumlah"]),
    )
    assert [bad.line for bad in broken.bad_rows] == [FILE]
    # The missing columns are named as the import page documents them.
    assert headless.bad_rows[0].reason.endswith("jenis, dilaporkan, diselesaikan.")
    assert not CrimeStatistic.objects.exists()


def test_a_file_longer_than_the_limit_is_refused_before_it_is_checked(area, polres_staff):
    result = crime_statistics_import(
        actor=polres_staff, name="x.csv", content=as_csv(three_rows(area)), max_rows=2
    )
    assert [(bad.line, bad.reason) for bad in result.bad_rows] == [
        (FILE, "At most 2 rows per file here.")
    ]
    assert not CrimeStatistic.objects.exists()


def test_only_the_first_bad_rows_are_listed(area, polres_staff, monkeypatch):
    from metrics import crime_import

    monkeypatch.setattr(crime_import, "MAX_LISTED", 5)
    table = [["2026-01", "32.04.05.9999", "", "pencurian", "1", "0"]] * 7
    result = crime_statistics_import(actor=polres_staff, name="x.csv", content=as_csv(table))
    assert (len(result.bad_rows), result.bad_count, result.unlisted) == (5, 7, 2)


@pytest.mark.parametrize("count", [3, 60])
def test_the_import_queries_do_not_grow_with_the_rows(area, polres_staff, count):
    villages = [
        VillageFactory(polsek=area.polsek, district=area.village.district, code=f"32.04.05.{n}")
        for n in range(3000, 3000 + count)
    ]
    CrimeTypeFactory(code="pencurian")
    table = [["2026-01", v.code, "", "pencurian", "2", "1"] for v in villages]
    with CaptureQueriesContext(connection) as queries:
        result = crime_statistics_import(actor=polres_staff, name="x.csv", content=as_csv(table))
    assert result.ok and result.rows == count
    # Polsek, desa and crime types; then in a savepoint (2 statements): lock the Polres, the
    # replaced rows' desa, delete, the import record, one bulk insert of the statistics, one
    # of the recompute requests, the audit event.
    assert len(queries) == 12, [q["sql"][:80] for q in queries]


def test_the_page_imports_and_lists_the_import(client, area, polres_staff):
    client.force_login(polres_staff)
    response = client.post(
        reverse("metrics_data:crime_import"),
        {"file": upload(as_csv(three_rows(area)), "januari.csv")},
    )
    assert response.status_code == 302
    assert response.url == reverse("metrics_data:crime_imports")
    assert CrimeStatistic.objects.count() == 3
    assert "januari.csv" in client.get(response.url).content.decode()


def test_the_page_counts_what_it_imported_in_good_english(client, area, polres_staff):
    client.force_login(polres_staff)
    client.cookies["django_language"] = "en"
    url = reverse("metrics_data:crime_import")
    one_row = as_csv(three_rows(area)[:1])
    first = client.post(url, {"file": upload(one_row, "a.csv")}, follow=True)
    again = client.post(url, {"file": upload(one_row, "a.csv"), "replace": "on"}, follow=True)
    assert [str(m) for m in first.context["messages"]] == ["Imported 1 row for 2026-01."]
    assert [str(m) for m in again.context["messages"]] == [
        "Imported 1 row for 2026-01. It replaced 1 earlier row of those months."
    ]


def test_the_page_replaces_a_month_only_when_told_to(client, area, polres_staff):
    """The template downloaded and sent back as it is would wipe a month of real figures."""
    kept = CrimeStatisticFactory(month=JANUARY, village=area.village_elsewhere, reported=9)
    client.force_login(polres_staff)
    url = reverse("metrics_data:crime_import")
    response = client.post(url, {"file": upload(as_csv(three_rows(area)), "januari.csv")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "untuk 2026-01 sudah diimpor untuk Polres Kab. Bandung" in page
    assert list(CrimeStatistic.objects.all()) == [kept]
    assert not CrimeImport.objects.exists() and not RecomputeRequest.objects.exists()

    again = {"file": upload(as_csv(three_rows(area)), "januari.csv"), "replace": "on"}
    assert client.post(url, again).status_code == 302
    assert not CrimeStatistic.objects.filter(pk=kept.pk).exists()
    assert CrimeStatistic.objects.count() == 3


def test_the_page_lists_bad_rows_and_imports_nothing(client, area, polres_staff):
    table = three_rows(area)
    table[1][1] = "32.04.05.9999"
    client.force_login(polres_staff)
    response = client.post(
        reverse("metrics_data:crime_import"), {"file": upload(as_csv(table), "x.csv")}
    )
    assert response.status_code == 400
    assert "32.04.05.9999" in response.content.decode()
    assert not CrimeStatistic.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"%PDF-1.4", "rekap.pdf", "Upload a CSV or XLSX file."),
        (",".join(HEADER).encode(), "rekap.csv", "The file has no rows."),
    ],
)
def test_the_page_tells_a_file_to_fix_from_a_row_to_fix(
    client, area, polres_staff, content, name, reason
):
    """Not "1 row needs fixing / Line 1: …" for a PDF or a header without rows."""
    client.force_login(polres_staff)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("metrics_data:crime_import"), {"file": upload(content, name)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported: the file needs fixing" in page
    assert f"<li>{reason}</li>" in page
    assert "Line 1" not in page and "row needs fixing" not in page
    assert not CrimeStatistic.objects.exists() and not CrimeImport.objects.exists()


@pytest.mark.parametrize("language, separator", [("id", ";"), ("en", ",")])
def test_the_template_names_the_users_area_and_imports_as_it_is(
    client, area, polres_staff, language, separator
):
    """In the separator of the language's spreadsheets (portal.csv_files)."""
    client.force_login(polres_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("metrics_data:crime_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = response.content
    assert content.decode("utf-8-sig").splitlines()[0] == separator.join(HEADER)
    assert area.village.code in content.decode()
    result = crime_statistics_import(actor=polres_staff, name="templat.csv", content=content)
    assert result.ok, result.bad_rows


@pytest.mark.parametrize("fixture", ["resident", "officer", "kapolsek", "polda_viewer"])
@pytest.mark.parametrize("name", ["crime_import", "crime_imports", "crime_template"])
def test_the_import_pages_are_404_for_everyone_else(client, area, request, fixture, name):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse(f"metrics_data:{name}")).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, area):
    response = client.get(reverse("metrics_data:crime_import"))
    assert response.status_code == 302 and "login" in response.url


def test_a_polres_sees_its_own_imports_only(client, area, polres_staff, other_polres_staff):
    crime_statistics_import(actor=polres_staff, name="ours.csv", content=as_csv(three_rows(area)))
    table = [["2026-01", area.village_other_polres.code, "", "pencurian", "1", "1"]]
    crime_statistics_import(actor=other_polres_staff, name="theirs.csv", content=as_csv(table))
    client.force_login(polres_staff)
    page = client.get(reverse("metrics_data:crime_imports")).content.decode()
    assert "ours.csv" in page and "theirs.csv" not in page


@pytest.mark.parametrize("rows", [1, 20])
def test_the_import_list_queries_do_not_grow(client, area, polres_staff, rows):
    for n in range(rows):
        CrimeImport.objects.create(file_name=f"f{n}.csv", imported_by=polres_staff, rows=n)
    client.force_login(polres_staff)
    client.get(reverse("metrics_data:crime_imports"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("metrics_data:crime_imports")).status_code == 200
    # session, user (with unit), count, page of imports (with the importer).
    assert len(queries) == 4, [q["sql"][:100] for q in queries]


@pytest.mark.parametrize("rows", [1, 20])
def test_the_import_page_queries_do_not_grow(client, area, polres_staff, rows):
    for n in range(rows):
        CrimeImport.objects.create(file_name=f"f{n}.csv", imported_by=polres_staff, rows=n)
    client.force_login(polres_staff)
    client.get(reverse("metrics_data:crime_import"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("metrics_data:crime_import")).status_code == 200
    # session, user (with unit), crime types, the Polres's Polsek, recent imports (with the
    # importer).
    assert len(queries) == 5, [q["sql"][:100] for q in queries]


def test_the_admin_lists_statistics_by_month_and_imports_read_only(client, area, operator):
    CrimeStatisticFactory(month=JANUARY, village=area.village)
    CrimeStatisticFactory(month=FEBRUARY, village=area.village_b)
    record = CrimeImport.objects.create(file_name="f.csv", imported_by=operator, rows=1)
    client.force_login(operator)
    listing = client.get(
        reverse("admin:metrics_crimestatistic_changelist"), {"month": "2026-01-01"}
    )
    assert listing.status_code == 200
    assert len(listing.context["cl"].result_list) == 1
    detail = client.get(reverse("admin:metrics_crimeimport_change", args=[record.pk]))
    assert detail.status_code == 200 and b'name="file_name"' not in detail.content
    assert client.get(reverse("admin:metrics_crimeimport_add")).status_code == 403
    assert client.get(reverse("admin:metrics_crimetype_changelist")).status_code == 200


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"month": "2026-01-15"}, "month", "Give the first day of the month: 2026-01-01."),
        ({"cleared": "8"}, "cleared", "more cases cleared (8) than reported (3)"),
    ],
)
def test_the_admin_refuses_what_the_import_refuses_in_words(
    client, area, operator, change, field, message
):
    statistic = CrimeStatisticFactory(month=JANUARY, village=area.village, reported=3, cleared=1)
    client.force_login(operator)
    client.cookies["django_language"] = "en"
    data = {
        "month": "2026-01-01",
        "village": area.village.pk,
        "polsek": statistic.polsek_id,
        "crime_type": statistic.crime_type_id,
        "reported": "3",
        "cleared": "1",
        "source": "",
    }
    response = client.post(
        reverse("admin:metrics_crimestatistic_change", args=[statistic.pk]), {**data, **change}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    statistic.refresh_from_db()
    assert (statistic.month, statistic.reported, statistic.cleared) == (JANUARY, 3, 1)
    assert not RecomputeRequest.objects.exists()
