from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from territory.importer import read_rows, readable_name, territory_import
from territory.models import District, PoliceUnit, Province, Regency, Village
from territory.timezones import WIB, WIT, WITA

pytestmark = pytest.mark.django_db

# Line numbers matter: the bad-row tests refer to them.
SAMPLE = """\
32,JAWA BARAT
32.04,KAB. BANDUNG
32.04.05,Cileunyi
32.04.05.2001,Cileunyi Kulon
32.04.05.1002,Cibiru Hilir
32.73,KOTA BANDUNG
32.73.01,Sukasari
32.73.01.1001,Sarijadi
51,BALI
51.03,KAB BADUNG
51.03.01,Kuta Selatan
51.03.01.1001,Jimbaran
91,PAPUA
91.71,JAYAPURA
91.71.01,Jayapura Utara
91.71.01.2001,"Gurabesi, Atas"
"""


@pytest.fixture(autouse=True)
def _english():
    # Assertions read the English messages whatever the catalogue translates them to.
    with translation.override("en"):
        yield


def run(tmp_path, text, *args):
    """Run the command on `text` as a CSV file; return (stdout, stderr)."""
    path = tmp_path / "wilayah.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_territory", "--file", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("id", "code", "name"))
        for model in (Province, Regency, District, Village, PoliceUnit)
    }


def unit(code):
    return PoliceUnit.objects.select_related("parent").get(code=code)


def test_every_level_is_imported_with_its_kind(tmp_path):
    run(tmp_path, SAMPLE)

    assert Province.objects.count() == 3
    assert dict(Regency.objects.values_list("code", "kind")) == {
        "32.04": "kabupaten",
        "32.73": "kota",
        "51.03": "kabupaten",
        "91.71": "kota",  # no KOTA in the name, but codes from 71 are cities
    }
    assert District.objects.get(code="32.04.05").regency.code == "32.04"
    assert dict(Village.objects.values_list("code", "kind")) == {
        "32.04.05.2001": "desa",
        "32.04.05.1002": "kelurahan",
        "32.73.01.1001": "kelurahan",
        "51.03.01.1001": "kelurahan",
        "91.71.01.2001": "desa",
    }


def test_province_and_regency_names_are_title_cased_and_the_rest_kept(tmp_path):
    run(tmp_path, SAMPLE)

    assert Province.objects.get(code="32").name == "Jawa Barat"
    assert Regency.objects.get(code="32.04").name == "Kab. Bandung"
    assert Regency.objects.get(code="32.73").name == "Kota Bandung"
    assert Regency.objects.get(code="51.03").name == "Kab. Badung"
    assert District.objects.get(code="32.04.05").name == "Cileunyi"
    assert Village.objects.get(code="91.71.01.2001").name == "Gurabesi, Atas"


@pytest.mark.parametrize(
    ("source", "readable"),
    [
        ("KAB. BANDUNG", "Kab. Bandung"),
        ("KOTA ADM. JAKARTA PUSAT", "Kota Adm. Jakarta Pusat"),
        ("DKI JAKARTA", "DKI Jakarta"),
        ("DI YOGYAKARTA", "DI Yogyakarta"),
        ("KEPULAUAN BANGKA BELITUNG", "Kepulauan Bangka Belitung"),
        ("KAB TIMOR TENGAH SELATAN", "Kab. Timor Tengah Selatan"),
        ("Kab. Pulau Morotai", "Kab. Pulau Morotai"),
    ],
)
def test_upper_case_names_read_as_title_case(source, readable):
    assert readable_name(source) == readable


def test_default_units_are_created_with_parents_names_and_timezones(tmp_path):
    out, _ = run(tmp_path, SAMPLE)

    polda = unit("POLDA-32")
    polres = unit("POLRES-32.04")
    polsek = unit("POLSEK-32.04.05")
    assert (polda.name, polda.kind, polda.parent, polda.timezone) == (
        "Polda Jawa Barat",
        "polda",
        None,
        WIB,
    )
    assert (polres.name, polres.kind, polres.parent) == ("Polres Kab. Bandung", "polres", polda)
    assert (polsek.name, polsek.kind, polsek.parent) == ("Polsek Cileunyi", "polsek", polres)
    assert unit("POLRES-32.73").name == "Polres Kota Bandung"
    assert {unit(code).timezone for code in ("POLDA-51", "POLRES-51.03", "POLSEK-51.03.01")} == {
        WITA
    }
    assert {unit(code).timezone for code in ("POLDA-91", "POLRES-91.71", "POLSEK-91.71.01")} == {
        WIT
    }
    assert "Police units created: 3 Polda, 4 Polres, 4 Polsek" in out


def test_every_desa_falls_under_the_polsek_of_its_kecamatan(tmp_path):
    run(tmp_path, SAMPLE)

    for village in Village.objects.select_related("district__regency", "polsek__parent"):
        assert village.polsek.code == f"POLSEK-{village.district.code}"
        assert village.district.polsek_id == village.polsek_id
        assert village.district.regency.polres_id == village.polsek.parent_id


def test_second_run_changes_nothing(tmp_path):
    run(tmp_path, SAMPLE)
    before = snapshot()

    out, err = run(tmp_path, SAMPLE)

    assert snapshot() == before
    assert "Desa/kelurahan: 0 created, 0 updated, 5 unchanged" in out
    assert "Provinces: 0 created, 0 updated, 3 unchanged" in out
    assert "Police units created: 0 Polda, 0 Polres, 0 Polsek" in out
    assert err == ""


def test_a_renamed_entry_is_updated_in_place(tmp_path):
    run(tmp_path, SAMPLE)
    village_id = Village.objects.get(code="32.04.05.2001").id

    out, _ = run(tmp_path, SAMPLE.replace("Cileunyi Kulon", "Cileunyi Kulon Baru"))

    village = Village.objects.get(code="32.04.05.2001")
    assert (village.id, village.name) == (village_id, "Cileunyi Kulon Baru")
    assert "Desa/kelurahan: 0 created, 1 updated, 4 unchanged" in out


def test_rows_missing_from_the_file_are_counted_and_left_alone(tmp_path):
    run(tmp_path, SAMPLE)

    out, _ = run(tmp_path, SAMPLE.replace("32.04.05.1002,Cibiru Hilir\n", ""))

    assert Village.objects.filter(code="32.04.05.1002").exists()
    assert "Desa/kelurahan: 0 created, 0 updated, 4 unchanged, 1 only in the database" in out


def test_bad_rows_are_reported_by_line_and_the_good_rows_still_import(tmp_path):
    text = (
        SAMPLE
        + "32.04.5,Malformed\n"  # line 17
        + "32.04.06,\n"  # line 18: empty name
        + "32.04.06.2001,Child Of A Skipped Kecamatan\n"  # line 19
        + "32.99.01,Orphan\n"  # line 20: no regency 32.99 anywhere
        + "32.04.05.2001,Cileunyi Kulon Again\n"  # line 21: duplicate of line 4
        + "32.04.05.3001,Neither Desa Nor Kelurahan\n"  # line 22
        + "32.04.05.2004,Lubuk Pakam I,II\n"  # line 23: the comma needs quotes
    )
    err = StringIO()
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError, match="7 bad rows were skipped"):
        call_command("import_territory", "--file", str(path), stdout=StringIO(), stderr=err)

    report = err.getvalue().splitlines()
    assert report == [
        "Line 17: 32.04.5: malformed code",
        "Line 18: 32.04.06: empty name",
        "Line 19: 32.04.06.2001: parent 32.04.06 was skipped (line 18)",
        "Line 20: 32.99.01: parent 32.99 is neither in the file nor in the database",
        "Line 21: 32.04.05.2001: duplicate of line 4",
        "Line 22: 32.04.05.3001: malformed code: a desa code starts with 2, a kelurahan code "
        "with 1",
        "Line 23: 32.04.05.2004: 3 columns instead of 2 (quote a name that contains a comma)",
    ]
    assert Village.objects.count() == 5
    assert Village.objects.get(code="32.04.05.2001").name == "Cileunyi Kulon"
    assert not District.objects.filter(code__in=["32.04.06", "32.99.01"]).exists()


def test_a_child_whose_parent_is_already_in_the_database_imports(tmp_path):
    run(tmp_path, SAMPLE)

    run(tmp_path, "32.04.05.2003,Cimekar\n")

    village = Village.objects.select_related("district", "polsek").get(code="32.04.05.2003")
    assert village.district.code == "32.04.05"
    assert village.polsek.code == "POLSEK-32.04.05"


def test_a_polsek_chosen_by_an_operator_is_never_overwritten(tmp_path):
    run(tmp_path, SAMPLE)
    other = PoliceUnit.objects.create(
        code="POLSEK-X", name="Polsek Lain", kind="polsek", parent=unit("POLRES-32.04")
    )
    District.objects.filter(code="32.04.05").update(polsek=other)
    Village.objects.filter(code="32.04.05.2001").update(polsek=other)

    run(tmp_path, SAMPLE + "32.04.05.2003,Cimekar\n")

    assert District.objects.get(code="32.04.05").polsek == other
    assert Village.objects.get(code="32.04.05.2001").polsek == other
    # The default Polsek keeps the desa that were linked to it; a new desa follows the kecamatan.
    assert Village.objects.get(code="32.04.05.1002").polsek.code == "POLSEK-32.04.05"
    assert Village.objects.get(code="32.04.05.2003").polsek == other


def test_a_null_polsek_is_filled_on_the_next_run(tmp_path):
    run(tmp_path, SAMPLE)
    Village.objects.filter(code="32.04.05.2001").update(polsek=None)

    out, _ = run(tmp_path, SAMPLE)

    assert Village.objects.get(code="32.04.05.2001").polsek.code == "POLSEK-32.04.05"
    assert "Desa/kelurahan: 0 created, 1 updated, 4 unchanged" in out


def test_no_default_polsek_is_created_where_the_operator_linked_one(tmp_path):
    run(tmp_path, "32,JAWA BARAT\n32.04,KAB. BANDUNG\n")
    polres = unit("POLRES-32.04")
    operator_polsek = PoliceUnit.objects.create(
        code="POLSEK-OPS", name="Polsek Gabungan", kind="polsek", parent=polres
    )
    District.objects.create(
        code="32.04.05", name="Cileunyi", regency=polres.regencies.get(), polsek=operator_polsek
    )

    run(tmp_path, "32.04.05.2001,Cileunyi Kulon\n")

    assert not PoliceUnit.objects.filter(code="POLSEK-32.04.05").exists()
    assert Village.objects.get(code="32.04.05.2001").polsek == operator_polsek


def test_regency_filter_imports_only_that_regency_and_its_province(tmp_path):
    out, _ = run(tmp_path, SAMPLE, "--regency", "32.04")

    assert list(Province.objects.values_list("code", flat=True)) == ["32"]
    assert list(Regency.objects.values_list("code", flat=True)) == ["32.04"]
    assert list(Village.objects.values_list("code", flat=True)) == [
        "32.04.05.1002",
        "32.04.05.2001",
    ]
    assert "Police units created: 1 Polda, 1 Polres, 1 Polsek" in out


def test_province_filter_imports_only_that_province(tmp_path):
    run(tmp_path, SAMPLE, "--province", "51")

    assert list(Regency.objects.values_list("code", flat=True)) == ["51.03"]
    assert list(Village.objects.values_list("code", flat=True)) == ["51.03.01.1001"]


def test_regency_outside_the_province_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not in province"):
        run(tmp_path, SAMPLE, "--province", "51", "--regency", "32.04")

    assert not Province.objects.exists()


def test_service_reports_what_it_changed(tmp_path):
    path = tmp_path / "wilayah.csv"
    path.write_text(SAMPLE, encoding="utf-8")

    first = territory_import(rows=read_rows(path=path))
    second = territory_import(rows=read_rows(path=path))

    assert (first.villages.created, first.units_created["polsek"], first.changed) == (5, 4, 27)
    assert (second.changed, second.villages.unchanged, second.bad_rows) == (0, 5, [])


def test_the_national_list_from_the_package_imports_one_regency():
    out = StringIO()

    call_command("import_territory", "--regency", "32.04", stdout=out, stderr=StringIO())

    assert Province.objects.get().name == "Jawa Barat"
    assert Regency.objects.get().name == "Kab. Bandung"
    assert District.objects.count() == 31
    assert Village.objects.count() == 280
    assert not Village.objects.filter(polsek__isnull=True).exists()
    assert Village.objects.get(code="32.04.05.2001").name == "Cileunyi Kulon"
    assert "Police units created: 1 Polda, 1 Polres, 31 Polsek" in out.getvalue()


@pytest.mark.django_db
def test_the_whole_country_imports_with_every_desa_under_one_polsek():
    call_command("import_territory", no_progress=True, stdout=StringIO())
    assert Province.objects.count() == 34
    assert Regency.objects.count() == 514
    assert District.objects.count() == 7230
    assert Village.objects.count() == 83441
    assert not Village.objects.filter(polsek__isnull=True).exists()
    assert not Village.objects.exclude(polsek__kind=PoliceUnit.Kind.POLSEK).exists()
