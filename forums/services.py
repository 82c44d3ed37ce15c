"""Writes to forums. Views, management commands, tasks and the demo all come through here.

Every function that takes an `actor` checks that the actor may do it (see the rules at the top
of `forums.selectors`) and writes a `ForumEvent`. A meeting's status changes only by a
conditional UPDATE … WHERE status = <the status the user saw>, inside a transaction, so two
people acting at once cannot both win. The scheduled jobs (`meetings_generate`,
`meetings_mark_missed`, `meeting_reminders_due`) are safe to run twice.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import User
from forums import notifications, recurrence, selectors
from forums.models import (
    ActionItem,
    Attendance,
    Forum,
    ForumEvent,
    Meeting,
    MeetingFile,
    MeetingProblem,
    Member,
    Reminder,
    Schedule,
    new_calendar_token,
)
from issues.models import Category, Problem, VulnerableGroup
from issues.photos import thumbnail_of
from issues.services import problem_file
from metrics.compute.months import local_months
from metrics.services import recompute_request
from officers.models import Assignment
from portal.locale import in_portal_language, written_note
from portal.validators import plausible_date
from territory.models import Village

# Meetings are planned this far ahead by the daily job.
HORIZON = datetime.timedelta(days=60)
# A planned meeting without a record this long after its time is marked missed.
MISSED_AFTER = datetime.timedelta(days=3)
# Reminders go out this long before a meeting.
REMIND_BEFORE = datetime.timedelta(days=3)
# A meeting can be recorded from this long before its scheduled time (a morning meeting is
# written up the same day, a clock may be off).
RECORD_AHEAD = datetime.timedelta(hours=12)
GENERATE_CHUNK = 500
# Why the portal cancelled a meeting (in its language; read in the reader's).
SCHEDULE_CHANGED = written_note(gettext_noop("The forum's schedule changed."))

Status = Meeting.Status


class StatusConflict(ValidationError):
    """Someone else changed the meeting (or the action item) first."""


def _log(forum: Forum, kind: str, *, actor=None, meeting=None, note="", **statuses) -> None:
    ForumEvent.objects.create(
        forum=forum,
        meeting=meeting,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=str(note)[:500],
        from_status=statuses.get("from_status", ""),
        to_status=statuses.get("to_status", ""),
    )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_manager(actor: User, forum: Forum) -> None:
    _require(selectors.can_manage(actor, forum), _("You may not manage this forum."))


def _require_recorder(actor: User, forum: Forum) -> None:
    _require(selectors.can_record(actor, forum), _("You may not record this forum's meetings."))


def _require_planner(actor: User, forum: Forum) -> None:
    _require(selectors.can_plan(actor, forum), _("You may not plan this forum's meetings."))


# --- Forums ------------------------------------------------------------------------------------


def _check_villages(actor: User, village: Village, other_villages: Iterable[Village]) -> None:
    manageable = selectors.villages_manageable_by(actor)
    wanted = {village.pk, *(v.pk for v in other_villages)}
    if manageable.filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied(_("You may not create a forum for this desa."))


@transaction.atomic
def forum_create(
    *,
    actor: User,
    village: Village,
    name: str,
    kind: str = Forum.Kind.VILLAGE,
    other_villages: Iterable[Village] = (),
    established_on: datetime.date | None = None,
    decree_number: str = "",
    bkpm_post: str = "",
    is_public: bool = True,
    now: datetime.datetime | None = None,
) -> Forum:
    """Create a desa's FKPM (one per desa) or an area forum covering one or more desa."""
    other_villages = [v for v in other_villages if v.pk != village.pk]
    _check_villages(actor, village, other_villages)
    if kind == Forum.Kind.VILLAGE and other_villages:
        raise ValidationError(
            {"other_villages": _("A desa forum covers its own desa only: make it an area forum.")}
        )
    if kind == Forum.Kind.VILLAGE and Forum.objects.filter(village=village, kind=kind).exists():
        raise ValidationError({"village": _("This desa already has its FKPM.")})
    forum = Forum(
        name=name.strip(),
        kind=kind,
        village=village,
        established_on=established_on,
        decree_number=decree_number.strip(),
        bkpm_post=bkpm_post.strip(),
        is_public=is_public,
        created_by=actor,
        created_at=now or timezone.now(),
    )
    forum.full_clean(exclude=["calendar_token", "created_by"])
    try:
        with transaction.atomic():
            forum.save()
    except IntegrityError:
        # Two officers creating the desa's forum at once: the constraint lets one through.
        raise ValidationError({"village": _("This desa already has its FKPM.")}) from None
    forum.other_villages.set(other_villages)
    _log(forum, ForumEvent.Kind.FORUM_CREATED, actor=actor)
    return forum


@transaction.atomic
def forum_update(
    *,
    actor: User,
    forum: Forum,
    name: str,
    established_on: datetime.date | None,
    decree_number: str,
    bkpm_post: str,
    is_public: bool,
    other_villages: Iterable[Village] | None = None,
) -> Forum:
    _require_manager(actor, forum)
    if other_villages is not None:
        other_villages = [v for v in other_villages if v.pk != forum.village_id]
        if forum.kind == Forum.Kind.VILLAGE and other_villages:
            raise ValidationError({"other_villages": _("A desa forum covers its own desa only.")})
        _check_villages(actor, forum.village, other_villages)
        forum.other_villages.set(other_villages)
    forum.name = name.strip()
    forum.established_on = established_on
    forum.decree_number = decree_number.strip()
    forum.bkpm_post = bkpm_post.strip()
    forum.is_public = is_public
    forum.full_clean(exclude=["calendar_token", "created_by"])
    forum.save()
    _log(forum, ForumEvent.Kind.FORUM_CHANGED, actor=actor)
    return forum


@transaction.atomic
def forum_renew_calendar_token(*, actor: User, forum: Forum) -> str:
    """A calendar link that leaked stops working; subscribers need the new one."""
    _require(
        selectors.can_manage(actor, forum) or selectors.can_record(actor, forum),
        _("You may not manage this forum."),
    )

    forum.calendar_token = new_calendar_token()
    forum.save(update_fields=["calendar_token"])
    _log(forum, ForumEvent.Kind.CALENDAR_LINK_RENEWED, actor=actor)
    return forum.calendar_token


# --- Members -----------------------------------------------------------------------------------


def _check_account(user: User | None) -> None:
    if user is not None and (user.role != User.Role.RESIDENT or not user.is_active):
        raise ValidationError(
            {"account": _("Only an active resident's account can be linked to a member.")}
        )


def _save_member(member: Member) -> Member:
    # The constraints are checked by the INSERT itself (IntegrityError below), not by queries.
    member.full_clean(exclude=["forum", "user"], validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        if member.role == Member.Role.CHAIR:
            raise ValidationError({"role": _("The forum already has a sitting ketua.")}) from None
        raise ValidationError(
            {"account": _("This account is already a member of the forum.")}
        ) from None
    return member


@transaction.atomic
def member_add(
    *,
    actor: User,
    forum: Forum,
    name: str,
    role: str,
    sector: str,
    gender: str,
    phone: str = "",
    email: str = "",
    user: User | None = None,
    joined_on: datetime.date | None = None,
) -> Member:
    _require_manager(actor, forum)
    _check_account(user)
    member = _save_member(
        Member(
            forum=forum,
            name=name.strip(),
            role=role,
            sector=sector,
            gender=gender,
            phone=phone.strip(),
            email=email.strip().lower(),
            user=user,
            joined_on=joined_on or timezone.localdate(),
        )
    )
    _log(forum, ForumEvent.Kind.MEMBER_ADDED, actor=actor, note=member.name)
    return member


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: Member,
    name: str,
    role: str,
    sector: str,
    gender: str,
    phone: str = "",
    email: str = "",
    user: User | None = None,
) -> Member:
    _require_manager(actor, member.forum)
    _check_account(user)
    member.name, member.role, member.sector, member.gender = name.strip(), role, sector, gender
    member.phone, member.email, member.user = phone.strip(), email.strip().lower(), user
    _save_member(member)
    _log(member.forum, ForumEvent.Kind.MEMBER_CHANGED, actor=actor, note=member.name)
    return member


@transaction.atomic
def member_leave(*, actor: User, member: Member, left_on: datetime.date | None = None) -> Member:
    """The member leaves; the row stays as their membership history. A secretary who leaves
    loses the right to record at once."""
    _require_manager(actor, member.forum)
    left_on = left_on or timezone.localdate()
    if member.left_on is not None:
        raise ValidationError(_("This member has already left."))
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    updated = Member.objects.filter(pk=member.pk, left_on__isnull=True).update(left_on=left_on)
    if not updated:
        raise StatusConflict(_("Someone else changed this member a moment ago."))
    member.left_on = left_on
    _log(member.forum, ForumEvent.Kind.MEMBER_LEFT, actor=actor, note=member.name)
    return member


# --- Schedule and meeting generation ---------------------------------------------------------


@transaction.atomic
def schedule_set(
    *,
    actor: User,
    forum: Forum,
    frequency: str,
    weekday: int = Schedule.Weekday.TUESDAY,
    week_of_month: int = Schedule.WeekOfMonth.SECOND,
    time: datetime.time = datetime.time(19, 0),
    place: str = "Balai desa",
    interval: int = 1,
    duration_minutes: int = 120,
    starts_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Schedule:
    """Set the forum's rule and plan its meetings for the coming weeks at once. Planned
    meetings of the old rule that the new one does not have are removed if nothing was
    recorded on them yet, and cancelled (with the reason) if reminders already went out."""
    _require_manager(actor, forum)
    now = now or timezone.now()
    schedule, _created = Schedule.objects.update_or_create(
        forum=forum,
        defaults={
            "frequency": frequency,
            "interval": interval,
            "weekday": weekday,
            "week_of_month": week_of_month,
            "time": time,
            "place": place.strip(),
            "duration_minutes": duration_minutes,
            "starts_on": starts_on or forum.local(now).date(),
        },
    )
    schedule.full_clean()
    forum.schedule = schedule
    wanted = set(
        recurrence.occurrences(
            schedule, timezone_name=forum.timezone, start=now, until=now + HORIZON
        )
    )
    stale = _untouched(
        forum.meetings.filter(status=Status.PLANNED, from_schedule=True, scheduled_at__gt=now)
    ).exclude(scheduled_at__in=wanted)
    for meeting in stale:
        if meeting.reminders_queued_at is None:
            meeting.delete()
        else:
            _transition(
                meeting,
                to_status=Status.CANCELLED,
                actor=actor,
                now=now,
                changes={"cancel_reason": in_portal_language(SCHEDULE_CHANGED)},
            )
    _log(
        forum,
        ForumEvent.Kind.SCHEDULE_SET,
        actor=actor,
        note=in_portal_language(Schedule.Frequency(schedule.frequency).label),
    )
    meetings_generate(forums=Forum.objects.filter(pk=forum.pk), now=now)
    return schedule


def _untouched(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings nobody has recorded anything on, nor rescheduled: a date, time or place a
    person chose outlives a change of the rule."""
    return meetings.exclude(
        Q(rescheduled_from__isnull=False)
        | Exists(Attendance.objects.filter(meeting=OuterRef("pk")))
        | Exists(MeetingProblem.objects.filter(meeting=OuterRef("pk")))
        | Exists(ActionItem.objects.filter(meeting=OuterRef("pk")))
        | Exists(MeetingFile.objects.filter(meeting=OuterRef("pk")))
    )


def meetings_generate(
    *,
    forums: QuerySet[Forum] | None = None,
    now: datetime.datetime | None = None,
    start: datetime.datetime | None = None,
    horizon: datetime.timedelta = HORIZON,
) -> int:
    """Plan the meetings of every scheduled forum from `start` (default: now) to now + horizon.
    Returns how many were created. Safe to run twice and alongside itself: existing meetings
    are skipped, and the unique (forum, scheduled_at) constraint settles a race.

    Works in chunks of forums: two queries and one INSERT per 500 forums, not per forum."""
    now = now or timezone.now()
    start = start or now
    until = now + horizon
    schedules = Schedule.objects.exclude(frequency=Schedule.Frequency.AD_HOC).select_related(
        "forum__village"
    )
    if forums is not None:
        schedules = schedules.filter(forum__in=forums)
    created = 0
    chunk: list[Schedule] = []
    for schedule in schedules.order_by("pk").iterator(chunk_size=GENERATE_CHUNK):
        chunk.append(schedule)
        if len(chunk) == GENERATE_CHUNK:
            created += _generate_chunk(chunk, start=start, until=until)
            chunk = []
    if chunk:
        created += _generate_chunk(chunk, start=start, until=until)
    return created


def _generate_chunk(schedules: list[Schedule], *, start, until) -> int:
    # A slot is taken by the meeting planned at it, or by one first planned at it and then
    # rescheduled: generating it again would plan the meeting a second time.
    rows = Meeting.objects.filter(
        Q(scheduled_at__gte=start, scheduled_at__lt=until)
        | Q(rescheduled_from__gte=start, rescheduled_from__lt=until),
        forum_id__in=[s.forum_id for s in schedules],
    ).values_list("forum_id", "scheduled_at", "rescheduled_from")
    existing = set()
    for forum_id, scheduled_at, rescheduled_from in rows:
        existing.add((forum_id, scheduled_at))
        if rescheduled_from is not None:
            existing.add((forum_id, rescheduled_from))
    new = [
        Meeting(
            forum_id=schedule.forum_id,
            scheduled_at=moment,
            place=schedule.place,
            duration_minutes=schedule.duration_minutes,
            from_schedule=True,
        )
        for schedule in schedules
        for moment in recurrence.occurrences(
            schedule, timezone_name=schedule.forum.timezone, start=start, until=until
        )
        if (schedule.forum_id, moment) not in existing
    ]
    Meeting.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _check_time(
    scheduled_at: datetime.datetime,
    *,
    now: datetime.datetime,
    past: str,
    held_already: bool = False,
) -> None:
    """A plausible year; a time still to come (`past` says otherwise), or for a meeting that
    has already taken place, a time it can be recorded at."""
    try:
        plausible_date(scheduled_at)
    except ValidationError as error:
        raise ValidationError({"date": error.messages}) from None
    if held_already:
        if too_early_to_record(Meeting(scheduled_at=scheduled_at), now=now):
            raise ValidationError(
                {"date": _("A meeting that has already taken place cannot be in the future.")}
            )
    elif scheduled_at < now:
        # Planned in the past, it would wait "planned" until the hourly job marks it missed.
        raise ValidationError({"date": past})


@transaction.atomic
def meeting_plan(
    *,
    actor: User,
    forum: Forum,
    scheduled_at: datetime.datetime,
    place: str,
    duration_minutes: int = 120,
    held_already: bool = False,
    now: datetime.datetime | None = None,
) -> Meeting:
    """An ad hoc meeting, or one outside the rule, at a time still to come. `held_already`:
    a meeting nobody planned has taken place (an urgent one after an incident) and is written
    up now; its time is then in the past, and the caller goes on to `meeting_record`."""
    _require_planner(actor, forum)
    _check_time(
        scheduled_at,
        now=now or timezone.now(),
        held_already=held_already,
        past=_(
            "This time has already passed. Choose a later one, or say that the meeting has "
            "already taken place."
        ),
    )
    meeting = Meeting(
        forum=forum,
        scheduled_at=scheduled_at,
        place=place.strip(),
        duration_minutes=duration_minutes,
    )
    meeting.full_clean(exclude=["forum"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        raise ValidationError(
            {"scheduled_at": _("The forum already has a meeting at this time.")}
        ) from None
    _log(forum, ForumEvent.Kind.MEETING_PLANNED, actor=actor, meeting=meeting)
    return meeting


def reschedule_refusal(meeting: Meeting) -> str | None:
    """Why the meeting cannot be rescheduled, or None: only a planned meeting moves."""
    return {
        Status.HELD: _("This meeting has been held: it can no longer be rescheduled."),
        Status.CANCELLED: _(
            "A cancelled meeting cannot be rescheduled: plan a new meeting instead."
        ),
        Status.MISSED: _(
            "A missed meeting cannot be rescheduled: plan a new meeting, or record this one if "
            "it was held."
        ),
    }.get(meeting.status)


def _when_and_where(meeting: Meeting) -> str:
    local = meeting.forum.local(meeting.scheduled_at)
    return f"{local:%Y-%m-%d %H:%M} {meeting.forum.zone_label}, {meeting.place}"


@transaction.atomic
def meeting_reschedule(
    *,
    actor: User,
    meeting: Meeting,
    scheduled_at: datetime.datetime,
    place: str,
    duration_minutes: int,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Move a planned meeting to another date, time or place; it keeps its agenda, its link
    to the schedule and its history. Only a planned meeting moves, and only to a time still to
    come. Reminders follow the new time (`_reminders_follow`)."""
    _require_planner(actor, meeting.forum)
    now = now or timezone.now()
    if refusal := reschedule_refusal(meeting):
        raise ValidationError(refusal)
    _check_time(scheduled_at, now=now, past=_("This time has already passed. Choose a later one."))
    place = place.strip()
    moved = Meeting(
        forum=meeting.forum,
        scheduled_at=scheduled_at,
        place=place,
        duration_minutes=duration_minutes,
    )
    moved.full_clean(exclude=["forum"], validate_unique=False, validate_constraints=False)
    if (scheduled_at, place, duration_minutes) == (
        meeting.scheduled_at,
        meeting.place,
        meeting.duration_minutes,
    ):
        return meeting
    # Conditional on the status and time the user saw: a meeting recorded, cancelled or moved
    # a moment ago does not move.
    seen = Meeting.objects.filter(
        pk=meeting.pk, status=Status.PLANNED, scheduled_at=meeting.scheduled_at
    )
    conflict = _("Someone else changed this meeting a moment ago. Reload the page and try again.")
    if (scheduled_at, place) == (meeting.scheduled_at, meeting.place):
        # Only how long it lasts: the meeting has not moved, nobody is told again.
        if not seen.update(duration_minutes=duration_minutes):
            raise StatusConflict(conflict)
        meeting.duration_minutes = duration_minutes
        return meeting
    before = _when_and_where(meeting)
    try:
        with transaction.atomic():
            # The first time it was planned for is kept once, for good.
            updated = seen.update(
                scheduled_at=scheduled_at,
                place=place,
                duration_minutes=duration_minutes,
                rescheduled_from=Coalesce(F("rescheduled_from"), F("scheduled_at")),
                times_rescheduled=F("times_rescheduled") + 1,
                reminders_queued_at=None,
            )
    except IntegrityError:
        raise ValidationError(
            {"scheduled_at": _("The forum already has a meeting at this time.")}
        ) from None
    if not updated:
        raise StatusConflict(conflict)
    meeting.refresh_from_db(
        fields=[
            "scheduled_at",
            "place",
            "duration_minutes",
            "rescheduled_from",
            "times_rescheduled",
            "reminders_queued_at",
        ]
    )
    _reminders_follow(meeting, now=now)
    # No recompute of the indicators: they leave a planned meeting out until its fate is known.
    _log(
        meeting.forum,
        ForumEvent.Kind.MEETING_RESCHEDULED,
        actor=actor,
        meeting=meeting,
        note=in_portal_language(
            gettext_noop("From %(before)s to %(after)s"),
            before=before,
            after=_when_and_where(meeting),
        ),
    )
    return meeting


# --- Status ------------------------------------------------------------------------------------


def _transition(
    meeting: Meeting,
    *,
    to_status: str,
    actor=None,
    now: datetime.datetime,
    changes: dict | None = None,
    from_statuses: Iterable[str] | None = None,
    note: str = "",
) -> None:
    """UPDATE … WHERE status and time = <those the caller saw>: the second of two concurrent
    changes updates nothing and is refused, and a meeting moved meanwhile (say while the
    hourly job marks the missed ones) is left alone."""
    from_status = meeting.status
    allowed = set(from_statuses or [from_status])
    if from_status not in allowed:
        raise StatusConflict(_("This meeting cannot be changed any more."))
    fields = {"status": to_status, "status_changed_at": now, **(changes or {})}
    updated = Meeting.objects.filter(
        pk=meeting.pk, status=from_status, scheduled_at=meeting.scheduled_at
    ).update(**fields)
    if not updated:
        raise StatusConflict(
            _("Someone else changed this meeting a moment ago. Reload the page and try again.")
        )
    for name, value in fields.items():
        setattr(meeting, name, value)
    recompute_request(
        village_ids=[meeting.forum.village_id],
        months=local_months(meeting.forum.village, meeting.scheduled_at),
    )
    kind = {
        Status.HELD: ForumEvent.Kind.MEETING_HELD,
        Status.CANCELLED: ForumEvent.Kind.MEETING_CANCELLED,
        Status.MISSED: ForumEvent.Kind.MEETING_MISSED,
    }[to_status]
    if from_status == to_status:
        kind = ForumEvent.Kind.MEETING_UPDATED
    _log(
        meeting.forum,
        kind,
        actor=actor,
        meeting=meeting,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )


def _clean_counts(by_group: dict | None) -> dict[str, int]:
    valid = {g for g in VulnerableGroup.values if g != VulnerableGroup.WOMEN}
    counts = {}
    for group, count in (by_group or {}).items():
        if group not in valid:
            raise ValidationError({"other_by_group": _("Unknown vulnerable group.")})
        if count:
            if int(count) < 0:
                raise ValidationError({"other_by_group": _("Counts cannot be negative.")})
            counts[group] = int(count)
    return counts


def too_early_to_record(meeting: Meeting, *, now: datetime.datetime | None = None) -> bool:
    """A meeting is recorded once it has taken place (or is about to, the same day)."""
    return meeting.scheduled_at > (now or timezone.now()) + RECORD_AHEAD


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    meeting: Meeting,
    members_present: Iterable[Member],
    minutes: str,
    other_men: int = 0,
    other_women: int = 0,
    other_by_group: dict | None = None,
    police_present: str = "",
    partners_present: str = "",
    summary: str = "",
    minutes_internal: bool = True,
    reviewed_problems: Iterable[Problem] = (),
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record a meeting as held: attendance and minutes are required. A planned meeting
    becomes held; so does a missed one (recorded late). A held meeting's record can be
    corrected. The problems carried over from the last meeting that were reviewed are kept
    with the status they had."""
    _require_recorder(actor, meeting.forum)
    now = now or timezone.now()
    if meeting.status == Status.CANCELLED:
        raise ValidationError(_("A cancelled meeting cannot be recorded."))
    if too_early_to_record(meeting, now=now):
        raise ValidationError(_("A meeting can be recorded once it has taken place."))
    members = list(members_present)
    minutes = minutes.strip()
    errors = {}
    if not minutes:
        errors["minutes"] = _("Write the minutes of the meeting.")
    if not members and not (other_men or other_women):
        errors["members_present"] = _("Record who attended: tick the members present.")
    if any(m.forum_id != meeting.forum_id for m in members):
        errors["members_present"] = _("Only members of this forum can be ticked.")
    if errors:
        raise ValidationError(errors)
    was_held = meeting.status == Status.HELD
    _transition(
        meeting,
        to_status=Status.HELD,
        actor=actor,
        now=now,
        from_statuses=[Status.PLANNED, Status.MISSED, Status.HELD],
        changes={
            "minutes": minutes,
            "summary": summary.strip(),
            "minutes_internal": minutes_internal,
            "other_men": other_men,
            "other_women": other_women,
            "other_by_group": _clean_counts(other_by_group),
            "police_present": police_present.strip(),
            "partners_present": partners_present.strip(),
            "recorded_by": actor,
            "recorded_at": now,
        },
    )
    _set_attendance(meeting, members, was_held=was_held)
    reviewed_problems = list(reviewed_problems)
    carried = (
        {p.pk for p in selectors.carried_over_problems(meeting)} if reviewed_problems else set()
    )
    for problem in reviewed_problems:
        if problem.pk in carried:
            MeetingProblem.objects.get_or_create(
                meeting=meeting,
                problem=problem,
                defaults={
                    "kind": MeetingProblem.Kind.REVIEWED,
                    "status_at_meeting": problem.status,
                },
            )
    return meeting


def _set_attendance(meeting: Meeting, members: list[Member], *, was_held: bool) -> None:
    ids = {m.pk for m in members}
    if was_held:  # only a held meeting has attendance to correct
        Attendance.objects.filter(meeting=meeting).exclude(member_id__in=ids).delete()
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk) for pk in ids], ignore_conflicts=True
    )


@transaction.atomic
def meeting_cancel(
    *, actor: User, meeting: Meeting, reason: str, now: datetime.datetime | None = None
) -> Meeting:
    """A planned meeting is called off; the reason is kept (and shown to residents)."""
    _require_recorder(actor, meeting.forum)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    _transition(
        meeting,
        to_status=Status.CANCELLED,
        actor=actor,
        now=now or timezone.now(),
        from_statuses=[Status.PLANNED],
        changes={"cancel_reason": reason[:500]},
        note=reason,
    )
    return meeting


def meetings_mark_missed(
    *, now: datetime.datetime | None = None, grace: datetime.timedelta = MISSED_AFTER
) -> int:
    """Planned meetings still without a record `grace` after their time become missed. Safe to
    run twice: each meeting is claimed with a conditional update; a second run finds none."""
    now = now or timezone.now()
    due = Meeting.objects.filter(status=Status.PLANNED, scheduled_at__lte=now - grace)
    missed = 0
    for meeting in due.select_related("forum").order_by("pk").iterator(chunk_size=500):
        try:
            with transaction.atomic():
                _transition(
                    meeting, to_status=Status.MISSED, now=now, from_statuses=[Status.PLANNED]
                )
        except StatusConflict:
            continue  # recorded or cancelled in the meantime
        missed += 1
    return missed


# --- Problems on the agenda --------------------------------------------------------------------


def _require_open_meeting(meeting: Meeting) -> None:
    if meeting.status not in (Status.PLANNED, Status.HELD):
        raise ValidationError(_("Only a planned or held meeting can be changed."))


@transaction.atomic
def meeting_link_problem(
    *, actor: User, meeting: Meeting, problem: Problem, note: str = ""
) -> MeetingProblem:
    """Put an existing problem of the forum's desa on the meeting's agenda."""
    _require_recorder(actor, meeting.forum)
    _require_open_meeting(meeting)
    if not selectors.linkable_problems(meeting, viewer=actor).filter(pk=problem.pk).exists():
        raise ValidationError({"problem": _("Choose a problem of this forum's desa.")})
    link, _created = MeetingProblem.objects.get_or_create(
        meeting=meeting,
        problem=problem,
        defaults={
            "kind": MeetingProblem.Kind.DISCUSSED,
            "status_at_meeting": problem.status,
            "note": note.strip()[:500],
        },
    )
    _log(
        meeting.forum,
        ForumEvent.Kind.PROBLEM_LINKED,
        actor=actor,
        meeting=meeting,
        note=problem.reference,
    )
    return link


@transaction.atomic
def meeting_raise_problem(
    *,
    actor: User,
    meeting: Meeting,
    village: Village,
    category: Category,
    title: str,
    description: str,
    location_text: str = "",
    vulnerable_groups: list[str] | None = None,
    wants_private: bool = False,
) -> Problem:
    """A problem raised at the meeting enters the problems workflow like any report (the desa's
    officers are told), filed by the recording user, marked as coming from the forum."""
    _require_recorder(actor, meeting.forum)
    _require_open_meeting(meeting)
    covered = {meeting.forum.village_id, *meeting.forum.other_villages.values_list("pk", flat=True)}
    if village.pk not in covered:
        raise ValidationError({"village": _("Choose a desa this forum covers.")})
    problem = problem_file(
        actor=actor,
        village=village,
        category=category,
        title=title,
        description=description,
        consent=True,
        location_text=location_text,
        vulnerable_groups=vulnerable_groups,
        wants_private=wants_private,
        source=Problem.Source.FORUM,
    ).problem
    MeetingProblem.objects.create(
        meeting=meeting,
        problem=problem,
        kind=MeetingProblem.Kind.RAISED,
        status_at_meeting=problem.status,
    )
    _log(
        meeting.forum,
        ForumEvent.Kind.PROBLEM_RAISED,
        actor=actor,
        meeting=meeting,
        note=problem.reference,
    )
    return problem


# --- Action items ------------------------------------------------------------------------------


@transaction.atomic
def action_item_add(
    *,
    actor: User,
    meeting: Meeting,
    what: str,
    owner_member: Member | None = None,
    owner_name: str = "",
    due_on: datetime.date | None = None,
    problem: Problem | None = None,
) -> ActionItem:
    _require_recorder(actor, meeting.forum)
    _require_open_meeting(meeting)
    if owner_member is not None and owner_member.forum_id != meeting.forum_id:
        raise ValidationError({"owner_member": _("Choose a member of this forum.")})
    if (
        problem is not None
        and not MeetingProblem.objects.filter(meeting=meeting, problem=problem).exists()
    ):
        raise ValidationError({"problem": _("Choose a problem on this meeting's agenda.")})
    if not what.strip():
        raise ValidationError({"what": _("Say what is to be done.")})
    try:
        plausible_date(due_on)
    except ValidationError as error:
        raise ValidationError({"due_on": error.messages}) from None
    item = ActionItem.objects.create(
        forum=meeting.forum,
        meeting=meeting,
        what=what.strip()[:500],
        owner_member=owner_member,
        owner_name=owner_name.strip()[:150],
        due_on=due_on,
        problem=problem,
        created_by=actor,
    )
    _log(meeting.forum, ForumEvent.Kind.ACTION_ADDED, actor=actor, meeting=meeting, note=item.what)
    return item


ACTION_TRANSITIONS = {
    ActionItem.Status.OPEN: {ActionItem.Status.DONE, ActionItem.Status.DROPPED},
    ActionItem.Status.DONE: {ActionItem.Status.OPEN},
    ActionItem.Status.DROPPED: {ActionItem.Status.OPEN},
}


@transaction.atomic
def action_item_set_status(
    *,
    actor: User,
    item: ActionItem,
    status: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> ActionItem:
    """Done, dropped (with a reason), or open again. Conditional on the status the user saw."""
    _require_recorder(actor, item.forum)
    from_status = item.status
    if status not in ACTION_TRANSITIONS.get(from_status, set()):
        raise ValidationError({"status": _("This action item cannot take that status.")})
    if status == ActionItem.Status.DROPPED and not note.strip():
        raise ValidationError({"note": _("Say why the action item is dropped.")})
    now = now or timezone.now()
    changes = {
        "status": status,
        "status_note": note.strip()[:500],
        "closed_at": None if status == ActionItem.Status.OPEN else now,
    }
    if not ActionItem.objects.filter(pk=item.pk, status=from_status).update(**changes):
        raise StatusConflict(
            _("Someone else changed this action item a moment ago. Reload the page.")
        )
    for name, value in changes.items():
        setattr(item, name, value)
    _log(
        item.forum,
        ForumEvent.Kind.ACTION_STATUS,
        actor=actor,
        meeting=item.meeting,
        note=item.what,
        from_status=from_status,
        to_status=status,
    )
    return item


# --- Files -------------------------------------------------------------------------------------


@transaction.atomic
def meeting_add_files(*, actor: User, meeting: Meeting, kind: str, files) -> list[MeetingFile]:
    """Photos and attendance-sheet scans, already checked and re-encoded by
    `issues.photos.prepare_photos`."""
    _require_recorder(actor, meeting.forum)
    _require_open_meeting(meeting)
    if kind not in MeetingFile.Kind.values:
        raise ValidationError({"kind": _("Choose what the file is.")})
    created = []
    for file in files:
        thumbnail = thumbnail_of(file.read())
        file.seek(0)
        created.append(
            MeetingFile.objects.create(
                meeting=meeting, kind=kind, image=file, thumbnail=thumbnail, uploaded_by=actor
            )
        )
    if created:
        _log(
            meeting.forum,
            ForumEvent.Kind.FILE_ADDED,
            actor=actor,
            meeting=meeting,
            note=in_portal_language(MeetingFile.Kind(kind).label),
        )
    return created


# --- Reminders ---------------------------------------------------------------------------------


def reminder_recipients(meeting: Meeting) -> list[tuple[str, bool]]:
    """(address, is_officer): the desa's Bhabinkamtibmas and the sitting members with an
    address (their own, or their account's)."""
    forum = meeting.forum
    villages = [forum.village_id, *forum.other_villages.values_list("pk", flat=True)]
    officers = (
        Assignment.objects.active()
        .filter(village_id__in=villages, officer__user__is_active=True)
        .values_list("officer__user__email", flat=True)
    )
    members = Member.objects.active(forum.local(meeting.scheduled_at).date()).filter(forum=forum)
    addresses: dict[str, bool] = {email.lower(): True for email in officers if email}
    for email, account_email in members.values_list("email", "user__email"):
        address = (email or account_email or "").lower()
        if address:
            addresses.setdefault(address, False)
    return sorted(addresses.items())


def _reminders_follow(meeting: Meeting, *, now: datetime.datetime) -> None:
    """After a reschedule. A reminder not sent yet was written for the old time: it is dropped
    (a task already queued for it finds nothing), and the hourly job claims the meeting again
    before its new time (the caller cleared `reminders_queued_at`). A reminder already sent
    gave the old date, time or place: it is kept as history, superseded, and its recipient is
    told of the change now, by the same mail, rather than days later or never."""
    current = Reminder.objects.filter(meeting=meeting, superseded_at__isnull=True)
    # On PostgreSQL a reminder being sent right now holds its row: the DELETE waits, then
    # leaves it (sent by then), and the query below finds it among those to tell again. A
    # notice of an earlier move not sent yet stays: it gives the meeting's time when it goes.
    current.filter(sent_at__isnull=True, announces_change=False).delete()
    sent = current.filter(sent_at__isnull=False)
    told = list(sent.values_list("recipient", "for_officer", "language"))
    sent.update(superseded_at=now)
    created = Reminder.objects.bulk_create(
        [
            Reminder(
                meeting=meeting,
                recipient=recipient,
                for_officer=for_officer,
                language=language,
                announces_change=True,
                created_at=now,
            )
            for recipient, for_officer, language in told
        ]
    )
    notifications.send_after_commit([reminder.pk for reminder in created])


def meeting_reminders_due(
    *, now: datetime.datetime | None = None, before: datetime.timedelta = REMIND_BEFORE
) -> int:
    """Queue reminders for planned meetings in the next few days. Each meeting is claimed by a
    conditional update (reminders_queued_at IS NULL) before its reminder rows are written, and
    each (meeting, recipient) row is unique: running twice mails nobody twice."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=Status.PLANNED,
        reminders_queued_at__isnull=True,
        scheduled_at__gt=now,
        scheduled_at__lte=now + before,
    )
    queued = 0
    for meeting_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            # The whole condition again: the meeting may have been rescheduled out of the
            # window since the list above was read.
            claimed = due.filter(pk=meeting_id).update(reminders_queued_at=now)
            if not claimed:
                continue
            meeting = Meeting.objects.select_related("forum__village").get(pk=meeting_id)
            # A notice of a move sent long before the new time (a meeting moved weeks ahead)
            # reminds nobody: the usual reminder replaces it.
            Reminder.objects.filter(
                meeting=meeting,
                superseded_at__isnull=True,
                announces_change=True,
                sent_at__isnull=False,
                created_at__lt=meeting.scheduled_at - before,
            ).update(superseded_at=now)
            ids = []
            for address, is_officer in reminder_recipients(meeting):
                # Someone already told of a rescheduled meeting's new time is not told twice.
                reminder, created = Reminder.objects.get_or_create(
                    meeting=meeting,
                    recipient=address,
                    superseded_at__isnull=True,
                    defaults={"for_officer": is_officer, "language": settings.LANGUAGE_CODE},
                )
                if created:
                    ids.append(reminder.pk)
            notifications.send_after_commit(ids)
            queued += len(ids)
    return queued


def forums_officer_changed(*, actor: User, village: Village, previous, new) -> int:
    """Record in the history of every forum covering `village` that its Bhabinkamtibmas
    changed, and how many open action items that moves to the new officer: the items stay
    with the forum, so from now on they show on the new officer's day. Called by
    `officers.services.village_reassign`."""
    forums = list(
        Forum.objects.filter(selectors.covering([village.pk])).annotate(
            open_item_count=Count(
                "action_items", filter=Q(action_items__status=ActionItem.Status.OPEN)
            )
        )
    )
    # The forum's log is written in the portal's language (see `in_portal_language`).
    with translation.override(settings.LANGUAGE_CODE):
        change = _("From %(old)s to %(new)s") % {
            "old": previous.user.name if previous else "—",
            "new": new.user.name,
        }
        for forum in forums:
            note = change
            if forum.open_item_count:
                note += "; " + ngettext(
                    "%(count)d open action item now falls to %(new)s",
                    "%(count)d open action items now fall to %(new)s",
                    forum.open_item_count,
                ) % {"count": forum.open_item_count, "new": new.user.name}
            _log(forum, ForumEvent.Kind.OFFICER_CHANGED, actor=actor, note=note)
    return len(forums)
