import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone, translation

from accounts.models import User
from conftest import _police
from issues import selectors, services
from issues.models import BlockedContact, Category, Notification, Problem, ProblemEvent
from issues.notifications import MAX_ATTEMPTS, deliver
from issues.services import TransitionConflict
from issues.tests.factories import ProblemFactory
from issues.workflow import Status

SARA = [Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE, Status.ASSESSMENT, Status.RESOLVED]


def file(area, **overrides):
    data = {
        "actor": None,
        "village": area.village,
        "category": Category.objects.get(code="pencurian"),
        "title": "Motor hilang",
        "description": "Motor hilang di depan masjid.",
        "consent": True,
        "contact_email": "warga@example.org",
    }
    data.update(overrides)
    return services.problem_file(**data)


def test_filing_gives_a_reference_and_a_tracking_code(area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filed = file(area)
    problem = filed.problem
    assert problem.reference == f"KMT-{problem.created_at.year}-{problem.pk:06d}"
    assert problem.tracking_code_hash == Problem.hash_tracking_code(filed.tracking_code)
    assert filed.tracking_code not in problem.tracking_code_hash
    assert problem.status == Status.NEW
    assert problem.consent_at is not None
    assert problem.events.get().kind == ProblemEvent.Kind.FILED


def test_filing_needs_the_reporters_agreement(area):
    with pytest.raises(ValidationError):
        file(area, consent=False)
    assert not Problem.objects.exists()


def test_domestic_violence_is_always_private(area):
    problem = file(area, category=Category.objects.get(code="kdrt"), wants_private=False).problem
    assert problem.is_private


def test_a_report_from_a_blocked_contact_is_hidden(area, operator):
    services.contact_block(actor=operator, value="+62 812-3456-7890")
    problem = file(area, contact_phone="0812 3456 7890", contact_email="").problem
    assert problem.is_hidden
    assert BlockedContact.normalize("+62 812-3456-7890") == "081234567890"


def test_officers_of_the_desa_are_told_of_a_new_problem(
    area, officer, officer_elsewhere, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file(area)
    recipients = [m.to[0] for m in mail.outbox]
    assert officer.email in recipients
    assert officer_elsewhere.email not in recipients


def test_the_reporter_gets_a_receipt_without_the_tracking_code(
    area, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        filed = file(area, contact_email="Pelapor@Example.org")
    receipt = next(m for m in mail.outbox if m.to == ["pelapor@example.org"])
    assert filed.problem.reference in receipt.subject
    assert filed.problem.reference in receipt.body
    assert f"?reference={filed.problem.reference}" in receipt.body
    assert filed.tracking_code not in receipt.body
    assert "110" in receipt.body
    # Anyone may type anyone's address: nothing the sender wrote goes to it...
    assert filed.problem.title not in receipt.body + receipt.subject
    # ...and the address gets one receipt a day, however many reports name it.
    with django_capture_on_commit_callbacks(execute=True):
        file(area, contact_email="pelapor@example.org")
    assert len([m for m in mail.outbox if m.to == ["pelapor@example.org"]]) == 1


def test_a_signed_in_residents_receipt_names_their_report(
    area, resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        filed = file(area, actor=resident, contact_email="")
    receipt = next(m for m in mail.outbox if m.to == [resident.email])
    assert filed.problem.title in receipt.body


def test_the_reporter_is_written_to_in_the_language_they_filed_in(
    area, officer, django_capture_on_commit_callbacks
):
    with translation.override("id"):
        problem = file(area, contact_email="pelapor@example.org").problem
    # The officer's request is in English (an API call from a phone set to English).
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    told = [m for m in mail.outbox if m.to == ["pelapor@example.org"] and "Diverifikasi" in m.body]
    assert told, [m.body for m in mail.outbox]


def test_a_hidden_report_gets_no_receipt(area, operator, django_capture_on_commit_callbacks):
    services.contact_block(actor=operator, value="diblokir@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        file(area, contact_email="diblokir@example.org")
    assert mail.outbox == []


def test_an_officer_who_files_a_problem_is_not_told_of_it(
    area, officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file(area, actor=officer, contact_email="")
    assert not any(m.to == [officer.email] for m in mail.outbox)


def test_officer_takes_a_problem_through_every_sara_stage(area, officer):
    problem = ProblemFactory(village=area.village)
    for stage in SARA:
        services.problem_transition(
            actor=officer, problem=problem, to_status=stage, note=f"ke {stage}", is_public=True
        )
        problem.refresh_from_db()
        assert problem.status == stage
    assert problem.resolved_at is not None
    assert problem.first_action_at is not None
    assert list(
        problem.events.filter(kind="transition").values_list("to_status", flat=True)
    ) == list(SARA)


def test_an_invalid_transition_is_refused_with_a_clear_message(area, officer):
    problem = ProblemFactory(village=area.village)
    with pytest.raises(ValidationError, match="tidak dapat menjadi"):
        services.problem_transition(actor=officer, problem=problem, to_status=Status.RESOLVED)
    problem.refresh_from_db()
    assert problem.status == Status.NEW


def test_rejecting_needs_a_reason(area, officer):
    problem = ProblemFactory(village=area.village)
    with pytest.raises(ValidationError):
        services.problem_transition(actor=officer, problem=problem, to_status=Status.REJECTED)
    services.problem_transition(
        actor=officer, problem=problem, to_status=Status.REJECTED, note="Bukan masalah kamtibmas"
    )
    problem.refresh_from_db()
    assert problem.status == Status.REJECTED


def test_two_officers_acting_at_once_cannot_both_win(area, officer, kapolsek):
    problem = ProblemFactory(village=area.village)
    seen_by_kapolsek = Problem.objects.get(pk=problem.pk)
    services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    with pytest.raises(TransitionConflict):
        services.problem_transition(
            actor=kapolsek, problem=seen_by_kapolsek, to_status=Status.REJECTED, note="spam"
        )
    problem.refresh_from_db()
    assert problem.status == Status.VERIFIED
    assert problem.events.filter(kind="transition").count() == 1


def test_an_officer_of_another_desa_cannot_move_the_problem(area, officer_elsewhere):
    problem = ProblemFactory(village=area.village)
    with pytest.raises(PermissionDenied):
        services.problem_transition(
            actor=officer_elsewhere, problem=problem, to_status=Status.VERIFIED
        )


def test_a_polda_viewer_reads_but_cannot_move_problems(area, polda_viewer):
    problem = ProblemFactory(village=area.village)
    with pytest.raises(PermissionDenied):
        services.problem_transition(actor=polda_viewer, problem=problem, to_status=Status.VERIFIED)


def test_plain_text_mails_are_not_html_escaped(area, officer, django_capture_on_commit_callbacks):
    """A title like "Jum'at & <malam>" reads as typed, not as &#x27; and &amp;."""
    with django_capture_on_commit_callbacks(execute=True):
        file(area, title="Ronda Jum'at & <malam>")
    body = next(m.body for m in mail.outbox if m.to == [officer.email])
    assert "Ronda Jum'at & <malam>" in body
    assert "&#x27;" not in body and "&amp;" not in body


def test_merging_a_duplicate_tells_its_reporter(area, officer, django_capture_on_commit_callbacks):
    original = ProblemFactory(village=area.village)
    duplicate = ProblemFactory(village=area.village, contact_email="dup@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_transition(
            actor=officer, problem=duplicate, to_status=Status.DUPLICATE, duplicate_of=original
        )
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original
    merged = [
        m for m in mail.outbox if m.to == ["dup@example.org"] and original.reference in m.body
    ]
    assert merged


def test_a_problem_cannot_be_its_own_duplicate(area, officer):
    problem = ProblemFactory(village=area.village)
    with pytest.raises(ValidationError):
        services.problem_transition(
            actor=officer, problem=problem, to_status=Status.DUPLICATE, duplicate_of=problem
        )


def test_referring_needs_the_unit(area, officer):
    problem = ProblemFactory(village=area.village)
    with pytest.raises(ValidationError):
        services.problem_transition(
            actor=officer, problem=problem, to_status=Status.REFERRED, note="Perkara pidana"
        )
    services.problem_transition(
        actor=officer,
        problem=problem,
        to_status=Status.REFERRED,
        note="Perkara pidana",
        referred_to="Satreskrim Polres",
    )
    problem.refresh_from_db()
    assert problem.referred_to == "Satreskrim Polres"


def test_the_reporter_is_told_of_each_status_change(
    area, officer, django_capture_on_commit_callbacks
):
    problem = ProblemFactory(village=area.village, contact_email="pelapor@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_transition(
            actor=officer,
            problem=problem,
            to_status=Status.VERIFIED,
            note="Sudah kami cek di lokasi",
            is_public=True,
        )
        services.problem_transition(
            actor=officer,
            problem=problem,
            to_status=Status.ANALYSIS,
            note="catatan internal: nama tersangka",
            is_public=False,
        )
    to_reporter = [m for m in mail.outbox if m.to == ["pelapor@example.org"]]
    assert len(to_reporter) == 2
    assert "Sudah kami cek di lokasi" in to_reporter[0].body
    assert "tersangka" not in to_reporter[1].body


def test_sending_a_notification_twice_sends_one_mail(area, officer):
    problem = ProblemFactory(village=area.village, contact_email="pelapor@example.org")
    services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    notification = Notification.objects.get(recipient="pelapor@example.org")
    assert deliver(notification.pk) is True
    assert deliver(notification.pk) is False
    assert len([m for m in mail.outbox if m.to == ["pelapor@example.org"]]) == 1


def test_a_no_from_the_reporter_reopens_the_problem(area, officer):
    problem = ProblemFactory(village=area.village, status=Status.ASSESSMENT)
    services.problem_transition(actor=officer, problem=problem, to_status=Status.RESOLVED)
    problem.refresh_from_db()
    services.problem_feedback(problem=problem, solved=False, rating=2, comment="Masih terjadi")
    problem.refresh_from_db()
    assert problem.status == Status.REOPENED
    assert problem.feedback.get().rating == 2


def test_notes_the_portal_writes_are_in_indonesian_whatever_the_language_of_the_request(
    area, officer, kapolsek
):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    with translation.override("en"):
        assigned = services.problem_assign(actor=kapolsek, problem=problem, officer=officer.officer)
        services.problem_feedback(problem=problem, solved=False, rating=2)
    reopened = ProblemEvent.objects.get(
        problem=problem, kind=ProblemEvent.Kind.TRANSITION, to_status=Status.REOPENED
    )
    with translation.override("id"):
        expected = translation.gettext("The reporter says the problem is not solved.")
    assert expected != "The reporter says the problem is not solved."
    assert reopened.note == expected
    assert assigned.note == f"Ditugaskan kepada {officer.name}"


def test_a_yes_keeps_the_problem_resolved(area, officer):
    problem = ProblemFactory(village=area.village, status=Status.RESOLVED)
    services.problem_feedback(problem=problem, solved=True, rating=5)
    problem.refresh_from_db()
    assert problem.status == Status.RESOLVED


def test_feedback_is_refused_before_resolution(area):
    problem = ProblemFactory(village=area.village, status=Status.RESPONSE)
    with pytest.raises(ValidationError):
        services.problem_feedback(problem=problem, solved=True)


def test_reporters_are_asked_four_weeks_after_resolution_once(
    area, django_capture_on_commit_callbacks
):
    now = timezone.now()
    due = ProblemFactory(
        village=area.village,
        status=Status.RESOLVED,
        resolved_at=now - datetime.timedelta(days=29),
        contact_email="lama@example.org",
    )
    ProblemFactory(
        village=area.village,
        status=Status.RESOLVED,
        resolved_at=now - datetime.timedelta(days=3),
        contact_email="baru@example.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.feedback_request_due(now=now) == 1
        assert services.feedback_request_due(now=now) == 0
    assert [m.to for m in mail.outbox] == [["lama@example.org"]]
    due.refresh_from_db()
    assert due.feedback_requested_at == now


def test_assigning_to_an_officer_of_the_polsek(area, officer, kapolsek, officer_elsewhere):
    problem = ProblemFactory(village=area.village)
    services.problem_assign(actor=kapolsek, problem=problem, officer=officer.officer)
    problem.refresh_from_db()
    assert problem.assigned_to == officer.officer
    with pytest.raises(ValidationError):
        services.problem_assign(actor=kapolsek, problem=problem, officer=officer_elsewhere.officer)


def test_an_officer_given_a_problem_outside_their_desa_sees_it_works_it_and_is_told(
    area, officer, kapolsek, django_capture_on_commit_callbacks
):
    # The officer serves `village`; the problem is in `village_b` of the same Polsek.
    problem = ProblemFactory(village=area.village_b)
    assert not selectors.problems_visible_to(officer).filter(pk=problem.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_assign(actor=kapolsek, problem=problem, officer=officer.officer)
    assert selectors.problems_visible_to(officer).filter(pk=problem.pk).exists()
    services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    told = [m for m in mail.outbox if m.to == [officer.email]]
    assert len(told) == 1
    assert problem.reference in told[0].subject
    assert kapolsek.name in told[0].body and f"/masalah/{problem.reference}/" in told[0].body
    # Assigned again to the same officer: refused, nothing recorded, no second mail.
    with pytest.raises(ValidationError):
        services.problem_assign(actor=kapolsek, problem=problem, officer=officer.officer)
    assert problem.events.filter(kind=ProblemEvent.Kind.ASSIGNMENT).count() == 1
    # Assigned to someone else, the problem of the other desa leaves the officer again.
    other = _police(User.Role.OFFICER, area.polsek, user__email="lain@example.org")
    services.problem_assign(actor=kapolsek, problem=problem, officer=other.officer)
    assert not selectors.problems_visible_to(officer).filter(pk=problem.pk).exists()


def test_an_assignment_outside_the_desa_ends_with_the_problem_or_the_officers_move(
    area, officer, kapolsek
):
    problem = ProblemFactory(village=area.village_b)
    services.problem_assign(actor=kapolsek, problem=problem, officer=officer.officer)
    visible = selectors.problems_visible_to
    Problem.objects.filter(pk=problem.pk).update(status=Status.RESOLVED)
    assert not visible(officer).filter(pk=problem.pk).exists()
    Problem.objects.filter(pk=problem.pk).update(status=Status.VERIFIED)
    assert visible(officer).filter(pk=problem.pk).exists()
    officer.officer.unit = area.polsek_other
    officer.officer.save()
    assert not visible(officer).filter(pk=problem.pk).exists()
    assert not selectors.problems_workable_by(officer).filter(pk=problem.pk).exists()
    assert not selectors.can_see_reporter(officer, problem)


def test_an_officer_who_takes_a_problem_is_not_mailed_about_it(
    area, officer, django_capture_on_commit_callbacks
):
    problem = ProblemFactory(village=area.village)
    with django_capture_on_commit_callbacks(execute=True):
        services.problem_assign(actor=officer, problem=problem, officer=officer.officer)
    assert mail.outbox == []


def test_the_reporter_answers_once_per_resolution(area, officer):
    problem = ProblemFactory(village=area.village, status=Status.ASSESSMENT)
    services.problem_transition(actor=officer, problem=problem, to_status=Status.RESOLVED)
    problem.refresh_from_db()
    services.problem_feedback(problem=problem, solved=True, rating=4)
    with pytest.raises(ValidationError):
        services.problem_feedback(problem=problem, solved=False)
    assert not services.feedback_awaited(problem)


def test_reporters_who_already_answered_are_not_asked_again(
    area, django_capture_on_commit_callbacks
):
    now = timezone.now()
    answered = ProblemFactory(
        village=area.village,
        status=Status.RESOLVED,
        resolved_at=now - datetime.timedelta(days=29),
        contact_email="sudah@example.org",
    )
    services.problem_feedback(problem=answered, solved=True, rating=5)
    # An answer to an earlier resolution (before a reopening) does not count.
    earlier = ProblemFactory(
        village=area.village,
        status=Status.RESOLVED,
        resolved_at=now - datetime.timedelta(days=29),
        contact_email="lagi@example.org",
    )
    earlier.feedback.create(solved=False, created_at=now - datetime.timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.feedback_request_due(now=now) == 1
    assert [m.to for m in mail.outbox] == [["lagi@example.org"]]
    answered.refresh_from_db()
    assert answered.feedback_requested_at is None


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("mail server down")


def test_a_failed_send_still_counts_the_attempt(area, officer, settings):
    problem = ProblemFactory(village=area.village, contact_email="pelapor@example.org")
    services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    notification = Notification.objects.get(recipient="pelapor@example.org")
    settings.EMAIL_BACKEND = "issues.tests.test_workflow.FailingBackend"
    for attempt in (1, 2):
        with pytest.raises(OSError):
            deliver(notification.pk)
        notification.refresh_from_db()
        assert notification.attempts == attempt
        assert notification.sent_at is None


def test_a_notification_is_not_tried_again_after_ten_attempts(area, officer):
    problem = ProblemFactory(village=area.village, contact_email="pelapor@example.org")
    services.problem_transition(actor=officer, problem=problem, to_status=Status.VERIFIED)
    notification = Notification.objects.get(recipient="pelapor@example.org")
    Notification.objects.filter(pk=notification.pk).update(attempts=MAX_ATTEMPTS)
    assert deliver(notification.pk) is False
    notification.refresh_from_db()
    assert notification.attempts == MAX_ATTEMPTS and notification.sent_at is None
    assert mail.outbox == []
