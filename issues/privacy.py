"""Reporters' rights under UU 27/2022 (Pelindungan Data Pribadi): access to the data held about
them (Pasal 7 and 32), and withdrawal of consent with the end of processing (Pasal 8, 9 and 16).

A withdrawn report is anonymised, not deleted: it is part of the desa's record (the SARA
history, the indicators, forum follow-ups), and what happened is not the reporter's personal
data once nothing links it to them.
"""

import datetime
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import User
from forums.models import Member
from issues import services
from issues.models import Feedback, Notification, Problem, ProblemEvent

# Events of the reporter's own problem that are the reporter's to see and take away: what
# everyone may read about it and what they wrote themselves. An officer's internal note is the
# police's working record about the problem (and often about other people: a suspect, a
# witness); it is not personal data *of the reporter*, so it is neither exported nor touched.
_REPORTER_EVENTS = Q(is_public=True, is_hidden=False) | Q(by_reporter=True)


def _iso(value: datetime.datetime | datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _reporter_problems(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    return problems.select_related("village", "category").prefetch_related(
        Prefetch(
            "events",
            queryset=ProblemEvent.objects.filter(_REPORTER_EVENTS).order_by("created_at", "pk"),
            to_attr="reporter_events",
        ),
        Prefetch("feedback", queryset=Feedback.objects.order_by("created_at")),
        "photos",
    )


def problem_as_data(problem: Problem) -> dict:
    """One report as its reporter may download it. `problem` comes from `_reporter_problems`."""
    return {
        "reference": problem.reference,
        "status": problem.status,
        "status_label": str(problem.get_status_display()),
        "desa": {"code": problem.village.code, "name": problem.village.name},
        "category": problem.category.label,
        "title": problem.title,
        "description": problem.description,
        "occurred_at": _iso(problem.occurred_at),
        "location": problem.location_text,
        "latitude": str(problem.latitude) if problem.latitude is not None else None,
        "longitude": str(problem.longitude) if problem.longitude is not None else None,
        "vulnerable_groups": problem.vulnerable_group_labels,
        "private": problem.is_private,
        "reporter_named": problem.reporter_named,
        "contact": {
            "name": problem.contact_name,
            "phone": problem.contact_phone,
            "email": problem.contact_email,
        },
        "privacy_notice_accepted_at": _iso(problem.consent_at),
        "reported_at": _iso(problem.created_at),
        "resolved_at": _iso(problem.resolved_at),
        "photos_added_by_reporter": sum(1 for p in problem.photos.all() if p.uploaded_by_reporter),
        "events": [
            {
                "at": _iso(event.created_at),
                "kind": event.kind,
                "kind_label": str(event.get_kind_display()),
                "by_reporter": event.by_reporter,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.note,
            }
            for event in problem.reporter_events
        ],
        "feedback": [
            {
                "at": _iso(feedback.created_at),
                "solved": feedback.solved,
                "rating": feedback.rating,
                "comment": feedback.comment,
            }
            for feedback in problem.feedback.all()
        ],
    }


def problems_reported_by(*, user: User) -> QuerySet[Problem]:
    """The reports filed from `user`'s account, oldest first, each with `reporter_events` (the
    public history and what the reporter wrote), feedback and photos: four queries whatever
    the count. Hidden problems too: what an operator hid is still data held about them."""
    return _reporter_problems(Problem.objects.filter(reporter=user).order_by("created_at"))


def problems_reported_by_data(*, user: User) -> list[dict]:
    """Every report filed from `user`'s account, as data."""
    return [problem_as_data(problem) for problem in problems_reported_by(user=user)]


def problem_reporter_data(*, problem: Problem) -> dict:
    """What the portal holds about one report's reporter, for the holder of its tracking code."""
    problem = _reporter_problems(Problem.objects.filter(pk=problem.pk)).get()
    return {
        "generated_at": _iso(timezone.now()),
        "about": _(
            "What Polmas Portal holds about this report and the person who filed it "
            "(UU 27/2022 on personal data protection)."
        ),
        "problem": problem_as_data(problem),
    }


@dataclass(frozen=True)
class Withdrawal:
    problems: int
    account_closed: bool


def _anonymise_problems(problem_ids: list[int]) -> None:
    """Take the reporter's identity out of these problems and leave what happened.

    Kept: the report, the reporter's added information and photos (the substance the officers
    and the desa work from; a note naming a neighbour is about the problem, not the reporter),
    the yes/no and rating of their feedback (the indicators count them). Removed: the contact
    details and the e-mails queued or sent to them, the account link and "named" choice, and
    the free-text feedback comment, an opinion of the service that no record needs. The same
    text is copied into the feedback event's note, so that is cleared too."""
    for problem in Problem.objects.filter(pk__in=problem_ids):
        services.problem_contact_remove(problem=problem)
    problems = Problem.objects.filter(pk__in=problem_ids)
    # update(), not save(): updated_at drives the retention clock of closed problems.
    problems.filter(Q(reporter__isnull=False) | Q(reporter_named=True)).update(
        reporter=None, reporter_named=False
    )
    Feedback.objects.filter(problem__in=problems).exclude(comment="").update(comment="")
    ProblemEvent.objects.filter(
        problem__in=problems, kind=ProblemEvent.Kind.FEEDBACK, by_reporter=True
    ).exclude(note="").update(note="")


@transaction.atomic
def problem_reporter_withdraw(*, problem: Problem) -> None:
    """The holder of a report's tracking code withdraws the personal data in it: contact
    details, feedback comment and, when it was filed signed in, the link to the account (the
    report then leaves that account's list). The caller has checked the tracking code. Safe to
    run twice."""
    _anonymise_problems([problem.pk])
    # Events written through the account keep no trace of who wrote them; by_reporter stays,
    # so the history still reads "the reporter added…".
    ProblemEvent.objects.filter(problem=problem, by_reporter=True, actor__isnull=False).update(
        actor=None
    )


def _account_scrub(user: User) -> None:
    """Close the account and keep nothing that identifies the person. The row stays (a
    deleted row would cascade into records the desa keeps); the e-mail becomes a placeholder
    that no form accepts (no dot in the domain), so it stays unique and nobody can sign up
    with it."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Token.objects.filter(user=user).delete()
    # The forum's roster is the forum's record and stays (its secretary keeps it); only the
    # link to the closed account goes.
    Member.objects.filter(user=user).update(user=None)
    user.email = f"withdrawn-{user.pk}@invalid"
    user.name = ""
    user.village = None
    user.last_login = None
    user.is_active = False
    # Also changes the session hash: every other session of the account ends with it.
    user.set_unusable_password()
    user.save(update_fields=["email", "name", "village", "last_login", "is_active", "password"])


@transaction.atomic
def reporter_withdraw(*, user: User) -> Withdrawal:
    """A signed-in resident withdraws: their reports are anonymised (they stay in the desa's
    record), the events they wrote lose their author, the e-mails owed to them are dropped,
    and the account is closed and scrubbed. The view signs them out. Police and operator
    accounts are closed by an operator instead: their work is the Polri's record. Safe to run
    twice: the second run finds nothing linked to the account."""
    if user.role != User.Role.RESIDENT:
        raise PermissionDenied(_("Police and operator accounts are closed by an operator."))
    # Locked so that a report filed at the same moment from another session is either
    # anonymised here or refused afterwards (the account is inactive).
    user = User.objects.select_for_update().get(pk=user.pk)
    problem_ids = list(Problem.objects.filter(reporter=user).values_list("pk", flat=True))
    # The row keeps the address it was sent to: drop them before the address is replaced.
    Notification.objects.filter(recipient__iexact=user.email).delete()
    _anonymise_problems(problem_ids)
    ProblemEvent.objects.filter(actor=user).update(actor=None)
    was_active = user.is_active
    _account_scrub(user)
    return Withdrawal(problems=len(problem_ids), account_closed=was_active)
