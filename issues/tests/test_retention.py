"""The privacy notice's promises: contact details deleted a while after closing, and removable
by the reporter at any time through the tracking link."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from issues import services, tasks
from issues.models import Notification, Problem
from issues.tests.factories import TRACKING_CODE, ProblemFactory
from issues.workflow import Status

ROOT = Path(__file__).resolve().parents[2]
CONTACT = {"contact_name": "Pak Ujang", "contact_phone": "0812 1111 2222"}


def closed(area, days_ago, *, status=Status.RESOLVED, now, **fields):
    at = now - datetime.timedelta(days=days_ago)
    problem = ProblemFactory(village=area.village, status=status, **CONTACT, **fields)
    # updated_at is auto_now: set it (and the resolution) afterwards, as update() leaves it.
    Problem.objects.filter(pk=problem.pk).update(
        updated_at=at, resolved_at=at if status == Status.RESOLVED else None
    )
    return problem


def contact(problem) -> tuple[str, str, str]:
    problem.refresh_from_db()
    return problem.contact_name, problem.contact_phone, problem.contact_email


def test_contact_details_are_deleted_after_the_retention_period(area, resident, settings):
    settings.REPORT_CONTACT_RETENTION_DAYS = 730
    now = timezone.now()
    expired = closed(area, 731, now=now, reporter=resident)
    rejected = closed(area, 731, status=Status.REJECTED, now=now)
    recent = closed(area, 729, now=now)
    still_open = ProblemFactory(village=area.village, status=Status.RESPONSE, **CONTACT)
    Problem.objects.filter(pk=still_open.pk).update(updated_at=now - datetime.timedelta(days=900))

    assert services.problems_anonymise_expired(now=now) == 2

    assert contact(expired) == contact(rejected) == ("", "", "")
    # A signed-in reporter's report stays linked to their own account.
    assert expired.reporter == resident
    assert contact(recent) == ("Pak Ujang", "0812 1111 2222", "ujang@example.org")
    assert contact(still_open) == ("Pak Ujang", "0812 1111 2222", "ujang@example.org")


def test_anonymising_twice_changes_nothing_the_second_time(area):
    now = timezone.now()
    problem = closed(area, 800, now=now)
    assert services.problems_anonymise_expired(now=now) == 1
    problem.refresh_from_db()
    updated_at = problem.updated_at
    assert services.problems_anonymise_expired(now=now) == 0
    problem.refresh_from_db()
    assert problem.updated_at == updated_at  # the closing date the period counts from


def test_the_e_mails_to_the_deleted_address_are_forgotten_too(area, officer):
    now = timezone.now()
    problem = closed(area, 800, now=now)
    Notification.objects.create(
        kind="feedback_request", problem=problem, recipient="ujang@example.org"
    )
    Notification.objects.create(kind="new_problem", problem=problem, recipient=officer.email)
    services.problems_anonymise_expired(now=now)
    assert list(problem.notifications.values_list("recipient", flat=True)) == [officer.email]


def test_the_nightly_task_anonymises_and_is_scheduled(area):
    problem = closed(area, 800, now=timezone.now())
    assert tasks.anonymise_expired_reports.delay().get() == 1
    assert contact(problem) == ("", "", "")
    scheduled = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "issues.tasks.anonymise_expired_reports" in scheduled


@pytest.mark.parametrize(("value", "expected"), [(None, 730), ("365", 365)])
def test_the_retention_period_comes_from_the_environment(value, expected):
    env = {k: v for k, v in os.environ.items() if k != "REPORT_CONTACT_RETENTION_DAYS"}
    if value is not None:
        env["REPORT_CONTACT_RETENTION_DAYS"] = value
    code = "from portal import settings; print(settings.REPORT_CONTACT_RETENTION_DAYS)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert int(out.stdout) == expected


def test_the_privacy_notice_states_the_configured_period(client, area, settings):
    settings.REPORT_CONTACT_RETENTION_DAYS = 400
    page = client.get(reverse("issues:file"), {"desa": area.village.code}).content.decode()
    assert "400" in page


# --- The reporter removes their contact details --------------------------------------------


def test_the_reporter_removes_their_contact_details_through_the_tracking_link(client, area):
    problem = ProblemFactory(village=area.village, **CONTACT)
    url = reverse("issues:track", args=[problem.reference, TRACKING_CODE])
    page = client.get(url).content.decode()
    assert "0812 1111 2222" in page and 'value="remove_contact"' in page
    response = client.post(url, {"action": "remove_contact"})
    assert response.status_code == 302
    assert contact(problem) == ("", "", "")
    assert problem.status == Status.NEW  # the report itself stays
    assert 'value="remove_contact"' not in client.get(url).content.decode()


def test_a_wrong_tracking_code_cannot_remove_the_contact_details(client, area):
    problem = ProblemFactory(village=area.village, **CONTACT)
    url = reverse("issues:track", args=[problem.reference, "WRONG-CODE1"])
    assert client.post(url, {"action": "remove_contact"}).status_code == 404
    assert contact(problem) == ("Pak Ujang", "0812 1111 2222", "ujang@example.org")


def test_no_more_e_mails_go_to_a_removed_address(area):
    problem = ProblemFactory(village=area.village, **CONTACT)
    Notification.objects.create(
        kind="status_changed", problem=problem, recipient="ujang@example.org"
    )
    assert services.problem_contact_remove(problem=problem) is True
    assert not problem.notifications.exists()
    assert services.problem_contact_remove(problem=problem) is False
