"""Reads for the officer's day and the commanders' workload views. Every function answers
with a fixed number of queries, whatever the number of desa or officers."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from forums.models import Meeting
from forums.selectors import forum_work_for_villages
from issues.models import Problem
from issues.selectors import overdue_condition, problems_visible_to, problems_workable_by
from issues.workflow import OPEN_STATUSES, SARA_ORDER, Status
from officers.models import Assignment, Officer, Visit
from portal import scope
from territory.models import PoliceUnit, Village

NOT_VISITED_AFTER = datetime.timedelta(days=30)
VISIT_REMINDER_AFTER = datetime.timedelta(days=14)
# A desa's card on the officer's day lists this many of its open action items.
ACTION_ITEMS_SHOWN = 3
# "Today" lists this many waiting problems and action items; a link leads to the rest.
TODAY_SHOWN = 5


@dataclass
class DesaDay:
    village: Village
    is_primary: bool
    open_by_stage: list[tuple[str, int]] = field(default_factory=list)
    open_count: int = 0
    overdue_count: int = 0
    last_visit: datetime.datetime | None = None
    days_since_visit: int | None = None
    next_meeting: object = None
    # Open action items of the forums covering the desa, overdue and soonest due first.
    open_items: list = field(default_factory=list)

    @property
    def open_item_count(self) -> int:
        return len(self.open_items)

    @property
    def first_open_items(self) -> list:
        return self.open_items[:ACTION_ITEMS_SHOWN]


def visits_visible_to(user) -> QuerySet[Visit]:
    """Officers see their own visits; commanders and operators those of their area."""
    visits = Visit.objects.select_related("officer__user", "village__district")
    if not user.is_authenticated:
        return visits.none()
    if user.role == User.Role.OFFICER:
        return visits.filter(officer__user=user)
    if user.is_police or user.is_operator:
        return visits.filter(village__in=scope.visible_villages(user))
    return visits.none()


def officer_day(user, *, now: datetime.datetime | None = None) -> list[DesaDay]:
    """For each desa of the officer: open problems by stage, overdue ones, days since the last
    visit, the next forum meeting and the forums' open action items. Eight queries whatever
    the number of desa: assignments, problems by stage, overdue problems, last visits, and
    four for the forums (see `forum_work_for_villages`)."""
    now = now or timezone.now()
    assignments = list(
        Assignment.objects.active()
        .filter(officer__user=user)
        .select_related("village__district__regency")
        .order_by("village__name")
    )
    ids = [a.village_id for a in assignments]
    problems = Problem.objects.filter(village__in=ids, is_hidden=False)
    by_stage: dict[int, dict[str, int]] = {}
    for row in (
        problems.filter(status__in=OPEN_STATUSES)
        .values("village_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_stage.setdefault(row["village_id"], {})[row["status"]] = row["n"]
    overdue = dict(
        problems.filter(overdue_condition(now))
        .values_list("village_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    last_visits = dict(
        Visit.objects.filter(village__in=ids)
        .values_list("village_id")
        .annotate(last=Max("visited_at"))
        .order_by()
    )
    forum_work = forum_work_for_villages(ids, now=now)
    order = [*SARA_ORDER, Status.REOPENED]
    days = []
    for assignment in assignments:
        stages = by_stage.get(assignment.village_id, {})
        last = last_visits.get(assignment.village_id)
        days.append(
            DesaDay(
                village=assignment.village,
                is_primary=assignment.is_primary,
                open_by_stage=[(Status(s).label, stages[s]) for s in order if stages.get(s)],
                open_count=sum(stages.values()),
                overdue_count=overdue.get(assignment.village_id, 0),
                last_visit=last,
                days_since_visit=_days_between(last, now) if last else None,
                next_meeting=forum_work[assignment.village_id].next_meeting,
                open_items=forum_work[assignment.village_id].open_items,
            )
        )
    return days


def todo_today(user, days: list[DesaDay], *, now: datetime.datetime | None = None) -> dict:
    """A short list of what to do today: overdue and new problems, desa not visited lately,
    meetings today or tomorrow, and the first open action items, with how many more of each
    the list leaves out. The action items are those `officer_day` found for the desa (the
    forums the officer may read): no query of their own. One query for the waiting problems,
    and one to count them: always, so that the page costs the same queries for 1 problem as
    for 20."""
    now = now or timezone.now()
    # The officer's desa, and what a Kapolsek gave them elsewhere in the Polsek.
    waiting = problems_workable_by(user).filter(status__in=[Status.NEW, Status.REOPENED])
    shown = list(waiting.select_related("village", "category").order_by("created_at")[:TODAY_SHOWN])
    # Counted by status: the problem list filters on one status, so each has its own link.
    counts = waiting.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        reopened=Count("pk", filter=Q(status=Status.REOPENED)),
    )
    more_new = counts["new"] - sum(p.status == Status.NEW for p in shown)
    more_reopened = counts["reopened"] - sum(p.status == Status.REOPENED for p in shown)
    unvisited = [
        d for d in days if d.last_visit is None or now - d.last_visit >= VISIT_REMINDER_AFTER
    ]
    # Forum meetings today or tomorrow (an area forum covers several desa: list it once).
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    soon = {
        d.next_meeting.pk: d.next_meeting
        for d in days
        if d.next_meeting is not None
        and timezone.localdate(d.next_meeting.scheduled_at) <= tomorrow
    }
    # An area forum's items are on several desa: list each once, in the day's order.
    items = sorted({item.pk: item for d in days for item in d.open_items}.values(), key=_due_first)
    return {
        "waiting_problems": shown,
        "more_new_problems": more_new,
        "more_reopened_problems": more_reopened,
        "unvisited": unvisited,
        "meetings_soon": list(soon.values()),
        "action_items": items[:TODAY_SHOWN],
        "more_action_items": len(items[TODAY_SHOWN:]),
    }


def _days_between(then: datetime.datetime, now: datetime.datetime) -> int:
    # Calendar days in the portal's time zone: a visit last evening was "yesterday" this
    # morning, though fewer than 24 hours ago.
    # A visit may be logged a few minutes ahead of the clock: just after midnight it is today.
    return max(0, (timezone.localdate(now) - timezone.localdate(then)).days)


def _due_first(item) -> tuple:
    # The order of `forums.selectors.open_action_items_for`: overdue and soonest due first,
    # undated last, then oldest.
    return (item.due_on is None, item.due_on or datetime.date.min, item.created_at)


def unit_officers(user, *, now: datetime.datetime | None = None) -> QuerySet[Officer]:
    """The Bhabinkamtibmas of the commander's unit with their workload: desa (prefetched),
    the open problems in their care, visits and forum meetings held in their desa this month.
    Three queries.

    A problem is in an officer's care when it is assigned to them, or assigned to nobody in a
    desa where they are the primary officer: most problems are never assigned by hand."""
    now = now or timezone.now()
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    units = scope.visible_units(user)
    primary_here = Assignment.objects.active(timezone.localdate(now)).filter(
        village=OuterRef("village"), officer=OuterRef(OuterRef("pk")), is_primary=True
    )
    open_problems = (
        Problem.objects.filter(status__in=OPEN_STATUSES, is_hidden=False)
        .filter(
            Q(assigned_to=OuterRef("pk")) | (Q(assigned_to__isnull=True) & Exists(primary_here))
        )
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    meetings_held = (
        Meeting.objects.filter(
            status=Meeting.Status.HELD,
            scheduled_at__gte=month_start,
            forum__village__assignments__officer=OuterRef("pk"),
            forum__village__assignments__ends_on__isnull=True,
        )
        .order_by()
        .values("forum__village__assignments__officer")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    visits_this_month = (
        Visit.objects.filter(officer=OuterRef("pk"), visited_at__gte=month_start)
        .order_by()
        .values("officer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Officer.objects.filter(user__role=User.Role.OFFICER, user__is_active=True, unit__in=units)
        .select_related("user", "unit")
        .annotate(
            open_problems=Coalesce(Subquery(open_problems, output_field=IntegerField()), 0),
            visits_this_month=Coalesce(Subquery(visits_this_month, output_field=IntegerField()), 0),
            meetings_held=Coalesce(Subquery(meetings_held, output_field=IntegerField()), 0),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.active()
                .select_related("village")
                .order_by("village__name"),
                to_attr="active_assignments",
            )
        )
        .order_by("unit__name", "user__name")
    )


@dataclass
class AreaToday:
    """What a commander's page opens with: the area's problems waiting for a first action
    beyond 48 hours, those not yet verified, the forum meetings of the coming week and the desa
    without a visit in 30 days."""

    overdue: int
    new: int
    meetings_this_week: int
    not_visited: int


def area_today(user, villages: QuerySet[Village], *, now: datetime.datetime | None = None):
    """Three queries, whatever the size of the area."""
    now = now or timezone.now()
    problems = problems_visible_to(user).filter(status__in=OPEN_STATUSES)
    counts = problems.aggregate(
        overdue=Count("pk", filter=overdue_condition(now)),
        new=Count("pk", filter=Q(status=Status.NEW)),
    )
    meetings = Meeting.objects.filter(
        forum__village__in=villages,
        status=Meeting.Status.PLANNED,
        scheduled_at__gte=now,
        scheduled_at__lt=now + datetime.timedelta(days=7),
    )
    recent_visit = Visit.objects.filter(
        village=OuterRef("pk"), visited_at__gte=now - NOT_VISITED_AFTER
    )
    return AreaToday(
        overdue=counts["overdue"],
        new=counts["new"],
        meetings_this_week=meetings.count(),
        not_visited=villages.exclude(Exists(recent_visit)).count(),
    )


def villages_needing_attention(user, *, now: datetime.datetime | None = None) -> QuerySet:
    """Desa of the area without an officer, or without a visit in 30 days."""
    now = now or timezone.now()
    last_visit = (
        Visit.objects.filter(village=OuterRef("pk"))
        .order_by()
        .values("village")
        .annotate(last=Max("visited_at"))
        .values("last")
    )
    has_officer = Assignment.objects.active().filter(village=OuterRef("pk"))

    return (
        scope.visible_villages(user)
        .annotate(last_visit=Subquery(last_visit), has_officer=Exists(has_officer))
        .filter(
            Q(has_officer=False)
            | Q(last_visit__isnull=True)
            | Q(last_visit__lt=now - NOT_VISITED_AFTER)
        )
        .select_related("district", "polsek")
        .order_by("district__name", "name")
    )


def reassignable_officers(village: Village) -> QuerySet[Officer]:
    """The Bhabinkamtibmas who may take a desa: those of its Polsek."""
    return (
        Officer.objects.filter(
            user__role=User.Role.OFFICER, user__is_active=True, unit_id=village.polsek_id
        )
        .select_related("user")
        .order_by("user__name")
    )


def units_for_import(user) -> QuerySet[PoliceUnit]:
    return scope.visible_units(user).filter(kind=PoliceUnit.Kind.POLSEK)
