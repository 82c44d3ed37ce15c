"""The visits API: scoped lists and details, logging a visit and correcting it within seven days
through the same services as the visit form."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from officers.models import Visit
from portal.tests.api_client import client_for, ids

URL = "/api/v1/visits/"


def visit_by(user, village, **fields) -> Visit:
    return Visit.objects.create(officer=user.officer, village=village, **fields)


@pytest.fixture
def visits(area, officer, officer_elsewhere):
    return {
        "own": visit_by(officer, area.village),
        "elsewhere": visit_by(officer_elsewhere, area.village_elsewhere),
    }


def test_anonymous_callers_get_401(db):
    assert client_for().get(URL).status_code == 401


def test_residents_get_403(resident):
    response = client_for(resident, language="en").get(URL)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the police and operators may use this."}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", {"own"}),
        ("officer_elsewhere", {"elsewhere"}),
        ("kapolsek", {"own"}),
        ("polres_commander", {"own", "elsewhere"}),
        ("other_polres_commander", set()),
        ("polda_viewer", {"own", "elsewhere"}),
        ("operator", {"own", "elsewhere"}),
    ],
)
def test_each_role_lists_the_visits_of_its_scope(request, visits, role, expected):
    user = request.getfixturevalue(role)
    assert ids(client_for(user).get(URL)) == {visits[name].pk for name in expected}


@pytest.mark.parametrize("role", ["officer_elsewhere", "other_polres_commander"])
def test_a_visit_outside_the_scope_answers_404(request, visits, role):
    response = client_for(request.getfixturevalue(role)).get(f"{URL}{visits['own'].pk}/")
    assert response.status_code == 404


def test_the_detail_shows_the_linked_problems_and_the_edit_window(area, officer, visits):
    problem = ProblemFactory(village=area.village)
    visits["own"].problems.set([problem])
    body = client_for(officer).get(f"{URL}{visits['own'].pk}/").json()
    assert body["desa"] == area.village.code
    assert body["problems"] == [problem.reference]
    assert body["locked"] is False


def test_visits_filter_by_desa_and_dates(area, officer, polres_commander, visits):
    old = visit_by(
        officer, area.village, visited_at=datetime.datetime(2026, 1, 5, 3, tzinfo=datetime.UTC)
    )
    client = client_for(polres_commander)
    assert ids(client.get(f"{URL}?desa={area.village_elsewhere.code}")) == {visits["elsewhere"].pk}
    assert ids(client.get(f"{URL}?visited_from=2026-01-01&visited_to=2026-01-31")) == {old.pk}


@pytest.mark.parametrize("rows", [1, 20])
def test_the_visit_list_costs_the_same_queries_for_1_and_20_visits(area, officer, rows):
    problem = ProblemFactory(village=area.village)
    for _number in range(rows):
        visit_by(officer, area.village).problems.set([problem])
    client = client_for(officer)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    # token and user, count, the page of visits (officer, user, desa, kecamatan joined), their
    # problems.
    assert len(queries) == 4, "\n".join(q["sql"] for q in queries)


# --- Logging and correcting --------------------------------------------------------------------


def test_an_officer_logs_a_visit_with_a_followed_up_problem(area, officer):
    problem = ProblemFactory(village=area.village)
    response = client_for(officer).post(
        URL,
        {
            "desa": area.village.code,
            "kind": "leaders",
            "households": 3,
            "people": 9,
            "groups_reached": ["youth", "elderly"],
            "notes": "Bertemu ketua RW 02",
            "problems": [problem.reference],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    visit = Visit.objects.get(pk=response.json()["id"])
    assert visit.officer.user == officer
    assert visit.kind == Visit.Kind.LEADERS
    assert visit.groups_reached == ["elderly", "youth"]
    assert list(visit.problems.all()) == [problem]


def test_a_visit_is_logged_only_in_the_officers_own_desa(area, officer, kapolsek):
    payload = {"desa": area.village_b.code}
    assert client_for(officer).post(URL, payload, format="json").status_code == 403
    own = {"desa": area.village.code}
    assert client_for(kapolsek).post(URL, own, format="json").status_code == 403
    assert not Visit.objects.exists()


def test_a_visit_in_the_future_is_refused_with_the_services_message(area, officer):
    response = client_for(officer, language="en").post(
        URL,
        {
            "desa": area.village.code,
            "visited_at": (timezone.now() + datetime.timedelta(days=1)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"visited_at": ["A visit cannot be in the future."]}


def test_only_open_problems_of_the_officers_desa_are_linked(area, officer):
    elsewhere = ProblemFactory(village=area.village_elsewhere)
    closed = ProblemFactory(village=area.village, status=Status.RESOLVED)
    for problem in (elsewhere, closed):
        response = client_for(officer).post(
            URL, {"desa": area.village.code, "problems": [problem.reference]}, format="json"
        )
        assert response.status_code == 400
        assert "problems" in response.json()
    assert not Visit.objects.exists()


def test_an_unknown_desa_is_refused(officer):
    response = client_for(officer).post(URL, {"desa": "99.99.99.9999"}, format="json")
    assert response.status_code == 400
    assert "desa" in response.json()


def test_the_author_corrects_a_visit_within_seven_days_then_it_is_locked(area, officer):
    start = datetime.datetime(2026, 11, 1, 3, 0, tzinfo=datetime.UTC)
    client = client_for(officer, language="en")
    with time_machine.travel(start, tick=False):
        created = client.post(URL, {"desa": area.village.code}, format="json").json()
    url = f"{URL}{created['id']}/"
    with time_machine.travel(start + datetime.timedelta(days=6), tick=False):
        response = client.patch(url, {"notes": "Bertemu ketua RT", "people": 4}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["notes"] == "Bertemu ketua RT"
        assert response.json()["kind"] == "door_to_door"  # not sent: unchanged
    with time_machine.travel(start + datetime.timedelta(days=8), tick=False):
        response = client.patch(url, {"notes": "terlambat"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["A visit is locked seven days after it was logged."]
    }
    visit = Visit.objects.get(pk=created["id"])
    assert (visit.notes, visit.people) == ("Bertemu ketua RT", 4)


def test_a_correction_links_problems_of_the_desa(area, officer, visits):
    problem = ProblemFactory(village=area.village)
    url = f"{URL}{visits['own'].pk}/"
    response = client_for(officer).put(
        url, {"desa": area.village.code, "problems": [problem.reference]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["problems"] == [problem.reference]


def test_only_the_author_corrects_a_visit(area, kapolsek, officer_elsewhere, visits):
    url = f"{URL}{visits['own'].pk}/"
    assert client_for(kapolsek).patch(url, {"notes": "x"}, format="json").status_code == 403
    assert (
        client_for(officer_elsewhere).patch(url, {"notes": "x"}, format="json").status_code == 404
    )
    visits["own"].refresh_from_db()
    assert visits["own"].notes == ""
