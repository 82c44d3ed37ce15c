"""Backups restore: the procedure of docs/backup.md (`pg_dump -Fc --no-owner`, then `pg_restore`
into a fresh database) carried out on the test database, and every table of the project's apps
compared row for row count."""

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection

from accounts.tests.factories import UserFactory
from conftest import skip_or_fail
from forums.tests.factories import HeldMeetingFactory
from issues import notifications
from issues.tests.factories import ProblemFactory
from metrics.tests.factories import SurveyResponseFactory
from officers.tests.factories import AssignmentFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# A dump or restore of a test database takes seconds; this only stops a hung one.
TIMEOUT = 120


def server_major() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def pg_binary(name: str, major: int) -> str:
    """The client of the server's own major version: an older pg_dump refuses a newer server,
    and pg_restore reads only the dump formats of its version and older."""
    candidates = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name)]
    for candidate in filter(None, candidates):
        if not Path(candidate).exists():
            continue
        version = subprocess.run(
            [candidate, "--version"], capture_output=True, text=True, timeout=10
        ).stdout
        found = re.search(r"\)\s+(\d+)", version)
        if found and int(found.group(1)) >= major:
            return candidate
    skip_or_fail(f"no {name} of PostgreSQL {major} or newer is installed")


def project_tables() -> list[str]:
    """The tables of the portal's own apps (not Django's or third parties'), many-to-many
    tables included, that exist in the database."""
    existing = set(connection.introspection.table_names())
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if Path(model._meta.app_config.path).is_relative_to(settings.BASE_DIR)
        and not Path(model._meta.app_config.path).is_relative_to(settings.BASE_DIR / ".venv")
    }
    return sorted(tables & existing)


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump's: the test needs PostgreSQL")
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    args = ["--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432)]
    args += ["--username", db["USER"] or "postgres"]
    return db, env, args


@pytest.fixture
def fresh_database(postgresql):
    """An empty database of a unique name, dropped afterwards whatever happens."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    assert connection.get_autocommit()  # CREATE DATABASE cannot run in a transaction
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            # FORCE: a restore that failed half-way must not leave its connection behind.
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_restores_into_a_fresh_database_with_every_row(postgresql, fresh_database, tmp_path):
    db, env, args = postgresql
    major = server_major()
    pg_dump, pg_restore = pg_binary("pg_dump", major), pg_binary("pg_restore", major)

    # Something in every part of the portal: accounts, territory, officers, forums, problems
    # and their notifications, indicators.
    AssignmentFactory.create_batch(2)
    problems = ProblemFactory.create_batch(3, reporter=UserFactory())
    for problem in problems:
        notifications.queue_feedback_request(problem)
    HeldMeetingFactory()
    SurveyResponseFactory()
    tables = project_tables()
    with connection.cursor() as cursor:
        before = row_counts(cursor, tables)
    assert before["issues_problem"] == 3
    assert before["issues_notification"] == 3

    dump = tmp_path / "polmas.dump"
    dumped = subprocess.run(
        [pg_dump, *args, "--format=custom", "--no-owner", "--file", str(dump), db["NAME"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert dumped.returncode == 0, dumped.stderr
    restored = subprocess.run(
        [pg_restore, *args, "--no-owner", "--exit-on-error", "--dbname", fresh_database, dump],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert restored.returncode == 0, restored.stderr

    with (
        psycopg.connect(
            host=db["HOST"] or "localhost",
            port=db["PORT"] or 5432,
            user=db["USER"] or "postgres",
            password=db["PASSWORD"] or None,
            dbname=fresh_database,
            autocommit=True,
        ) as copy,
        copy.cursor() as cursor,
    ):
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert set(tables) <= {row[0] for row in cursor.fetchall()}
        after = row_counts(cursor, tables)
    assert after == before
    assert sum(1 for count in before.values() if count) >= 10  # not a comparison of zeros
