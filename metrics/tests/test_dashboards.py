"""The commanders' dashboards: who may open which area, the figures shown, the sortable child
table with its attention marks, the sparklines, the definitions page, and a query count that
does not grow with the number of areas or months."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from metrics.catalogue import INDICATORS
from metrics.compute import recompute
from metrics.models import CrimeStatistic, IndicatorValue
from metrics.selectors import ATTENTION_RULES, shift_month
from metrics.tests.factories import (
    CrimeStatisticFactory,
    CrimeTypeFactory,
    CrimeTypeValueFactory,
    IndicatorValueFactory,
)
from metrics.views import dashboards
from officers.tests.factories import OfficerFactory
from territory.tests.factories import PolsekFactory, VillageFactory

Level = IndicatorValue.Level
MONTH = datetime.date(2026, 1, 1)
LAST_MONTH = datetime.date(2025, 12, 1)


@pytest.fixture(autouse=True)
def _february_2026():
    # "This month" decides the default month and which months may be asked for.
    with time_machine.travel(datetime.datetime(2026, 2, 10, 3, 0, tzinfo=datetime.UTC)):
        yield


def put(level: str, code: str, month: datetime.date = MONTH, **values) -> None:
    for key, value in values.items():
        IndicatorValueFactory(level=level, area_code=code, month=month, indicator=key, value=value)


def url(level: str, code: str, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"bulan": "2026-01", **params}.items())
    return reverse("metrics:dashboard", args=[level, code]) + "?" + query


@pytest.fixture
def polres_staff(area) -> User:
    return OfficerFactory(
        user__role=User.Role.POLRES_STAFF, user__email="staf@example.org", unit=area.polres
    ).user


# --- Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("kapolsek", "/dasbor/polsek/POLSEK-32.04.05/"),
        ("polres_commander", "/dasbor/polres/POLRES-32.04/"),
        ("polres_staff", "/dasbor/polres/POLRES-32.04/"),
        ("polda_viewer", "/dasbor/polda/POLDA-32/"),
        ("operator", "/dasbor/nation/ID/"),
    ],
)
def test_dashboard_home_opens_the_users_own_area(client, request, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("metrics:dashboard_home"))
    assert response.status_code == 302
    assert response["Location"] == expected
    assert client.get(expected).status_code == 200


def test_dashboard_home_keeps_the_query_string_of_a_bookmarked_link(client, polres_commander, area):
    client.force_login(polres_commander)
    query = "bulan=2025-11&baris=desa&urut=-coverage_pct"
    response = client.get(reverse("metrics:dashboard_home") + "?" + query)
    assert response.status_code == 302
    assert response["Location"] == f"/dasbor/polres/{area.polres.code}/?{query}"
    page = client.get(response["Location"])
    assert page.context["month"] == datetime.date(2025, 11, 1)
    assert page.context["query"].desa_rows and page.context["query"].sort == "-coverage_pct"


@pytest.mark.parametrize("role", ["resident", "officer"])
def test_residents_and_officers_have_no_dashboard(client, request, area, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("metrics:dashboard_home")).status_code == 404
    assert client.get(url(Level.VILLAGE, area.village.code)).status_code == 404
    assert client.get(url(Level.POLSEK, area.polsek.code)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, area):
    response = client.get(url(Level.POLRES, area.polres.code))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def _areas(area):
    return {
        "nation": (Level.NATION, "ID"),
        "polda": (Level.POLDA, area.polda.code),
        "polres": (Level.POLRES, area.polres.code),
        "polres_other": (Level.POLRES, area.polres_other.code),
        "polsek": (Level.POLSEK, area.polsek.code),
        "polsek_other": (Level.POLSEK, area.polsek_other.code),
        "village": (Level.VILLAGE, area.village.code),
        "village_elsewhere": (Level.VILLAGE, area.village_elsewhere.code),
        "village_other_polres": (Level.VILLAGE, area.village_other_polres.code),
    }


SCOPE = {
    "kapolsek": {"polsek", "village"},
    "polres_commander": {"polres", "polsek", "polsek_other", "village", "village_elsewhere"},
    "polda_viewer": {
        "polda",
        "polres",
        "polres_other",
        "polsek",
        "polsek_other",
        "village",
        "village_elsewhere",
        "village_other_polres",
    },
    "operator": {
        "nation",
        "polda",
        "polres",
        "polres_other",
        "polsek",
        "polsek_other",
        "village",
        "village_elsewhere",
        "village_other_polres",
    },
}


@pytest.mark.parametrize("role", list(SCOPE))
def test_every_area_outside_the_users_scope_is_404(client, request, area, role):
    client.force_login(request.getfixturevalue(role))
    for name, (level, code) in _areas(area).items():
        expected = 200 if name in SCOPE[role] else 404
        assert client.get(url(level, code)).status_code == expected, (role, name)


def test_an_unknown_code_is_404(client, operator):
    client.force_login(operator)
    assert client.get(url(Level.POLRES, "POLRES-99.99")).status_code == 404
    assert client.get(url(Level.NATION, "XX")).status_code == 404


def test_the_commanders_landing_links_to_the_dashboard(client, polres_commander):
    client.force_login(polres_commander)
    page = client.get(reverse("landing")).content.decode()
    assert reverse("metrics:dashboard_home") in page


def test_breadcrumbs_link_only_to_areas_in_scope(client, kapolsek, area):
    client.force_login(kapolsek)
    page = client.get(url(Level.VILLAGE, area.village.code)).content.decode()
    assert f'href="/dasbor/polsek/{area.polsek.code}/' in page
    assert f"/dasbor/polres/{area.polres.code}/" not in page
    assert area.polres.name in page  # named, not linked


# --- The figures ------------------------------------------------------------------------------


def test_the_month_and_last_month_match_the_rows(client, polres_commander, area):
    code = area.polres.code
    put(Level.POLRES, code, coverage_pct=67.5, desa_per_officer=2.5, crimes_reported=12)
    put(Level.POLRES, code, LAST_MONTH, coverage_pct=60.0, desa_per_officer=2.0, crimes_reported=12)
    put(Level.POLSEK, area.polsek.code, coverage_pct=11.0)  # another area: not shown up here
    client.force_login(polres_commander)
    response = client.get(url(Level.POLRES, code))
    lines = {line.key: line for line in response.context["figures"].lines}
    assert (lines["coverage_pct"].value, lines["coverage_pct"].previous) == (67.5, 60.0)
    assert lines["coverage_pct"].verdict == "better"  # higher is better, and it rose
    assert lines["desa_per_officer"].verdict == "worse"  # higher is worse, and it rose
    assert lines["crimes_reported"].verdict == "same"
    page = response.content.decode()
    assert "67,5%" in page and "60,0%" in page  # Indonesian decimals
    # The change is said in words as well as by colour and arrow.
    coverage_row = page[page.index("#coverage_pct") :].split("</tr>")[0]
    assert "chg-better" in coverage_row
    assert f"({lines['coverage_pct'].verdict_label})" in coverage_row
    assert '<span aria-hidden="true">▲</span>' in coverage_row


def test_an_indicator_with_no_direction_is_up_or_down_not_better_or_worse(
    client, polres_commander, area
):
    put(Level.POLRES, area.polres.code, crimes_reported=15)
    put(Level.POLRES, area.polres.code, LAST_MONTH, crimes_reported=10)
    client.force_login(polres_commander)
    response = client.get(url(Level.POLRES, area.polres.code))
    line = next(
        line for line in response.context["figures"].crime.lines if line.key == "crimes_reported"
    )
    assert line.verdict == "up"
    assert "chg-up" in response.content.decode()


def test_this_month_is_in_progress_and_its_changes_are_not_judged(client, polres_commander, area):
    code = area.polres.code
    this_month = datetime.date(2026, 2, 1)  # the tests' today is 10 February 2026
    put(Level.POLRES, code, this_month, coverage_pct=40.0, desa_per_officer=2.5)
    put(Level.POLRES, code, MONTH, coverage_pct=60.0, desa_per_officer=2.0)
    put(Level.POLRES, code, LAST_MONTH, coverage_pct=50.0)
    client.force_login(polres_commander)
    response = client.get(url(Level.POLRES, code, bulan="2026-02"))
    figures = response.context["figures"]
    assert figures.in_progress and figures.as_of == datetime.date(2026, 2, 10)
    lines = {line.key: line for line in figures.lines}
    assert (lines["coverage_pct"].verdict, lines["desa_per_officer"].verdict) == ("down", "up")
    page = response.content.decode()
    assert "(bulan berjalan, sampai 10 Februari)" in page
    assert "chg-worse" not in page and "chg-better" not in page
    # January is over: judged as before, and no notice.
    finished = client.get(url(Level.POLRES, code)).context["figures"]
    assert not finished.in_progress
    assert {line.key: line for line in finished.lines}["coverage_pct"].verdict == "better"


def test_each_indicator_has_a_sparkline_of_twelve_months(client, polres_commander, area):
    for offset in range(12):
        put(Level.POLRES, area.polres.code, shift_month(MONTH, -offset), coverage_pct=50.0 - offset)
    client.force_login(polres_commander)
    response = client.get(url(Level.POLRES, area.polres.code))
    line = next(line for line in response.context["figures"].lines if line.key == "coverage_pct")
    assert line.trend == [39.0 + n for n in range(12)]
    page = response.content.decode()
    assert page.count('<svg class="sparkline"') == len(response.context["figures"].lines)
    assert "<polyline" in page
    assert 'role="img"' in page and "<title>" in page
    assert "<script" not in page.split("<main")[1]


def test_the_sparkline_names_the_months_of_its_first_and_last_figures(
    client, polres_commander, area
):
    """This month has no figure yet: "ke 41,0%" is last month's, and says so."""
    for offset in range(1, 12):
        put(Level.POLRES, area.polres.code, shift_month(MONTH, -offset), coverage_pct=42.0 - offset)
    client.force_login(polres_commander)
    page = client.get(url(Level.POLRES, area.polres.code)).content.decode()
    assert "(Feb 2025 sampai Jan 2026): dari 31,0% pada Feb 2025 ke 41,0% pada Des 2025" in page


def test_the_change_is_the_difference_of_the_figures_as_shown(client, polres_commander, area):
    """22.057 and 21.804 show as 22,06 and 21,80: the change shown is +0,26, not +0,25."""
    put(Level.POLRES, area.polres.code, crimes_per_10k=22.057, clearance_pct=50.04)
    put(Level.POLRES, area.polres.code, LAST_MONTH, crimes_per_10k=21.804, clearance_pct=49.96)
    client.force_login(polres_commander)
    response = client.get(url(Level.POLRES, area.polres.code))
    lines = {line.key: line for line in response.context["figures"].crime.lines}
    assert lines["crimes_per_10k"].change_display == "+0,26"
    # 50,0% against 50,0%: no change, as the two figures say.
    assert (lines["clearance_pct"].change_display, lines["clearance_pct"].verdict) == (
        "0,0",
        "same",
    )
    # Reported crime as a rate is, like the count, neither better nor worse for rising.
    assert lines["crimes_per_10k"].verdict == "up"


def test_indicator_labels_link_to_their_definition(client, kapolsek, area):
    client.force_login(kapolsek)
    page = client.get(url(Level.POLSEK, area.polsek.code)).content.decode()
    assert 'href="/dasbor/definisi/#coverage_pct"' in page
    assert 'href="/dasbor/definisi/#clearance_pct"' in page


def test_crime_statistics_stand_beside_the_indicators(client, kapolsek, area):
    theft = CrimeTypeFactory(code="uji-curian", name="Pencurian uji", name_en="Test theft")
    CrimeStatisticFactory(village=area.village, crime_type=theft, reported=5, cleared=2)
    CrimeStatisticFactory(village=area.village_b, crime_type=theft, reported=4, cleared=1)
    CrimeStatisticFactory(village=area.village_elsewhere, crime_type=theft, reported=50)
    recompute(months=[MONTH])
    client.force_login(kapolsek)
    response = client.get(url(Level.POLSEK, area.polsek.code))
    figures = response.context["figures"]
    assert {line.key for line in figures.crime.lines} == {
        "crimes_reported",
        "crimes_cleared",
        "crimes_per_10k",
        "clearance_pct",
    }
    assert all(line.indicator.family != 13 for f in figures.families for line in f.lines)
    (row,) = response.context["crime_types"]
    assert (row.name, row.reported, row.cleared) == ("Pencurian uji", 9, 3)
    page = response.content.decode()
    crime_panel = page[page.index('class="dash-crime"') : page.index('class="dash-indicators"')]
    assert "Pencurian uji" in crime_panel and ">9<" in crime_panel
    # The table by crime type downloads like the others.
    export = reverse(
        "metrics:export", args=[Level.POLSEK, area.polsek.code, "jenis-kejahatan", "csv"]
    )
    assert f'href="{export}?bulan=2026-01"' in crime_panel


def test_the_crime_types_are_read_from_the_computed_rows_only(client, kapolsek, area):
    theft = CrimeTypeFactory(code="uji-curian", name="Pencurian uji", name_en="Test theft")
    drugs = CrimeTypeFactory(code="uji-narkoba", name="Narkoba uji", name_en="Test drugs")
    CrimeStatisticFactory(village=area.village, crime_type=theft, reported=5, cleared=2)
    CrimeStatisticFactory(village=None, polsek=area.polsek, crime_type=drugs, reported=2)
    recompute(months=[MONTH])
    CrimeStatistic.objects.all().delete()
    CrimeStatisticFactory(village=area.village_b, crime_type=theft, reported=40)
    client.force_login(kapolsek)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = client.get(url(Level.POLSEK, area.polsek.code)).context["crime_types"]
    assert [(r.name, r.reported, r.cleared) for r in rows] == [
        ("Test theft", 5, 2),
        ("Test drugs", 2, 1),
    ]
    village_rows = client.get(url(Level.VILLAGE, area.village_b.code)).context["crime_types"]
    assert village_rows == []


def test_a_desa_with_no_case_in_an_imported_month_is_not_said_to_lack_figures(
    client, kapolsek, area
):
    # The Polsek reported January; one desa had no case, the other had a theft.
    theft = CrimeTypeFactory(code="uji-curian", name="Pencurian uji", name_en="Test theft")
    CrimeStatisticFactory(village=area.village, crime_type=theft, reported=1200, cleared=1001)
    recompute(months=[MONTH])
    client.force_login(kapolsek)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    quiet = client.get(url(Level.VILLAGE, area.village_b.code)).content.decode()
    assert "No cases reported this month." in quiet
    assert "No crime statistics imported for this month." not in quiet
    # A month nothing was imported for says so.
    missing = client.get(url(Level.VILLAGE, area.village_b.code, bulan="2025-12")).content.decode()
    assert "No crime statistics imported for this month." in missing
    assert "No cases reported this month." not in missing
    # The counts by type are grouped like every other figure.
    busy = client.get(url(Level.VILLAGE, area.village.code)).content.decode()
    assert ">1,200<" in busy and ">1,001 <" in busy


@pytest.mark.parametrize("asked", ["2026-13", "abc", "2030-01"])
def test_a_month_that_cannot_be_shown_is_said_so(client, kapolsek, area, asked):
    put(Level.POLSEK, area.polsek.code, coverage_pct=50.0)
    client.force_login(kapolsek)
    response = client.get(url(Level.POLSEK, area.polsek.code, bulan=asked))
    assert response.status_code == 200
    assert response.context["month"] == MONTH
    assert f"Tidak ada angka untuk ditampilkan bagi “{asked}”" in response.content.decode()


def test_a_month_shown_as_asked_has_no_such_notice(client, kapolsek, area):
    client.force_login(kapolsek)
    response = client.get(url(Level.POLSEK, area.polsek.code, bulan="2025-11"))
    assert response.context["month"] == datetime.date(2025, 11, 1)
    assert "Tidak ada angka untuk ditampilkan" not in response.content.decode()


def test_without_a_month_the_newest_computed_month_is_shown(client, kapolsek, area):
    put(Level.POLSEK, area.polsek.code, datetime.date(2025, 11, 1), coverage_pct=70)
    client.force_login(kapolsek)
    base = reverse("metrics:dashboard", args=[Level.POLSEK, area.polsek.code])
    for params in ("", "?bulan=bukan-bulan", "?bulan=2031-01"):
        response = client.get(base + params)
        assert response.context["month"] == datetime.date(2025, 11, 1)
    assert client.get(base + "?bulan=2025-06").context["month"] == datetime.date(2025, 6, 1)


def test_a_desa_page_shows_its_own_indicators_and_why_it_needs_attention(client, kapolsek, area):
    put(Level.VILLAGE, area.village.code, coverage_pct=0, forums_met_90d_pct=100)
    client.force_login(kapolsek)
    response = client.get(url(Level.VILLAGE, area.village.code))
    assert response.context["table"] is None
    assert [rule.key for rule in response.context["figures"].attention] == ["no_officer"]
    page = response.content.decode()
    assert "notice urgent" in page and "⚠" in page


def test_survey_figures_are_quarterly_and_compared_with_the_quarter_before(client, kapolsek, area):
    code = area.polsek.code
    put(Level.POLSEK, code, datetime.date(2026, 1, 1), satisfaction_pct=70.0)
    put(Level.POLSEK, code, datetime.date(2025, 10, 1), satisfaction_pct=60.0)
    put(
        Level.VILLAGE,
        area.village.code,
        datetime.date(2026, 2, 1),
        coverage_pct=100.0,
        forums_met_90d_pct=100.0,
    )
    put(Level.VILLAGE, area.village.code, datetime.date(2026, 1, 1), satisfaction_pct=30.0)
    client.force_login(kapolsek)
    response = client.get(url(Level.POLSEK, code, bulan="2026-02"))
    line = next(
        line for line in response.context["figures"].lines if line.key == "satisfaction_pct"
    )
    # February is this month: a change is said to be up or down, not better or worse.
    assert (line.value, line.previous, line.verdict) == (70.0, 60.0, "up")
    assert line.period_note in response.content.decode()
    (kulon,) = [row for row in response.context["table"].rows if row.code == area.village.code]
    assert kulon.values["satisfaction_pct"] == 30.0
    assert [rule.key for rule in kulon.attention] == ["low_satisfaction"]
    # The mark says on how many answers it rests (the factory's denominator).
    assert re.search(
        r'data-rule="low_satisfaction" title="Kepuasan rendah \(kurang dari separuh puas\) '
        r'\(2 jawaban\)">.*?Kepuasan rendah \(2 jawaban\)</span>',
        response.content.decode(),
    )


def test_a_survey_figures_previous_cell_names_the_quarter_not_last_month(client, kapolsek, area):
    code = area.polsek.code
    put(Level.POLSEK, code, datetime.date(2026, 1, 1), satisfaction_pct=70.0, coverage_pct=60.0)
    put(Level.POLSEK, code, datetime.date(2025, 12, 1), coverage_pct=50.0)
    put(Level.POLSEK, code, datetime.date(2025, 10, 1), satisfaction_pct=60.0)
    client.force_login(kapolsek)
    page = client.get(url(Level.POLSEK, code, bulan="2026-02")).content.decode()

    def previous_cell(key: str) -> str:
        row = page[page.index(f"#{key}") :].split("</tr>")[0]
        return re.search(r'<td class="num ind-prev">(.*?)</td>', row).group(1)

    # Under the column headed "Jan 2026", the survey's figure is October to December's.
    assert "Jan 2026" in page
    survey = previous_cell("satisfaction_pct")
    assert "60,0%" in survey and '<span class="ind-note">Okt–Des 2025</span>' in survey
    # A monthly figure is last month's, as its column says: no note.
    assert "ind-note" not in previous_cell("coverage_pct")


def test_a_survey_figure_is_in_progress_while_its_quarter_runs(client, kapolsek, area):
    code = area.polsek.code
    put(Level.POLSEK, code, datetime.date(2026, 1, 1), satisfaction_pct=70.0, coverage_pct=60.0)
    put(Level.POLSEK, code, datetime.date(2025, 12, 1), coverage_pct=50.0)
    put(Level.POLSEK, code, datetime.date(2025, 10, 1), satisfaction_pct=60.0)
    put(Level.POLSEK, code, datetime.date(2025, 7, 1), satisfaction_pct=50.0)
    client.force_login(kapolsek)

    def verdicts(month: str) -> tuple[str, str]:
        response = client.get(url(Level.POLSEK, code, bulan=month))
        by_key = {line.key: line for line in response.context["figures"].lines}
        notes[month] = by_key["satisfaction_pct"].period_note
        assert notes[month] in response.content.decode()
        return by_key["coverage_pct"].verdict, by_key["satisfaction_pct"].verdict

    notes = {}
    # January is over, but the first quarter runs to March: its survey is not judged yet, and
    # its figure is called provisional (a January report, printed in February, says so).
    assert verdicts("2026-01") == ("better", "up")
    assert notes["2026-01"] == (
        "Survei triwulanan: Jan–Mar 2026, masih berjalan (sementara), dibandingkan Okt–Des 2025"
        " · 2 jawaban dalam triwulan"  # the factory's denominator: how many answered
    )
    # The fourth quarter of 2025 is over: judged.
    assert verdicts("2025-12") == (None, "better")
    assert "sementara" not in notes["2025-12"]


# --- The child table --------------------------------------------------------------------------


def _three_desa(area):
    third = VillageFactory(
        code="32.04.05.2003", name="Cinunuk", district=area.village.district, polsek=area.polsek
    )
    put(Level.VILLAGE, area.village.code, coverage_pct=100.0, forums_met_90d_pct=100.0)
    put(Level.VILLAGE, area.village_b.code, coverage_pct=0.0, forums_met_90d_pct=100.0)
    return third  # no row at all


def _names(response) -> list[str]:
    return [row.name for row in response.context["page_obj"].object_list]


def test_the_child_table_sorts_by_any_column_with_missing_figures_last(client, kapolsek, area):
    _three_desa(area)
    client.force_login(kapolsek)
    code = area.polsek.code
    assert _names(client.get(url(Level.POLSEK, code))) == [
        "Desa Cileunyi Kulon",
        "Desa Cileunyi Wetan",
        "Desa Cinunuk",
    ]
    assert _names(client.get(url(Level.POLSEK, code, urut="coverage_pct"))) == [
        "Desa Cileunyi Wetan",
        "Desa Cileunyi Kulon",
        "Desa Cinunuk",
    ]
    assert _names(client.get(url(Level.POLSEK, code, urut="-coverage_pct"))) == [
        "Desa Cileunyi Kulon",
        "Desa Cileunyi Wetan",
        "Desa Cinunuk",
    ]
    assert _names(client.get(url(Level.POLSEK, code, urut="-name")))[0] == "Desa Cinunuk"


def test_sort_headers_say_which_column_sorts_and_link_to_the_other_direction(
    client, kapolsek, area
):
    _three_desa(area)
    client.force_login(kapolsek)
    page = client.get(url(Level.POLSEK, area.polsek.code, urut="coverage_pct")).content.decode()
    assert 'aria-sort="ascending"' in page
    assert "urut=-coverage_pct" in page


def test_an_unknown_sort_falls_back_to_the_name(client, kapolsek, area):
    _three_desa(area)
    client.force_login(kapolsek)
    response = client.get(url(Level.POLSEK, area.polsek.code, urut="password"))
    assert response.status_code == 200
    assert response.context["query"].sort == "name"


def test_desa_needing_attention_carry_a_mark_with_icon_and_words(client, kapolsek, area):
    third = _three_desa(area)
    fourth = VillageFactory(
        code="32.04.05.2004", district=area.village.district, polsek=area.polsek
    )
    put(
        Level.VILLAGE,
        fourth.code,
        coverage_pct=100.0,
        desa_visited_pct=0.0,
        forums_met_90d_pct=0.0,
        response_48h_pct=100.0,  # the month's own problems were all answered in time…
        overdue_open=2,  # …but two older ones were still waiting at the month's end
        satisfaction_pct=40.0,
    )
    # Computed, but no forum row at all: the desa has no forum, so no meeting either.
    fifth = VillageFactory(code="32.04.05.2005", district=area.village.district, polsek=area.polsek)
    put(Level.VILLAGE, fifth.code, coverage_pct=100.0)
    client.force_login(kapolsek)
    response = client.get(url(Level.POLSEK, area.polsek.code, urut="-attention"))
    rows = {
        row.code: [rule.key for rule in row.attention] for row in response.context["table"].rows
    }
    assert rows[area.village.code] == []
    assert rows[area.village_b.code] == ["no_officer"]
    assert rows[third.code] == []  # nothing computed: nothing claimed
    assert rows[fourth.code] == [
        "not_visited",
        "no_forum_meeting",
        "overdue_problems",
        "low_satisfaction",
    ]
    assert rows[fifth.code] == ["no_forum_meeting"]
    assert _names(response)[0] == str(fourth)
    page = response.content.decode()
    mark = re.search(r'data-rule="no_officer"[^>]*>(.*?)</span>\s*(.*?)</span>', page)
    assert mark and "⚠" in mark.group(1) and mark.group(2).strip()


def test_a_polres_lists_its_polsek_or_its_desa(client, polres_commander, area):
    put(Level.POLSEK, area.polsek.code, coverage_pct=55.0)
    client.force_login(polres_commander)
    by_polsek = client.get(url(Level.POLRES, area.polres.code))
    assert [row.code for row in by_polsek.context["table"].rows] == [
        area.polsek.code,
        area.polsek_other.code,
    ]
    assert by_polsek.context["table"].rows[0].values["coverage_pct"] == 55.0
    page = by_polsek.content.decode()
    assert f'href="/dasbor/polsek/{area.polsek.code}/?bulan=2026-01"' in page
    by_desa = client.get(url(Level.POLRES, area.polres.code, baris="desa"))
    table = by_desa.context["table"]
    assert table.desa_rows and table.show_parent
    assert {row.code for row in table.rows} == {
        area.village.code,
        area.village_b.code,
        area.village_elsewhere.code,
    }
    assert f'href="/dasbor/desa/{area.village.code}/?bulan=2026-01"' in by_desa.content.decode()


def test_the_desa_table_scrolls_by_keyboard_and_names_each_desas_polsek_in_its_row_header(
    client, polres_commander, area
):
    """On a phone the Polsek column scrolls away: the row header holds the Polsek too (shown
    on narrow screens only), so that two desa of the same name can be told apart."""
    client.force_login(polres_commander)
    page = client.get(url(Level.POLRES, area.polres.code, baris="desa")).content.decode()
    with translation.override("id"):
        name = translation.gettext("Desa and kelurahan of %(area)s") % {"area": area.polres.name}
    region = (
        '<div class="table-wrap" tabindex="0" role="region" aria-labelledby="children-heading">'
    )
    assert region in page
    assert f'<h2 id="children-heading">{name}</h2>' in page
    header = re.search(r'<th scope="row">.*?Desa Cileunyi Kulon.*?</th>', page).group(0)
    assert f'<span class="dash-parent" aria-hidden="true">{area.polsek.name}</span>' in header
    # The Polsek rows have no Polsek to name.
    polsek_rows = client.get(url(Level.POLRES, area.polres.code)).content.decode()
    assert 'class="dash-parent"' not in polsek_rows and 'role="region"' in polsek_rows


def test_a_polda_lists_its_polres_and_the_nation_its_polda(client, polda_viewer, operator, area):
    client.force_login(polda_viewer)
    response = client.get(url(Level.POLDA, area.polda.code))
    assert [row.code for row in response.context["table"].rows] == [
        area.polres.code,
        area.polres_other.code,
    ]
    client.force_login(operator)
    response = client.get(url(Level.NATION, "ID"))
    assert [row.code for row in response.context["table"].rows] == [area.polda.code]


def test_a_long_child_table_is_paged_and_keeps_the_sort(client, kapolsek, area, monkeypatch):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    _three_desa(area)
    client.force_login(kapolsek)
    response = client.get(url(Level.POLSEK, area.polsek.code, urut="-coverage_pct", page=2))
    assert _names(response) == ["Desa Cinunuk"]
    assert "urut=-coverage_pct" in response.content.decode()


# --- Printing the child table -------------------------------------------------------------------


def test_a_paged_table_offers_to_print_it_whole_and_says_in_print_which_rows_it_holds(
    client, kapolsek, area, monkeypatch
):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    _three_desa(area)
    client.force_login(kapolsek)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url(Level.POLSEK, area.polsek.code, urut="-coverage_pct", page=2))
    html = page.content.decode()
    # The link keeps the month and the sort, and starts from the first row.
    link = re.search(r'<a class="dash-print-link" href="\?([^"#]*)#wilayah">', html)
    assert link and set(link.group(1).split("&amp;")) == {
        "bulan=2026-01",
        "urut=-coverage_pct",
        "cetak=1",
    }
    note = re.search(r'<p class="dash-print-note">(.*?)</p>', html, re.S)
    assert note and "rows 3–3 of 3" in note.group(1)


def test_a_table_on_one_page_has_no_print_link_nor_note(client, kapolsek, area):
    _three_desa(area)
    client.force_login(kapolsek)
    html = client.get(url(Level.POLSEK, area.polsek.code)).content.decode()
    assert "cetak=1" not in html and "dash-print-note" not in html


def test_printing_lays_every_row_on_one_page_in_the_sort_asked(client, kapolsek, area, monkeypatch):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    _three_desa(area)
    client.force_login(kapolsek)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # A page number carried over from the paged table is ignored.
    response = client.get(
        url(Level.POLSEK, area.polsek.code, urut="-coverage_pct", cetak=1, page=2)
    )
    assert response.context["printing"]
    assert _names(response) == ["Desa Cileunyi Kulon", "Desa Cileunyi Wetan", "Desa Cinunuk"]
    html = response.content.decode()
    assert 'class="pagination"' not in html and "dash-print-note" not in html
    assert "Every row of the table is on this page, for printing" in html
    # Sorting again and changing the month stay in the printable table.
    assert "urut=coverage_pct&amp;cetak=1" in html
    assert '<input type="hidden" name="cetak" value="1">' in html
    # The downloads are the same whichever table is on screen.
    export = reverse("metrics:export", args=[Level.POLSEK, area.polsek.code, "wilayah", "xlsx"])
    assert f'href="{export}?bulan=2026-01&amp;urut=-coverage_pct"' in html


def test_a_table_too_long_to_print_at_once_prints_its_page_and_says_so(
    client, kapolsek, area, monkeypatch
):
    monkeypatch.setattr(dashboards, "PAGE_SIZE", 2)
    monkeypatch.setattr(dashboards, "PRINT_ROWS_MAX", 2)
    _three_desa(area)
    client.force_login(kapolsek)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url(Level.POLSEK, area.polsek.code, cetak=1))
    assert not response.context["printing"] and response.context["print_refused"]
    assert _names(response) == ["Desa Cileunyi Kulon", "Desa Cileunyi Wetan"]
    html = response.content.decode()
    assert "The table has 3 rows, too many to print at once: this page holds rows 1–2." in html
    assert 'class="dash-print-link"' not in html


# --- Query count --------------------------------------------------------------------------------


def _polres_with(area, polsek_count: int, months: int) -> None:
    """`polsek_count` Polsek with one desa each, every one with `months` months of values."""
    for number in range(polsek_count):
        polsek = PolsekFactory(code=f"POLSEK-T{number}", parent=area.polres)
        village = VillageFactory(
            code=f"32.04.09.{2100 + number}", district=area.village.district, polsek=polsek
        )
        for offset in range(months):
            month = shift_month(MONTH, -offset)
            values = {"coverage_pct": 50.0 + number, "satisfaction_pct": 60.0}
            put(Level.POLSEK, polsek.code, month, **values)
            put(Level.VILLAGE, village.code, month, **values)
            if number == 0:
                put(Level.POLRES, area.polres.code, month, days_new_median=2.0 + offset)
        CrimeTypeValueFactory(level=Level.POLRES, area_code=area.polres.code, month=MONTH)


# The dashboard of a Polres, whatever the number of Polsek, desa and months:
#  1. the session  2. the user (its officer profile and unit joined by accounts.backends)
#  3. the Polres, checked against the user's scope (with its parent units)
#  4. the Polres's indicators for the twelve months (one query, pivoted in Python)
#  5. the Polsek (or desa) below it  6. their key indicators for the month (one query)
#  7. the month's computed crime statistics by crime type, with the types' names
DASHBOARD_QUERIES = 7


@pytest.mark.parametrize("baris", ["", "desa"])
@pytest.mark.parametrize("size", [(1, 1), (20, 12)])
def test_the_dashboard_costs_the_same_queries_for_1_or_20_areas(
    client, polres_commander, area, django_assert_num_queries, baris, size
):
    _polres_with(area, *size)
    client.force_login(polres_commander)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(url(Level.POLRES, area.polres.code, baris=baris))
    assert response.status_code == 200
    assert len(response.context["table"].rows) >= size[0]


@pytest.mark.parametrize("polsek_count", [1, 60])
def test_the_printable_table_costs_the_same_queries_for_1_or_60_desa(
    client, polres_commander, area, django_assert_num_queries, polsek_count
):
    """Every row of the table, more than a page of them, in the same seven queries as the
    paged dashboard (DASHBOARD_QUERIES): the child table is read whole for any page."""
    _polres_with(area, polsek_count, 1)
    client.force_login(polres_commander)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(url(Level.POLRES, area.polres.code, baris="desa", cetak=1))
    assert response.context["printing"]
    assert len(_names(response)) == len(response.context["table"].rows) >= polsek_count


def test_the_definitions_page_anchors_each_indicator_and_is_sanitised(
    client, tmp_path, monkeypatch
):
    document = tmp_path / "indicators.md"
    document.write_text(
        "# Indicators\n\n## 1. Officer coverage\n\n### coverage_pct\n\n"
        "Share of desa with an officer. <script>alert(1)</script>\n\n"
        "### `desa_per_officer` — Desa per officer\n\n[back](#coverage_pct) "
        '<a href="javascript:alert(1)">x</a>\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(dashboards, "DEFINITIONS_PATH", document)
    page = client.get(reverse("metrics:definitions")).content.decode()
    # The label given for a bare key is in the reader's language, the document (which has no
    # translation beside it) in English, and the page says so.
    assert '<h3 id="coverage_pct" lang="id">' in page
    assert '<h3 id="desa_per_officer">Desa per officer' in page
    assert '<article class="card definitions-text" lang="en">' in page
    assert "ditulis dalam bahasa Inggris" in page
    assert "<script>alert" not in page and "javascript:" not in page
    assert 'href="#coverage_pct"' in page
    # A key the document does not define yet is anchored in the index instead.
    assert '<li id="women_pct">' in page


def test_the_definitions_page_is_in_indonesian_where_translated_and_in_english_otherwise(
    client, tmp_path, monkeypatch
):
    english = tmp_path / "indicators.md"
    english.write_text("# Indicators\n\n### coverage_pct\n\nShare of desa.\n", encoding="utf-8")
    indonesian = tmp_path / "indicators.id.md"
    indonesian.write_text("# Indikator\n\n### coverage_pct\n\nProporsi desa.\n", encoding="utf-8")
    monkeypatch.setattr(dashboards, "DEFINITIONS_PATH", english)
    page = client.get(reverse("metrics:definitions")).content.decode()
    assert '<article class="card definitions-text" lang="id">' in page
    assert "Proporsi desa." in page and "Share of desa." not in page
    assert "ditulis dalam bahasa Inggris" not in page
    assert '<h3 id="coverage_pct" lang="id">Desa yang punya petugas (%)' in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("metrics:definitions")).content.decode()
    assert '<article class="card definitions-text" lang="en">' in page
    assert "Share of desa." in page and "Proporsi desa." not in page
    assert "written in English" not in page
    assert '<h3 id="coverage_pct" lang="en">Desa with an assigned officer (%)' in page


@pytest.mark.parametrize(
    ("language", "heading"),
    [("id", "Cara penghitungan"), ("en", "How they are computed")],
)
def test_the_definitions_documents_render_in_the_readers_language(client, language, heading):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("metrics:definitions")).content.decode()
    assert f'<article class="card definitions-text" lang="{language}">' in page
    assert f'<h2 id="how-they-are-computed">{heading}</h2>' in page
    assert "ditulis dalam bahasa Inggris" not in page
    # Every indicator is defined in the document: the index anchors none of them.
    assert "<li id=" not in page
    # The table of attention marks names each mark as the dashboards show it.
    with translation.override(language):
        for rule in ATTENTION_RULES:
            assert f"<td>{rule.short}</td>" in page


def test_the_definitions_have_the_same_anchors_in_both_languages(client):
    # One address serves both languages (the reader's cookie decides): a link copied by a
    # reader of one lands on the same heading for a reader of the other.
    anchors = {}
    for language in ["id", "en"]:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(reverse("metrics:definitions")).content.decode()
        anchors[language] = re.findall(r'<h[1-6] id="([^"]+)"', page)
    assert len(anchors["id"]) > len(INDICATORS)
    assert anchors["id"] == anchors["en"]


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_attention_legend_links_to_its_definition(client, polres_commander, area, language):
    client.force_login(polres_commander)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url(Level.POLRES, area.polres.code, baris="desa")).content.decode()
    link = reverse("metrics:definitions") + "#desa-that-need-attention"
    assert f'href="{link}"' in page
    definitions = client.get(reverse("metrics:definitions")).content.decode()
    assert f'<article class="card definitions-text" lang="{language}">' in definitions
    assert '<h2 id="desa-that-need-attention">' in definitions


def test_the_definitions_page_says_so_when_the_document_is_missing(client, tmp_path, monkeypatch):
    monkeypatch.setattr(dashboards, "DEFINITIONS_PATH", tmp_path / "missing.md")
    response = client.get(reverse("metrics:definitions"))
    assert response.status_code == 200
    assert '<li id="coverage_pct">' in response.content.decode()
