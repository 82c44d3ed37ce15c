import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from officers import selectors, services
from officers.models import Visit
from officers.tests.factories import AssignmentFactory, OfficerFactory
from territory.tests.factories import VillageFactory


def test_an_officer_logs_a_visit_with_defaults(area, officer):
    visit = services.visit_log(actor=officer, village=area.village)
    assert visit.kind == Visit.Kind.DOOR_TO_DOOR
    assert visit.households == 1 and visit.people == 1


def test_a_visit_is_logged_only_in_the_officers_own_desa(area, officer, kapolsek):
    with pytest.raises(PermissionDenied):
        services.visit_log(actor=officer, village=area.village_b)
    with pytest.raises(PermissionDenied):
        services.visit_log(actor=kapolsek, village=area.village)


def test_a_visit_cannot_be_in_the_future(area, officer):
    with pytest.raises(ValidationError):
        services.visit_log(
            actor=officer,
            village=area.village,
            visited_at=timezone.now() + datetime.timedelta(days=1),
        )


# 8 December 2026, 10:00 WIB.
DECEMBER = datetime.datetime(2026, 12, 8, 3, 0, tzinfo=datetime.UTC)


@time_machine.travel(DECEMBER, tick=False)
def test_last_months_visit_is_logged_and_an_older_one_refused_with_nothing_stored(
    client, area, officer
):
    first_of_november = timezone.make_aware(datetime.datetime(2026, 11, 1, 0, 0))
    services.visit_log(actor=officer, village=area.village, visited_at=first_of_november)
    with pytest.raises(ValidationError) as refused:
        services.visit_log(
            actor=officer,
            village=area.village,
            visited_at=first_of_november - datetime.timedelta(minutes=1),
        )
    assert "visited_at" in refused.value.message_dict
    client.force_login(officer)
    # The phone's date picker starts on the same day.
    assert 'min="2026-11-01T00:00"' in client.get(reverse("officers:visit_create")).content.decode()
    response = client.post(
        reverse("officers:visit_create"),
        {
            "village": area.village.pk,
            "kind": "door_to_door",
            "visited_at": "2026-10-31T19:00",
            "households": 1,
            "people": 1,
        },
    )
    assert response.status_code == 200
    assert "pilih hari sejak 1 November 2026" in response.content.decode()
    assert Visit.objects.count() == 1


def test_last_months_visit_keeps_its_day_when_corrected_in_the_new_month(area, officer):
    # Logged on 30 November for 1 November, corrected on 3 December: still within its week.
    with time_machine.travel(datetime.datetime(2026, 11, 30, 3, 0, tzinfo=datetime.UTC)):
        visit = services.visit_log(
            actor=officer,
            village=area.village,
            visited_at=timezone.make_aware(datetime.datetime(2026, 11, 1, 9, 0)),
        )
    with time_machine.travel(datetime.datetime(2026, 12, 3, 3, 0, tzinfo=datetime.UTC)):
        services.visit_update(actor=officer, visit=visit, notes="Bertemu ketua RT")
        with pytest.raises(ValidationError):
            services.visit_update(
                actor=officer,
                visit=visit,
                visited_at=timezone.make_aware(datetime.datetime(2026, 10, 31, 9, 0)),
            )
    visit.refresh_from_db()
    assert visit.notes == "Bertemu ketua RT" and visit.visited_at.month == 11


def test_correcting_the_note_of_last_months_visit_keeps_its_seconds_and_is_saved(
    client, area, officer
):
    # Logged through the API on 28 November with the seconds of the phone's clock; the form
    # shows minutes only, and its unchanged time read as a new time in October on 2 December.
    logged = datetime.datetime(2026, 11, 28, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(logged, tick=False):
        visit = services.visit_log(
            actor=officer,
            village=area.village,
            visited_at=timezone.make_aware(datetime.datetime(2026, 10, 30, 10, 15, 42)),
        )
    client.force_login(officer)
    with time_machine.travel(logged + datetime.timedelta(days=4), tick=False):
        response = client.post(
            reverse("officers:visit_edit", args=[visit.pk]),
            _visit_post(visit, notes="Bertemu ketua RT"),
        )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.notes == "Bertemu ketua RT"
    assert visit.visited_at == timezone.make_aware(datetime.datetime(2026, 10, 30, 10, 15, 42))


def test_a_slip_of_the_year_is_refused_and_nothing_is_stored(client, area, officer):
    """Year 1 in Jakarta's local mean time is stored by PostgreSQL as a moment before year 1,
    which no page could read back."""
    year_one = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(ValidationError) as refused:
        services.visit_log(actor=officer, village=area.village, visited_at=year_one)
    assert "visited_at" in refused.value.message_dict
    client.force_login(officer)
    response = client.post(
        reverse("officers:visit_create"),
        {
            "village": area.village.pk,
            "kind": "door_to_door",
            "visited_at": "0001-01-01T00:00",
            "households": 1,
            "people": 1,
        },
    )
    assert "Periksa tahunnya" in response.content.decode()
    assert not Visit.objects.exists()


def test_only_problems_of_the_desa_are_linked(area, officer):
    elsewhere = ProblemFactory(village=area.village_b)
    with pytest.raises(ValidationError):
        services.visit_log(actor=officer, village=area.village, problems=[elsewhere])
    here = ProblemFactory(village=area.village)
    visit = services.visit_log(actor=officer, village=area.village, problems=[here])
    assert list(visit.problems.all()) == [here]


def test_a_visit_is_editable_by_its_author_for_seven_days_then_locked(area, officer):
    start = datetime.datetime(2026, 11, 1, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        visit = services.visit_log(actor=officer, village=area.village)
    with time_machine.travel(start + datetime.timedelta(days=6), tick=False):
        services.visit_update(actor=officer, visit=visit, notes="Bertemu ketua RT")
    with (
        time_machine.travel(start + datetime.timedelta(days=8), tick=False),
        pytest.raises(ValidationError),
    ):
        services.visit_update(actor=officer, visit=visit, notes="terlambat")
    visit.refresh_from_db()
    assert visit.notes == "Bertemu ketua RT"


def test_another_officer_cannot_change_a_visit(area, officer, officer_elsewhere):
    visit = services.visit_log(actor=officer, village=area.village)
    with pytest.raises(PermissionDenied):
        services.visit_update(actor=officer_elsewhere, visit=visit, notes="x")


def test_an_officer_logs_a_visit_from_the_form(client, area, officer):
    client.force_login(officer)
    page = client.get(reverse("officers:visit_create")).content.decode()
    assert area.village.name in page and area.village_b.name not in page
    response = client.post(
        reverse("officers:visit_create"),
        {
            "village": area.village.pk,
            "kind": "door_to_door",
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "households": "4",
            "people": "9",
            "groups_reached": ["women", "youth"],
            "notes": "Sambang ke RT 03",
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert visit.people == 9 and visit.groups_reached == ["women", "youth"]
    day = client.get(reverse("landing")).content.decode()
    last_visit = day[day.index("<dt>Kunjungan terakhir</dt>") :].split("</dd>")[0]
    assert last_visit.endswith("<dd>Hari ini")


def test_a_visit_to_a_desa_outside_the_officer_is_refused(client, area, officer):
    client.force_login(officer)
    response = client.post(
        reverse("officers:visit_create"),
        {
            "village": area.village_b.pk,
            "kind": "door_to_door",
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "households": "1",
            "people": "1",
        },
    )
    assert response.status_code == 200
    assert not Visit.objects.exists()


@pytest.mark.parametrize("fixture", ["resident", "kapolsek", "polres_commander", "operator"])
def test_only_officers_log_visits(client, area, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("officers:visit_create")).status_code == 404


def test_another_officers_visit_is_404(client, area, officer, officer_elsewhere):
    visit = services.visit_log(actor=officer, village=area.village)
    client.force_login(officer_elsewhere)
    assert client.get(reverse("officers:visit_edit", args=[visit.pk])).status_code == 404


@pytest.mark.parametrize(
    ("fixture", "sees"),
    [
        ("officer", True),
        ("officer_elsewhere", False),
        ("kapolsek", True),
        ("polres_commander", True),
        ("other_polres_commander", False),
        ("polda_viewer", True),
        ("operator", True),
    ],
)
def test_who_sees_a_visit_in_the_list(client, area, officer, request, fixture, sees):
    services.visit_log(actor=officer, village=area.village, notes="Catatan sambang unik")
    client.force_login(request.getfixturevalue(fixture))
    page = client.get(reverse("officers:visits")).content.decode()
    assert ("Catatan sambang unik" in page) is sees


def test_a_kapolsek_opens_a_visits_problem_from_the_list(client, area, officer, kapolsek):
    problem = ProblemFactory(village=area.village)
    services.visit_log(actor=officer, village=area.village, problems=[problem])
    client.force_login(kapolsek)
    page = client.get(reverse("officers:visits")).content.decode()
    url = reverse("issues:detail", args=[problem.reference])
    assert f'href="{url}">{problem.reference}</a>' in page
    assert client.get(url).status_code == 200


def test_residents_have_no_visit_list(client, area, resident):
    client.force_login(resident)
    assert client.get(reverse("officers:visits")).status_code == 404


@pytest.mark.parametrize("rows", [1, 20])
def test_the_visit_list_queries_do_not_grow(client, area, officer, kapolsek, rows):
    for _ in range(rows):
        services.visit_log(actor=officer, village=area.village)
    client.force_login(kapolsek)
    client.get(reverse("officers:visits"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("officers:visits")).status_code == 200
    # session, user, count, page of visits (with officer, user, desa, kecamatan), problems.
    assert len(queries) == 5, [q["sql"][:100] for q in queries]


@pytest.mark.parametrize("rows", [1, 20])
def test_the_workload_page_queries_do_not_grow(client, area, polres_commander, rows):
    for _ in range(rows):
        village = VillageFactory(polsek=area.polsek, district=area.village.district)
        AssignmentFactory(village=village, officer__unit=area.polsek)
    client.force_login(polres_commander)
    client.get(reverse("officers:workload"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("officers:workload")).status_code == 200
    # session, user, officers count, officers page (with workload), their assignments,
    # desa needing attention count, their page.
    assert len(queries) == 7, [q["sql"][:100] for q in queries]


def test_the_workload_shows_officers_desa_and_visits(client, area, officer, kapolsek):
    services.visit_log(actor=officer, village=area.village)
    ProblemFactory(village=area.village, assigned_to=officer.officer)
    client.force_login(kapolsek)
    page = client.get(reverse("officers:workload")).content.decode()
    assert officer.name in page and area.village.name in page
    assert area.village_b.name in page  # no officer: needs attention


def test_the_workload_counts_the_open_problems_in_each_officers_care(area, officer, kapolsek):
    """Assigned to the officer, or to nobody in a desa where they are the primary officer;
    closed and hidden problems count for nobody, a supporting officer's desa for its primary."""
    second = OfficerFactory(user__role=User.Role.OFFICER, unit=area.polsek).user
    AssignmentFactory(officer=second.officer, village=area.village, is_primary=False)
    AssignmentFactory(officer=second.officer, village=area.village_b)
    ended = OfficerFactory(user__role=User.Role.OFFICER, unit=area.polsek).user
    AssignmentFactory(
        officer=ended.officer,
        village=area.village_b,
        is_primary=False,
        ends_on=datetime.date(2025, 6, 30),
    )
    ProblemFactory(village=area.village)  # the primary officer's
    ProblemFactory(village=area.village, assigned_to=second.officer)
    ProblemFactory(village=area.village, status=Status.RESOLVED)
    ProblemFactory(village=area.village, is_hidden=True)
    ProblemFactory(village=area.village_b)  # the second officer's, as primary there
    ProblemFactory(village=area.village_b, assigned_to=officer.officer)
    ProblemFactory(village=area.village_elsewhere)  # another Polsek's desa, no officer here
    counts = {o.user: o.open_problems for o in selectors.unit_officers(kapolsek)}
    assert counts == {officer: 2, second: 2, ended: 0}


@pytest.mark.parametrize("fixture", ["resident", "officer"])
def test_the_workload_page_is_for_commanders(client, area, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("officers:workload")).status_code == 404


def _visit_post(visit, **extra) -> dict:
    data = {
        "village": visit.village_id,
        "kind": visit.kind,
        "visited_at": timezone.localtime(visit.visited_at).strftime("%Y-%m-%dT%H:%M"),
        "households": str(visit.households),
        "people": str(visit.people),
    }
    data.update(extra)
    return data


def test_correcting_a_visit_keeps_a_problem_resolved_since(client, area, officer):
    problem = ProblemFactory(village=area.village)
    visit = services.visit_log(actor=officer, village=area.village, problems=[problem])
    type(problem).objects.filter(pk=problem.pk).update(status="resolved")
    client.force_login(officer)
    url = reverse("officers:visit_edit", args=[visit.pk])
    assert problem.reference in client.get(url).content.decode()
    response = client.post(url, _visit_post(visit, people="7", problems=[problem.pk]))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.people == 7
    assert list(visit.problems.all()) == [problem]


def test_a_locked_visit_is_shown_read_only(client, area, officer):
    start = datetime.datetime(2026, 11, 1, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        visit = services.visit_log(actor=officer, village=area.village)
    client.force_login(officer)
    with time_machine.travel(start + datetime.timedelta(days=8), tick=False):
        page = client.get(reverse("officers:visit_edit", args=[visit.pk])).content.decode()
    assert "terkunci" in page
    assert 'name="people"' in page and "disabled" in page.split('name="people"')[1].split(">")[0]
    assert 'id="visit-location"' not in page


def test_the_visit_lists_link_says_edit_and_view_once_the_visit_is_locked(
    client, area, officer, settings
):
    # "Open" read like the action items' status; a locked visit opens read-only.
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=8), tick=False):
        locked = services.visit_log(actor=officer, village=area.village)
    visit = services.visit_log(actor=officer, village=area.village)
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("officers:visits")).content.decode()

    def link(of):
        href = reverse("officers:visit_edit", args=[of.pk])
        return page.split(f'href="{href}">')[1].split("</a>")[0]

    assert link(visit).startswith("Edit<") and link(locked).startswith("View<")
    # A screen reader's list of links tells the visits apart.
    assert f'<span class="visually-hidden">: Door to door · {area.village}' in link(visit)
    assert 'class="tap"' in page


def test_the_form_marks_each_problem_with_its_desa_for_the_script(client, area, officer):
    AssignmentFactory(officer=officer.officer, village=area.village_b)
    here = ProblemFactory(village=area.village, title="Parkir liar")
    there = ProblemFactory(village=area.village_b, title="Balap liar")
    client.force_login(officer)
    page = client.get(reverse("officers:visit_create")).content.decode()
    for problem in (here, there):
        assert f'data-desa="{problem.village_id}"' in page
        assert f"{problem.reference}: {problem.title} ({problem.village.name})" in page
    assert "js/visit-problems" in page
