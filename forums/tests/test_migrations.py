"""Migrations that can be undone: going back to before the rescheduling of meetings keeps the
database whole once meetings have been moved."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from forums.models import Reminder
from forums.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))


def test_undoing_the_rescheduling_keeps_one_reminder_per_meeting_and_recipient(area):
    meeting = MeetingFactory(forum__village=area.village)
    sent = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    Reminder.objects.create(
        meeting=meeting, recipient="anggota@example.org", sent_at=sent, superseded_at=sent
    )
    Reminder.objects.create(meeting=meeting, recipient="anggota@example.org")
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(("forums", "0005_minutes_internal_by_default"))
        with connection.cursor() as cursor:
            cursor.execute("SELECT recipient, sent_at FROM forums_reminder")
            assert cursor.fetchall() == [("anggota@example.org", None)]
    finally:
        migrate(*latest)
