"""IndicatorValue is a view: the desa's figures stored one row per desa and month, the levels
above one row per indicator (metrics.desa_table), and writes through the view."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from metrics.models import AreaIndicatorValue, DesaIndicators, IndicatorValue
from metrics.tests.compute_helpers import FEB, at, compute, every_row, visit
from metrics.tests.factories import IndicatorValueFactory

pytestmark = pytest.mark.django_db
Level = IndicatorValue.Level
DESA = "32.04.05.2001"


def stored() -> tuple[list, list]:
    desa = list(
        DesaIndicators.objects.order_by("area_code").values_list(
            "area_code", "coverage_pct", "women_pct_den", "trust_pct_at"
        )
    )
    areas = list(
        AreaIndicatorValue.objects.order_by("level", "indicator").values_list(
            "level", "indicator", "value"
        )
    )
    return desa, areas


def test_a_desa_row_written_through_the_view_lands_in_its_desa_row_and_reads_back():
    coverage = IndicatorValueFactory(area_code=DESA, indicator="coverage_pct", value=100.0)
    IndicatorValueFactory(area_code=DESA, indicator="women_pct", value=None, denominator=4.0)
    IndicatorValueFactory(level=Level.POLSEK, area_code="P-1", indicator="coverage_pct")
    # A desa row of an indicator the desa table has no column for is kept like the others.
    IndicatorValueFactory(area_code=DESA, indicator="visits_gini", value=0.5)

    assert stored() == (
        [(DESA, 100.0, 4.0, None)],
        [("desa", "visits_gini", 0.5), ("polsek", "coverage_pct", 50.0)],
    )
    read = IndicatorValue.objects.get(
        level=Level.VILLAGE, area_code=DESA, month=coverage.month, indicator="coverage_pct"
    )
    assert (read.value, read.numerator, read.denominator, read.computed_at) == (
        100.0,
        1.0,
        2.0,
        coverage.computed_at,
    )
    assert IndicatorValue.objects.filter(level=Level.VILLAGE).count() == 3


def test_a_second_row_with_the_same_key_is_refused_and_changes_nothing():
    IndicatorValueFactory(area_code=DESA, indicator="coverage_pct", value=100.0)
    IndicatorValueFactory(level=Level.POLSEK, area_code="P-1")
    before = stored()
    for level, area in ((Level.VILLAGE, DESA), (Level.POLSEK, "P-1")):
        with pytest.raises(IntegrityError), transaction.atomic():
            IndicatorValueFactory(level=level, area_code=area, indicator="coverage_pct", value=1)
    assert stored() == before


def test_an_update_and_a_delete_through_the_view_touch_only_their_rows():
    IndicatorValueFactory(area_code=DESA, indicator="coverage_pct", value=100.0)
    IndicatorValueFactory(area_code=DESA, indicator="trust_pct", value=80.0)
    IndicatorValueFactory(level=Level.POLSEK, area_code="P-1", indicator="coverage_pct")

    IndicatorValue.objects.filter(indicator="coverage_pct").update(value=25.0)
    assert set(IndicatorValue.objects.values_list("indicator", "level", "value")) == {
        ("coverage_pct", "desa", 25.0),
        ("trust_pct", "desa", 80.0),
        ("coverage_pct", "polsek", 25.0),
    }
    IndicatorValue.objects.filter(level=Level.VILLAGE, indicator="coverage_pct").delete()
    assert set(IndicatorValue.objects.values_list("indicator", "level")) == {
        ("trust_pct", "desa"),
        ("coverage_pct", "polsek"),
    }
    assert DesaIndicators.objects.get().coverage_pct is None
    # The desa's last figure gone, its row goes too.
    IndicatorValue.objects.filter(level=Level.VILLAGE).delete()
    assert not DesaIndicators.objects.exists()
    assert IndicatorValue.objects.count() == 1


def test_the_compute_stores_a_row_per_desa_and_rows_per_indicator_above(area, officer):
    visit(officer, area.village, at("2026-02-02"))
    compute(FEB)
    desa_rows = IndicatorValue.objects.filter(level=Level.VILLAGE)
    assert desa_rows.count() > DesaIndicators.objects.count()
    assert set(DesaIndicators.objects.values_list("area_code", flat=True)) == set(
        desa_rows.values_list("area_code", flat=True)
    )
    assert not AreaIndicatorValue.objects.filter(level=Level.VILLAGE).exists()


def test_a_changed_figure_gets_a_new_time_and_the_desas_other_figures_keep_theirs(area, officer):
    visit(officer, area.village, at("2026-02-02"))
    compute(FEB)
    before = {row[:3]: row for row in every_row()}
    visit(officer, area.village, at("2026-02-20"))
    later = datetime.datetime(2026, 3, 21, tzinfo=datetime.UTC)
    reports = compute(FEB, now=later)

    after = {row[:3]: row for row in every_row()}
    changed = {key for key in after if after[key] != before.get(key)}
    assert ("visits_per_officer_week", "desa", area.village.code) in changed
    assert ("coverage_pct", "desa", area.village.code) not in changed
    assert all(after[key][-1] == later for key in changed)
    assert set(before) == set(after)
    # Counted per figure, as rows were: each changed figure is written once and deleted once.
    assert reports[0].written == reports[0].deleted == len(changed)
