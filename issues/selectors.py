"""Reads of problems, already scoped to the user and already joined."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    F,
    OuterRef,
    PositiveSmallIntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from forums.models import Meeting, MeetingProblem
from issues.models import OVERDUE_AFTER, Feedback, Problem, ProblemEvent, ProblemPhoto
from issues.workflow import OPEN_STATUSES, Status
from portal import scope
from territory.codes import dotted_code
from territory.models import Village

Role = User.Role
# Roles that need the reporter's identity to do their work (and operators, to stop abuse).
REPORTER_VISIBLE_TO = {
    Role.OFFICER,
    Role.KAPOLSEK,
    Role.POLRES_COMMANDER,
    Role.POLRES_STAFF,
    Role.OPERATOR,
}
# A signed-in resident who left "the officer may know my name" unticked: the police of the area
# do not see who they are (operators still do, to stop abuse). They follow the problem in their
# account, so the police need no contact. (An officer who files a problem is no resident; a
# forum's secretary who raises one at a meeting does so openly and was never asked.)
NAME_WITHHELD = Q(reporter__role=Role.RESIDENT, reporter_named=False) & ~Q(
    source=Problem.Source.FORUM
)


def _in_area(user, villages) -> Q:
    """The problems of `villages`, and an officer's own open assignments in other desa of
    their Polsek: a Kapolsek may give a problem to any officer of the Polsek, say for a desa
    without one. Once it is closed, or the officer has moved to another unit, it is theirs no
    more."""
    in_area = Q(village__in=villages)
    if user.role == Role.OFFICER:
        in_area |= Q(
            assigned_to__user=user,
            assigned_to__unit_id=F("village__polsek_id"),
            status__in=OPEN_STATUSES,
        )
    return in_area


def problems_visible_to(user) -> QuerySet[Problem]:
    """Every problem the user may open: police and operators by area (operators also see what
    they hid), residents their own reports. Public problems are read through
    `public_problems` instead."""
    problems = Problem.objects.all()
    if not user.is_authenticated or not user.is_active:
        return problems.none()
    if user.role == Role.OPERATOR:
        return problems
    if user.role == Role.RESIDENT:
        return problems.filter(reporter=user, is_hidden=False)
    return problems.filter(_in_area(user, scope.visible_villages(user)), is_hidden=False)


def problems_workable_by(user) -> QuerySet[Problem]:
    """The problems the user may move through the SARA cycle."""
    if not user.is_authenticated or not user.is_police:
        return Problem.objects.none()
    return Problem.objects.filter(_in_area(user, scope.workable_villages(user)), is_hidden=False)


def problems_listed_for_api(user) -> QuerySet[Problem]:
    """What the API lists for a user: the public problems and those the user may open, each
    annotated with `in_area` (the police of its area and operators: internal notes) and
    `reporter_visible` (the roles of REPORTER_VISIBLE_TO, in their area, unless the reporter
    withheld their name)."""
    problems = Problem.objects.public() | problems_visible_to(user)
    police = user.is_authenticated and (user.is_police or user.role == Role.OPERATOR)
    if police and user.role == Role.OPERATOR:
        in_area = Value(True)
    elif police:
        in_area = Case(
            When(_in_area(user, scope.visible_villages(user)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    else:
        in_area = Value(False)
    if police and user.role == Role.OPERATOR:
        reporter_visible = Value(True)
    elif police and user.role in REPORTER_VISIBLE_TO:
        reporter_visible = Case(
            When(_in_area(user, scope.visible_villages(user)) & ~NAME_WITHHELD, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    else:
        reporter_visible = Value(False)
    return problems.select_related("village", "category").annotate(
        in_area=in_area, reporter_visible=reporter_visible
    )


def can_see_reporter(user, problem: Problem) -> bool:
    if not user.is_authenticated or user.role not in REPORTER_VISIBLE_TO:
        return False
    if user.role == Role.OPERATOR:
        return True
    if name_withheld(problem):
        return False
    return problems_workable_by(user).filter(pk=problem.pk).exists()


def name_withheld(problem: Problem) -> bool:
    """NAME_WITHHELD for one problem."""
    return (
        problem.reporter_id is not None
        and not problem.reporter_named
        and problem.source != Problem.Source.FORUM
        and problem.reporter.role == Role.RESIDENT
    )


@dataclass
class FollowUp:
    """The work done on a problem outside its SARA steps: the forum meetings that raised,
    discussed or reviewed it (MeetingProblem, with meeting and forum) and the visits that
    followed it up (with officer and user), each oldest first."""

    meetings: list
    visits: list

    @property
    def held_meetings(self) -> list:
        """The links of meetings that took place: a planned or cancelled one discussed nothing."""
        return [m for m in self.meetings if m.meeting.status == Meeting.Status.HELD]

    @property
    def raised_at(self):
        """The meeting the problem was raised at, if it was."""
        raised = (m.meeting for m in self.meetings if m.kind == MeetingProblem.Kind.RAISED)
        return next(raised, None)


def follow_up(problem: Problem) -> FollowUp:
    meetings = problem.forum_meetings.select_related("meeting__forum")
    visits = problem.visits.select_related("officer__user")
    return FollowUp(
        meetings=list(meetings.order_by("meeting__scheduled_at")),
        visits=list(visits.order_by("visited_at")),
    )


def public_problems(*, village=None) -> QuerySet[Problem]:
    """The problems anyone may see, joined for a list row (desa, category, assigned officer),
    with their public notes in `public_events` and only their public photos in `photos`."""
    problems = Problem.objects.public().select_related("category", "village", "assigned_to__user")
    if village is not None:
        problems = problems.filter(village=village)
    return problems.prefetch_related(
        Prefetch(
            "events",
            queryset=ProblemEvent.objects.filter(is_public=True, is_hidden=False),
            to_attr="public_events",
        ),
        # Without to_attr on purpose: `problem.photos.all()` then holds only the photos of the
        # report as filed publicly, for every caller (a later plain prefetch of "photos" reuses
        # this one). What the reporter or an officer added later is for the police.
        Prefetch("photos", queryset=ProblemPhoto.objects.filter(is_public=True)),
    )


def with_list_joins(problems: QuerySet[Problem]) -> QuerySet[Problem]:
    """What a list row shows: desa, kecamatan, category, assigned officer."""
    return problems.select_related("village__district", "category", "assigned_to__user")


def filter_problems(
    problems: QuerySet[Problem],
    *,
    status="",
    category=None,
    older_than_days=None,
    overdue=False,
    now=None,
) -> QuerySet[Problem]:
    now = now or timezone.now()
    if status == "open":
        problems = problems.open()
    elif status:
        problems = problems.filter(status=status)
    if category is not None:
        problems = problems.filter(category=category)
    if older_than_days:
        problems = problems.filter(created_at__lte=now - datetime.timedelta(days=older_than_days))
    if overdue:
        problems = overdue_problems(problems, now=now)
    return problems


def overdue_condition(now=None) -> Q:
    """No officer action within 48 hours of the report (`Problem.is_overdue`)."""
    now = now or timezone.now()
    return Q(
        status__in=[Status.NEW, Status.REOPENED],
        first_action_at__isnull=True,
        created_at__lte=now - OVERDUE_AFTER,
    )


def overdue_problems(problems: QuerySet[Problem], *, now=None) -> QuerySet[Problem]:
    return problems.filter(overdue_condition(now))


def reporter_timeline(problem: Problem) -> list[ProblemEvent]:
    """What the reporter's page lists of a problem's history (its events prefetched): every
    step of the cycle, as the status mails tell it, their own additions and what was made
    public; never a hidden event. An officer's note on a step shows only when it was made
    public (issues/partials/_events.html)."""
    return [
        e
        for e in problem.events.all()
        if not e.is_hidden
        and (e.is_public or e.by_reporter or e.kind == ProblemEvent.Kind.TRANSITION)
    ]


def history(events: QuerySet[ProblemEvent]) -> QuerySet[ProblemEvent]:
    """A problem's events as its page shows them: a feedback event with `feedback_rating`, the
    rating the reporter gave with it (None when they gave none; whether they said it is solved
    is the event's own `feedback_solved`). In the same query as the events: the event has no
    link to its Feedback row, which services.problem_feedback writes with the same time, so
    its answer is the latest one written at or before it."""
    answer = Feedback.objects.filter(
        problem_id=OuterRef("problem_id"), created_at__lte=OuterRef("created_at")
    ).order_by("-created_at", "-pk")
    return events.annotate(
        feedback_rating=Case(
            When(kind=ProblemEvent.Kind.FEEDBACK, then=Subquery(answer.values("rating")[:1])),
            default=None,
            output_field=PositiveSmallIntegerField(),
        )
    )


def problem_for_user_or_404(user, reference: str) -> Problem:
    try:
        return (
            with_list_joins(problems_visible_to(user))
            .select_related("reporter", "duplicate_of", "village__polsek")
            .prefetch_related(
                Prefetch("events", queryset=history(ProblemEvent.objects.select_related("actor"))),
                "photos",
            )
            .get(reference=reference)
        )
    except Problem.DoesNotExist:
        raise Http404 from None


def problem_by_tracking_or_404(reference: str, code: str) -> Problem:
    """The reporter's view through the secret tracking code: no account needed."""
    try:
        return (
            Problem.objects.select_related("village", "category", "duplicate_of")
            .prefetch_related(
                Prefetch("events", queryset=history(ProblemEvent.objects.filter(is_hidden=False))),
                "photos",
            )
            .get(
                reference=reference.strip().upper(),
                tracking_code_hash=Problem.hash_tracking_code(code),
            )
        )
    except Problem.DoesNotExist:
        raise Http404 from None


def photo_visible_or_404(user, photo_id: int, *, tracked_problem_ids=()) -> ProblemPhoto:
    """A photo is served only to someone who may see it: anyone for a public photo of a public
    problem (the photos of the report as filed), else only those who may see the problem
    privately: the police of its area, operators, the reporter's account, or a browser that
    opened the problem's tracking link."""
    try:
        photo = ProblemPhoto.objects.select_related("problem__category").get(pk=photo_id)
    except ProblemPhoto.DoesNotExist:
        raise Http404 from None
    problem = photo.problem
    if photo.is_public and problem.is_public:
        return photo
    if problem.pk in set(tracked_problem_ids):
        return photo
    if problems_visible_to(user).filter(pk=problem.pk).exists():
        return photo
    raise Http404


def villages_matching(user, text: str) -> QuerySet[Village]:
    """The desa of the user's area that a filter names: by its code (32.04.05.2001, or
    3204052001 as a spreadsheet writes it) or by a part of its name ("sukamaju")."""
    return scope.visible_villages(user).filter(Q(code=dotted_code(text)) | Q(name__icontains=text))
