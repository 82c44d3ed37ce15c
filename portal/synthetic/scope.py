"""The part of the country a run covers, what activity it already holds, and how `--replace`
clears it: plain DELETEs over sub-selects, children first (millions of rows: the ORM's
collector would load every object it deletes)."""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.utils import translation

from accounts.models import User
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
)
from issues.models import Feedback, Notification, Problem, ProblemEvent, ProblemPhoto
from metrics.models import CrimeImport, CrimeStatistic, SurveyResponse
from officers.models import Assignment, Officer, Visit
from territory.models import PoliceUnit, Village

from .people import EMAIL_DOMAIN

SCALES = ("polres", "province", "national")
SYNTHETIC_IMPORT_PREFIX = "synthetic-"
ID_BATCH = 900  # ids per statement: within SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class Scope:
    scale: str
    code: str  # the regency or province code; "ID" for the nation

    @classmethod
    def for_scale(cls, scale: str, regency_code: str) -> "Scope":
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}")
        code = {"polres": regency_code, "province": regency_code[:2], "national": "ID"}[scale]
        return cls(scale=scale, code=code)

    @property
    def label(self) -> str:
        return {"polres": "regency", "province": "province", "national": "nation"}[self.scale] + (
            "" if self.scale == "national" else f" {self.code}"
        )

    def villages(self) -> QuerySet[Village]:
        if self.scale == "polres":
            return Village.objects.filter(district__regency__code=self.code)
        if self.scale == "province":
            return Village.objects.filter(district__regency__province__code=self.code)
        return Village.objects.all()

    def units(self) -> QuerySet[PoliceUnit]:
        """The Polsek of the scope's desa and their Polres; the Polda too from a province up
        (a Polres run leaves the province's Polda to the others)."""
        polsek = PoliceUnit.objects.filter(villages__in=self.villages()).values("pk")
        polres = PoliceUnit.objects.filter(children__in=polsek).values("pk")
        units = Q(pk__in=polsek) | Q(pk__in=polres)
        if self.scale != "polres":
            units |= Q(children__in=polres)
        return PoliceUnit.objects.filter(units).distinct()


def _synthetic_officers(scope: Scope) -> QuerySet[Officer]:
    return Officer.objects.filter(unit__in=scope.units(), user__email__endswith=f"@{EMAIL_DOMAIN}")


def sample_logins(scope: Scope) -> list[tuple[str, str]]:
    """One generated account of each police role in the scope, (role label, e-mail); the
    labels in English, as the rest of the command's report."""
    officers = _synthetic_officers(scope).order_by("user__email")
    logins = []
    for role in (
        User.Role.POLDA_VIEWER,
        User.Role.POLRES_COMMANDER,
        User.Role.KAPOLSEK,
        User.Role.OFFICER,
    ):
        email = officers.filter(user__role=role).values_list("user__email", flat=True).first()
        if email:
            with translation.override("en"):
                logins.append((str(role.label), email))
    return logins


def activity_counts(scope: Scope) -> dict[str, int]:
    """What the scope holds already, by kind (only the kinds that are not empty)."""
    villages = scope.villages()
    counts = {
        "officer accounts": _synthetic_officers(scope).count(),
        "assignments": Assignment.objects.filter(village__in=villages).count(),
        "forums": Forum.objects.filter(village__in=villages).count(),
        "problems": Problem.objects.filter(village__in=villages).count(),
        "visits": Visit.objects.filter(village__in=villages).count(),
        "crime statistics": CrimeStatistic.objects.filter(village__in=villages).count(),
        "survey responses": SurveyResponse.objects.filter(village__in=villages).count(),
    }
    return {name: count for name, count in counts.items() if count}


def _delete(model: type[Model], queryset: QuerySet) -> int:
    """DELETE FROM model WHERE id IN (<queryset's ids>), as one statement."""
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({sql})", params)  # noqa: S608 - ORM SQL
        return cursor.rowcount


def delete_activity(scope: Scope) -> dict[str, int]:
    """Delete every activity row of the scope's desa, and the synthetic police accounts of its
    units. Children first; foreign keys are checked at commit, so anything left pointing at
    a deleted row rolls the whole run back."""
    villages = scope.villages()
    problems = Problem.objects.filter(village__in=villages)
    forums = Forum.objects.filter(village__in=villages)
    meetings = Meeting.objects.filter(forum__in=forums)
    visits = Visit.objects.filter(village__in=villages)
    links = Visit.problems.through.objects.filter(Q(visit__in=visits) | Q(problem__in=problems))
    officers = _synthetic_officers(scope)
    plan = [
        ("visit links", Visit.problems.through, links),
        ("attendance", Attendance, Attendance.objects.filter(meeting__in=meetings)),
        (
            "agenda links",
            MeetingProblem,
            MeetingProblem.objects.filter(Q(meeting__in=meetings) | Q(problem__in=problems)),
        ),
        ("action items", ActionItem, ActionItem.objects.filter(forum__in=forums)),
        ("reminders", Reminder, Reminder.objects.filter(meeting__in=meetings)),
        ("meeting files", MeetingFile, MeetingFile.objects.filter(meeting__in=meetings)),
        ("forum events", ForumEvent, ForumEvent.objects.filter(forum__in=forums)),
        ("meetings", Meeting, meetings),
        ("members", Member, Member.objects.filter(forum__in=forums)),
        ("schedules", Schedule, Schedule.objects.filter(forum__in=forums)),
        (
            "area links",
            Forum.other_villages.through,
            Forum.other_villages.through.objects.filter(
                Q(forum__in=forums) | Q(village__in=villages)
            ),
        ),
        ("forums", Forum, forums),
        ("notifications", Notification, Notification.objects.filter(problem__in=problems)),
        ("feedback", Feedback, Feedback.objects.filter(problem__in=problems)),
        ("problem events", ProblemEvent, ProblemEvent.objects.filter(problem__in=problems)),
        ("photos", ProblemPhoto, ProblemPhoto.objects.filter(problem__in=problems)),
        ("problems", Problem, problems),
        ("visits", Visit, visits),
        (
            "crime statistics",
            CrimeStatistic,
            CrimeStatistic.objects.filter(
                Q(village__in=villages)
                | Q(village__isnull=True, polsek__in=villages.values("polsek"))
            ),
        ),
        (
            "survey responses",
            SurveyResponse,
            SurveyResponse.objects.filter(village__in=villages),
        ),
        ("assignments", Assignment, Assignment.objects.filter(village__in=villages)),
    ]
    deleted = {}
    for name, model, queryset in plan:
        deleted[name] = _delete(model, queryset)
    officer_users = list(officers.values_list("user_id", flat=True))
    for start in range(0, len(officer_users), ID_BATCH):
        # The accounts go through the ORM, which knows every row pointing at a user: a
        # generated account may have been signed in with (its e-mail address, an API token, a
        # second factor, the audit trail, problems and meetings it recorded).
        User.objects.filter(pk__in=officer_users[start : start + ID_BATCH]).delete()
    deleted["officer accounts"] = len(officer_users)
    CrimeImport.objects.filter(
        file_name__startswith=SYNTHETIC_IMPORT_PREFIX, statistics__isnull=True
    ).delete()
    return {name: count for name, count in deleted.items() if count}
