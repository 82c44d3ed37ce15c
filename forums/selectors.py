"""Reads of forums, already scoped to the user and already joined.

Who may do what (the issue's rule 5, on top of `portal.scope`):

- read a forum's whole record (members, minutes, attendance, internal notes): the police whose
  scope covers one of its desa (Bhabinkamtibmas, Kapolsek, Polres, Polda viewer), operators,
  and the forum's sitting secretary;
- record meetings (attendance, minutes, problems, action items, files, held or cancelled):
  the desa's Bhabinkamtibmas (`scope.workable_villages`) and the sitting secretary;
- create a forum, set its schedule, keep its member list: the desa's Bhabinkamtibmas, the
  Kapolsek, the Polres (commander and staff) and operators;
- the public page (next meeting, public summaries): anyone for a public forum; for a forum
  that is not public, the residents of its desa and whoever may read its record.

Everyone else gets a 404.
"""

import datetime
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from forums.models import (
    ActionItem,
    Attendance,
    Forum,
    Meeting,
    MeetingFile,
    MeetingProblem,
    Member,
)
from issues.models import Problem
from issues.selectors import problems_visible_to
from issues.workflow import CLOSED_STATUSES
from portal import scope
from territory.models import Village

Role = User.Role
MANAGER_ROLES = {
    Role.OFFICER,
    Role.KAPOLSEK,
    Role.POLRES_COMMANDER,
    Role.POLRES_STAFF,
    Role.OPERATOR,
}
# How many held meetings a desa's public page lists.
PUBLIC_MEETINGS = 5


def covering(villages) -> Q:
    """Forums that cover any of `villages` (a queryset or a list of ids): their own desa or,
    for an area forum, one of the further desa. One EXISTS, no DISTINCT."""
    further = Forum.other_villages.through.objects.filter(
        forum_id=OuterRef("pk"), village_id__in=villages
    )
    return Q(village__in=villages) | Q(Exists(further))


def _secretary_forum_ids(user):
    return Member.objects.active().filter(user=user, role=Member.Role.SECRETARY).values("forum_id")


def forums_visible_to(user) -> QuerySet[Forum]:
    """Forums whose whole record the user may read."""
    forums = Forum.objects.all()
    if not user.is_authenticated or not user.is_active:
        return forums.none()
    if user.role == Role.OPERATOR:
        return forums
    if user.role == Role.RESIDENT:
        return forums.filter(pk__in=_secretary_forum_ids(user))
    return forums.filter(covering(scope.visible_villages(user)))


def forums_recordable_by(user) -> QuerySet[Forum]:
    """Forums whose meetings the user may record: the desa's Bhabinkamtibmas and the sitting
    secretary. Kapolsek and Polres read them; they do not keep another desa's minutes."""
    forums = Forum.objects.all()
    if not user.is_authenticated or not user.is_active:
        return forums.none()
    if user.role == Role.RESIDENT:
        return forums.filter(pk__in=_secretary_forum_ids(user))
    if user.role == Role.OFFICER:
        return forums.filter(covering(scope.workable_villages(user)))
    return forums.none()


def villages_manageable_by(user) -> QuerySet[Village]:
    """The desa where the user may create a forum and keep its schedule and members."""
    if not user.is_authenticated or not user.is_active or user.role not in MANAGER_ROLES:
        return Village.objects.none()
    return scope.workable_villages(user)


def forums_manageable_by(user) -> QuerySet[Forum]:
    if not user.is_authenticated or user.role not in MANAGER_ROLES:
        return Forum.objects.none()
    if user.role == Role.OPERATOR:
        return Forum.objects.all()
    return Forum.objects.filter(covering(villages_manageable_by(user)))


def forums_public_to(user) -> QuerySet[Forum]:
    """Forums whose public page the user may open."""
    allowed = Q(is_public=True)
    if user.is_authenticated and user.is_active:
        if user.village_id:
            allowed |= covering([user.village_id])
        allowed |= Q(pk__in=forums_visible_to(user).values("pk"))
        allowed |= Q(pk__in=Member.objects.active().filter(user=user).values("forum_id"))
    return Forum.objects.filter(allowed)


# Batch work (the demo) calls many services as the same few users; asking each right once per
# (user, forum) there saves most of its queries. Off unless a caller opts in with
# `cached_permissions()`: a request always asks the database, so a right revoked a moment ago
# is never used.
_permission_cache: ContextVar[dict | None] = ContextVar("forum_permission_cache", default=None)


@contextmanager
def cached_permissions():
    token = _permission_cache.set({})
    try:
        yield
    finally:
        _permission_cache.reset(token)


def _asked(right: str, user, forum: Forum, forums: Callable[[object], QuerySet[Forum]]) -> bool:
    cache = _permission_cache.get()
    key = (right, getattr(user, "pk", None), forum.pk)
    if cache is not None and key in cache:
        return cache[key]
    allowed = forums(user).filter(pk=forum.pk).exists()
    if cache is not None:
        cache[key] = allowed
    return allowed


def can_read(user, forum: Forum) -> bool:
    return _asked("read", user, forum, forums_visible_to)


def can_record(user, forum: Forum) -> bool:
    return _asked("record", user, forum, forums_recordable_by)


def can_manage(user, forum: Forum) -> bool:
    return _asked("manage", user, forum, forums_manageable_by)


def can_plan(user, forum: Forum) -> bool:
    """Plan a meeting and move a planned one: whoever records the meetings or manages the
    forum (`services.meeting_plan`, `services.meeting_reschedule`)."""
    return can_record(user, forum) or can_manage(user, forum)


@dataclass(frozen=True)
class Permissions:
    """What the user may do on one forum's pages, asked once per request."""

    read: bool
    record: bool
    manage: bool

    @classmethod
    def of(cls, user, forum: Forum) -> "Permissions":
        return cls(
            read=can_read(user, forum),
            record=can_record(user, forum),
            manage=can_manage(user, forum),
        )


# --- Lists -------------------------------------------------------------------------------------


def _next_meeting(now) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        forum=OuterRef("pk"), status=Meeting.Status.PLANNED, scheduled_at__gte=now
    ).order_by("scheduled_at")


def with_list_annotations(forums: QuerySet[Forum], *, now=None) -> QuerySet[Forum]:
    """What a forum list row shows, in the same query as the forums: desa and kecamatan, the
    next planned meeting, the last held one and the number of open action items."""
    now = now or timezone.now()
    last_held = Meeting.objects.filter(forum=OuterRef("pk"), status=Meeting.Status.HELD).order_by(
        "-scheduled_at"
    )
    open_items = (
        ActionItem.objects.filter(forum=OuterRef("pk"), status=ActionItem.Status.OPEN)
        .order_by()
        .values("forum")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return forums.select_related("village__district").annotate(
        next_meeting_at=Subquery(_next_meeting(now).values("scheduled_at")[:1]),
        next_meeting_place=Subquery(_next_meeting(now).values("place")[:1]),
        last_held_at=Subquery(last_held.values("scheduled_at")[:1]),
        open_item_count=Subquery(open_items),
    )


def forum_for_user_or_404(user, pk: int) -> Forum:
    """One forum whose record the user may read, with its desa and schedule."""
    try:
        return (
            forums_visible_to(user)
            .select_related("village__district__regency", "village__polsek", "schedule")
            .get(pk=pk)
        )
    except Forum.DoesNotExist:
        raise Http404 from None


def forum_public_or_404(user, pk: int) -> Forum:
    try:
        return (
            forums_public_to(user)
            .select_related("village__district__regency", "schedule")
            .get(pk=pk)
        )
    except Forum.DoesNotExist:
        raise Http404 from None


def forum_by_calendar_token_or_404(pk: int, token: str) -> Forum:
    try:
        return Forum.objects.select_related("village").get(pk=pk, calendar_token=token)
    except Forum.DoesNotExist:
        raise Http404 from None


def members_of(forum: Forum, *, include_former: bool = False) -> QuerySet[Member]:
    members = forum.members.select_related("user")
    if not include_former:
        members = members.active()
    return members.order_by("left_on", "name")


def meetings_of(forum: Forum) -> QuerySet[Meeting]:
    """A forum's meetings, newest first, each with its attendance count: one query a page."""
    return forum.meetings.annotate(member_count=Count("attendance")).order_by("-scheduled_at")


def upcoming_meetings(forum: Forum, *, now=None, limit: int = 3) -> list[Meeting]:
    now = now or timezone.now()
    return list(
        forum.meetings.filter(status=Meeting.Status.PLANNED, scheduled_at__gte=now).order_by(
            "scheduled_at"
        )[:limit]
    )


def meeting_for_user_or_404(user, forum_pk: int, pk: int) -> Meeting:
    """One meeting of a forum the user may read, with everything its page shows."""
    forum = forum_for_user_or_404(user, forum_pk)
    try:
        meeting = (
            forum.meetings.select_related("recorded_by")
            .prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=Attendance.objects.select_related("member").order_by("member__name"),
                ),
                Prefetch(
                    "problem_links",
                    queryset=MeetingProblem.objects.select_related("problem__category"),
                ),
                Prefetch(
                    "action_items",
                    queryset=ActionItem.objects.select_related("owner_member", "problem"),
                ),
                "files",
            )
            .get(pk=pk)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None
    meeting.forum = forum
    return meeting


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting held before this one."""
    return (
        Meeting.objects.filter(
            forum_id=meeting.forum_id,
            status=Meeting.Status.HELD,
            scheduled_at__lt=meeting.scheduled_at,
        )
        .order_by("-scheduled_at")
        .first()
    )


def sees_private_problems(user) -> bool:
    """Private problems (KDRT, a family quarrel) are for the police and operators. A forum's
    secretary is a civilian who reads the forum's record: a private problem on its agenda
    shows them its reference, never its title."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_police or user.is_operator)
    )


def title_withheld(problem: Problem, user) -> bool:
    """Whether a forum's pages, print-out and PDF show `user` the problem's reference only: a
    private problem's title is for the police and operators, the title of one an operator hid
    (abuse) for operators alone."""
    if problem.is_hidden:
        return not (user.is_authenticated and user.is_operator)
    return problem.is_private and not sees_private_problems(user)


def problem_title_for(problem: Problem, user) -> str:
    """The problem's title as `user` may read it on a forum's pages, print-out and PDF."""
    return _("a private problem") if title_withheld(problem, user) else problem.title


@dataclass(frozen=True)
class ProblemPages:
    """Where a problem's reference may link on a forum page for one user: the police page
    (`issues:detail`) for the problems they may open there, the public page for the public
    ones, no link for the rest (a secretary is no police: the police page answers them 404)."""

    detail: frozenset[int] = frozenset()
    public: frozenset[int] = frozenset()

    def url(self, problem: Problem) -> str:
        if problem.pk in self.detail:
            return reverse("issues:detail", args=[problem.reference])
        if problem.pk in self.public:
            return reverse("issues:public", args=[problem.reference])
        return ""


def problem_pages_for(user, problems) -> ProblemPages:
    """`ProblemPages` for the problems of a page (Problem objects or ids, None skipped), asked
    once per page: one query, none without problems. The same rules as the problem pages:
    `issues.selectors.problems_visible_to` for the police page, `Problem.objects.public()` for
    the public one."""
    ids = {getattr(p, "pk", p) for p in problems if p is not None}
    if not ids:
        return ProblemPages()
    visible = problems_visible_to(user).filter(pk=OuterRef("pk"))
    public = Problem.objects.public().filter(pk=OuterRef("pk"))
    rows = (
        Problem.objects.filter(pk__in=ids)
        .annotate(opens=Exists(visible), is_public=Exists(public))
        .values_list("pk", "opens", "is_public")
    )
    detail, public_ids = set(), set()
    for pk, opens, is_public in rows:
        if opens:
            detail.add(pk)
        elif is_public:
            public_ids.add(pk)
    return ProblemPages(detail=frozenset(detail), public=frozenset(public_ids))


def carried_over_problems(meeting: Meeting) -> list[Problem]:
    """The agenda opens with these: the problems the previous held meeting looked at, with
    their current SARA status. A problem already closed at that meeting is not carried again:
    the forum heard it was solved (or referred, or rejected) and moves on. Private problems
    are among them: show each through `problem_title_for`."""
    previous = previous_meeting(meeting)
    if previous is None:
        return []
    on_agenda = (
        MeetingProblem.objects.filter(meeting=previous)
        .exclude(status_at_meeting__in=CLOSED_STATUSES)
        .values("problem_id")
    )
    return list(
        Problem.objects.filter(pk__in=on_agenda, is_hidden=False)
        .select_related("category")
        .order_by("created_at")
    )


def open_items_of(forum: Forum, *, before: Meeting | None = None) -> QuerySet[ActionItem]:
    """Open action items of the forum, oldest due first; with `before`, those agreed at
    earlier meetings (they come back on its agenda)."""
    items = forum.action_items.filter(status=ActionItem.Status.OPEN)
    if before is not None:
        items = items.filter(meeting__scheduled_at__lt=before.scheduled_at)
    return items.select_related("owner_member", "problem", "meeting").order_by(
        "due_on", "created_at"
    )


def linkable_problems(meeting: Meeting, *, viewer) -> QuerySet[Problem]:
    """Problems of the forum's desa that `viewer` may put on the meeting's agenda: not hidden,
    not already on it, newest first; private ones only for the police and operators (the
    secretary would read their titles in the picker)."""
    villages = [
        meeting.forum.village_id,
        *meeting.forum.other_villages.values_list("pk", flat=True),
    ]
    problems = Problem.objects.filter(village_id__in=villages, is_hidden=False)
    if not sees_private_problems(viewer):
        problems = problems.filter(is_private=False)
    return (
        problems.exclude(forum_meetings__meeting=meeting)
        .select_related("category")
        .order_by("-created_at")
    )


def open_action_items_for(user) -> QuerySet[ActionItem]:
    """Open action items of the forums the user may read, overdue and soonest due first: the
    Bhabinkamtibmas's day shows them (slice it). Joined with forum, desa, meeting, owner."""
    return (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, forum__in=forums_visible_to(user))
        .select_related("forum__village", "meeting", "owner_member", "problem")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )


def file_visible_or_404(user, pk: int) -> MeetingFile:
    """Meeting photos and attendance sheets name people: only those who may read the forum's
    record see them."""
    try:
        item = MeetingFile.objects.select_related("meeting").get(pk=pk)
    except MeetingFile.DoesNotExist:
        raise Http404 from None
    if not forums_visible_to(user).filter(pk=item.meeting.forum_id).exists():
        raise Http404
    return item


# --- For other apps: the desa page, the officer's day, the commander's views --------------------


def _forums_covering(ids: list[int], now) -> QuerySet[Forum]:
    """Forums covering the desa `ids`, each with its next meeting's id and its further desa."""
    return (
        Forum.objects.filter(covering(ids))
        .annotate(next_meeting_id=Subquery(_next_meeting(now).values("pk")[:1]))
        .prefetch_related("other_villages")
        .only("pk", "village_id")
    )


def _covered(forum: Forum, wanted: set[int]) -> set[int]:
    return {forum.village_id, *(v.pk for v in forum.other_villages.all())} & wanted


def _next_by_village(forums: list[Forum], wanted: set[int]) -> dict[int, Meeting]:
    """The soonest next meeting among the forums covering each desa (one query, none when no
    forum has one)."""
    ids = [f.next_meeting_id for f in forums if f.next_meeting_id]
    if not ids:
        return {}
    meetings = Meeting.objects.select_related("forum__village").in_bulk(ids)
    result: dict[int, Meeting] = {}
    for forum in forums:
        if not forum.next_meeting_id:
            continue
        meeting = meetings[forum.next_meeting_id]
        for village_id in _covered(forum, wanted):
            if village_id not in result or meeting.scheduled_at < result[village_id].scheduled_at:
                result[village_id] = meeting
    return result


def next_meeting_for_villages(villages, *, now=None) -> dict[int, Meeting]:
    """For each desa (a queryset or list of Village or ids), the next planned meeting of a forum
    that covers it, keyed by village id; desa without one are absent. Three queries whatever the
    number of desa: the forums covering them with their next meeting's id, the further desa of
    area forums, the meetings (with forum and desa)."""
    now = now or timezone.now()
    ids = _village_ids(villages)
    if not ids:
        return {}
    forums = list(_forums_covering(ids, now).filter(next_meeting_id__isnull=False))
    return _next_by_village(forums, set(ids))


@dataclass
class VillageForumWork:
    """What the forums covering one desa hold for its officer."""

    next_meeting: Meeting | None = None
    open_items: list[ActionItem] = field(default_factory=list)


def forum_work_for_villages(villages, *, now=None) -> dict[int, VillageForumWork]:
    """For each desa (a queryset or list of Village or ids), keyed by village id: the next
    planned meeting of a forum covering it and the open action items of those forums, overdue
    and soonest due first (an area forum's items count for each desa it covers). Four queries
    whatever the number of desa: the forums with their next meeting's id, the further desa of
    area forums, the meetings, and the open action items (with forum, desa, meeting, owner and
    problem)."""
    now = now or timezone.now()
    ids = _village_ids(villages)
    result = {pk: VillageForumWork() for pk in ids}
    if not ids:
        return result
    forums = list(_forums_covering(ids, now))
    if not forums:
        return result
    wanted = set(ids)
    for village_id, meeting in _next_by_village(forums, wanted).items():
        result[village_id].next_meeting = meeting
    covered = {forum.pk: _covered(forum, wanted) for forum in forums}
    items = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN, forum_id__in=covered)
        .select_related("forum__village", "meeting", "owner_member", "problem")
        .order_by(F("due_on").asc(nulls_last=True), "created_at")
    )
    for item in items:
        for village_id in covered[item.forum_id]:
            result[village_id].open_items.append(item)
    return result


def meetings_held_count(officer_user, since: datetime.datetime | datetime.date) -> int:
    """Meetings held since `since` by the forums the user may read: an officer's desa, or a
    Kapolsek's or Polres commander's whole area. One query."""
    if isinstance(since, datetime.date) and not isinstance(since, datetime.datetime):
        since = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    return Meeting.objects.filter(
        forum__in=forums_visible_to(officer_user),
        status=Meeting.Status.HELD,
        scheduled_at__gte=since,
    ).count()


@dataclass
class VillageForum:
    forum: Forum
    next_meeting: Meeting | None
    held: list[Meeting] = field(default_factory=list)
    can_read: bool = False


def forums_for_village_page(village: Village, *, user, now=None) -> list[VillageForum]:
    """The "Forum" section of a desa's public page: each forum covering the desa that the user
    may see publicly, its next meeting and its last held meetings (public summaries only).
    Four queries: forums, next meetings, held meetings, and what the user may read."""
    now = now or timezone.now()
    forums = list(
        forums_public_to(user)
        .filter(covering([village.pk]))
        .select_related("village")
        .annotate(next_meeting_id=Subquery(_next_meeting(now).values("pk")[:1]))
        .order_by("kind", "name")
    )
    if not forums:
        return []
    next_ids = [f.next_meeting_id for f in forums if f.next_meeting_id]
    upcoming = Meeting.objects.in_bulk(next_ids) if next_ids else {}
    held = public_meetings(forums)
    readable = set(
        forums_visible_to(user).filter(pk__in=[f.pk for f in forums]).values_list("pk", flat=True)
    )
    return [
        VillageForum(
            forum=forum,
            next_meeting=upcoming.get(forum.next_meeting_id),
            held=held.get(forum.pk, []),
            can_read=forum.pk in readable,
        )
        for forum in forums
    ]


def public_meetings(forums, *, limit: int = PUBLIC_MEETINGS) -> dict[int, list[Meeting]]:
    """The last held meetings of each forum, for public pages: one query over all the forums
    (the attendance count annotated), cut to `limit` each in Python — a forum holds ~12
    meetings a year, and only the last year is read."""
    since = timezone.now() - datetime.timedelta(days=400)
    meetings = (
        Meeting.objects.filter(
            forum__in=[f.pk for f in forums], status=Meeting.Status.HELD, scheduled_at__gte=since
        )
        .annotate(member_count=Count("attendance"))
        .order_by("forum_id", "-scheduled_at")
    )
    result: dict[int, list[Meeting]] = {}
    for meeting in meetings:
        bucket = result.setdefault(meeting.forum_id, [])
        if len(bucket) < limit:
            bucket.append(meeting)
    return result


def public_action_items(meetings: list[Meeting]) -> dict[int, list[ActionItem]]:
    """Decisions of meetings whose minutes are not internal, keyed by meeting id: one query."""
    ids = [m.pk for m in meetings if not m.minutes_internal]
    result: dict[int, list[ActionItem]] = {}
    if ids:
        for item in ActionItem.objects.filter(meeting_id__in=ids).order_by("created_at"):
            result.setdefault(item.meeting_id, []).append(item)
    return result


def _village_ids(villages) -> list[int]:
    if isinstance(villages, QuerySet):
        return list(villages.values_list("pk", flat=True))
    return [v.pk if isinstance(v, Village) else int(v) for v in villages]
