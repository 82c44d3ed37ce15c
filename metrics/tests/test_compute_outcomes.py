"""Families 12 and 13: the resident survey and the crime statistics."""

import pytest

from metrics.models import CrimeStatistic, CrimeTypeValue
from metrics.tests.compute_helpers import FEB, JAN, compute, row, value
from metrics.tests.factories import CrimeStatisticFactory, CrimeTypeFactory, SurveyResponseFactory
from territory.tests.factories import PolresFactory, PolsekFactory


def test_survey_results_are_the_share_agreeing_stored_under_the_quarters_first_month(area):
    SurveyResponseFactory(village=area.village, quarter=JAN, trust=5, satisfaction=2)
    SurveyResponseFactory(village=area.village, quarter=JAN, trust=2, satisfaction=4)
    SurveyResponseFactory(village=area.village_b, quarter=JAN, trust=4, satisfaction=4)
    compute(JAN, FEB)
    assert row("trust_pct", area.village.code, JAN) == (50, 1, 2)
    assert row("trust_pct", area.polsek.code, JAN) == (pytest.approx(66.666667), 2, 3)
    assert value("satisfaction_pct", area.village_b.code, JAN) == 100
    # The factory's answers: neutral about safety, disagreeing about knowing the forum.
    assert value("safe_night_pct", area.village.code, JAN) == 0
    assert value("knows_forum_pct", area.village.code, JAN) == 0
    assert value("trust_pct", area.village.code, FEB) is None


def test_crime_counts_the_polsek_rows_that_name_no_desa_from_polsek_level_up(area):
    area.village.population = 10_000
    area.village.save()
    theft, drugs = CrimeTypeFactory(), CrimeTypeFactory()
    CrimeStatisticFactory(village=area.village, month=FEB, crime_type=theft, reported=4, cleared=1)
    CrimeStatisticFactory(village=area.village, month=FEB, crime_type=drugs, reported=1, cleared=1)
    CrimeStatisticFactory(
        village=None, polsek=area.polsek, month=FEB, crime_type=theft, reported=3, cleared=0
    )
    compute(FEB)
    assert value("crimes_reported", area.village.code) == 5
    assert row("clearance_pct", area.village.code) == (40, 2, 5)
    assert value("crimes_per_10k", area.village.code) == 5
    # The Polsek has figures this month: its desa without a row had no crime.
    assert value("crimes_reported", area.village_b.code) == 0
    # No population known: no rate.
    assert value("crimes_per_10k", area.village_b.code) is None
    assert value("crimes_reported", area.polsek.code) == 8
    assert row("clearance_pct", area.polres.code) == (25, 2, 8)
    # The rate only over the desa whose population is known.
    assert row("crimes_per_10k", area.polsek.code) == (5, 5, 10_000)
    # No figures for the other Polsek: unknown, not zero.
    assert value("crimes_reported", area.village_elsewhere.code) is None


def test_the_crimes_of_a_polsek_without_desa_count_in_its_polres_and_polda(area):
    """A port's Polsek holds no desa; a Polres may hold only such Polsek. Their crimes count in
    the areas above them, as in the rows by crime type, in a full run and in a run for some
    desa (which sums the stored Polsek rows)."""
    port = PolsekFactory(code="POLSEK-PELABUHAN", parent=area.polres)
    port_polres = PolresFactory(code="POLRES-PELABUHAN", parent=area.polda)
    harbour = PolsekFactory(code="POLSEK-DERMAGA", parent=port_polres)
    theft = CrimeTypeFactory()
    CrimeStatisticFactory(village=area.village, month=FEB, crime_type=theft, reported=4, cleared=1)
    CrimeStatisticFactory(village=None, polsek=port, month=FEB, crime_type=theft, reported=6)
    CrimeStatisticFactory(village=None, polsek=harbour, month=FEB, crime_type=theft, reported=9)
    compute(FEB)
    assert value("crimes_reported", port.code) == 6
    assert value("crimes_reported", area.polres.code) == 10
    assert value("crimes_reported", port_polres.code) == 9
    assert value("crimes_reported", area.polda.code) == 19
    assert value("crimes_reported", "ID") == 19
    by_type = CrimeTypeValue.objects.filter(month=FEB, crime_type=theft)
    for level, code in [("polres", area.polres.code), ("polda", area.polda.code)]:
        assert by_type.get(level=level, area_code=code).reported == value("crimes_reported", code)

    compute(FEB, village_ids=[area.village.pk])
    assert value("crimes_reported", area.polres.code) == 10
    assert value("crimes_reported", area.polda.code) == 19


def test_a_run_for_some_desa_rewrites_the_polsek_without_desa_of_their_polres(area):
    """What a crime import queues for a port's Polsek: the desa of its Polres. The run rewrites
    the port's rows, by indicator and by crime type, and its Polres's sums take them in."""
    port = PolsekFactory(code="POLSEK-PELABUHAN", parent=area.polres)
    theft = CrimeTypeFactory()
    CrimeStatisticFactory(village=area.village, month=FEB, crime_type=theft, reported=4, cleared=1)
    compute(FEB)
    assert value("crimes_reported", port.code) is None
    CrimeStatisticFactory(
        village=None, polsek=port, month=FEB, crime_type=theft, reported=6, cleared=3
    )

    compute(FEB, village_ids=[area.village.pk])
    assert row("clearance_pct", port.code) == (50, 3, 6)
    assert value("crimes_reported", area.polres.code) == 10
    assert value("crimes_reported", area.polda.code) == 10
    by_type = CrimeTypeValue.objects.filter(month=FEB, crime_type=theft)
    assert by_type.get(level="polsek", area_code=port.code).reported == 6
    assert by_type.get(level="polres", area_code=area.polres.code).reported == 10

    # A Polsek without desa under another Polres is not this run's.
    elsewhere = PolsekFactory(code="POLSEK-BANDARA", parent=area.polres_other)
    CrimeStatisticFactory(village=None, polsek=elsewhere, month=FEB, crime_type=theft, reported=2)
    compute(FEB, village_ids=[area.village.pk])
    assert value("crimes_reported", elsewhere.code) is None
    assert not by_type.filter(area_code=elsewhere.code).exists()

    # Its figures gone (a re-import without it), the port's rows go too.
    CrimeStatistic.objects.filter(polsek=port).delete()
    compute(FEB, village_ids=[area.village.pk])
    assert row("crimes_reported", port.code) is None
    assert not by_type.filter(area_code=port.code).exists()
    assert value("crimes_reported", area.polres.code) == 4


def test_a_run_for_some_desa_rewrites_the_polres_without_desa_of_their_polda(area):
    port_polres = PolresFactory(code="POLRES-PELABUHAN", parent=area.polda)
    harbour = PolsekFactory(code="POLSEK-DERMAGA", parent=port_polres)
    theft = CrimeTypeFactory()
    CrimeStatisticFactory(village=area.village, month=FEB, crime_type=theft, reported=4, cleared=1)
    compute(FEB)
    CrimeStatisticFactory(village=None, polsek=harbour, month=FEB, crime_type=theft, reported=9)

    compute(FEB, village_ids=[area.village.pk])
    assert value("crimes_reported", harbour.code) == 9
    assert value("crimes_reported", port_polres.code) == 9
    assert value("crimes_reported", area.polda.code) == 13
    by_type = CrimeTypeValue.objects.filter(month=FEB, crime_type=theft)
    assert by_type.get(level="polres", area_code=port_polres.code).reported == 9
    assert by_type.get(level="polda", area_code=area.polda.code).reported == 13
