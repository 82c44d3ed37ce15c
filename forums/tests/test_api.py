"""The forums and meetings API: scoped lists and details, public information for residents,
recording and cancelling a meeting through the same services as the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forums.models import ForumEvent, Meeting, MeetingProblem
from forums.tests.factories import (
    ActionItemFactory,
    ForumFactory,
    HeldMeetingFactory,
    MeetingFactory,
    MemberFactory,
)
from issues.tests.factories import ProblemFactory
from portal.tests.api_client import client_for, ids

FORUMS = "/api/v1/forums/"
MEETINGS = "/api/v1/meetings/"


def count_queries(user, url) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(queries), [q["sql"] for q in queries]


@pytest.fixture
def forums(area, forum):
    return {
        "here": forum,
        "elsewhere": ForumFactory(village=area.village_elsewhere),
        "other_polres": ForumFactory(village=area.village_other_polres),
    }


@pytest.fixture
def planned_meeting(forum):
    """Planned for two hours ago: it can be recorded now."""
    return MeetingFactory(
        forum=forum,
        scheduled_at=timezone.now().replace(microsecond=0) - datetime.timedelta(hours=2),
    )


@pytest.fixture
def record_payload(members):
    return {
        "members_present": [members[0].pk, members[2].pk],
        "other_men": 5,
        "other_women": 7,
        "other_by_group": {"elderly": 2},
        "police_present": "Bripka Asep (Bhabinkamtibmas)",
        "partners_present": "Babinsa",
        "minutes": "Dibahas **ronda malam**.",
        "summary": "Forum sepakat menghidupkan ronda.",
        "minutes_internal": True,
    }


# --- Forums ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [FORUMS, MEETINGS, f"{FORUMS}1/", f"{MEETINGS}1/"])
def test_anonymous_callers_get_401(db, url):
    response = client_for().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", {"here"}),
        ("kapolsek", {"here"}),
        ("polres_commander", {"here", "elsewhere"}),
        ("other_polres_commander", {"other_polres"}),
        ("polda_viewer", {"here", "elsewhere", "other_polres"}),
        ("operator", {"here", "elsewhere", "other_polres"}),
        ("resident", {"here"}),
        ("other_resident", set()),
    ],
)
def test_each_role_lists_the_forums_covering_its_desa(request, forums, role, expected):
    user = request.getfixturevalue(role)
    assert ids(client_for(user).get(FORUMS)) == {forums[name].pk for name in expected}


def test_an_area_forum_is_listed_for_the_police_of_a_further_desa(area, officer_elsewhere):
    area_forum = ForumFactory(village=area.village_b, kind="area", name="FKPM Pasar")
    area_forum.other_villages.set([area.village_elsewhere])
    assert ids(client_for(officer_elsewhere).get(FORUMS)) == {area_forum.pk}


@pytest.mark.parametrize("role", ["officer_elsewhere", "other_polres_commander", "other_resident"])
def test_a_forum_outside_the_scope_answers_404(request, forum, role):
    response = client_for(request.getfixturevalue(role)).get(f"{FORUMS}{forum.pk}/")
    assert response.status_code == 404


def test_the_police_read_the_whole_record_with_the_members(forum, members, officer):
    body = client_for(officer).get(f"{FORUMS}{forum.pk}/").json()
    assert body["can_read_record"] is True
    assert body["decree_number"] == "141/Kep.12/2021"
    assert body["open_action_items"] == 0
    assert {m["name"] for m in body["members"]} == {"Pak Ketua", "Ustaz Hasan", "Teh Euis"}


def test_a_resident_sees_their_desas_forum_without_its_record(forum, members, resident):
    body = client_for(resident).get(f"{FORUMS}{forum.pk}/").json()
    assert body["name"] == "FKPM Cileunyi Kulon"
    assert body["can_read_record"] is False
    assert body["decree_number"] is None
    assert body["open_action_items"] is None
    assert body["members"] is None


def test_the_secretary_reads_the_whole_record(forum, members, secretary):
    body = client_for(secretary).get(f"{FORUMS}{forum.pk}/").json()
    assert body["can_read_record"] is True
    assert "Pak Ketua" in {m["name"] for m in body["members"]}


def test_forums_filter_by_desa(area, forums, operator):
    url = f"{FORUMS}?desa={area.village_elsewhere.code}"
    assert ids(client_for(operator).get(url)) == {forums["elsewhere"].pk}


@pytest.mark.parametrize("rows", [1, 20])
def test_the_forum_list_costs_the_same_queries_for_1_and_20_forums(area, polres_commander, rows):
    for number in range(rows):
        village = area.village if number == 0 else area.village_b
        ForumFactory(village=village, kind="area" if number else "desa", name=f"FKPM {number}")
    # token and user, the officer profile and its unit (the scope reads them), count, the page
    # of forums (desa, kecamatan, next meeting, last held and open items as subqueries), their
    # further desa.
    count, sql = count_queries(polres_commander, FORUMS)
    assert count == 6, "\n".join(sql)


# --- Meetings ----------------------------------------------------------------------------------


def test_the_police_read_the_internal_minutes_and_the_attendance(held_meeting, officer):
    Meeting.objects.filter(pk=held_meeting.pk).update(minutes_internal=True)
    body = client_for(officer).get(f"{MEETINGS}{held_meeting.pk}/").json()
    assert body["minutes"].startswith("Dibahas")
    assert {a["name"] for a in body["attendance"]} == {"Pak Ketua", "Ustaz Hasan"}
    assert body["can_record"] is True


def test_a_resident_does_not_read_internal_minutes_or_who_attended(held_meeting, resident):
    Meeting.objects.filter(pk=held_meeting.pk).update(minutes_internal=True)
    ActionItemFactory(meeting=held_meeting, forum=held_meeting.forum)
    body = client_for(resident).get(f"{MEETINGS}{held_meeting.pk}/").json()
    assert body["summary"] == "Forum sepakat menghidupkan ronda malam."
    assert body["minutes"] is None
    assert body["attendance"] is None
    assert body["police_present"] is None
    assert body["action_items"] == []
    assert body["can_record"] is False


def test_a_resident_reads_public_minutes_and_decisions_without_their_owner(held_meeting, resident):
    ActionItemFactory(meeting=held_meeting, forum=held_meeting.forum)
    body = client_for(resident).get(f"{MEETINGS}{held_meeting.pk}/").json()
    assert body["minutes"].startswith("Dibahas")
    assert [item["owner"] for item in body["action_items"]] == [None]


def test_a_missed_meeting_is_listed_for_the_police_only(forum, officer, resident):
    missed = MeetingFactory(forum=forum, status=Meeting.Status.MISSED)
    assert missed.pk in ids(client_for(officer).get(MEETINGS))
    assert missed.pk not in ids(client_for(resident).get(MEETINGS))


@pytest.mark.parametrize("role", ["officer_elsewhere", "other_polres_commander", "other_resident"])
def test_a_meeting_outside_the_scope_answers_404(request, held_meeting, role):
    response = client_for(request.getfixturevalue(role)).get(f"{MEETINGS}{held_meeting.pk}/")
    assert response.status_code == 404


def test_meetings_filter_by_forum_status_and_dates(forums, operator):
    day = datetime.datetime(2026, 3, 10, 19, 0, tzinfo=datetime.UTC)
    held = HeldMeetingFactory(forum=forums["here"], scheduled_at=day)
    MeetingFactory(forum=forums["here"], scheduled_at=day + datetime.timedelta(days=30))
    HeldMeetingFactory(forum=forums["elsewhere"], scheduled_at=day)
    client = client_for(operator)
    url = f"{MEETINGS}?forum={forums['here'].pk}&status=held"
    assert ids(client.get(url)) == {held.pk}
    url = f"{MEETINGS}?forum={forums['here'].pk}&scheduled_from=2026-03-10&scheduled_to=2026-03-11"
    assert ids(client.get(url)) == {held.pk}
    assert client.get(f"{MEETINGS}?scheduled_from=soon").status_code == 400


@pytest.mark.parametrize("rows", [1, 20])
def test_the_meeting_list_costs_the_same_queries_for_1_and_20_meetings(
    forum, members, officer, rows
):
    for _number in range(rows):
        HeldMeetingFactory(forum=forum).members_present.set(members[:2])
    # token and user, the officer profile and its unit (the scope reads them), count, the page
    # of meetings (forum and desa joined, attendance counted).
    count, sql = count_queries(officer, MEETINGS)
    assert count == 5, "\n".join(sql)


# --- Recording and cancelling ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "secretary"])
def test_the_desas_officer_or_the_secretary_records_a_meeting(
    request, planned_meeting, members, record_payload, role
):
    user = request.getfixturevalue(role)
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    response = client_for(user).post(url, record_payload, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "held"
    planned_meeting.refresh_from_db()
    assert planned_meeting.status == Meeting.Status.HELD
    assert planned_meeting.minutes_internal is True
    assert planned_meeting.other_by_group == {"elderly": 2}
    assert planned_meeting.recorded_by == user
    assert set(planned_meeting.members_present.all()) == {members[0], members[2]}
    assert ForumEvent.objects.filter(
        meeting=planned_meeting, kind=ForumEvent.Kind.MEETING_HELD, actor=user
    ).exists()


def test_minutes_are_internal_unless_asked_and_a_correction_keeps_the_choice(
    planned_meeting, members, record_payload, officer
):
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    del record_payload["minutes_internal"]
    assert client_for(officer).post(url, record_payload, format="json").status_code == 200
    planned_meeting.refresh_from_db()
    assert planned_meeting.minutes_internal is True
    Meeting.objects.filter(pk=planned_meeting.pk).update(minutes_internal=False)
    record_payload["summary"] = "Ringkasan yang dibetulkan."
    assert client_for(officer).post(url, record_payload, format="json").status_code == 200
    planned_meeting.refresh_from_db()
    assert planned_meeting.minutes_internal is False


@pytest.mark.parametrize(
    ("role", "status"),
    [("kapolsek", 403), ("polda_viewer", 403), ("resident", 403), ("officer_elsewhere", 404)],
)
def test_others_may_not_record_a_meeting(request, planned_meeting, record_payload, role, status):
    user = request.getfixturevalue(role)
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    response = client_for(user).post(url, record_payload, format="json")
    assert response.status_code == status
    planned_meeting.refresh_from_db()
    assert planned_meeting.status == Meeting.Status.PLANNED


def test_anonymous_callers_may_not_record_a_meeting(planned_meeting, record_payload):
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    assert client_for().post(url, record_payload, format="json").status_code == 401


def test_a_record_without_minutes_is_refused_with_the_services_message(
    planned_meeting, record_payload, officer
):
    record_payload["minutes"] = "   "
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    response = client_for(officer).post(url, record_payload, format="json")
    assert response.status_code == 400
    assert "minutes" in response.json()


def test_a_member_of_another_forum_cannot_be_ticked(area, planned_meeting, record_payload, officer):
    stranger = MemberFactory(forum=ForumFactory(village=area.village_b))
    record_payload["members_present"] = [stranger.pk]
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    response = client_for(officer).post(url, record_payload, format="json")
    assert response.status_code == 400
    assert "members_present" in response.json()


def test_an_unknown_vulnerable_group_is_refused_by_the_service(
    planned_meeting, record_payload, officer
):
    record_payload["other_by_group"] = {"martians": 3}
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    response = client_for(officer, language="en").post(url, record_payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"other_by_group": ["Unknown vulnerable group."]}


def test_a_cancelled_meeting_cannot_be_recorded(planned_meeting, record_payload, officer):
    Meeting.objects.filter(pk=planned_meeting.pk).update(status=Meeting.Status.CANCELLED)
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    response = client_for(officer, language="en").post(url, record_payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A cancelled meeting cannot be recorded."]}


def test_the_problems_carried_over_are_recorded_as_reviewed(
    area, forum, planned_meeting, record_payload, officer
):
    problem = ProblemFactory(village=area.village)
    previous = HeldMeetingFactory(
        forum=forum, scheduled_at=planned_meeting.scheduled_at - datetime.timedelta(days=30)
    )
    MeetingProblem.objects.create(
        meeting=previous, problem=problem, kind="discussed", status_at_meeting=problem.status
    )
    url = f"{MEETINGS}{planned_meeting.pk}/record/"
    client = client_for(officer)
    record_payload["reviewed_problems"] = ["KMT-9999-000001"]
    refused = client.post(url, record_payload, format="json")
    assert refused.status_code == 400
    assert "reviewed_problems" in refused.json()
    record_payload["reviewed_problems"] = [problem.reference.lower()]
    response = client.post(url, record_payload, format="json")
    assert response.status_code == 200, response.json()
    assert [p["reference"] for p in response.json()["problems"]] == [problem.reference]
    link = MeetingProblem.objects.get(meeting=planned_meeting)
    assert link.kind == MeetingProblem.Kind.REVIEWED


def test_the_officer_cancels_a_planned_meeting_with_a_reason(forum, officer):
    meeting = MeetingFactory(forum=forum, scheduled_at=timezone.now() + datetime.timedelta(days=3))
    url = f"{MEETINGS}{meeting.pk}/cancel/"
    client = client_for(officer)
    assert client.post(url, {"reason": ""}, format="json").status_code == 400
    response = client.post(url, {"reason": "Banjir di balai desa"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["cancel_reason"] == "Banjir di balai desa"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_a_held_meeting_cannot_be_cancelled(held_meeting, officer):
    url = f"{MEETINGS}{held_meeting.pk}/cancel/"
    response = client_for(officer).post(url, {"reason": "Salah catat"}, format="json")
    assert response.status_code == 409
    held_meeting.refresh_from_db()
    assert held_meeting.status == Meeting.Status.HELD


def test_the_kapolsek_may_not_cancel_a_meeting(planned_meeting, kapolsek):
    url = f"{MEETINGS}{planned_meeting.pk}/cancel/"
    response = client_for(kapolsek).post(url, {"reason": "x"}, format="json")
    assert response.status_code == 403
    planned_meeting.refresh_from_db()
    assert planned_meeting.status == Meeting.Status.PLANNED


def test_the_secretary_reads_a_linked_private_problem_by_its_reference_only(
    area, held_meeting, secretary, officer
):
    problem = ProblemFactory(village=area.village, is_private=True, title="KDRT di RT 03")
    MeetingProblem.objects.create(
        meeting=held_meeting, problem=problem, kind="discussed", status_at_meeting=problem.status
    )
    url = f"{MEETINGS}{held_meeting.pk}/"
    as_secretary = client_for(secretary, language="en").get(url).json()["problems"]
    assert as_secretary[0]["reference"] == problem.reference
    assert as_secretary[0]["title"] == "a private problem"
    as_officer = client_for(officer, language="en").get(url).json()["problems"]
    assert as_officer[0]["title"] == "KDRT di RT 03"
