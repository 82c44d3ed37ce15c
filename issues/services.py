"""Writes to problems. Views, the API, management commands and tasks all come through here."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import User
from issues import notifications
from issues.models import (
    BlockedContact,
    Category,
    Feedback,
    Notification,
    Problem,
    ProblemEvent,
    ProblemPhoto,
)
from issues.photos import thumbnail_of
from issues.selectors import problems_workable_by
from issues.workflow import CLOSED_STATUSES, NEEDS_NOTE, Status, can_transition
from metrics.compute.months import local_months
from metrics.services import recompute_request
from officers.models import Assignment, Officer
from portal import audit
from portal.locale import in_portal_language, written_note
from territory.models import Village

REFERENCE_PREFIX = "KMT"


class TransitionConflict(ValidationError):
    """Another officer moved the problem first."""


@dataclass(frozen=True)
class FiledProblem:
    problem: Problem
    tracking_code: str


# The notes the portal writes on a problem's history (in its language; read in the reader's).
ASSIGNED = written_note(gettext_noop("Assigned to %(officer)s"))
NOT_SOLVED = written_note(gettext_noop("The reporter says the problem is not solved."))
REASSIGNED = written_note(gettext_noop("Reassigned from %(old)s to %(new)s with the desa"))


def _reference(problem: Problem) -> str:
    return f"{REFERENCE_PREFIX}-{problem.created_at.year}-{problem.pk:06d}"


def _is_blocked(*values: str) -> bool:
    normalized = {BlockedContact.normalize(v) for v in values if v and v.strip()}
    return bool(normalized) and BlockedContact.objects.filter(value__in=normalized).exists()


def _add_photos(problem: Problem, photos, *, by_reporter: bool, is_public: bool = False) -> None:
    """`photos`: the clean copies `issues.photos.prepare_photos` made."""
    for photo in photos:
        thumbnail = thumbnail_of(photo.read())
        photo.seek(0)
        ProblemPhoto.objects.create(
            problem=problem,
            image=photo,
            thumbnail=thumbnail,
            uploaded_by_reporter=by_reporter,
            is_public=is_public,
        )


@transaction.atomic
def problem_file(
    *,
    actor: User | None,
    village: Village,
    category: Category,
    title: str,
    description: str,
    consent: bool,
    occurred_at: datetime.datetime | None = None,
    location_text: str = "",
    latitude=None,
    longitude=None,
    vulnerable_groups: list[str] | None = None,
    wants_private: bool = False,
    reporter_named: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    photos=(),
    source: str = Problem.Source.WEB,
    now: datetime.datetime | None = None,
) -> FiledProblem:
    """File a problem, signed in or anonymous. Returns the problem and its tracking code, which
    is shown once and stored only as a hash.

    `photos` are already validated and re-encoded (`issues.photos.prepare_photos`).
    Categories such as KDRT are private whatever the reporter chose; a report from a blocked
    contact is filed but hidden.
    """
    if not consent:
        raise ValidationError(
            {"consent": _("Please agree to how your report is used before sending it.")}
        )
    if not category.is_active:
        raise ValidationError({"category": _("Choose a category from the list.")})
    now = now or timezone.now()
    reporter = actor if actor is not None and actor.is_authenticated else None
    code = Problem.new_tracking_code()
    problem = Problem(
        reference=f"TMP-{uuid.uuid4().hex[:16]}",
        village=village,
        category=category,
        title=title.strip(),
        description=description.strip(),
        occurred_at=occurred_at,
        location_text=location_text.strip(),
        latitude=latitude,
        longitude=longitude,
        vulnerable_groups=sorted(set(vulnerable_groups or [])),
        reporter=reporter,
        reporter_named=reporter_named and reporter is not None,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip().lower(),
        consent_at=now,
        tracking_code_hash=Problem.hash_tracking_code(code),
        language=(get_language() or settings.LANGUAGE_CODE)[:2],
        is_private=category.always_private or wants_private,
        source=source,
        created_at=now,
        is_hidden=_is_blocked(contact_email, contact_phone, reporter.email if reporter else ""),
    )
    problem.full_clean(exclude=["reference"])
    problem.save()
    problem.reference = _reference(problem)
    problem.save(update_fields=["reference"])
    # A report's photos are for the police, public report or not: the privacy notice the
    # reporter agreed to promises that a public report shows only its category, title, status
    # and the officers' public notes. (Photos often show faces, homes and number plates.)
    _add_photos(problem, photos, by_reporter=True)
    ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.FILED,
        actor=reporter,
        by_reporter=True,
        to_status=Status.NEW,
        is_public=True,
        created_at=now,
    )
    if not problem.is_hidden:
        notifications.queue_new_problem(problem)
        notifications.queue_received(problem)
    recompute_request(village_ids=[village.pk], months=local_months(village, now))
    return FiledProblem(problem=problem, tracking_code=code)


def reporter_identity_shown(*, actor: User, problem: Problem, request=None) -> None:
    """Record that a page or the API showed `actor` who reported `problem` (the caller has
    checked `selectors.can_see_reporter`). Nothing to record when there is no one to show."""
    if problem.reporter_id is None and not (
        problem.contact_name or problem.contact_phone or problem.contact_email
    ):
        return
    audit.record(
        actor=actor,
        action=audit.Action.REPORTER_VIEWED,
        target=problem,
        request=request,
        account=problem.reporter_id is not None,
    )


def _require_worker(actor: User, problem: Problem) -> None:
    if not problems_workable_by(actor).filter(pk=problem.pk).exists():
        raise PermissionDenied(_("You may not work on this problem."))


@transaction.atomic
def problem_transition(
    *,
    actor: User | None,
    problem: Problem,
    to_status: str,
    note: str = "",
    is_public: bool = False,
    duplicate_of: Problem | None = None,
    referred_to: str = "",
    resolution: str = "",
    now: datetime.datetime | None = None,
) -> ProblemEvent:
    """Move a problem along the SARA cycle. The only place a problem's status changes.

    `resolution` says how a problem moved to resolved was solved (police action, mediation,
    community action, …); the indicator of community self-reliance counts it.

    `actor=None` is the reporter's "no, not solved" reopening it. Two officers acting at once:
    the update is conditional on the status the officer saw, so the second one is refused
    with TransitionConflict instead of overwriting the first.
    """
    if actor is not None:
        _require_worker(actor, problem)
    from_status = problem.status
    if not can_transition(from_status, to_status):
        raise ValidationError(
            _("A problem that is “%(from)s” cannot become “%(to)s”.")
            % {"from": Status(from_status).label, "to": Status(to_status).label}
        )
    note = note.strip()
    if to_status in NEEDS_NOTE and not note:
        raise ValidationError({"note": _("Give a reason for this step.")})
    if to_status == Status.REFERRED and not referred_to.strip():
        raise ValidationError({"referred_to": _("Say which unit the problem is referred to.")})
    if to_status == Status.DUPLICATE:
        _check_duplicate_target(actor, problem, duplicate_of)
    resolutions = Problem.Resolution.values if to_status == Status.RESOLVED else []
    if resolution and resolution not in resolutions:
        raise ValidationError({"resolution": _("Say how the problem was solved.")})

    now = now or timezone.now()
    # The month of the report (response times), of the last resolution (a reopening
    # counts there) and this month.
    recompute_request(
        village_ids=[problem.village_id],
        months=local_months(problem.village, now, problem.created_at, problem.resolved_at),
    )
    changes = {"status": to_status, "updated_at": now}
    if actor is not None:
        changes["first_action_at"] = Coalesce(F("first_action_at"), now)
    if to_status == Status.RESOLVED:
        changes.update(resolved_at=now, feedback_requested_at=None, resolution=resolution)
    if to_status == Status.REFERRED:
        changes["referred_to"] = referred_to.strip()
    if to_status == Status.DUPLICATE:
        changes["duplicate_of"] = duplicate_of
    updated = Problem.objects.filter(pk=problem.pk, status=from_status).update(**changes)
    if not updated:
        raise TransitionConflict(
            _("Someone else changed this problem a moment ago. Reload the page and try again.")
        )
    problem.refresh_from_db()
    audit.record(
        actor=actor,
        action=audit.Action.PROBLEM_STATUS_CHANGED,
        target=problem,
        from_status=from_status,
        to_status=to_status,
        by_reporter=actor is None,
    )
    event = ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.TRANSITION,
        actor=actor,
        by_reporter=actor is None,
        from_status=from_status,
        to_status=to_status,
        note=note,
        is_public=is_public,
        created_at=now,
    )
    notifications.queue_status_changed(problem, event)
    if to_status == Status.DUPLICATE:
        notifications.queue_duplicate_merged(problem, event)
    return event


def _check_duplicate_target(actor, problem: Problem, target: Problem | None) -> None:
    if target is None:
        raise ValidationError({"duplicate_of": _("Give the reference of the original problem.")})
    if target.pk == problem.pk or target.status == Status.DUPLICATE:
        raise ValidationError(
            {"duplicate_of": _("Merge into a different problem that is not itself a duplicate.")}
        )
    if actor is not None and not problems_workable_by(actor).filter(pk=target.pk).exists():
        raise ValidationError({"duplicate_of": _("No problem with that reference in your area.")})


@transaction.atomic
def problem_assign(
    *, actor: User, problem: Problem, officer: Officer, now: datetime.datetime | None = None
) -> ProblemEvent:
    """Assign a problem to a Bhabinkamtibmas who works in its desa or its Polsek."""
    _require_worker(actor, problem)
    in_area = (
        officer.user.role == User.Role.OFFICER
        and officer.user.is_active
        and (
            officer.unit_id == problem.village.polsek_id
            or Assignment.objects.active().filter(officer=officer, village=problem.village).exists()
        )
    )
    if not in_area:
        raise ValidationError({"officer": _("Choose a Bhabinkamtibmas of this desa's Polsek.")})
    if officer.pk == problem.assigned_to_id:
        raise ValidationError({"officer": _("The problem is already assigned to this officer.")})
    now = now or timezone.now()
    previous_id = problem.assigned_to_id
    Problem.objects.filter(pk=problem.pk).update(
        assigned_to=officer, updated_at=now, first_action_at=Coalesce(F("first_action_at"), now)
    )
    audit.record(
        actor=actor,
        action=audit.Action.PROBLEM_ASSIGNED,
        target=problem,
        from_officer=previous_id,
        to_officer=officer.pk,
        to_officer_nrp=officer.nrp,
    )
    recompute_request(
        village_ids=[problem.village_id], months=local_months(problem.village, problem.created_at)
    )
    problem.refresh_from_db()
    event = ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.ASSIGNMENT,
        actor=actor,
        note=in_portal_language(ASSIGNED, officer=officer.user.name),
        created_at=now,
    )
    notifications.queue_assigned(problem, event, officer)
    return event


@transaction.atomic
def problem_comment(
    *, actor: User, problem: Problem, note: str, is_public: bool = False, photos=()
) -> ProblemEvent:
    """An officer's note on a problem: internal by default, public when ticked."""
    _require_worker(actor, problem)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write a note.")})
    _add_photos(problem, photos, by_reporter=False)
    return ProblemEvent.objects.create(
        problem=problem, kind=ProblemEvent.Kind.COMMENT, actor=actor, note=note, is_public=is_public
    )


@transaction.atomic
def reporter_add_information(
    *, problem: Problem, note: str, photos=(), actor: User | None = None
) -> ProblemEvent:
    """The reporter (by account or tracking link) adds information or a photo. Not public: it
    may name people."""
    note = note.strip()
    if not note and not photos:
        raise ValidationError({"note": _("Write something or add a photo.")})
    _add_photos(problem, photos, by_reporter=True)
    return ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.INFORMATION,
        actor=actor,
        by_reporter=True,
        note=note,
    )


@transaction.atomic
def problem_feedback(
    *, problem: Problem, solved: bool, rating: int | None = None, comment: str = ""
) -> Feedback:
    """The reporter's answer to "Is the problem solved?". A "no" reopens it for review."""
    if problem.status != Status.RESOLVED:
        raise ValidationError(_("You can answer this once the problem is marked solved."))
    if not feedback_awaited(problem):
        raise ValidationError(_("You have already answered. Thank you."))
    if rating is not None and not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Rate the service from 1 to 5.")})
    feedback = Feedback.objects.create(
        problem=problem, solved=solved, rating=rating, comment=comment.strip()
    )
    recompute_request(
        village_ids=[problem.village_id], months=local_months(problem.village, feedback.created_at)
    )
    ProblemEvent.objects.create(
        problem=problem,
        kind=ProblemEvent.Kind.FEEDBACK,
        by_reporter=True,
        note=comment.strip(),
        to_status=Status.RESOLVED if solved else Status.REOPENED,
        # The same time as the answer: the history finds the answer's rating by it
        # (selectors.history).
        created_at=feedback.created_at,
    )
    if not solved:
        problem_transition(
            actor=None,
            problem=problem,
            to_status=Status.REOPENED,
            note=in_portal_language(NOT_SOLVED),
            is_public=True,
        )
    return feedback


def feedback_awaited(problem: Problem) -> bool:
    """Whether the reporter may still say if this resolution solved the problem."""
    if problem.status != Status.RESOLVED:
        return False
    answers = problem.feedback.all()
    if problem.resolved_at is not None:
        answers = answers.filter(created_at__gte=problem.resolved_at)
    return not answers.exists()


def feedback_request_due(
    *, now: datetime.datetime | None = None, after: datetime.timedelta = datetime.timedelta(weeks=4)
) -> int:
    """Ask the reporters of problems resolved four weeks ago whether they are solved, unless
    they already answered on the tracking page since the resolution. Safe to run twice: each
    problem is claimed with a conditional update before its e-mail is queued."""
    now = now or timezone.now()
    answered = Feedback.objects.filter(
        problem=OuterRef("pk"), created_at__gte=OuterRef("resolved_at")
    )
    due = Problem.objects.filter(
        status=Status.RESOLVED,
        resolved_at__lte=now - after,
        feedback_requested_at__isnull=True,
        is_hidden=False,
    ).exclude(Exists(answered))
    asked = 0
    for problem_id in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            # The same conditions again: an answer may have arrived since the list was read.
            claimed = due.filter(pk=problem_id).update(feedback_requested_at=now)
            if claimed:
                notifications.queue_feedback_request(Problem.objects.get(pk=problem_id))
                asked += 1
    return asked


_CONTACT_FIELDS = {"contact_name": "", "contact_phone": "", "contact_email": ""}
_HAS_CONTACT = ~Q(**_CONTACT_FIELDS)


def _forget_contacts(problems) -> int:
    """Clear the contact fields of `problems`, and the e-mails queued or sent to that address
    (a notification row keeps the recipient). The reporter's account link stays: it is the
    resident's own account, which they manage themselves."""
    problems = problems.filter(_HAS_CONTACT)
    Notification.objects.filter(
        problem__in=problems, recipient=F("problem__contact_email")
    ).delete()
    # update(), not save(): updated_at is when the problem last changed, which this is not.
    return problems.update(**_CONTACT_FIELDS)


@transaction.atomic
def problems_anonymise_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete the contact details of problems closed more than REPORT_CONTACT_RETENTION_DAYS
    ago, as the privacy notice promises. A resolved problem is closed at its resolution,
    any other closed one (rejected, duplicate, referred) at its last update; a reopened problem
    is open again and keeps them. Returns how many problems lost their details; safe to run
    twice (the second run finds nothing left to clear)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REPORT_CONTACT_RETENTION_DAYS)
    expired = Problem.objects.filter(
        Q(status=Status.RESOLVED, resolved_at__lte=cutoff)
        | Q(status__in=CLOSED_STATUSES - {Status.RESOLVED}, updated_at__lte=cutoff)
    )
    return _forget_contacts(expired)


@transaction.atomic
def problem_contact_remove(*, problem: Problem) -> bool:
    """The reporter, through the tracking link, withdraws the name, phone and e-mail they
    gave. The caller has checked the tracking code (or the reporter's account). Returns
    whether there was anything to remove."""
    return bool(_forget_contacts(Problem.objects.filter(pk=problem.pk)))


def _require_operator(actor: User) -> None:
    if not (actor.is_active and actor.is_operator):
        raise PermissionDenied(_("Only an operator may do this."))


@transaction.atomic
def problem_set_hidden(*, actor: User, problem: Problem, hidden: bool) -> bool:
    """Whether it changed: a problem that is already so is left alone, and nothing recorded."""
    _require_operator(actor)
    if not Problem.objects.filter(pk=problem.pk).exclude(is_hidden=hidden).update(is_hidden=hidden):
        return False
    audit.record(
        actor=actor,
        action=audit.Action.MODERATED,
        target=problem,
        change="problem_hidden" if hidden else "problem_shown",
    )
    return True


@transaction.atomic
def event_set_hidden(*, actor: User, event: ProblemEvent, hidden: bool) -> bool:
    """Whether it changed: a comment that is already so is left alone, and nothing recorded."""
    _require_operator(actor)
    changed = ProblemEvent.objects.filter(pk=event.pk).exclude(is_hidden=hidden)
    if not changed.update(is_hidden=hidden):
        return False
    audit.record(
        actor=actor,
        action=audit.Action.MODERATED,
        target=event.problem,
        change="comment_hidden" if hidden else "comment_shown",
        event=event.pk,
    )
    return True


def record_contact_moderation(*, actor: User, value: str, change: str, problem: str = "") -> None:
    """The kind of contact only (e-mail or phone): the trail never holds a reporter's contact
    details, nor free text that might."""
    details = {"change": change, "contact": "email" if "@" in value else "phone"}
    if problem:
        details["problem"] = problem
    audit.record(actor=actor, action=audit.Action.MODERATED, **details)


@transaction.atomic
def contact_block(
    *, actor: User, value: str, reason: str = "", problem_reference: str = ""
) -> BlockedContact:
    _require_operator(actor)
    normalized = BlockedContact.normalize(value)
    if not normalized:
        raise ValidationError({"value": _("Give an e-mail address or a phone number.")})
    blocked, created = BlockedContact.objects.get_or_create(
        value=normalized, defaults={"reason": reason, "created_by": actor}
    )
    if created:
        record_contact_moderation(
            actor=actor, value=normalized, change="contact_blocked", problem=problem_reference
        )
    return blocked


@transaction.atomic
def problems_move_to_officer(
    *, actor: User, village: Village, from_officer: Officer, to_officer: Officer
) -> int:
    """On reassignment, the open problems the previous officer held in this desa move to the
    new one; each move is recorded on the problem."""
    moved = 0
    problems = Problem.objects.open().filter(village=village, assigned_to=from_officer)
    for problem in problems.select_for_update():
        Problem.objects.filter(pk=problem.pk).update(
            assigned_to=to_officer, updated_at=timezone.now()
        )
        ProblemEvent.objects.create(
            problem=problem,
            kind=ProblemEvent.Kind.ASSIGNMENT,
            actor=actor,
            note=in_portal_language(
                REASSIGNED,
                old=from_officer.user.name,
                new=to_officer.user.name,
            ),
        )
        moved += 1
    return moved
