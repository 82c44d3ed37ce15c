"""The run: which desa, refuse or replace what is there, one transaction of bulk writes, the
report of rows and seconds per table."""

import contextlib
import datetime
import sys
import time
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from tqdm import tqdm

from accounts.models import User
from forums.models import ActionItem, Attendance, Forum, Meeting, MeetingProblem, Member, Schedule
from issues.models import Category, Feedback, Problem, ProblemEvent
from metrics.models import CrimeImport, CrimeStatistic, CrimeType, SurveyResponse
from officers.models import Assignment as AssignmentModel
from officers.models import Officer, Visit
from portal.demo import DEMO_PASSWORD, DEMO_REGENCY
from territory.models import PoliceUnit, Village
from territory.timezones import timezone_for_code

from . import activity, forums, people, problems
from .context import ZONE_OFFSETS, Desa, Ids, Run
from .loader import CopyLoader, InsertLoader, Table, TableStats
from .scope import (
    SYNTHETIC_IMPORT_PREFIX,
    Scope,
    activity_counts,
    delete_activity,
    sample_logins,
)

# From this many desa on, PostgreSQL loads with indexes and constraints dropped and rebuilt,
# and the largest tables are put in time order afterwards.
BULK_FROM = 2000
# A live portal writes these rows as they happen, in time order (the crime statistics a month
# at a time, as each month is imported); the generator writes them desa by desa, which scatters
# a month's rows over every page of the table. The indicators read a month by these indexes,
# so the synthetic tables are clustered on them (CLUSTER) to read as a live portal's would.
TIME_ORDER = [
    (ProblemEvent, ["created_at"]),
    (Visit, ["visited_at"]),
    (Problem, ["created_at"]),
    (Meeting, ["status", "scheduled_at"]),
    (CrimeStatistic, ["month", "polsek_id"]),
]

TABLES = {
    "user": (User, people.USER_COLUMNS),
    "officer": (Officer, people.OFFICER_COLUMNS),
    "email": (EmailAddress, people.EMAIL_COLUMNS),
    "assignment": (AssignmentModel, people.ASSIGNMENT_COLUMNS),
    "forum": (Forum, forums.FORUM_COLUMNS),
    "member": (Member, forums.MEMBER_COLUMNS),
    "schedule": (Schedule, forums.SCHEDULE_COLUMNS),
    "meeting": (Meeting, forums.MEETING_COLUMNS),
    "attendance": (Attendance, forums.ATTENDANCE_COLUMNS),
    "meeting_problem": (MeetingProblem, forums.LINK_COLUMNS),
    "action_item": (ActionItem, forums.ACTION_COLUMNS),
    "problem": (Problem, problems.PROBLEM_COLUMNS),
    "event": (ProblemEvent, problems.EVENT_COLUMNS),
    "feedback": (Feedback, problems.FEEDBACK_COLUMNS),
    "visit": (Visit, activity.VISIT_COLUMNS),
    "visit_problem": (Visit.problems.through, activity.VISIT_PROBLEM_COLUMNS),
    "crime": (CrimeStatistic, activity.CRIME_COLUMNS),
    "survey": (SurveyResponse, activity.SURVEY_COLUMNS),
}


def analyze_activity() -> None:
    """Fresh planner statistics for the activity tables and the territory, on PostgreSQL: after
    a bulk load the indicators are computed at once, and a plan made without statistics (or
    before autovacuum comes round, if it runs at all) can be a hundred times slower."""
    if connection.vendor != "postgresql":
        return
    analyzed = [model for model, _columns in TABLES.values()] + [Village, PoliceUnit]
    with connection.cursor() as cursor:
        for model in analyzed:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class SyntheticDataExists(Exception):
    """The scope already has activity: the run refuses rather than mixing with it."""

    def __init__(self, counts: dict[str, int]):
        self.counts = counts
        listed = ", ".join(f"{count} {name}" for name, count in counts.items())
        super().__init__(f"the scope already has activity ({listed})")


class TerritoryMissing(Exception):
    pass


@dataclass
class ScaleReport:
    scope: Scope
    desa: int = 0
    officers: int = 0
    forums: int = 0
    tables: dict[str, TableStats] = field(default_factory=dict)
    progress: bool = False  # a progress bar on stderr
    generate_seconds: dict[str, float] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    delete_seconds: float = 0.0
    analyze_seconds: float = 0.0
    cluster_seconds: float = 0.0
    total_seconds: float = 0.0
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role, e-mail) to sign in

    @property
    def rows(self) -> int:
        return sum(stats.rows for stats in self.tables.values())


def seed_scale(
    *,
    scale: str,
    regency_code: str = DEMO_REGENCY,
    months: int = 24,
    seed: int = 2026,
    now=None,
    replace: bool = False,
    progress: bool = False,
) -> ScaleReport:
    """Generate `months` of activity on every desa of the scope: the Polres of `regency_code`,
    its province, or the nation. Refuses (SyntheticDataExists) when the scope has activity
    already, unless `replace`, which first deletes all activity of the scope. Deterministic:
    the same seed, `now` and territory give the same rows."""
    started = time.perf_counter()
    scope = Scope.for_scale(scale, regency_code)
    villages = list(
        scope.villages()
        .filter(polsek__isnull=False)
        .order_by("code")
        .values_list("id", "code", "name", "kind", "polsek_id")
    )
    if not villages:
        raise TerritoryMissing(scope.label)
    now = (now or timezone.now()).astimezone(datetime.UTC)
    report = ScaleReport(scope=scope, desa=len(villages), progress=progress)
    with transaction.atomic():
        counts = activity_counts(scope)
        if counts and not replace:
            raise SyntheticDataExists(counts)
        if counts:
            deleting = time.perf_counter()
            report.deleted = delete_activity(scope)
            report.delete_seconds = time.perf_counter() - deleting
        _generate(report, villages, months=months, seed=seed, now=now)
        activity.give_populations(scope.villages())
    if connection.vendor == "postgresql" and len(villages) >= BULK_FROM:
        clustering = time.perf_counter()
        cluster_by_time()
        report.cluster_seconds = time.perf_counter() - clustering
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner at once, not whenever autovacuum comes round
        # (the territory too: the import does not analyze it).
        analyzing = time.perf_counter()
        analyze_activity()
        report.analyze_seconds = time.perf_counter() - analyzing
    report.logins = sample_logins(scope)
    report.total_seconds = time.perf_counter() - started
    return report


def cluster_by_time() -> None:
    """PostgreSQL: rewrite the TIME_ORDER tables in the order of their time index."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for model, columns in TIME_ORDER:
            table = model._meta.db_table
            constraints = connection.introspection.get_constraints(cursor, table)
            index = next(
                name
                for name, constraint in constraints.items()
                if constraint["index"] and constraint["columns"] == columns
            )
            cursor.execute(f"CLUSTER {quote(table)} USING {quote(index)}")
        cursor.execute("RESET maintenance_work_mem")


def _window_start(now: datetime.datetime, months: int) -> datetime.datetime:
    """00:00 UTC on the first day of the month `months - 1` before this one: `months`
    calendar months, the current one included."""
    index = now.year * 12 + now.month - 1 - (months - 1)
    return datetime.datetime(index // 12, index % 12 + 1, 1, tzinfo=datetime.UTC)


def _generate(report: ScaleReport, villages, *, months, seed, now) -> None:
    tables = {key: Table(model, columns) for key, (model, columns) in TABLES.items()}
    if connection.vendor == "postgresql":
        loader = CopyLoader(tables, bulk=len(villages) >= BULK_FROM)
    else:
        loader = InsertLoader(tables)
    starts = {
        key: model.objects.aggregate(top=Max("pk"))["top"] or 0
        for key, (model, _c) in TABLES.items()
    }
    run = Run(
        seed=seed, now=now, window_start=_window_start(now, months), loader=loader, ids=Ids(starts)
    )
    units = {
        pk: people.Unit(pk, code, kind, parent_id)
        for pk, code, kind, parent_id in PoliceUnit.objects.values_list(
            "pk", "code", "kind", "parent_id"
        )
    }
    desas = [
        Desa(
            pk,
            code,
            name,
            kind == Village.Kind.KELURAHAN,
            polsek_id,
            ZONE_OFFSETS[timezone_for_code(code)],
        )
        for pk, code, name, kind, polsek_id in villages
    ]
    categories = list(
        Category.objects.filter(is_active=True)
        .order_by("position", "code")
        .values_list("pk", "code", "always_private")
    )
    crime_types = list(CrimeType.objects.order_by("position", "code").values_list("pk", "code"))
    loader.start()
    source = None
    if crime_types:
        source = CrimeImport.objects.create(
            file_name=f"{SYNTHETIC_IMPORT_PREFIX}{report.scope.scale}-{report.scope.code}-seed{seed}.csv",
            created_at=now,
        )
    staff = people.People(run, password_hash=make_password(DEMO_PASSWORD), nrp_start=_nrp_start())
    try:
        # From the first flush on, the loader's writer thread owns the connection.
        _fill(report, run, staff, desas, units, categories, crime_types, source)
        loader.finish()
    except BaseException:
        loader.abort()
        raise
    if source is not None:
        CrimeImport.objects.filter(pk=source.pk).update(rows=loader.stats["crime"].rows)
    report.tables = loader.stats


def _fill(report, run, staff, desas, units, categories, crime_types, source) -> None:
    """Officers first (every desa's posting history), then desa by desa."""
    timer = _Timer(report, run.loader)
    with timer("officers"):
        people.attention(run, desas, units)
        by_polsek: dict[int, list[Desa]] = {}
        for desa in desas:
            by_polsek.setdefault(desa.polsek_id, []).append(desa)
        kapolsek = people.seed_leaders(
            staff, units, set(by_polsek), polda=report.scope.scale != "polres"
        )
        for polsek_id in sorted(by_polsek, key=lambda pk: units[pk].code):
            people.seed_officers(staff, units[polsek_id], by_polsek[polsek_id])
            for desa in by_polsek[polsek_id]:
                desa.kapolsek_user_id = kapolsek[polsek_id]
    report.officers = staff.officers

    visits = activity.Visits(run)
    issues = problems.Problems(run, categories, visits)
    fora = forums.Forums(run, issues)
    crimes = activity.Crimes(run, crime_types, source.pk if source else None)
    surveys = activity.Surveys(run)
    progress = report.progress
    for desa in tqdm(desas, unit=" desa", disable=not progress, file=sys.stderr, mininterval=1):
        rng = run.rng("desa", desa.code)
        with timer("problems"):
            records = issues.for_desa(desa, rng)
        with timer("forums"):
            has_forum = fora.for_desa(desa, rng, records)
        with timer("visits"):
            visits.for_desa(desa, rng)
        with timer("crime statistics"):
            crimes.for_desa(desa, rng)
        with timer("surveys"):
            surveys.for_desa(desa, rng, has_forum=has_forum)
        report.forums += has_forum
    with timer("crime statistics"):
        for polsek_id in sorted(by_polsek, key=lambda pk: units[pk].code):
            crimes.for_polsek(polsek_id, units[polsek_id].code)


def _nrp_start() -> int:
    """Synthetic NRPs are 9 followed by a counter: continue after the highest one."""
    top = Officer.objects.filter(nrp__startswith=people.NRP_PREFIX).aggregate(top=Max("nrp"))["top"]
    return int(top[1:]) + 1 if top else 1


class _Timer:
    """Seconds spent generating, per part, without the time spent waiting for the loader."""

    def __init__(self, report: ScaleReport, loader):
        self.report, self.loader = report, loader

    @contextlib.contextmanager
    def __call__(self, part: str):
        started, loading = time.perf_counter(), self.loader.load_seconds
        try:
            yield
        finally:
            spent = time.perf_counter() - started - (self.loader.load_seconds - loading)
            self.report.generate_seconds[part] = self.report.generate_seconds.get(part, 0.0) + spent


def report_lines(report: ScaleReport) -> list[str]:
    """The report as the command prints it: rows and seconds per table, then the totals."""
    lines = [
        f"Synthetic activity for the {report.scope.label}: {report.desa} desa, "
        f"{report.officers} Bhabinkamtibmas, {report.forums} forums.",
    ]
    if report.deleted:
        lines.append(
            f"Replaced what was there ({report.delete_seconds:.1f} s): "
            + ", ".join(f"{count} {name}" for name, count in report.deleted.items())
        )
    # On PostgreSQL "load" runs in the writer thread, alongside the generating.
    lines.append(f"{'table':<28}{'rows':>12}{'load s':>9}{'index s':>9}")
    for key, stats in report.tables.items():
        table = TABLES[key][0]._meta.db_table
        lines.append(
            f"{table:<28}{stats.rows:>12,}{stats.load_seconds:>9.1f}{stats.index_seconds:>9.1f}"
        )
    loaded = sum(s.load_seconds for s in report.tables.values())
    indexed = sum(s.index_seconds for s in report.tables.values())
    lines.append(f"{'all tables':<28}{report.rows:>12,}{loaded:>9.1f}{indexed:>9.1f}")
    lines.append(
        "generating (s): "
        + ", ".join(f"{part} {seconds:.1f}" for part, seconds in report.generate_seconds.items())
    )
    if report.cluster_seconds:
        lines.append(f"CLUSTER by time: {report.cluster_seconds:.1f} s")
    if report.analyze_seconds:
        lines.append(f"ANALYZE: {report.analyze_seconds:.1f} s")
    lines.append(f"Total: {report.total_seconds:.1f} s")
    if report.logins:
        lines.append(f"Every generated account signs in with the password {DEMO_PASSWORD}, e.g.:")
        lines.extend(f"  {role:<28}{email}" for role, email in report.logins)
    return lines
