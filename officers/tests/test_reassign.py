import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from officers import services
from officers.models import Assignment
from officers.tests.factories import OfficerFactory


@pytest.fixture
def newcomer(area):
    return OfficerFactory(unit=area.polsek, user__email="baru@example.org")


def test_reassigning_ends_the_old_assignment_and_moves_open_problems(
    area, officer, kapolsek, newcomer
):
    open_problem = ProblemFactory(village=area.village, assigned_to=officer.officer)
    closed = ProblemFactory(
        village=area.village, assigned_to=officer.officer, status=Status.RESOLVED
    )
    services.village_reassign(
        actor=kapolsek, village=area.village, officer=newcomer, on=datetime.date(2026, 12, 1)
    )
    old = Assignment.objects.get(officer=officer.officer, village=area.village)
    assert old.ends_on == datetime.date(2026, 11, 30)
    new = Assignment.objects.get(officer=newcomer, village=area.village)
    assert new.is_primary and new.ends_on is None
    open_problem.refresh_from_db()
    closed.refresh_from_db()
    assert open_problem.assigned_to == newcomer
    assert closed.assigned_to == officer.officer
    assert open_problem.events.filter(kind="assignment").exists()


def test_an_officer_cannot_reassign_desa(area, officer, newcomer):
    with pytest.raises(PermissionDenied):
        services.village_reassign(actor=officer, village=area.village, officer=newcomer)


def test_another_polres_cannot_reassign(area, officer, other_polres_commander, newcomer):
    with pytest.raises(PermissionDenied):
        services.village_reassign(
            actor=other_polres_commander, village=area.village, officer=newcomer
        )


def test_a_commander_reassigns_from_the_page(client, area, officer, polres_commander, newcomer):
    client.force_login(polres_commander)
    url = reverse("officers:reassign", args=[area.village.code])
    assert officer.name in client.get(url).content.decode()
    response = client.post(url, {"officer": newcomer.pk, "starts_on": "2026-12-01"})
    assert response.status_code == 302
    assert (
        Assignment.objects.active(on=datetime.date(2026, 12, 2)).get(village=area.village).officer
        == newcomer
    )


def test_only_officers_of_the_desa_polsek_are_offered(
    client, area, officer_elsewhere, polres_commander
):
    client.force_login(polres_commander)
    url = reverse("officers:reassign", args=[area.village.code])
    response = client.post(
        url, {"officer": officer_elsewhere.officer.pk, "starts_on": "2026-12-01"}
    )
    assert response.status_code == 400
    assert not Assignment.objects.filter(
        officer=officer_elsewhere.officer, village=area.village
    ).exists()


@pytest.mark.parametrize(
    "fixture", ["officer", "resident", "other_polres_commander", "polda_viewer"]
)
def test_reassignment_outside_the_role_or_area_is_404(client, area, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    url = reverse("officers:reassign", args=[area.village.code])
    assert client.get(url).status_code == 404
