"""The crime statistics by crime type (`CrimeTypeValue`), computed with the indicators from the
raw `CrimeStatistic` rows at every level."""

from collections import defaultdict

import pytest
from django.db.models import F, ProtectedError

from metrics.compute.queue import recompute_pending
from metrics.crime_import import crime_statistics_import
from metrics.models import CrimeStatistic, CrimeTypeValue
from metrics.tests.compute_helpers import FEB, JAN, NOW, compute
from metrics.tests.factories import CrimeStatisticFactory, CrimeTypeFactory
from metrics.tests.test_crime_import import as_csv

Level = CrimeTypeValue.Level


@pytest.fixture
def statistics(area):
    """February: two desa of `polsek` and a row of it naming no desa, a row of `polsek_other`
    naming no desa, a desa under the other Polres; and a January row that February ignores."""
    theft = CrimeTypeFactory(code="uji-curian")
    drugs = CrimeTypeFactory(code="uji-narkoba")

    def add(village, crime_type, reported, cleared, polsek=None, month=FEB):
        polsek = polsek or village.polsek
        CrimeStatisticFactory(
            village=village,
            polsek=polsek,
            month=month,
            crime_type=crime_type,
            reported=reported,
            cleared=cleared,
        )

    add(area.village, theft, 4, 1)
    add(area.village, drugs, 1, 1)
    add(area.village_b, theft, 2, 2)
    add(None, theft, 3, 0, polsek=area.polsek)
    add(None, drugs, 5, 1, polsek=area.polsek_other)
    add(area.village_other_polres, theft, 7, 3)
    add(area.village, theft, 50, 50, month=JAN)
    return theft, drugs


def computed(month=FEB) -> dict[tuple[str, str, str], tuple[int, int]]:
    """{(level, area, crime type code): (reported, cleared)} as stored."""
    return {
        (row.level, row.area_code, row.crime_type.code): (row.reported, row.cleared)
        for row in CrimeTypeValue.objects.filter(month=month).select_related("crime_type")
    }


# Each level's area as the raw rows name it: a desa row by its desa, every row by its Polsek.
RAW_AREAS = {
    Level.VILLAGE: "village__code",
    Level.POLSEK: "polsek__code",
    Level.POLRES: "polsek__parent__code",
    Level.POLDA: "polsek__parent__parent__code",
}


def raw_sums(month=FEB) -> dict[tuple[str, str, str], tuple[int, int]]:
    """The same figures summed here from the raw rows, one level at a time."""
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0])
    rows = CrimeStatistic.objects.filter(month=month).annotate(type_code=F("crime_type__code"))
    for level, area in [*RAW_AREAS.items(), (Level.NATION, None)]:
        for row in rows.values(area or "month", "type_code", "reported", "cleared"):
            code = row[area] if area else "ID"
            if code is None:
                continue
            total = sums[(level, code, row["type_code"])]
            total[0] += row["reported"]
            total[1] += row["cleared"]
    return {key: tuple(total) for key, total in sums.items()}


def test_every_level_holds_the_raw_sums_polsek_rows_without_desa_included(area, statistics):
    compute(FEB)
    rows = computed()
    assert rows == raw_sums()
    assert rows[(Level.VILLAGE, area.village.code, "uji-curian")] == (4, 1)
    # The Polsek counts its row that names no desa: more than its desa add up to.
    assert rows[(Level.POLSEK, area.polsek.code, "uji-curian")] == (9, 3)
    assert rows[(Level.POLSEK, area.polsek_other.code, "uji-narkoba")] == (5, 1)
    assert rows[(Level.POLRES, area.polres.code, "uji-narkoba")] == (6, 2)
    assert rows[(Level.POLDA, area.polda.code, "uji-curian")] == (16, 6)
    assert rows[(Level.NATION, "ID", "uji-curian")] == (16, 6)
    # No row for a type a desa had nothing of, nor for a desa without statistics.
    assert (Level.VILLAGE, area.village_b.code, "uji-narkoba") not in rows
    assert not any(code == area.village_elsewhere.code for _level, code, _type in rows)
    assert computed(JAN) == {}


def test_a_second_run_leaves_the_same_rows(area, statistics):
    compute(FEB)
    first = computed()
    compute(FEB)
    assert computed() == first
    assert CrimeTypeValue.objects.count() == len(first)


def test_a_type_with_computed_rows_cannot_be_deleted(area, statistics):
    """The computed rows hold their type without a constraint in the database (the raw rows'
    own key keeps it): Django still refuses to delete a type they name."""
    _theft, drugs = statistics
    compute(FEB)
    CrimeStatistic.objects.filter(crime_type=drugs).delete()
    with pytest.raises(ProtectedError):
        drugs.delete()
    assert CrimeTypeValue.objects.filter(crime_type=drugs).exists()


def test_a_run_for_some_desa_rewrites_only_the_areas_above_them(area, statistics):
    compute(FEB)
    CrimeStatistic.objects.filter(month=FEB).update(reported=F("reported") + 10)
    compute(FEB, village_ids=[area.village.pk])
    rows = computed()
    assert rows[(Level.VILLAGE, area.village.code, "uji-curian")] == (14, 1)
    assert rows[(Level.POLSEK, area.polsek.code, "uji-curian")] == (39, 3)
    assert rows[(Level.POLRES, area.polres.code, "uji-narkoba")] == (26, 2)
    # Each area rewritten is summed from all its raw rows, other desa's included.
    assert rows[(Level.NATION, "ID", "uji-curian")] == (56, 6)
    # The desa out of scope and the units holding none of them keep their rows.
    assert rows[(Level.VILLAGE, area.village_b.code, "uji-curian")] == (2, 2)
    assert rows[(Level.POLSEK, area.polsek_other.code, "uji-narkoba")] == (5, 1)
    assert rows[(Level.POLRES, area.polres_other.code, "uji-curian")] == (7, 3)


def test_only_the_levels_asked_for_are_written(area, statistics):
    compute(FEB, levels=[Level.VILLAGE, Level.POLSEK])
    assert set(CrimeTypeValue.objects.values_list("level", flat=True)) == {
        Level.VILLAGE,
        Level.POLSEK,
    }


def test_a_type_a_reimport_drops_loses_its_rows_when_the_queue_recomputes(area, operator):
    crime_statistics_import(
        actor=operator,
        name="a.csv",
        content=as_csv(
            [
                ["2026-02", area.village.code, "", "pencurian", "5", "2"],
                ["2026-02", "", area.polsek.code, "narkoba", "3", "1"],
            ]
        ),
    )
    recompute_pending(now=NOW)
    assert computed()[(Level.POLRES, area.polres.code, "narkoba")] == (3, 1)

    crime_statistics_import(
        actor=operator,
        name="b.csv",
        content=as_csv([["2026-02", area.village.code, "", "pencurian", "6", "2"]]),
        replace=True,
    )
    recompute_pending(now=NOW)

    rows = computed()
    assert rows == raw_sums()
    assert not any(crime_type == "narkoba" for _level, _code, crime_type in rows)
    assert rows[(Level.NATION, "ID", "pencurian")] == (6, 2)
