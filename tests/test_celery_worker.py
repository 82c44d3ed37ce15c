"""A real Celery worker takes a real task through Redis (no eager mode)."""

import uuid

import pytest
from celery.contrib.testing.worker import start_worker

from conftest import redis_url_or_skip
from portal.celery import app as celery_app
from portal.models import WorkerHeartbeat
from portal.tasks import record_heartbeat


@pytest.fixture
def broker_worker(settings):
    redis_url_or_skip()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.fail("REDIS_URL is set but Celery runs eagerly: check CELERY_BROKER_URL")
    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    # A queue of this test's own, so that a development worker on the same Redis cannot
    # take the task.
    queue = f"test-{uuid.uuid4().hex}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        with start_worker(
            celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=20
        ) as worker:
            yield worker
    finally:
        celery_app.conf.task_default_queue = previous


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_through_the_broker(broker_worker):
    result = record_heartbeat.delay("ci-worker")
    seen_at = result.get(timeout=20)
    assert WorkerHeartbeat.objects.get(name="ci-worker").seen_at.isoformat() == seen_at
    # Safe to run twice: the second run updates the same row.
    record_heartbeat.delay("ci-worker").get(timeout=20)
    assert WorkerHeartbeat.objects.filter(name="ci-worker").count() == 1
