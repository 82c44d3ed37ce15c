"""E-mails about problems: queued as Notification rows inside the caller's transaction, handed
to Celery only after it commits. A broker that is down loses nothing: the rows stay pending
and the periodic `send_pending_notifications` task sends them later."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language

from accounts.models import User
from issues.models import Notification, Problem, ProblemEvent
from officers.models import Assignment

logger = logging.getLogger(__name__)

# A notification that failed this many times is left alone (a wrong address, a rejected mail).
MAX_ATTEMPTS = 10


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _reporter_address(problem: Problem) -> str:
    if problem.reporter_id and problem.reporter.is_active:
        return problem.reporter.email
    return problem.contact_email


def _queue(kind: str, problem: Problem, recipients, *, event=None, language=None) -> None:
    ids = []
    for recipient in {r for r in recipients if r}:
        notification, created = Notification.objects.get_or_create(
            kind=kind,
            problem=problem,
            event=event,
            recipient=recipient,
            defaults={"language": language or _language()},
        )
        if created:
            ids.append(notification.pk)
    if ids:
        from issues.tasks import send_notification

        for notification_id in ids:
            # robust: a broker that is down must not fail the user's request; the row waits.
            transaction.on_commit(
                lambda pk=notification_id: send_notification.delay(pk), robust=True
            )


def queue_new_problem(problem: Problem) -> None:
    officers = Assignment.objects.active().filter(
        village=problem.village, officer__user__is_active=True
    )
    if problem.reporter_id:
        # An officer who raised it (at a forum meeting, say) knows of it already.
        officers = officers.exclude(officer__user=problem.reporter_id)
    officers = officers.values_list("officer__user__email", flat=True)
    _queue(Notification.Kind.NEW_PROBLEM, problem, officers, language=settings.LANGUAGE_CODE)


def queue_assigned(problem: Problem, event: ProblemEvent, officer) -> None:
    """The officer a problem was given to, unless they gave it to themselves."""
    if officer.user_id != event.actor_id and officer.user.is_active:
        _queue(
            Notification.Kind.ASSIGNED,
            problem,
            [officer.user.email],
            event=event,
            language=settings.LANGUAGE_CODE,
        )


def queue_received(problem: Problem) -> None:
    """The reporter's receipt: the reference, and where to follow the report. Not for the
    police filing one, nor for a forum's recorder raising one at a meeting.

    An anonymous report's address is unchecked: anyone may type anyone's. So its receipt
    holds nothing the sender wrote (received.txt leaves the title out), and an address gets
    one receipt a day at most, so the portal is no one's relay."""
    if problem.source == Problem.Source.FORUM:
        return
    if problem.reporter_id and problem.reporter.role != User.Role.RESIDENT:
        return
    address = _reporter_address(problem)
    if (
        not problem.reporter_id
        and Notification.objects.filter(
            kind=Notification.Kind.RECEIVED,
            recipient=address,
            created_at__gte=timezone.now() - datetime.timedelta(days=1),
        ).exists()
    ):
        return
    _queue_to_reporter(Notification.Kind.RECEIVED, problem)


def _queue_to_reporter(kind: str, problem: Problem, *, event=None) -> None:
    """A mail to the reporter, in the language they filed in."""
    _queue(kind, problem, [_reporter_address(problem)], event=event, language=problem.language)


def queue_status_changed(problem: Problem, event: ProblemEvent) -> None:
    _queue_to_reporter(Notification.Kind.STATUS_CHANGED, problem, event=event)


def queue_duplicate_merged(problem: Problem, event: ProblemEvent) -> None:
    _queue_to_reporter(Notification.Kind.DUPLICATE_MERGED, problem, event=event)


def queue_feedback_request(problem: Problem) -> None:
    _queue_to_reporter(Notification.Kind.FEEDBACK_REQUEST, problem)


def _problem_link(notification: Notification) -> str:
    problem = notification.problem
    if notification.kind in (Notification.Kind.NEW_PROBLEM, Notification.Kind.ASSIGNED) or (
        problem.reporter_id and problem.reporter.email == notification.recipient
    ):
        path = reverse("issues:detail", args=[problem.reference])
    else:
        # An anonymous reporter types the tracking code they were given: it is never mailed.
        path = reverse("issues:track_lookup") + f"?reference={problem.reference}"
    return settings.SITE_URL.rstrip("/") + path


def deliver(notification_id: int) -> bool:
    """Send one pending notification; True if this call sent it.

    The attempt is counted first, in its own committed update: counted inside the sending
    transaction, a failing mail server would roll the count back with it and the
    MAX_ATTEMPTS cap would never stop the retries. The count is a conditional update, so a
    notification past the cap or already sent is not tried. The row is then locked while the
    mail goes out, so two workers running the same task cannot both send it."""
    claimed = Notification.objects.filter(
        pk=notification_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return False
    with transaction.atomic():
        notification = (
            # of=self: PostgreSQL cannot lock the nullable side of the outer joins below.
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "problem__reporter",
                "problem__village",
                "problem__category",
                "event__actor",
                "problem__duplicate_of",
            )
            .filter(pk=notification_id, sent_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        context = {
            "notification": notification,
            "problem": notification.problem,
            "event": notification.event,
            "link": _problem_link(notification),
        }
        with translation.override(notification.language):
            subject = render_to_string(f"issues/email/{notification.kind}_subject.txt", context)
            body = render_to_string(f"issues/email/{notification.kind}.txt", context)
        send_mail(" ".join(subject.split()), body, None, [notification.recipient])
        Notification.objects.filter(pk=notification.pk).update(sent_at=timezone.now())
    return True
