"""Families 1, 2 and the Gini of family 11: officers, their assignments and their visits."""

import datetime

import pytest

from metrics.tests.compute_helpers import FEB, MAR, WIT, at, compute, row, value, visit
from officers.tests.factories import AssignmentFactory, OfficerFactory
from territory.tests.factories import VillageFactory


def test_coverage_is_the_share_of_desa_with_an_officer_on_the_last_day_of_the_month(area, officer):
    # village_b's officer left in mid-February: not covered at the end of the month.
    AssignmentFactory(
        officer=OfficerFactory(unit=area.polsek),
        village=area.village_b,
        ends_on=datetime.date(2026, 2, 15),
    )
    compute(FEB)
    assert value("coverage_pct", area.village.code) == 100
    assert value("coverage_pct", area.village_b.code) == 0
    assert row("coverage_pct", area.polsek.code) == (50, 1, 2)
    assert row("coverage_pct", area.polres.code) == (pytest.approx(33.333333), 1, 3)
    assert row("coverage_pct", "ID") == (25, 1, 4)


def test_desa_per_officer_counts_an_officer_of_two_desa_once(area, officer):
    AssignmentFactory(officer=officer.officer, village=area.village_b)
    compute(FEB)
    # At desa level: how many desa the desa's officer serves.
    assert value("desa_per_officer", area.village.code) == 2
    assert row("desa_per_officer", area.polsek.code) == (2, 2, 1)
    # Three desa in the Polres, one officer: 3, not the sum of the desa rows.
    assert row("desa_per_officer", area.polres.code) == (3, 3, 1)
    assert value("desa_per_officer", area.polsek_other.code) is None


def test_visits_per_officer_week_divides_by_the_weeks_elapsed(area, officer):
    for day in range(1, 9):
        visit(officer, area.village, at(f"2026-02-{day:02d}"))
    for day in range(1, 5):
        visit(officer, area.village, at(f"2026-03-{day:02d}"))
    compute(FEB, MAR)
    # February: 8 visits, one officer, 28 days.
    assert row("visits_per_officer_week", area.village.code, FEB) == (2, 8, 4)
    # March is the current month: 20 days have passed on 20 March.
    assert value("visits_per_officer_week", area.village.code, MAR) == pytest.approx(1.4)
    assert value("visits_per_officer_week", area.polres.code, FEB) == 2


def test_desa_visited_counts_each_desa_once(area, officer):
    for day in ("2026-02-02", "2026-02-09", "2026-02-16"):
        visit(officer, area.village, at(day))
    compute(FEB)
    assert value("desa_visited_pct", area.village.code) == 100
    assert value("desa_visited_pct", area.village_b.code) == 0
    assert row("desa_visited_pct", area.polsek.code) == (50, 1, 2)


def test_a_visit_early_on_the_first_of_the_month_in_papua_counts_in_that_month(area, officer):
    papua = VillageFactory(code="94.71.01.1001", polsek=area.polsek)
    # 00:30 WIT on 1 March is still 28 February in UTC and in WIB.
    visit(officer, papua, at("2026-03-01", "00:30", zone=WIT))
    compute(FEB, MAR)
    assert value("desa_visited_pct", papua.code, FEB) == 0
    assert value("desa_visited_pct", papua.code, MAR) == 100


def test_visits_gini_is_defined_across_the_desa_of_an_area_only(area, officer):
    for day in ("2026-02-02", "2026-02-09", "2026-02-16"):
        visit(officer, area.village, at(day))
    visit(officer, area.village_b, at("2026-02-03"))
    compute(FEB)
    assert value("visits_gini", area.village.code) is None
    # Visits 1 and 3: G = 2·(1·1 + 2·3) ÷ (2·4) − 3 ÷ 2.
    assert value("visits_gini", area.polsek.code) == pytest.approx(0.25)
    # The Polres counts the desa nobody visited: 0, 1 and 3.
    assert value("visits_gini", area.polres.code) == pytest.approx(0.5)
