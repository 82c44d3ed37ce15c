"""The synthetic-activity generator (`portal.synthetic`, `seed_demo --scale`) on a few desa:
rows that keep the models' and the services' invariants, the same rows for the same seed, and
a second run that refuses (or, with `replace`, replaces) instead of duplicating."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import User
from forums import recurrence
from forums.models import ActionItem, Attendance, Forum, Meeting, Member, Schedule
from forums.services import meetings_generate
from issues.models import Feedback, Problem, ProblemEvent
from issues.workflow import TRANSITIONS, Status
from metrics.models import CrimeStatistic, SurveyResponse
from officers.models import Assignment, Officer, Visit
from portal import synthetic
from portal.audit import record
from portal.demo import DEMO_PASSWORD
from portal.models import AuditEvent
from portal.synthetic import run as synthetic_run
from portal.synthetic.people import EMAIL_DOMAIN
from territory.importer import Row, territory_import
from territory.models import Village

NOW = datetime.datetime(2026, 5, 14, 3, 0, tzinfo=datetime.UTC)
TERRITORY = [
    ("32", "JAWA BARAT"),
    ("32.04", "KAB. BANDUNG"),
    ("32.04.01", "Cileunyi"),
    ("32.04.01.2001", "Cileunyi Kulon"),
    ("32.04.01.2002", "Cileunyi Wetan"),
    ("32.04.01.2003", "Cimekar"),
    ("32.04.02", "Cimenyan"),
    ("32.04.02.2001", "Mekarsaluyu"),
    ("32.04.02.2002", "Mandalamekar"),
    ("32.04.02.1001", "Cibeunying"),
    ("32.73", "KOTA BANDUNG"),
    ("32.73.01", "Sukasari"),
    ("32.73.01.1001", "Gegerkalong"),
]


@pytest.fixture
def territory(db):
    territory_import(
        rows=[Row(line=n, code=code, name=name) for n, (code, name) in enumerate(TERRITORY, 1)]
    )


def seed(**options):
    arguments = {"scale": "polres", "regency_code": "32.04", "months": 6, "seed": 7, "now": NOW}
    return synthetic.seed_scale(**(arguments | options))


def rows(queryset) -> list:
    return sorted(queryset, key=repr)  # None and values side by side: sort by their text


def snapshot() -> dict[str, list]:
    """What the run wrote, by natural keys (ids left out: a replacing run gets new ones)."""
    return {
        "officers": rows(Officer.objects.values_list("nrp", "rank", "unit__code", "user__name")),
        "assignments": rows(
            Assignment.objects.values_list("officer__nrp", "village__code", "starts_on", "ends_on")
        ),
        "problems": rows(
            Problem.objects.values_list(
                "reference", "village__code", "category__code", "status", "created_at"
            ).order_by()
        ),
        "events": rows(
            ProblemEvent.objects.values_list(
                "problem__created_at", "kind", "to_status", "created_at"
            )
        ),
        "meetings": rows(
            Meeting.objects.values_list(
                "forum__village__code", "scheduled_at", "status", "other_men"
            )
        ),
        "attendance": rows(Attendance.objects.values_list("meeting__scheduled_at", "member__name")),
        "visits": rows(Visit.objects.values_list("village__code", "visited_at", "kind")),
        "crime": rows(
            CrimeStatistic.objects.values_list(
                "village__code", "month", "crime_type__code", "reported"
            )
        ),
        "surveys": rows(SurveyResponse.objects.values_list("village__code", "quarter", "trust")),
    }


def without_references(rows: list) -> list:
    # The reference carries the problem's id, which a replacing run renumbers.
    return [row[1:] for row in rows]


def test_a_polres_run_fills_every_table_of_its_desa_only(territory):
    report = seed()

    in_scope = set(Village.objects.filter(code__startswith="32.04.").values_list("pk", flat=True))
    assert report.desa == len(in_scope) == 6
    for model in (Assignment, Forum, Problem, Visit, SurveyResponse):
        villages = set(model.objects.values_list("village_id", flat=True))
        assert villages and villages <= in_scope, model
    for model in (Member, Schedule, Meeting, Attendance, ActionItem, ProblemEvent):
        assert model.objects.exists(), model
    assert report.rows == sum(stats.rows for stats in report.tables.values()) > 500
    connection.check_constraints()  # every foreign key points at a row
    # Residents for the crime rates, in scope only.
    populations = dict(Village.objects.values_list("pk", "population"))
    assert all(1000 <= populations[pk] < 15000 for pk in in_scope)
    assert {populations[pk] for pk in set(populations) - in_scope} == {None}


def test_problems_keep_the_workflow_invariants(territory):
    seed(months=12)

    problems = Problem.objects.all()
    assert problems.filter(status=Status.RESOLVED).exists()
    for problem in problems.prefetch_related("events"):
        assert problem.created_at <= problem.updated_at <= NOW
        if problem.first_action_at is not None:
            assert problem.first_action_at >= problem.created_at
        assert (problem.status == Status.DUPLICATE) == (problem.duplicate_of_id is not None)
        assert (problem.status == Status.REFERRED) == bool(problem.referred_to)
        if problem.status == Status.RESOLVED:
            assert problem.resolved_at is not None and problem.resolution
        events = sorted(problem.events.all(), key=lambda e: (e.created_at, e.pk))
        assert events[0].kind == ProblemEvent.Kind.FILED
        status = Status.NEW
        for event in events:
            assert problem.created_at <= event.created_at <= NOW
            if event.kind == ProblemEvent.Kind.TRANSITION:
                assert event.from_status == status
                assert event.to_status in TRANSITIONS[status]
                status = event.to_status
                if event.actor_id and problem.first_action_at:
                    assert event.created_at >= problem.first_action_at
        assert status == problem.status
    for feedback in Feedback.objects.select_related("problem"):
        assert feedback.created_at >= feedback.problem.created_at
    sample = list(problems[:20]) + list(Meeting.objects.all()[:20])
    for row in sample:
        row.full_clean(validate_unique=False)  # choices, lengths, ranges


def test_meetings_sit_where_the_schedule_puts_them(territory):
    seed()

    forum = Forum.objects.select_related("schedule", "village").first()
    expected = recurrence.occurrences(
        forum.schedule,
        timezone_name=forum.timezone,
        start=datetime.datetime.combine(forum.schedule.starts_on, datetime.time(), datetime.UTC)
        - datetime.timedelta(days=1),
        until=NOW,
    )
    held = list(forum.meetings.filter(scheduled_at__lt=NOW).values_list("scheduled_at", flat=True))
    assert sorted(held) == expected
    # The daily job finds every meeting of the horizon planned already.
    assert meetings_generate(now=NOW) == 0
    for meeting in Meeting.objects.filter(status=Meeting.Status.HELD)[:50]:
        assert meeting.recorded_at > meeting.scheduled_at and meeting.recorded_at <= NOW
        day = forum.local(meeting.scheduled_at).date()
        for member in meeting.members_present.all():
            assert member.forum_id == meeting.forum_id
            assert member.joined_on <= day and (member.left_on is None or member.left_on > day)
    assert not Meeting.objects.filter(
        status=Meeting.Status.PLANNED, scheduled_at__lt=NOW - datetime.timedelta(days=3)
    ).exists()


def test_the_same_seed_gives_the_same_rows_and_another_seed_others(territory):
    seed()
    first = snapshot()

    seed(replace=True)
    again = snapshot()
    seed(replace=True, seed=8)
    other = snapshot()

    first["problems"] = without_references(first["problems"])
    again["problems"] = without_references(again["problems"])
    assert again == first
    assert other["problems"] != again["problems"]


def test_a_second_run_refuses_and_replace_replaces_without_duplicates(territory):
    seed()
    counts = {name: len(rows) for name, rows in snapshot().items()}

    with pytest.raises(synthetic.SyntheticDataExists):
        seed()
    assert {name: len(rows) for name, rows in snapshot().items()} == counts

    report = seed(replace=True)
    assert report.deleted["problems"] == counts["problems"]
    assert {name: len(rows) for name, rows in snapshot().items()} == counts
    connection.check_constraints()


def test_every_generated_account_signs_in_with_a_verified_address(territory, client):
    report = seed()
    users = set(User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("pk", "email"))
    addresses = EmailAddress.objects.filter(verified=True, primary=True)
    assert set(addresses.values_list("user_id", "email")) == users
    roles = [role for role, _email in report.logins]
    assert roles == ["Polres commander", "Kapolsek", "Bhabinkamtibmas"]  # as the command prints

    _role, email = report.logins[0]
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("landing")  # not the page asking to confirm the address
    assert client.get(reverse("metrics:dashboard_home")).status_code == 302  # to the Polres's own


def test_replace_deletes_accounts_that_were_used(territory):
    report = seed()
    commander = User.objects.get(email=report.logins[0][1])
    record(actor=commander, action=AuditEvent.Action.EXPORTED)
    Token.objects.create(user=commander)

    seed(replace=True)
    assert not Token.objects.exists()
    assert AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED).actor_id is None
    connection.check_constraints()


def test_a_province_run_adds_a_polda_viewer_and_covers_every_regency(territory):
    report = seed(scale="province")

    assert report.desa == 7
    assert Officer.objects.filter(user__role="polda_viewer").count() == 1
    viewer = Officer.objects.get(user__role="polda_viewer").user
    assert report.logins[0] == ("Polda viewer", viewer.email)
    assert Problem.objects.filter(village__code__startswith="32.73.").exists()


def test_the_command_imports_the_territory_and_refuses_a_second_run(db, capsys):
    call_command("seed_demo", scale="polres", regency="32.79", months=2, verbosity=0)
    assert "forums_meeting" in capsys.readouterr().out
    assert Village.objects.filter(code__startswith="32.79.").exists()

    with pytest.raises(CommandError, match="already has activity"):
        call_command("seed_demo", scale="polres", regency="32.79", months=2, verbosity=0)


@pytest.mark.postgres
def test_a_bulk_load_on_postgresql_puts_indexes_and_constraints_back(territory, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the bulk path (COPY with indexes dropped) is PostgreSQL's")
    tables = [model._meta.db_table for model, _columns in synthetic_run.TABLES.values()]

    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                "UNION ALL SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1",
                [tables, tables],
            )
            return [row[0] for row in cursor.fetchall()]

    before = schema()
    monkeypatch.setattr(synthetic_run, "BULK_FROM", 1)
    seed()

    assert schema() == before
    top = Problem.objects.order_by("-pk").first()
    # The sequences moved past the ids the run chose: the ORM's next row does not collide.
    problem = Problem.objects.create(
        reference="KMT-TEST-1",
        village=top.village,
        category=top.category,
        title="t",
        description="d",
        consent_at=NOW,
    )
    assert problem.pk > top.pk


def test_a_failing_run_leaves_nothing_behind(territory, monkeypatch):
    from django.db import DatabaseError

    from portal.synthetic import activity

    def bad_crime_row(self, desa, rng):
        # Violates the check constraint "the first day of the month".
        row = (next(self.run.ids["crime"]), datetime.date(2026, 1, 15), desa.id, desa.polsek_id)
        self.run.loader.add("crime", (*row, self.types[0], 1, 0, None))

    monkeypatch.setattr(activity.Crimes, "for_desa", bad_crime_row)

    with pytest.raises(DatabaseError):
        seed()
    assert not Problem.objects.exists()
    assert not Officer.objects.exists()
