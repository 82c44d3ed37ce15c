"""The indicators API: the computed values of the areas the caller's dashboards cover, labelled
from the catalogue, for the dashboards' roles only."""

import base64
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from metrics.models import IndicatorValue
from metrics.selectors import month_start, shift_month
from metrics.tests.factories import IndicatorValueFactory
from portal.tests.api_client import client_for

URL = "/api/v1/indicators/"
Level = IndicatorValue.Level


def areas(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["area_code"] for row in response.json()["results"]}


@pytest.fixture
def values(area):
    rows = [
        (Level.VILLAGE, area.village.code),
        (Level.VILLAGE, area.village_elsewhere.code),
        (Level.VILLAGE, area.village_other_polres.code),
        (Level.POLSEK, area.polsek.code),
        (Level.POLSEK, area.polsek_other.code),
        (Level.POLRES, area.polres.code),
        (Level.POLRES, area.polres_other.code),
        (Level.POLDA, area.polda.code),
        (Level.NATION, "ID"),
    ]
    for level, code in rows:
        IndicatorValueFactory(level=level, area_code=code)
    return rows


def test_anonymous_callers_get_401(db):
    assert client_for().get(URL).status_code == 401


@pytest.mark.parametrize("role", ["resident", "officer"])
def test_those_without_dashboards_get_403_with_a_reason(request, values, role):
    response = client_for(request.getfixturevalue(role), language="en").get(URL)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Indicators are for commanders, their staff and operators."
    }


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("kapolsek", {"32.04.05.2001", "POLSEK-32.04.05"}),
        (
            "polres_commander",
            {
                "32.04.05.2001",
                "32.04.06.2001",
                "POLSEK-32.04.05",
                "POLSEK-32.04.06",
                "POLRES-32.04",
            },
        ),
        ("other_polres_commander", {"32.73.01.1001", "POLRES-32.73"}),
    ],
)
def test_each_commander_reads_the_areas_of_their_dashboards(request, values, role, expected):
    assert areas(client_for(request.getfixturevalue(role)).get(URL)) == expected


def test_the_polda_viewer_reads_everything_of_the_polda_but_not_the_nation(values, polda_viewer):
    assert areas(client_for(polda_viewer).get(URL)) == {code for _level, code in values} - {"ID"}


def test_operators_read_every_area_and_the_nation(values, operator):
    assert areas(client_for(operator).get(URL)) == {code for _level, code in values}


def test_a_row_is_labelled_from_the_catalogue(area, kapolsek):
    IndicatorValueFactory(area_code=area.village.code, indicator="response_48h_pct", value=75.0)
    [row] = client_for(kapolsek, language="en").get(URL).json()["results"]
    assert row["label"] == "First action within 48 hours (%)"
    assert row["unit"] == "percent"
    assert row["family_label"] == "Responsiveness"
    assert row["higher_is_better"] is True
    assert (row["month"], row["value"]) == ("2026-01-01", 75.0)


def test_values_filter_by_level_area_indicator_and_months(area, polres_commander):
    for month in (1, 2, 3):
        IndicatorValueFactory(
            area_code=area.village.code, month=datetime.date(2026, month, 1), value=month
        )
    IndicatorValueFactory(area_code=area.village.code, indicator="women_pct")
    IndicatorValueFactory(level=Level.POLRES, area_code=area.polres.code)
    client = client_for(polres_commander)
    rows = client.get(
        f"{URL}?level=desa&area={area.village.code}&indicator=coverage_pct"
        "&month_from=2026-02&month_to=2026-03"
    ).json()["results"]
    assert [row["month"] for row in rows] == ["2026-03-01", "2026-02-01"]
    assert areas(client.get(f"{URL}?level=polres")) == {area.polres.code}
    assert client.get(f"{URL}?month_from=March").status_code == 400
    assert client.get(f"{URL}?indicator=nonsense").status_code == 400


@pytest.mark.parametrize("rows", [1, 20])
def test_the_indicator_list_costs_the_same_queries_for_1_and_20_values(
    area, polres_commander, rows
):
    this_month = month_start(timezone.localdate())
    for month in range(rows):
        IndicatorValueFactory(area_code=area.village.code, month=shift_month(this_month, -month))
    client = client_for(polres_commander)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert len(response.json()["results"]) == rows
    # token and user, the officer profile and its unit (the scope reads them), the codes of
    # the scope's units (its desa are a subquery of each read); then the values of this
    # month, of the two months before, of the four before those, … (1 + 2 + 4 + 8 + 16 + 32
    # months cover the three years), each group in two reads on PostgreSQL, the desa's rows
    # and the units' (one on SQLite, through the view): no count, and never more than twelve
    # reads of values.
    reads = 2 if connection.features.supports_slicing_ordering_in_compound else 1
    assert len(queries) == 4 + reads * 6, "\n".join(q["sql"] for q in queries)


def test_the_indicator_list_reads_three_years_unless_asked_for_older_months(area, polres_commander):
    this_month = month_start(timezone.localdate())
    recent = shift_month(this_month, -35)
    old = shift_month(this_month, -36)
    for month in (recent, old):
        IndicatorValueFactory(area_code=area.village.code, month=month)
    client = client_for(polres_commander)
    listed = [row["month"] for row in client.get(URL).json()["results"]]
    assert listed == [recent.isoformat()]
    older = client.get(URL, {"month_from": f"{old:%Y-%m}"}).json()["results"]
    assert [row["month"] for row in older] == [recent.isoformat(), old.isoformat()]
    # month_to alone: the three years up to it.
    until = client.get(URL, {"month_to": f"{old:%Y-%m}"}).json()["results"]
    assert [row["month"] for row in until] == [old.isoformat()]


def test_pages_follow_one_another_newest_month_first_without_a_row_twice(area, polres_commander):
    this_month = month_start(timezone.localdate())
    months = [shift_month(this_month, -n) for n in (0, 1, 5, 30)]
    codes = [area.village.code, area.village_elsewhere.code]
    for month in months:
        for code in codes:
            for indicator in ("coverage_pct", "women_pct", "trust_pct"):
                IndicatorValueFactory(area_code=code, month=month, indicator=indicator)
        IndicatorValueFactory(level=Level.POLRES, area_code=area.polres.code, month=month)
    client = client_for(polres_commander)
    seen, url, pages = [], f"{URL}?page_size=4", 0
    while url:
        body = client.get(url).json()
        assert "count" not in body
        seen += [(r["month"], r["level"], r["area_code"], r["indicator"]) for r in body["results"]]
        url, pages = body["next"], pages + 1
    assert pages == 7  # 28 rows, 4 a page
    expected = sorted(seen, key=lambda key: key[1:])
    expected.sort(key=lambda key: key[0], reverse=True)
    assert seen == expected
    assert len(set(seen)) == len(seen) == len(months) * 7


def cursor(key: str) -> str:
    return base64.urlsafe_b64encode(key.encode()).decode()


@pytest.mark.parametrize(
    "query",
    [
        "cursor=nonsense",
        f"cursor={cursor('2026-01-01|foo|x|y')}",
        f"cursor={cursor(chr(0).join(['2026-01-01|desa|32', '|coverage_pct']))}",
        f"cursor={cursor('2026-01-01|desa|' + '3' * 21 + '|coverage_pct')}",
        "page_size=0",
        "page_size=x",
        "page_size=%C2%B2",  # "²", a digit to str.isdigit()
    ],
)
def test_a_bad_cursor_or_page_size_is_refused_with_a_reason(area, polres_commander, query):
    IndicatorValueFactory(area_code=area.village.code)
    response = client_for(polres_commander, language="id").get(f"{URL}?{query}")
    assert response.status_code == 400
    [(field, [message])] = response.json().items()
    assert field in query
    assert "page" in message or "halaman" in message
