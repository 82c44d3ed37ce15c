import csv
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

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


def test_a_commander_imports_from_the_page(client, area, polres_commander, villages):
    client.force_login(polres_commander)
    upload = io.BytesIO(as_csv(rows(area, villages, count=5)))
    upload.name = "personel.csv"
    response = client.post(reverse("officers:import"), {"file": upload})
    assert response.status_code == 302
    assert Officer.objects.filter(nrp__startswith="85").count() == 5


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
