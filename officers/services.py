import datetime

from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from metrics.compute.months import local_months, months_between
from metrics.services import recompute_request
from officers.models import Assignment, Officer, Visit
from portal import audit
from portal.validators import plausible_date
from territory.models import PoliceUnit, Village


def _require_operator(actor: User | None) -> None:
    # actor=None is the server's own administrator at a shell (management commands).
    if actor is not None and not (actor.is_active and actor.is_operator):
        raise PermissionDenied(_("Only an operator may do this."))


def _check_police_profile(*, role: str, nrp: str, rank: str, unit: PoliceUnit | None) -> None:
    errors = {}
    if not nrp:
        errors["nrp"] = _("An NRP is required for police accounts.")
    if not rank:
        errors["rank"] = _("A rank is required for police accounts.")
    expected_kind = User.UNIT_KIND[role]
    if unit is None:
        errors["unit"] = _("A unit is required for police accounts.")
    elif unit.kind != expected_kind:
        errors["unit"] = _("A %(role)s belongs to a %(kind)s, not a %(unit)s.") % {
            "role": User.Role(role).label,
            "kind": PoliceUnit.Kind(expected_kind).label,
            "unit": unit.get_kind_display(),
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def staff_account_create(
    *,
    actor: User | None,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
    nrp: str = "",
    rank: str = "",
    unit: PoliceUnit | None = None,
    phone: str = "",
) -> User:
    """Create a police or operator account. Residents sign themselves up instead.

    The e-mail address is marked verified: the operator vouches for it, and allauth's mandatory
    verification would otherwise lock the new account out.

    Recorded in the audit trail (the role granted) when an operator creates the account;
    callers with `actor=None` (the command line, the officers import) record their own event.
    """
    _require_operator(actor)
    if role == User.Role.RESIDENT or role not in User.Role.values:
        raise ValidationError({"role": _("Choose a police or operator role.")})
    is_police = role in User.UNIT_KIND
    if is_police:
        _check_police_profile(role=role, nrp=nrp, rank=rank, unit=unit)

    email = User.objects.normalize_email(email).strip().lower()
    user = User(email=email, name=name.strip(), role=role, is_staff=role == User.Role.OPERATOR)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if is_police:
        officer = Officer(user=user, nrp=nrp, rank=rank, unit=unit, phone=phone)
        officer.full_clean(exclude=["user"])
        officer.save()
    if actor is not None:
        audit.record(
            actor=actor,
            action=audit.Action.ROLE_CHANGED,
            target=user,
            from_role=None,
            to_role=role,
            account_created=True,
        )
    return user


def _check_no_primary_from(village: Village, starts_on: datetime.date) -> None:
    """ValidationError if a primary assignment of the desa is still running on `starts_on`."""
    overlapping = (
        Assignment.objects.filter(village=village, is_primary=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
        .order_by(F("ends_on").desc(nulls_first=True))
        .first()
    )
    if overlapping is None:
        return
    if overlapping.ends_on is None:
        raise ValidationError(
            _("%(village)s already has a primary officer.") % {"village": village}
        )
    raise ValidationError(
        _("%(village)s has a primary officer until %(date)s: start after that day.")
        % {"village": village, "date": formats.date_format(overlapping.ends_on, "j M Y")}
    )


@transaction.atomic
def assignment_create(
    *,
    actor: User | None,
    officer: Officer,
    village: Village,
    is_primary: bool = True,
    starts_on: datetime.date | None = None,
) -> Assignment:
    """Assign an officer to a desa from `starts_on`, open-ended. A desa has at most one primary
    officer on any day: a primary assignment may not start before an earlier one has ended
    (the database's constraint sees only open assignments, not periods).

    Audited when an operator assigns; callers with `actor=None` (`village_reassign`, the
    officers import) have checked the permission and record their own event."""
    _require_operator(actor)
    if officer.user.role != User.Role.OFFICER:
        raise ValidationError(_("Only a Bhabinkamtibmas is assigned to a desa."))
    starts_on = starts_on or timezone.localdate()
    if is_primary:
        _check_no_primary_from(village, starts_on)
    assignment = Assignment(
        officer=officer, village=village, is_primary=is_primary, starts_on=starts_on
    )
    assignment.full_clean()
    assignment.save()
    if actor is not None:
        audit.record(
            actor=actor,
            action=audit.Action.ASSIGNMENT_CREATED,
            target=assignment,
            officer=officer.pk,
            nrp=officer.nrp,
            village=village.code,
            is_primary=is_primary,
            starts_on=starts_on,
        )
    # Every desa of the officer: "desa per officer" of each changes with one more.
    recompute_request(
        village_ids=Assignment.objects.active()
        .filter(officer=officer)
        .values_list("village_id", flat=True),
        months=months_between(assignment.starts_on, timezone.localdate()),
    )
    return assignment


def _require_assigned_officer(actor: User, village: Village) -> Officer:
    """Visits are logged by a Bhabinkamtibmas in one of their own desa."""
    officer = getattr(actor, "officer", None)
    if (
        actor.role != User.Role.OFFICER
        or officer is None
        or not Assignment.objects.active().filter(officer=officer, village=village).exists()
    ):
        raise PermissionDenied(_("You log visits only in your own desa."))
    return officer


def _visit_problems(village: Village, problems) -> list:
    problems = list(problems or [])
    if any(problem.village_id != village.pk for problem in problems):
        raise ValidationError({"problems": _("Link only problems of this desa.")})
    return problems


@transaction.atomic
def visit_log(
    *,
    actor: User,
    village: Village,
    kind: str = Visit.Kind.DOOR_TO_DOOR,
    visited_at: datetime.datetime | None = None,
    households: int = 1,
    people: int = 1,
    groups_reached: list[str] | None = None,
    notes: str = "",
    latitude=None,
    longitude=None,
    problems=(),
) -> Visit:
    """Log a sambang: this month's or last month's, never one in the future."""
    officer = _require_assigned_officer(actor, village)
    now = timezone.now()
    visited_at = visited_at or now
    _check_visit_time(visited_at, village)
    visit = Visit(
        officer=officer,
        village=village,
        kind=kind,
        visited_at=visited_at,
        households=households,
        people=people,
        groups_reached=sorted(set(groups_reached or [])),
        notes=notes.strip(),
        latitude=latitude,
        longitude=longitude,
    )
    visit.full_clean()
    visit.save()
    visit.problems.set(_visit_problems(village, problems))
    recompute_request(village_ids=[village.pk], months=local_months(village, visited_at))
    return visit


def _check_visit_time(visited_at: datetime.datetime, village: Village) -> None:
    """Not in the future (a few minutes' grace for a phone's clock), not a slip of the year,
    and not before last month in the desa's calendar: an officer back from a week out of
    signal logs last month's visits, but an older month has been reported on, and a visit
    logged into it would change the report under the commander's feet."""
    if visited_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"visited_at": _("A visit cannot be in the future.")})
    try:
        plausible_date(visited_at)
    except ValidationError as error:
        raise ValidationError({"visited_at": error.messages}) from None
    (this_month,) = local_months(village, timezone.now())
    earliest = (this_month - datetime.timedelta(days=1)).replace(day=1)
    if local_months(village, visited_at)[0] < earliest:
        raise ValidationError(
            {
                "visited_at": _(
                    "Only this month's and last month's visits can be logged: choose a day "
                    "from %(day)s."
                )
                % {"day": formats.date_format(earliest, "j F Y")}
            }
        )


@transaction.atomic
def visit_update(*, actor: User, visit: Visit, **changes) -> Visit:
    """Its author corrects a visit within seven days; after that it is locked."""
    if visit.officer.user_id != actor.pk:
        raise PermissionDenied(_("Only the officer who logged a visit may change it."))
    if visit.is_locked():
        raise ValidationError(_("A visit is locked seven days after it was logged."))
    problems = changes.pop("problems", None)
    before = (visit.village_id, visit.visited_at)
    for field, value in changes.items():
        setattr(visit, field, value)
    if visit.visited_at != before[1]:
        # Correcting the notes of last month's visit on the 3rd is no new old visit.
        _check_visit_time(visit.visited_at, visit.village)
    visit.notes = visit.notes.strip()
    visit.full_clean()
    visit.save()
    recompute_request(
        village_ids=[before[0], visit.village_id],
        months=local_months(visit.village, before[1], visit.visited_at),
    )
    if problems is not None:
        visit.problems.set(_visit_problems(visit.village, problems))
    return visit


def _require_commander_of(actor: User, village: Village) -> None:
    from portal import scope

    if actor.role not in (
        User.Role.KAPOLSEK,
        User.Role.POLRES_COMMANDER,
        User.Role.POLRES_STAFF,
        User.Role.OPERATOR,
    ):
        raise PermissionDenied(_("Only a Kapolsek, the Polres or an operator reassigns desa."))
    if not scope.can_work_village(actor, village):
        raise PermissionDenied(_("This desa is outside your area."))


@transaction.atomic
def village_reassign(
    *, actor: User, village: Village, officer: Officer, on: datetime.date | None = None
) -> Assignment:
    """Make `officer` the primary Bhabinkamtibmas of `village` from `on`. The previous primary
    assignment ends the day before (history is kept); the open problems assigned to the
    previous officer in this desa move to the new one, each move recorded on the problem, and
    the history of each forum covering the desa records that its open action items now fall
    to the new officer.

    `on` must come after the current primary assignment's start: ending it the day before
    would otherwise end it before it began, and two officers would be primary on one day."""
    _require_commander_of(actor, village)
    on = on or timezone.localdate()
    # Lock the desa's assignments: two commanders reassigning at once must not both win.
    current = list(
        Assignment.objects.select_for_update()
        .filter(village=village, is_primary=True, ends_on__isnull=True)
        .select_related("officer__user")
    )
    previous = current[0].officer if current else None
    if previous is not None and previous.pk == officer.pk:
        raise ValidationError({"officer": _("This officer is already the primary officer.")})
    for assignment in current:
        if on <= assignment.starts_on:
            raise ValidationError(
                {
                    "starts_on": _(
                        "The current primary officer starts on %(date)s: choose a later day."
                    )
                    % {"date": formats.date_format(assignment.starts_on, "j M Y")}
                }
            )
        assignment.ends_on = on - datetime.timedelta(days=1)
        assignment.save(update_fields=["ends_on"])
    # A supporting assignment of the new officer becomes the primary one.
    Assignment.objects.filter(
        officer=officer, village=village, is_primary=False, ends_on__isnull=True
    ).update(ends_on=on)
    assignment = assignment_create(
        actor=None, officer=officer, village=village, is_primary=True, starts_on=on
    )
    moved = 0
    if previous is not None:
        from issues.services import problems_move_to_officer

        # The previous officer serves one desa fewer: each of their desa changes.
        recompute_request(
            village_ids=[
                village.pk,
                *Assignment.objects.active()
                .filter(officer=previous)
                .values_list("village_id", flat=True),
            ],
            months=months_between(on, timezone.localdate()),
        )

        moved = problems_move_to_officer(
            actor=actor, village=village, from_officer=previous, to_officer=officer
        )
    from forums.services import forums_officer_changed

    forums_officer_changed(actor=actor, village=village, previous=previous, new=officer)
    audit.record(
        actor=actor,
        action=audit.Action.VILLAGE_REASSIGNED,
        target=village,
        from_officer=previous.pk if previous else None,
        from_nrp=previous.nrp if previous else None,
        to_officer=officer.pk,
        to_nrp=officer.nrp,
        on=on,
        ended_assignments=[a.pk for a in current],
        assignment=assignment.pk,
        problems_moved=moved,
    )
    return assignment
