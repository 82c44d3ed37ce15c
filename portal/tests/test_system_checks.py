"""Django's system checks pass whatever the time of day (`make deploy-check` runs them in CI)."""

import datetime

import pytest
import time_machine
from django.core import checks
from django.db import connection

from portal import checks as sqlite_checks


@pytest.mark.parametrize("moment", ["2026-12-04 19:00:00", "2026-12-04 12:00:05"])
def test_no_check_reads_a_default_as_a_mistaken_now(moment):
    # A fixed default time equal to the clock's, to the ten seconds, is taken for a mistaken
    # `now` (fields.W161): a schedule's 19:00 failed CI once, at 19:00 UTC.
    with time_machine.travel(datetime.datetime.fromisoformat(moment + "+00:00"), tick=False):
        messages = checks.run_checks(include_deployment_checks=False)
    assert [m.id for m in messages if m.id == "fields.W161"] == []


@pytest.mark.parametrize(("version", "ids"), [((3, 34, 1), ["portal.E001"]), ((3, 35, 0), [])])
def test_an_sqlite_too_old_for_the_indicators_is_an_error(monkeypatch, version, ids):
    monkeypatch.setattr(sqlite_checks, "connections", FakeConnections("sqlite"))
    monkeypatch.setattr(sqlite_checks.sqlite3, "sqlite_version_info", version)
    assert [m.id for m in sqlite_checks.check_sqlite_version(None)] == ids


def test_the_sqlite_check_runs_with_the_system_checks(monkeypatch):
    monkeypatch.setattr(sqlite_checks.sqlite3, "sqlite_version_info", (3, 31, 1))
    messages = checks.run_checks(include_deployment_checks=False)
    uses_sqlite = connection.vendor == "sqlite"
    assert ("portal.E001" in [m.id for m in messages]) is uses_sqlite


def test_postgresql_needs_no_sqlite(monkeypatch):
    monkeypatch.setattr(sqlite_checks, "connections", FakeConnections("postgresql"))
    monkeypatch.setattr(sqlite_checks.sqlite3, "sqlite_version_info", (3, 7, 0))
    assert sqlite_checks.check_sqlite_version(None) == []


class FakeConnections:
    def __init__(self, vendor):
        self.vendor = vendor

    def all(self):
        return [self]
