"""The dashboards, their exports and the API read the two tables that store the figures
(`metrics.figures`), never the view over them: at national scale the view unfolds every desa
row of the months read before the caller's scope applies (docs/performance.md)."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics import figures
from metrics.models import DesaIndicators, IndicatorValue
from metrics.tests.factories import IndicatorValueFactory
from portal.tests.api_client import client_for

Level = IndicatorValue.Level
MONTH = datetime.date(2026, 1, 1)
VIEW = '"metrics_indicatorvalue"'


@pytest.fixture(autouse=True)
def _february_2026():
    with time_machine.travel(datetime.datetime(2026, 2, 10, 3, 0, tzinfo=datetime.UTC)):
        yield


@pytest.fixture
def stored(area):
    for key, value in (("coverage_pct", 100.0), ("trust_pct", 80.0), ("overdue_open", 2.0)):
        IndicatorValueFactory(
            level=Level.VILLAGE,
            area_code=area.village.code,
            month=MONTH,
            indicator=key,
            value=value,
        )
    IndicatorValueFactory(
        level=Level.POLRES,
        area_code=area.polres.code,
        month=MONTH,
        indicator="coverage_pct",
        value=50.0,
    )


def test_a_desa_row_unfolds_into_the_figures_it_has(area, stored):
    rows = figures.figures(Level.VILLAGE, months=[MONTH], areas=[area.village.code])
    assert sorted((row.indicator, row.value) for row in rows) == [
        ("coverage_pct", 100.0),
        ("overdue_open", 2.0),
        ("trust_pct", 80.0),
    ]
    only = figures.figures(
        Level.VILLAGE, months=[MONTH], areas=[area.village.code], keys=["trust_pct"]
    )
    assert [(row.area_code, row.month, row.indicator) for row in only] == [
        (area.village.code, MONTH, "trust_pct")
    ]
    polres = figures.figures(Level.POLRES, months=[MONTH], areas=[area.polres.code])
    assert [(row.indicator, row.value) for row in polres] == [("coverage_pct", 50.0)]
    assert figures.latest_month(Level.VILLAGE, area.village.code, [MONTH]) == MONTH
    assert figures.latest_month(Level.VILLAGE, area.village_elsewhere.code, [MONTH]) is None


@pytest.mark.parametrize(
    "page",
    [
        lambda area: (Level.POLRES, area.polres.code, ""),
        lambda area: (Level.POLRES, area.polres.code, "&baris=desa"),
        lambda area: (Level.POLSEK, area.polsek.code, ""),
        lambda area: (Level.VILLAGE, area.village.code, ""),
    ],
)
def test_the_dashboards_read_the_tables_not_the_view(client, polres_commander, area, stored, page):
    level, code, extra = page(area)
    client.force_login(polres_commander)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(
            reverse("metrics:dashboard", args=[level, code]) + "?bulan=2026-01" + extra
        )
    assert response.status_code == 200
    assert not [q["sql"] for q in queries if VIEW in q["sql"]]


@pytest.mark.skipif(
    not connection.features.supports_slicing_ordering_in_compound,
    reason="SQLite's pages read the view in one statement (small tables)",
)
def test_the_api_reads_the_tables_not_the_view(polres_commander, area, stored):
    client = client_for(polres_commander)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/indicators/", {"month_from": "2026-01"})
    assert response.status_code == 200
    listed = [(r["level"], r["area_code"], r["indicator"]) for r in response.json()["results"]]
    assert listed == [
        (Level.VILLAGE, area.village.code, "coverage_pct"),
        (Level.VILLAGE, area.village.code, "overdue_open"),
        (Level.VILLAGE, area.village.code, "trust_pct"),
        (Level.POLRES, area.polres.code, "coverage_pct"),
    ]
    assert not [q["sql"] for q in queries if VIEW in q["sql"]]


def walk(client, query: str) -> list[tuple]:
    seen, url = [], f"/api/v1/indicators/?{query}"
    while url:
        body = client.get(url).json()
        seen += [(r["month"], r["level"], r["area_code"], r["indicator"]) for r in body["results"]]
        url = body["next"]
    return seen


def test_pages_skip_a_desa_row_without_figures_and_miss_no_value(polres_commander, area, stored):
    # A row with every figure empty (the compute never stores one; a hand-made one may exist)
    # must not count as a value: the paginator would then stop a month short.
    DesaIndicators.objects.create(month=MONTH, area_code=area.village_elsewhere.code)
    DesaIndicators.objects.create(month=datetime.date(2025, 12, 1), area_code=area.village.code)
    IndicatorValueFactory(
        level=Level.VILLAGE,
        area_code=area.village.code,
        month=datetime.date(2025, 12, 1),
        indicator="women_pct",
    )
    seen = walk(client_for(polres_commander), "month_from=2025-12&page_size=1")
    assert seen == [
        ("2026-01-01", Level.VILLAGE, area.village.code, "coverage_pct"),
        ("2026-01-01", Level.VILLAGE, area.village.code, "overdue_open"),
        ("2026-01-01", Level.VILLAGE, area.village.code, "trust_pct"),
        ("2026-01-01", Level.POLRES, area.polres.code, "coverage_pct"),
        ("2025-12-01", Level.VILLAGE, area.village.code, "women_pct"),
    ]


def test_the_desa_rows_follow_the_filters(polres_commander, area, stored):
    client = client_for(polres_commander)
    assert walk(client, "month_from=2026-01&indicator=trust_pct") == [
        ("2026-01-01", Level.VILLAGE, area.village.code, "trust_pct")
    ]
    assert walk(client, "month_from=2026-01&level=polres") == [
        ("2026-01-01", Level.POLRES, area.polres.code, "coverage_pct")
    ]
    assert walk(client, f"month_from=2026-01&area={area.village_elsewhere.code}") == []
    assert walk(client, "month_to=2025-12") == []
    # A desa outside the commander's Polres is not listed, whatever the filters.
    IndicatorValueFactory(
        level=Level.VILLAGE,
        area_code=area.village_other_polres.code,
        month=MONTH,
        indicator="trust_pct",
    )
    assert walk(client, f"month_from=2026-01&area={area.village_other_polres.code}") == []
