import datetime

import time_machine
from django.utils import timezone

from portal.models import WorkerHeartbeat
from portal.tasks import record_heartbeat


def test_health_reports_database_and_cache(client, db):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"database": True, "cache": True, "worker_seen_seconds_ago": None}


def test_health_reports_the_age_of_the_last_worker_heartbeat(client, db):
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC), tick=False
    ):
        record_heartbeat()
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 8, 1, 30, tzinfo=datetime.UTC), tick=False
    ):
        assert client.get("/healthz/").json()["worker_seen_seconds_ago"] == 90


def test_heartbeat_task_is_safe_to_run_twice(db):
    record_heartbeat()
    record_heartbeat()
    assert WorkerHeartbeat.objects.count() == 1
    assert WorkerHeartbeat.objects.get().seen_at <= timezone.now()


def test_operators_search_the_territory_in_the_admin(client, area, operator):
    client.force_login(operator)
    page = client.get("/admin/territory/village/", {"q": "Mekarsaluyu"}).content.decode()
    assert "32.04.06.2001" in page
    assert "32.04.05.2001" not in page
