"""Redis stopped: residents still file problems and officers still work, and the jobs their
changes need (e-mails here) run once Redis is back. A Redis server of the test's own, stopped
and started again for real, serves as cache and broker; a real Celery worker sends the mails.
"""

import datetime
import shutil
import socket
import subprocess
import time
import uuid

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from conftest import skip_or_fail
from issues.models import Category, Notification, Problem
from issues.tasks import send_pending_notifications
from issues.workflow import Status
from portal.celery import app as celery_app

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on a port of its own: the machine's Redis is left alone."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        self.port = free_port()
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):  # up to 10 s for a slow machine
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    server = RedisServer()
    if server.binary is None:
        skip_or_fail("redis-server is not installed")
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def use_broker(url: str) -> None:
    celery_app.conf.broker_url = url
    celery_app.conf.result_backend = url
    # Drop the connections made for the previous broker.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.backend_cls = None
    celery_app.__dict__.pop("backend", None)
    # Celery caches the result backend on the app (or per thread) as well: drop it too, or
    # results are awaited on the previous test's Redis.
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def portal_on_redis(redis_server, settings):
    """Cache and broker on the test's own Redis; tasks go through the broker, not eagerly."""
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    previous = (celery_app.conf.broker_url, celery_app.conf.result_backend)
    use_broker(redis_server.url)
    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    yield redis_server
    use_broker(previous[0])
    celery_app.conf.result_backend = previous[1]


def file_problem(client, area) -> Problem:
    response = client.post(
        reverse("issues:file"),
        {
            "desa": area.village.code,
            "category": Category.objects.get(code="pencurian").pk,
            "title": "Motor hilang",
            "description": "Motor hilang di depan masjid tadi malam.",
            "consent": "on",
            "contact_email": "warga@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Problem.objects.latest("pk")


def test_with_redis_down_residents_file_and_officers_work_and_the_mails_follow(
    transactional_db, client, portal_on_redis, area, officer
):
    cache.set("probe", 1)
    assert cache.get("probe") == 1  # the cache really is this Redis

    portal_on_redis.stop()
    problem = file_problem(client, area)
    assert client.get(reverse("issues:filed")).status_code == 200

    client.force_login(officer)
    response = client.post(
        reverse("issues:transition", args=[problem.reference]),
        {"to_status": Status.VERIFIED, "note": "Dicek ke lokasi", "is_public": "on"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.VERIFIED
    pending = Notification.objects.filter(problem=problem, sent_at__isnull=True)
    # The officer's "new problem" mail, the reporter's receipt and "status changed" wait.
    assert pending.count() == 3
    assert mail.outbox == []

    portal_on_redis.start()
    queue = f"test-{uuid.uuid4().hex}"
    celery_app.conf.task_default_queue = queue
    try:
        with start_worker(
            celery_app, perform_ping_check=False, queues=[queue], shutdown_timeout=20
        ):
            # What beat does every few minutes; the sweep leaves rows younger than two
            # minutes to the hand-over that follows their commit.
            later = timezone.now() + datetime.timedelta(minutes=3)
            with time_machine.travel(later, tick=True):
                send_pending_notifications.delay().get(timeout=30)
            for _ in range(300):
                if not pending.exists():
                    break
                time.sleep(0.1)
    finally:
        celery_app.conf.task_default_queue = "celery"
    assert not pending.exists()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "officer@example.org",
        "warga@example.org",
        "warga@example.org",
    ]
