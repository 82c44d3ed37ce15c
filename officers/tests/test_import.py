import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook
from PIL import Image

from accounts.models import User
from officers.models import Assignment, Officer
from officers.spreadsheet import officers_import
from territory.tests.factories import VillageFactory

HEADER = ["NRP", "Nama", "Pangkat", "Polsek", "Email", "Telepon", "Desa", "TMT"]


@pytest.fixture
def villages(area):
    return [
        VillageFactory(
            polsek=area.polsek, district=area.village.district, code=f"32.04.05.{3000 + n}"
        )
        for n in range(200)
    ]


def rows(area, villages, count=200):
    return [
        [
            f"{85000000 + n}",
            f"Petugas {n}",
            "Bripka",
            area.polsek.name,
            f"petugas{n}@example.org",
            f"0812{n:08d}",
            villages[n].code,
            "01/07/2026",
        ]
        for n in range(count)
    ]


def as_csv(table) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([HEADER, *table])
    return out.getvalue().encode("utf-8-sig")


def as_xlsx(table) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [HEADER, *table]:
        sheet.append([int(v) if v.isdigit() and len(v) == 8 else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_two_bad_rows_are_reported_and_nothing_is_imported(area, polres_commander, villages):
    table = rows(area, villages)
    table[17][0] = "123"  # line 19
    table[150][3] = "Polsek Entah"  # line 152
    result = officers_import(actor=polres_commander, name="personel.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [19, 152]
    assert "123" in result.bad_rows[0].reason
    assert "Polsek Entah" in result.bad_rows[1].reason
    assert not Officer.objects.filter(nrp__startswith="85").exists()


def test_after_fixing_all_200_are_imported_and_a_second_import_changes_nothing(
    area, polres_commander, villages
):
    content = as_xlsx(rows(area, villages))
    first = officers_import(actor=polres_commander, name="personel.xlsx", content=content)
    assert first.ok, first.bad_rows
    assert (first.created, first.assignments_created) == (200, 200)
    assert Officer.objects.filter(nrp__startswith="85").count() == 200
    officer = Officer.objects.get(nrp="85000007")
    assert officer.user.role == User.Role.OFFICER and officer.unit == area.polsek
    assert Assignment.objects.get(officer=officer).starts_on.isoformat() == "2026-07-01"
    second = officers_import(actor=polres_commander, name="personel.xlsx", content=content)
    assert (second.created, second.updated, second.unchanged, second.assignments_created) == (
        0,
        0,
        200,
        0,
    )


def test_a_changed_row_updates_the_officer(area, polres_commander, villages):
    table = rows(area, villages, count=2)
    officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    table[1][2] = "Aipda"
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert (result.updated, result.unchanged) == (1, 1)
    assert Officer.objects.get(nrp="85000001").rank == "aipda"


def test_an_import_never_changes_a_login_email_nor_moves_an_officer_who_serves_desa(
    area, polres_commander, villages
):
    table = rows(area, villages, count=2)
    officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    table[0][4] = "penyerang@example.com"  # line 2: would take the account over by a reset
    table[1][3] = area.polsek_other.name  # line 3: still serves a desa of Polsek Cileunyi
    table[1][6] = ""
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [2, 3]
    assert "85000000" in result.bad_rows[0].reason and "e-mail" in result.bad_rows[0].reason
    assert "alihkan" in result.bad_rows[1].reason
    assert User.objects.get(officer__nrp="85000000").email == "petugas0@example.org"
    assert Officer.objects.get(nrp="85000001").unit == area.polsek


def test_a_line_with_two_mistakes_is_one_line_to_fix(area, polres_commander, villages):
    officers_import(
        actor=polres_commander, name="p.csv", content=as_csv(rows(area, villages, count=2))
    )
    table = rows(area, villages, count=3)[2:]
    table[0][6] = f"{villages[0].code}; {villages[1].code}"  # both taken by the first two
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [2]
    assert villages[0].code in result.bad_rows[0].reason
    assert villages[1].code in result.bad_rows[0].reason


def test_a_desa_code_without_dots_is_read_as_the_kemendagri_code(area, polres_commander, villages):
    # Excel keeps a single code typed as 3204053000 as a number.
    table = rows(area, villages, count=2)
    book = Workbook()
    book.active.append(HEADER)
    for row in table:
        book.active.append([*row[:6], int(row[6].replace(".", "")), row[7]])
    out = io.BytesIO()
    book.save(out)
    result = officers_import(actor=polres_commander, name="p.xlsx", content=out.getvalue())
    assert result.ok, result.bad_rows
    assert set(Assignment.objects.values_list("village__code", flat=True)) == {
        villages[0].code,
        villages[1].code,
    }


def test_repeated_nrp_and_desa_are_reported(area, polres_commander, villages):
    table = rows(area, villages, count=3)
    table[2][0] = table[0][0]
    table[2][6] = table[1][6]
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [4]
    assert "line 2" in result.bad_rows[0].reason or "baris 2" in result.bad_rows[0].reason


def test_a_desa_outside_the_polsek_is_refused(area, polres_commander, villages):
    table = rows(area, villages, count=1)
    table[0][6] = area.village_elsewhere.code
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert result.bad_rows and result.bad_rows[0].line == 2


def test_a_polsek_of_another_polres_is_not_in_the_area(area, other_polres_commander, villages):
    result = officers_import(
        actor=other_polres_commander, name="p.csv", content=as_csv(rows(area, villages, count=1))
    )
    assert result.bad_rows


def test_a_file_that_is_not_a_spreadsheet_is_refused(area, polres_commander):
    result = officers_import(actor=polres_commander, name="p.xlsx", content=b"not a zip")
    assert result.bad_rows and not Officer.objects.filter(nrp__startswith="85").exists()


def test_a_file_that_is_not_a_table_is_refused_on_the_page(client, area, polres_commander):
    """A photo renamed .csv: a reason in the user's language, not an error page."""
    client.force_login(polres_commander)
    photo = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(photo, "PNG")
    upload = io.BytesIO(photo.getvalue())
    upload.name = "personel.csv"
    client.cookies["django_language"] = "en"
    response = client.post(reverse("officers:import"), {"file": upload})
    assert response.status_code == 400
    # Not "the header row lacks the columns": the user would look for a typo there.
    assert "This file cannot be read as CSV text" in response.content.decode()
    assert not Officer.objects.filter(nrp__startswith="85").exists()


def test_utf16_text_without_its_byte_order_mark_is_read(area, polres_commander, villages):
    content = as_csv(rows(area, villages, count=3)).decode("utf-8-sig").encode("utf-16-le")
    result = officers_import(actor=polres_commander, name="personel.csv", content=content)
    assert result.ok, result.bad_rows
    assert Officer.objects.filter(nrp__startswith="85").count() == 3


def test_a_commander_imports_from_the_page(client, area, polres_commander, villages):
    client.force_login(polres_commander)
    upload = io.BytesIO(as_csv(rows(area, villages, count=5)))
    upload.name = "personel.csv"
    response = client.post(reverse("officers:import"), {"file": upload})
    assert response.status_code == 302
    assert Officer.objects.filter(nrp__startswith="85").count() == 5


def test_the_page_counts_what_it_imported_in_good_english(client, area, polres_commander, villages):
    client.force_login(polres_commander)
    client.cookies["django_language"] = "en"
    upload = io.BytesIO(as_csv(rows(area, villages, count=1)))
    upload.name = "personel.csv"
    response = client.post(reverse("officers:import"), {"file": upload}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Imported. New officers: 1; updated: 0; unchanged: 0; new assignments: 1."
    ]


def test_the_page_lists_bad_rows(client, area, polres_commander, villages):
    table = rows(area, villages, count=3)
    table[1][4] = "bukan-email"
    client.force_login(polres_commander)
    upload = io.BytesIO(as_csv(table))
    upload.name = "personel.csv"
    response = client.post(reverse("officers:import"), {"file": upload})
    assert response.status_code == 400
    assert "bukan-email" in response.content.decode()


@pytest.mark.parametrize("fixture", ["officer", "resident", "polda_viewer"])
def test_import_is_for_commanders_and_operators(client, area, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("officers:import")).status_code == 404


# --- An NRP already on file --------------------------------------------------------------------


def one_row(*, nrp, unit, email, village, phone="081234567890", starts_on="01/07/2026"):
    return [nrp, "Petugas Baru", "Bripka", unit.name, email, phone, village.code, starts_on]


def test_another_polres_cannot_take_over_an_officer_by_nrp(area, officer, other_polres_commander):
    table = [
        one_row(
            nrp=officer.officer.nrp,
            unit=area.village_other_polres.polsek,
            email="penyusup@example.org",
            village=area.village_other_polres,
        )
    ]
    result = officers_import(actor=other_polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [2]
    assert officer.officer.nrp in result.bad_rows[0].reason
    officer.refresh_from_db()
    officer.officer.refresh_from_db()
    assert officer.email == "officer@example.org"
    assert officer.officer.unit == area.polsek
    assert not Assignment.objects.filter(village=area.village_other_polres).exists()


@pytest.mark.parametrize("fixture", ["kapolsek", "polres_commander"])
def test_an_nrp_of_a_commander_is_reported_not_imported(area, request, operator, fixture):
    commander = request.getfixturevalue(fixture)
    table = [
        one_row(
            nrp=commander.officer.nrp,
            unit=area.polsek,
            email=commander.email,
            village=area.village_b,
        )
    ]
    result = officers_import(actor=operator, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [2]
    assert commander.officer.nrp in result.bad_rows[0].reason
    commander.officer.refresh_from_db()
    assert commander.officer.unit.kind == commander.UNIT_KIND[commander.role]
    assert not Assignment.objects.filter(village=area.village_b).exists()


def test_the_page_reports_an_nrp_of_a_kapolsek_instead_of_failing(
    client, area, kapolsek, polres_commander
):
    table = [
        one_row(
            nrp=kapolsek.officer.nrp,
            unit=area.polsek,
            email=kapolsek.email,
            village=area.village_b,
        )
    ]
    client.force_login(polres_commander)
    upload = io.BytesIO(as_csv(table))
    upload.name = "personel.csv"
    response = client.post(reverse("officers:import"), {"file": upload})
    assert response.status_code == 400
    assert kapolsek.officer.nrp in response.content.decode()


@pytest.mark.parametrize(
    ("column", "value"),
    [(5, "0812 3456 7890 / 0813 9999 0000"), (1, "N" * 151), (4, "a" * 250 + "@example.org")],
)
def test_a_value_too_long_for_the_database_is_reported(
    area, polres_commander, villages, column, value
):
    table = rows(area, villages, count=2)
    table[1][column] = value
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [3]
    assert not Officer.objects.filter(nrp__startswith="85").exists()


def test_a_word_for_a_phone_number_is_reported(area, polres_commander, villages):
    table = rows(area, villages, count=2)
    table[1][5] = "lewat Kapolsek"
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [3]
    assert "lewat Kapolsek" in result.bad_rows[0].reason
    assert not Officer.objects.filter(nrp__startswith="85").exists()


# --- Start dates --------------------------------------------------------------------------------


def test_a_second_import_with_a_future_start_date_changes_nothing(area, polres_commander, villages):
    table = rows(area, villages, count=3)
    later = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    for row in table:
        row[7] = later
    content = as_csv(table)
    first = officers_import(actor=polres_commander, name="p.csv", content=content)
    assert (first.created, first.assignments_created) == (3, 3)
    second = officers_import(actor=polres_commander, name="p.csv", content=content)
    assert second.ok, second.bad_rows
    assert (second.created, second.updated, second.unchanged, second.assignments_created) == (
        0,
        0,
        3,
        0,
    )
    assert Assignment.objects.filter(officer__nrp__startswith="85").count() == 3


def test_a_desa_whose_last_officer_served_past_the_start_date_is_reported(
    area, officer, polres_commander, villages
):
    Assignment.objects.filter(officer=officer.officer).update(ends_on=datetime.date(2026, 11, 30))
    table = rows(area, villages, count=1)
    table[0][6] = area.village.code  # starts 01/07/2026, while the last officer served
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [2]
    assert area.village.code in result.bad_rows[0].reason
    assert Assignment.objects.filter(village=area.village).count() == 1


def test_a_desa_reassigned_after_the_files_start_date_is_left_as_it_is(
    area, officer, kapolsek, polres_commander, villages
):
    from officers.services import village_reassign

    table = rows(area, villages, count=1)  # starts 01/07/2026
    table[0][6] = area.village.code
    Assignment.objects.filter(officer=officer.officer).update(ends_on=datetime.date(2026, 6, 30))
    assert officers_import(actor=polres_commander, name="p.csv", content=as_csv(table)).ok
    newcomer = Officer.objects.get(nrp=table[0][0])
    village_reassign(
        actor=kapolsek, village=area.village, officer=officer.officer, on=datetime.date(2026, 9, 1)
    )
    village_reassign(
        actor=kapolsek, village=area.village, officer=newcomer, on=datetime.date(2026, 11, 1)
    )
    # The file still says 01/07/2026; the newcomer holds the desa again since 1 November.
    again = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert again.ok, again.bad_rows
    assert again.assignments_created == 0


def test_an_officer_whose_own_last_assignment_ran_past_the_start_date_is_reported(
    area, officer, polres_commander
):
    Assignment.objects.filter(officer=officer.officer).update(ends_on=datetime.date(2026, 11, 30))
    table = [
        one_row(
            nrp=officer.officer.nrp,
            unit=area.polsek,
            email=officer.email,
            village=area.village,
        )
    ]
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert [bad.line for bad in result.bad_rows] == [2]
    assert Assignment.objects.filter(village=area.village).count() == 1


def test_the_polsek_may_be_named_without_the_word_polsek(area, polres_commander, villages):
    table = rows(area, villages, count=1)
    table[0][3] = "Cileunyi"
    result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    assert not result.bad_rows
    assert Officer.objects.get(nrp=table[0][0]).unit == area.polsek


def test_a_mobile_number_kept_as_a_number_gets_its_leading_zero_back(
    area, polres_commander, villages
):
    table = rows(area, villages, count=1)
    book = Workbook()
    book.active.append(HEADER)
    book.active.append([*table[0][:5], 81322223333, *table[0][6:]])
    out = io.BytesIO()
    book.save(out)
    result = officers_import(actor=polres_commander, name="p.xlsx", content=out.getvalue())
    assert result.ok, result.bad_rows
    assert Officer.objects.get(nrp="85000000").phone == "081322223333"


def test_each_reason_names_its_column_and_what_to_write(area, polres_commander, villages):
    table = rows(area, villages, count=2)
    table[1][1] = ""  # line 3: no name
    table[1][2] = "Brigadir Kepala"
    table[1][5] = "abc"
    table[1][7] = "2026-31-01"
    with translation.override("en"):
        result = officers_import(actor=polres_commander, name="p.csv", content=as_csv(table))
    [bad] = result.bad_rows
    assert bad.line == 3
    assert "column Nama is empty" in bad.reason
    assert "column Pangkat: unknown rank “Brigadir Kepala”: write one of Bripda, " in bad.reason
    assert "column Telepon: “abc” is not a phone number" in bad.reason
    assert "column TMT: “2026-31-01” is not a date" in bad.reason
    assert not Officer.objects.filter(nrp__startswith="85").exists()


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"%PDF-1.4", "personel.pdf", "Upload a CSV or XLSX file."),
        (";".join(HEADER).encode(), "personel.csv", "The file has no rows."),
    ],
)
def test_the_page_tells_a_file_to_fix_from_a_row_to_fix(
    client, area, polres_commander, content, name, reason
):
    """Not "1 row needs fixing / Line 1: …" for a PDF; a header without rows imported
    "0 new officers" as if something had been done."""
    client.force_login(polres_commander)
    client.cookies["django_language"] = "en"
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(reverse("officers:import"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported: the file needs fixing" in page
    assert f"<li>{reason}</li>" in page
    assert "Line 1" not in page and "row needs fixing" not in page


def test_a_polsek_that_does_not_exist_or_is_left_empty_is_named_so(
    area, operator, other_polres_commander, villages
):
    """An operator's area is the whole country: "not in your area" said nothing of a typo."""
    table = rows(area, villages, count=2)
    table[0][3] = "Cileuny"
    table[1][3] = ""
    with translation.override("en"):
        result = officers_import(actor=operator, name="p.csv", content=as_csv(table))
        outside = officers_import(
            actor=other_polres_commander, name="p.csv", content=as_csv(rows(area, villages, 1))
        )
    assert [(bad.line, bad.reason) for bad in result.bad_rows] == [
        (2, "no Polsek is named “Cileuny”: write its name or its code"),
        (3, "column Polsek is empty"),
    ]
    # A Polsek that exists, of another Polres, is still outside the importer's area.
    assert f"Polsek “{area.polsek.name}” is not in your area" in outside.bad_rows[0].reason
    assert not Officer.objects.filter(nrp__startswith="85").exists()
