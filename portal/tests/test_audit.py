"""The audit trail: each kind of event recorded with its actor and target, append-only in
Python and (on PostgreSQL) in the database, readable by operators only; and no tracking code
in the logs."""

import csv
import datetime
import importlib.util
import io
import logging
import sys

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import include, path, reverse
from django.utils import translation

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from forums.tests.factories import ForumFactory, HeldMeetingFactory
from issues import notifications, services
from issues.models import Problem
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from issues.workflow import Status
from metrics.crime_import import crime_statistics_import
from officers.services import assignment_create, staff_account_create, village_reassign
from officers.spreadsheet import officers_import
from officers.tests.factories import OfficerFactory
from portal import audit
from portal.logfilters import MaskSecretsFilter, mask_secrets
from portal.models import AppendOnlyError, AuditEvent
from territory.tests.factories import VillageFactory

Action = AuditEvent.Action


def _refused(request):
    raise PermissionDenied("Only for testing.")


# This module doubles as a URLconf (pytest.mark.urls) for a view that refuses everyone.
urlpatterns = [path("refused/", _refused), path("", include("portal.urls"))]


def only_event(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


@pytest.fixture
def problem(area, resident):
    # Named: a resident who withheld their name is not shown to the officer (nothing to record).
    return ProblemFactory(
        village=area.village, reporter=resident, reporter_named=True, contact_phone="0812345678"
    )


# --- 1. who saw a reporter's identity ------------------------------------------------------


def test_an_officer_opening_a_problem_is_recorded_as_seeing_the_reporter(client, officer, problem):
    client.force_login(officer)
    response = client.get(
        reverse("issues:detail", args=[problem.reference]), REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 200
    event = only_event(Action.REPORTER_VIEWED)
    assert (event.actor, event.actor_label, event.actor_role) == (
        officer,
        "officer@example.org",
        User.Role.OFFICER,
    )
    assert (event.target_type, event.target_id, event.target_ref) == (
        "issues.problem",
        str(problem.pk),
        problem.reference,
    )
    assert event.ip == "10.1.2.3"
    # The identity itself is not copied into the trail.
    assert "0812345678" not in str(event.details)
    assert "resident@example.org" not in str(event.details)


def test_the_api_detail_records_who_saw_the_reporter(client, officer, problem):
    client.force_login(officer)
    response = client.get(reverse("api:problem-detail", args=[problem.reference]))
    assert response.status_code == 200
    assert response.json()["reporter"] is not None
    assert only_event(Action.REPORTER_VIEWED).actor == officer


def test_a_problem_without_reporter_or_contact_records_no_view(client, officer, area):
    anonymous = ProblemFactory(village=area.village, contact_name="", contact_email="")
    client.force_login(officer)
    assert client.get(reverse("issues:detail", args=[anonymous.reference])).status_code == 200
    assert not AuditEvent.objects.filter(action=Action.REPORTER_VIEWED).exists()


def test_the_reporter_reading_their_own_report_records_no_view(client, resident, problem):
    client.force_login(resident)
    assert client.get(reverse("issues:detail", args=[problem.reference])).status_code == 200
    assert not AuditEvent.objects.exists()


def test_officer_elsewhere_gets_404_and_no_view_is_recorded(client, officer_elsewhere, problem):
    client.force_login(officer_elsewhere)
    assert client.get(reverse("issues:detail", args=[problem.reference])).status_code == 404
    assert not AuditEvent.objects.exists()


# --- 2. problem status and assignment ------------------------------------------------------


def test_a_status_change_is_recorded_with_from_and_to(officer, problem):
    services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    event = only_event(Action.PROBLEM_STATUS_CHANGED)
    assert event.actor == officer
    assert event.target_ref == problem.reference
    assert (event.details["from_status"], event.details["to_status"]) == (
        Status.NEW,
        Status.VERIFIED,
    )


def test_a_status_change_that_fails_later_leaves_no_audit_row(officer, problem, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("mail queue broken")

    monkeypatch.setattr(notifications, "queue_status_changed", broken)
    with pytest.raises(RuntimeError):
        services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    assert not AuditEvent.objects.exists()


def test_the_reporters_reopening_is_recorded_without_an_actor(area):
    resolved = ProblemFactory(village=area.village, status=Status.RESOLVED)
    services.problem_transition(
        actor=None, problem=resolved, to_status=Status.REOPENED, note="Belum selesai"
    )
    event = only_event(Action.PROBLEM_STATUS_CHANGED)
    assert (event.actor, event.actor_label) == (None, "")
    assert event.details["by_reporter"] is True


def test_assigning_a_problem_is_recorded(kapolsek, officer, problem):
    services.problem_assign(actor=kapolsek, problem=problem, officer=officer.officer)
    event = only_event(Action.PROBLEM_ASSIGNED)
    assert (event.actor, event.target_ref) == (kapolsek, problem.reference)
    assert event.details["to_officer_nrp"] == officer.officer.nrp


# --- 3. roles and assignments --------------------------------------------------------------


def test_an_operator_changing_a_role_in_the_admin_is_recorded(client, operator, resident):
    client.force_login(operator)
    url = reverse("admin:accounts_user_change", args=[resident.pk])
    form = client.get(url).context["adminform"].form
    data = {
        "email": resident.email,
        "name": resident.name,
        "role": User.Role.OPERATOR,
        "village": resident.village_id,
        "is_active": "on",
        "officer-TOTAL_FORMS": "0",
        "officer-INITIAL_FORMS": "0",
        "officer-MIN_NUM_FORMS": "0",
        "officer-MAX_NUM_FORMS": "1",
    }
    assert form.initial["role"] == User.Role.RESIDENT
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = only_event(Action.ROLE_CHANGED)
    assert event.actor == operator
    assert (event.target_type, event.target_id) == ("accounts.user", str(resident.pk))
    assert (event.details["from_role"], event.details["to_role"]) == ("resident", "operator")


def test_saving_a_user_without_a_role_change_records_nothing(client, operator, resident):
    client.force_login(operator)
    url = reverse("admin:accounts_user_change", args=[resident.pk])
    client.post(
        url,
        {
            "email": resident.email,
            "name": "Nama Baru",
            "role": User.Role.RESIDENT,
            "village": resident.village_id,
            "is_active": "on",
            "officer-TOTAL_FORMS": "0",
            "officer-INITIAL_FORMS": "0",
            "officer-MIN_NUM_FORMS": "0",
            "officer-MAX_NUM_FORMS": "1",
        },
    )
    assert User.objects.get(pk=resident.pk).name == "Nama Baru"
    assert not AuditEvent.objects.filter(action=Action.ROLE_CHANGED).exists()


def test_an_operator_creating_a_staff_account_is_recorded(operator, area):
    user = staff_account_create(
        actor=operator,
        email="baru@example.org",
        name="Baru",
        role=User.Role.KAPOLSEK,
        nrp="80010001",
        rank="akp",
        unit=area.polsek,
    )
    event = only_event(Action.ROLE_CHANGED)
    assert (event.actor, event.target_id) == (operator, str(user.pk))
    assert event.details["to_role"] == User.Role.KAPOLSEK


def test_the_create_staff_account_command_is_recorded_without_an_actor(db):
    call_command(
        "create_staff_account",
        "--email=ops@example.org",
        "--name=Ops",
        "--role=operator",
        "--no-input",
        stdout=io.StringIO(),
    )
    event = only_event(Action.ROLE_CHANGED)
    assert (event.actor, event.actor_label, event.target_ref) == (None, "", "ops@example.org")
    assert event.details["via"] == "create_staff_account"


def test_an_operator_assigning_an_officer_is_recorded(operator, area):
    officer = OfficerFactory(unit=area.polsek)
    assignment = assignment_create(actor=operator, officer=officer, village=area.village_b)
    event = only_event(Action.ASSIGNMENT_CREATED)
    assert (event.actor, event.target_type, event.target_id) == (
        operator,
        "officers.assignment",
        str(assignment.pk),
    )
    assert event.details["village"] == area.village_b.code


def test_a_reassignment_is_recorded_once_with_both_officers(kapolsek, officer, area):
    successor = OfficerFactory(unit=area.polsek)
    village_reassign(
        actor=kapolsek,
        village=area.village,
        officer=successor,
        on=datetime.date.today() + datetime.timedelta(days=1),
    )
    event = only_event(Action.VILLAGE_REASSIGNED)
    assert (event.actor, event.target_ref) == (kapolsek, str(area.village))
    assert (event.details["from_nrp"], event.details["to_nrp"]) == (
        officer.officer.nrp,
        successor.nrp,
    )
    # The assignment made on the way is part of this event, not one of its own.
    assert not AuditEvent.objects.filter(action=Action.ASSIGNMENT_CREATED).exists()


def test_ending_an_assignment_in_the_admin_is_recorded(client, operator, officer):
    assignment = officer.officer.assignments.get()
    client.force_login(operator)
    url = reverse("admin:officers_assignment_change", args=[assignment.pk])
    response = client.post(
        url,
        {
            "officer": assignment.officer_id,
            "village": assignment.village_id,
            "is_primary": "on",
            "starts_on": assignment.starts_on.isoformat(),
            "ends_on": datetime.date.today().isoformat(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = only_event(Action.ASSIGNMENT_ENDED)
    assert (event.actor, event.target_id) == (operator, str(assignment.pk))


# --- 4. exports and imports ----------------------------------------------------------------


def test_a_dashboard_export_is_recorded(client, kapolsek, area):
    client.force_login(kapolsek)
    url = reverse("metrics:export", args=["polsek", area.polsek.code, "indikator", "csv"])
    assert client.get(url).status_code == 200
    event = only_event(Action.EXPORTED)
    assert event.actor == kapolsek
    assert (event.details["kind"], event.details["format"], event.details["code"]) == (
        "dashboard_indikator",
        "csv",
        area.polsek.code,
    )


def test_the_monthly_pdf_is_recorded(client, polres_commander, area):
    client.force_login(polres_commander)
    url = reverse("metrics:report_pdf", args=["polres", area.polres.code])
    assert client.get(url).status_code == 200
    event = only_event(Action.EXPORTED)
    assert (event.actor, event.details["kind"]) == (polres_commander, "monthly_report")


def test_the_forum_minutes_pdf_is_recorded(client, officer, area):
    meeting = HeldMeetingFactory(forum=ForumFactory(village=area.village))
    client.force_login(officer)
    response = client.get(reverse("forums:meeting_pdf", args=[meeting.forum_id, meeting.pk]))
    assert response.status_code == 200
    event = only_event(Action.EXPORTED)
    assert (event.actor, event.target_type, event.target_id) == (
        officer,
        "forums.meeting",
        str(meeting.pk),
    )


def test_an_officers_import_is_recorded_as_one_event(polres_commander, area):
    village = VillageFactory(polsek=area.polsek, district=area.village.district)
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(
        [
            ["NRP", "Nama", "Pangkat", "Polsek", "Email", "Telepon", "Desa", "TMT"],
            [
                "85000001",
                "Petugas",
                "Bripka",
                area.polsek.name,
                "p@example.org",
                "0812 3456 7890",
                village.code,
                "01/07/2026",
            ],
        ]
    )
    result = officers_import(
        actor=polres_commander, name="personel.csv", content=out.getvalue().encode()
    )
    assert result.ok, result.bad_rows
    event = only_event(Action.IMPORTED)
    assert event.actor == polres_commander
    assert event.details | {"nrps": None} == event.details | {
        "kind": "officers",
        "created": 1,
        "assignments_created": 1,
        "nrps": None,
    }
    assert event.details["nrps"] == ["85000001"]
    # The account and assignment it creates are part of the import's event.
    assert AuditEvent.objects.count() == 1


def test_a_crime_statistics_import_is_recorded(area, operator):
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(
        [
            ["bulan", "kode_desa", "kode_polsek", "jenis", "dilaporkan", "diselesaikan"],
            ["2026-01", area.village.code, "", "pencurian", "5", "2"],
        ]
    )
    result = crime_statistics_import(
        actor=operator, name="jan.csv", content=out.getvalue().encode()
    )
    assert result.ok, result.bad_rows
    event = only_event(Action.IMPORTED)
    assert (event.actor, event.target_type, event.details["kind"]) == (
        operator,
        "metrics.crimeimport",
        "crime_statistics",
    )
    assert event.details["months"] == ["2026-01"]


# --- 5. refusals ---------------------------------------------------------------------------


def test_a_failed_sign_in_keeps_the_domain_and_a_hash_not_the_address(client, officer):
    response = client.post(
        reverse("account_login"),
        {"login": "officer@example.org", "password": "wrong-password-123"},
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 200
    event = only_event(Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert (event.target_type, event.target_id) == ("accounts.user", str(officer.pk))
    assert event.details["email_domain"] == "example.org"
    assert (
        event.details["email_hash"] == audit.email_fingerprint("officer@example.org")["email_hash"]
    )
    assert event.ip == "10.9.8.7"
    stored = str(event.details)
    assert "officer@" not in stored and "wrong-password" not in stored


def test_a_failed_sign_in_for_an_unknown_address_has_no_target(client, db):
    client.post(reverse("account_login"), {"login": "nobody@desa.id", "password": "x" * 12})
    event = only_event(Action.SIGN_IN_FAILED)
    assert (event.target_type, event.details["email_domain"]) == ("", "desa.id")


def test_a_successful_sign_in_records_nothing(client, officer):
    client.post(reverse("account_login"), {"login": officer.email, "password": PASSWORD})
    assert not AuditEvent.objects.exists()


@pytest.mark.urls("portal.tests.test_audit")
def test_a_permission_denied_in_a_view_is_recorded_and_still_answers_403(client, resident):
    client.force_login(resident)
    assert client.get("/refused/").status_code == 403
    event = only_event(Action.PERMISSION_DENIED)
    assert (event.actor, event.details["path"], event.details["method"]) == (
        resident,
        "/refused/",
        "GET",
    )
    assert event.actor_label == f"resident #{resident.pk}"


def test_an_api_refusal_is_recorded(client, resident):
    client.force_login(resident)
    assert client.get(reverse("api:indicator-list")).status_code == 403
    event = only_event(Action.PERMISSION_DENIED)
    assert (event.actor, event.details["path"]) == (resident, reverse("api:indicator-list"))


def test_a_404_outside_the_scope_is_not_recorded(client, officer_elsewhere, problem):
    client.force_login(officer_elsewhere)
    client.get(reverse("api:problem-detail", args=[problem.reference]))
    assert not AuditEvent.objects.exists()


# --- 6. moderation -------------------------------------------------------------------------


def test_an_operator_hiding_a_problem_a_comment_or_blocking_a_contact_is_recorded(
    operator, problem
):
    comment = problem.events.create(kind="comment", note="kasar", is_public=True)
    services.problem_set_hidden(actor=operator, problem=problem, hidden=True)
    services.event_set_hidden(actor=operator, event=comment, hidden=True)
    services.problem_set_hidden(actor=operator, problem=problem, hidden=False)
    services.problem_set_hidden(actor=operator, problem=problem, hidden=False)  # shown already
    services.contact_block(
        actor=operator,
        value="+62 812-345-678",
        reason=problem.reference,
        problem_reference=problem.reference,
    )
    services.contact_block(actor=operator, value="0812345678")  # blocked already: no event
    events = AuditEvent.objects.filter(action=Action.MODERATED).order_by("pk")
    assert [(e.actor, e.details["change"]) for e in events] == [
        (operator, "problem_hidden"),
        (operator, "comment_hidden"),
        (operator, "problem_shown"),
        (operator, "contact_blocked"),
    ]
    assert {e.target_ref for e in events[:3]} == {problem.reference}
    assert events[3].details == {
        "change": "contact_blocked",
        "contact": "phone",
        "problem": problem.reference,
    }
    assert "812" not in str([e.details for e in events])  # never the number itself


# --- the admin -----------------------------------------------------------------------------


@pytest.fixture
def event(officer, problem):
    return audit.record(actor=officer, action=Action.REPORTER_VIEWED, target=problem)


def test_the_admin_lists_events_to_an_operator(client, operator, event):
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.get(reverse("admin:portal_auditevent_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    assert event.target_ref in page
    # The role and the kind of record in the operator's language, not as stored codes.
    assert (event.actor_role, event.target_type) == ("officer", "issues.problem")
    with translation.override("id"):
        assert str(User.Role.OFFICER.label) in page and str(Problem._meta.verbose_name) in page
    assert ">officer<" not in page and ">issues.problem<" not in page
    filtered = client.get(
        reverse("admin:portal_auditevent_changelist") + "?action=reporter_viewed&q=officer@"
    )
    assert list(filtered.context["cl"].queryset) == [event]
    detail = client.get(reverse("admin:portal_auditevent_change", args=[event.pk]))
    assert detail.status_code == 200
    # The event's own page too.
    detail_page = detail.content.decode()
    with translation.override("id"):
        assert f">{User.Role.OFFICER.label}<" in detail_page
        assert f">{Problem._meta.verbose_name}<" in detail_page
    assert ">officer<" not in detail_page and ">issues.problem<" not in detail_page


def test_the_admin_refuses_to_add_change_or_delete_events(client, operator, event):
    client.force_login(operator)
    assert client.get(reverse("admin:portal_auditevent_add")).status_code == 403
    change = client.post(
        reverse("admin:portal_auditevent_change", args=[event.pk]), {"action": "export"}
    )
    assert change.status_code == 403
    delete = client.post(
        reverse("admin:portal_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    bulk = client.post(
        reverse("admin:portal_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.get(pk=event.pk).action == Action.REPORTER_VIEWED


@pytest.mark.parametrize(
    "who", ["resident", "officer", "kapolsek", "polres_commander", "polda_viewer"]
)
def test_a_non_operator_cannot_see_the_audit_admin(client, request, who, event):
    user = request.getfixturevalue(who)
    user.is_staff = True  # even a staff flag set by mistake does not open it
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    response = client.get(reverse("admin:portal_auditevent_changelist"))
    assert response.status_code in (302, 403)
    assert event.target_ref not in response.content.decode()


# --- append-only ---------------------------------------------------------------------------


def test_an_event_cannot_be_changed_through_the_orm(event):
    event.action = Action.EXPORTED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.EXPORTED)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.REPORTER_VIEWED


def test_an_event_cannot_be_deleted_through_the_orm(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_event_outlives_its_actors_account(area):
    operator = UserFactory(role=User.Role.OPERATOR, email="gone@example.org")
    event = audit.record(actor=operator, action=Action.EXPORTED, kind="test")
    operator.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.actor, event.actor_label) == (None, "gone@example.org")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_raw_updates_and_deletes(event):
    for sql in (
        "UPDATE portal_auditevent SET action = 'exported' WHERE id = %s",
        "UPDATE portal_auditevent SET actor_id = NULL, actor_label = '' WHERE id = %s",
        "DELETE FROM portal_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "officer@example.org"


# --- no secrets in logs --------------------------------------------------------------------


def test_the_tracking_code_never_reaches_the_request_log(client, problem, caplog):
    wrong = "ZZZZZ-YYYYY"
    with caplog.at_level(logging.INFO):
        # A guess (404, logged by django.request) and the real link with a bad method (405).
        client.get(reverse("issues:track", args=[problem.reference, wrong]))
        client.put(reverse("issues:track", args=[problem.reference, TRACKING_CODE]))
    assert caplog.records, "the 4xx answers are logged"
    assert wrong not in caplog.text
    assert TRACKING_CODE not in caplog.text
    assert f"/lacak/{problem.reference}/***/" in caplog.text


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        (
            '"GET /lacak/KMT-2026-000001/ABCDE-FGHJK/ HTTP/1.1" 200 512',
            '"GET /lacak/KMT-2026-000001/***/ HTTP/1.1" 200 512',
        ),
        (
            "https://polmas.id/lacak/KMT-2026-000001/ABCDE-FGHJK/",
            "https://polmas.id/lacak/KMT-2026-000001/***/",
        ),
        ("/fkpm/12/kalender/s3cr3t-T0ken_x.ics", "/fkpm/12/kalender/***.ics"),
        ("/accounts/confirm-email/MTIz:1v2:abc/", "/accounts/confirm-email/***/"),
        ("/accounts/password/reset/key/2-c8x1-4f2a9d/", "/accounts/password/reset/key/2-***/"),
        ("/lacak/", "/lacak/"),
        ("/masalah/KMT-2026-000001/", "/masalah/KMT-2026-000001/"),
    ],
)
def test_secrets_in_paths_are_masked(line, masked):
    assert mask_secrets(line) == masked


def test_the_filter_masks_the_message_and_the_traceback():
    try:
        raise ValueError("/lacak/KMT-2026-000001/ABCDE-FGHJK/")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/lacak/KMT-2026-000001/ABCDE-FGHJK/",),
            exc_info=sys.exc_info(),
        )
    assert MaskSecretsFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "ABCDE-FGHJK" not in formatted
    assert "Internal Server Error: /lacak/KMT-2026-000001/***/" in formatted


def test_gunicorns_access_log_masks_the_code_in_the_path_and_the_referrer():
    from gunicorn.config import Config

    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", settings.BASE_DIR / "gunicorn.conf.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    MaskingLogger = module.MaskingLogger

    class Request:
        method, uri, path, query, version = (
            "GET",
            "/lacak/K/ABCDE-FGHJK/",
            "/lacak/K/ABCDE-FGHJK/",
            "",
            (1, 1),
        )
        headers = [("REFERER", "https://p.id/lacak/K/ABCDE-FGHJK/")]

    class Response:
        status, sent, headers = "200 OK", 10, []

    environ = {
        "REMOTE_ADDR": "10.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/lacak/K/ABCDE-FGHJK/",
        "PATH_INFO": "/lacak/K/ABCDE-FGHJK/",
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://p.id/lacak/K/ABCDE-FGHJK/",
    }
    atoms = MaskingLogger(Config()).atoms(
        Response(), Request(), environ, datetime.timedelta(seconds=0.1)
    )
    assert "ABCDE-FGHJK" not in str(atoms)
    assert atoms["U"] == "/lacak/K/***/"
    assert atoms["r"] == "GET /lacak/K/***/ HTTP/1.1"
    assert atoms["f"] == "https://p.id/lacak/K/***/"


def test_an_event_reads_in_the_portals_time_and_language(db):
    event = AuditEvent(
        created_at=datetime.datetime(2026, 12, 7, 15, 16, 20, tzinfo=datetime.UTC),
        actor_label="operator@polmas.test",
        action=Action.MODERATED,
    )
    with translation.override("id"):
        label = str(event)
    assert label.startswith("2026-12-07 22:16:20 operator@polmas.test ")  # WIB
    assert "moderated" not in label
