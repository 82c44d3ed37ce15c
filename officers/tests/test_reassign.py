import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from accounts.models import User
from conftest import _police
from forums.models import ActionItem, ForumEvent
from forums.tests.factories import ActionItemFactory, ForumFactory, HeldMeetingFactory
from issues.tests.factories import ProblemFactory
from issues.workflow import Status
from officers import services
from officers.models import Assignment, Visit
from officers.tests.factories import AssignmentFactory, OfficerFactory


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


# --- The forums' open action items move along, in their history --------------------------------


def test_reassigning_records_in_the_forums_history_the_action_items_that_move(
    area, officer, kapolsek, newcomer
):
    forum = ForumFactory(village=area.village)
    meeting = HeldMeetingFactory(forum=forum)
    ActionItemFactory.create_batch(2, meeting=meeting, forum=forum)
    ActionItemFactory(meeting=meeting, forum=forum, status=ActionItem.Status.DONE)
    elsewhere = ForumFactory(village=area.village_b)
    with translation.override("en"):  # a commander who reads the portal in English
        services.village_reassign(
            actor=kapolsek, village=area.village, officer=newcomer, on=datetime.date(2026, 12, 1)
        )
    event = ForumEvent.objects.get(forum=forum, kind=ForumEvent.Kind.OFFICER_CHANGED)
    assert event.actor == kapolsek
    assert officer.name in event.note and newcomer.user.name in event.note
    with translation.override("id"):  # the forum's log is written in Indonesian
        moved = ngettext(  # the two open items, not the done one
            "%(count)d open action item now falls to %(new)s",
            "%(count)d open action items now fall to %(new)s",
            2,
        ) % {"count": 2, "new": newcomer.user.name}
    assert moved in event.note and "now fall to" not in event.note
    assert not elsewhere.events.filter(kind=ForumEvent.Kind.OFFICER_CHANGED).exists()


def test_reassigning_a_desa_without_officer_is_recorded_in_its_forums_history(
    area, kapolsek, newcomer
):
    forum = ForumFactory(village=area.village_b)
    services.village_reassign(actor=kapolsek, village=area.village_b, officer=newcomer)
    event = forum.events.get(kind=ForumEvent.Kind.OFFICER_CHANGED)
    assert newcomer.user.name in event.note


# --- One primary officer a day ------------------------------------------------------------------


@pytest.mark.parametrize("on", [datetime.date(2025, 1, 1), datetime.date(2024, 6, 1)])
def test_a_start_on_or_before_the_current_officers_start_is_refused(
    area, officer, kapolsek, newcomer, on
):
    with pytest.raises(ValidationError) as error:
        services.village_reassign(actor=kapolsek, village=area.village, officer=newcomer, on=on)
    assert "starts_on" in error.value.message_dict
    current = Assignment.objects.get(village=area.village)
    assert current.officer == officer.officer and current.ends_on is None


def test_the_page_refuses_a_start_before_the_current_officers_start(
    client, area, officer, polres_commander, newcomer
):
    client.force_login(polres_commander)
    url = reverse("officers:reassign", args=[area.village.code])
    response = client.post(url, {"officer": newcomer.pk, "starts_on": "2025-01-01"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert list(Assignment.objects.filter(village=area.village)) == [
        Assignment.objects.get(officer=officer.officer, ends_on__isnull=True)
    ]


def test_no_two_primary_officers_are_active_on_the_same_day(area, officer, kapolsek, newcomer):
    services.village_reassign(
        actor=kapolsek, village=area.village, officer=newcomer, on=datetime.date(2025, 1, 2)
    )
    for day in (datetime.date(2025, 1, 1), datetime.date(2025, 1, 2), datetime.date(2026, 12, 3)):
        assert (
            Assignment.objects.active(on=day).filter(village=area.village, is_primary=True).count()
            == 1
        ), day


def test_a_primary_assignment_cannot_overlap_an_earlier_one(area, officer, newcomer):
    Assignment.objects.filter(officer=officer.officer).update(ends_on=datetime.date(2026, 11, 30))
    for starts_on in (datetime.date(2026, 11, 30), datetime.date(2026, 6, 1)):
        with pytest.raises(ValidationError) as refused, translation.override("id"):
            services.assignment_create(
                actor=None, officer=newcomer, village=area.village, starts_on=starts_on
            )
        assert "30 Nov 2026" in str(refused.value)  # the portal's format, as on its pages
    assignment = services.assignment_create(
        actor=None, officer=newcomer, village=area.village, starts_on=datetime.date(2026, 12, 1)
    )
    assert assignment.starts_on == datetime.date(2026, 12, 1)


def test_a_new_officer_cannot_start_before_the_current_one_did(area, officer, kapolsek, newcomer):
    Assignment.objects.filter(officer=officer.officer).update(starts_on=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError) as refused, translation.override("id"):
        services.village_reassign(
            actor=kapolsek, village=area.village, officer=newcomer, on=datetime.date(2026, 5, 1)
        )
    assert "1 Jun 2026" in str(refused.value)  # the portal's format, as on its pages
    assert not Assignment.objects.filter(officer=newcomer).exists()


def test_a_supporting_assignment_may_overlap_the_primary_one(area, officer, newcomer):
    assignment = services.assignment_create(
        actor=None,
        officer=newcomer,
        village=area.village,
        is_primary=False,
        starts_on=datetime.date(2025, 6, 1),
    )
    assert not assignment.is_primary


# --- The commander's workload page --------------------------------------------------------------


def test_every_desa_of_an_officer_has_a_reassign_link_on_the_workload_page(
    client, area, officer, kapolsek
):
    AssignmentFactory(officer=officer.officer, village=area.village_b, is_primary=False)
    for village in (area.village, area.village_b):  # visited: not among the desa needing care
        Visit.objects.create(officer=officer.officer, village=village)
    client.force_login(kapolsek)
    html = client.get(reverse("officers:workload")).content.decode()
    for village in (area.village, area.village_b):
        assert reverse("officers:reassign", args=[village.code]) in html, village


def test_the_polda_viewer_gets_no_reassign_link(client, area, officer, polda_viewer):
    client.force_login(polda_viewer)
    html = client.get(reverse("officers:workload")).content.decode()
    assert reverse("officers:reassign", args=[area.village.code]) not in html


def test_the_start_date_is_preset_in_the_form_a_date_input_reads(
    client, area, officer, polres_commander
):
    from django.utils import timezone

    client.force_login(polres_commander)
    page = client.get(reverse("officers:reassign", args=[area.village.code])).content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page


def test_the_page_refuses_a_start_in_the_future(client, area, officer, polres_commander, newcomer):
    from django.utils import timezone

    problem = ProblemFactory(village=area.village, assigned_to=officer.officer)
    client.force_login(polres_commander)
    url = reverse("officers:reassign", args=[area.village.code])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url, {"officer": newcomer.pk, "starts_on": f"{tomorrow:%Y-%m-%d}"})
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.assigned_to == officer.officer
    assert Assignment.objects.filter(village=area.village).count() == 1


def test_a_second_primary_officer_is_refused_in_words_not_by_constraint_name(area, officer):
    other = _police(User.Role.OFFICER, area.polsek, user__email="kedua@example.org")
    second = Assignment(
        officer=other.officer, village=area.village, starts_on=datetime.date.today()
    )
    with pytest.raises(ValidationError) as refused:
        second.full_clean()
    assert "one_open_primary" not in str(refused.value)
    assert "/personel/desa/" in str(refused.value)
