"""Workers can die: a Celery worker killed with SIGKILL while it sends an e-mail leaves nothing
half-done, and the notification is sent exactly once on another run.

Real worker processes (`celery -A portal worker`, started here with Popen) take the task from a
redis-server of the test's own and work on the test database, so the test needs PostgreSQL. The
mail goes through tests/slow_mail.py, which holds the send (row locked, mail not yet written)
until the test releases it, and writes each message to a file the test counts.

Two ways a worker dies, two recovery paths:

- The pool's child is killed (what the kernel's OOM killer does): acks_late and
  reject_on_worker_lost make the worker put the message back, and a new child runs it again.
- The whole worker is killed (its container killed, the machine lost): nobody rejects the
  message; Redis keeps it unacknowledged until the visibility timeout (an hour). The periodic
  sweep `send_pending_notifications` sends the notification meanwhile, and the late redelivery
  finds it sent.
"""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F

from conftest import skip_or_fail
from issues import notifications
from issues.models import Notification
from issues.tasks import send_notification, send_pending_notifications
from issues.tests.factories import ProblemFactory
from portal.celery import app as celery_app
from tests.test_redis_down import RedisServer, use_broker

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The longest any one step may take: a worker starting on a busy two-core CI machine.
WAIT = 45.0


def worker_database_url() -> str:
    """The test database (pytest-django's), for a process of its own."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or ''}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker` in a process (and session) of its own, on the test's broker and DB."""

    def __init__(self, *, broker_url: str, queue: str, mail_dir: Path, pool: str):
        self.log = mail_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
        self.command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            "-n",
            f"{self.log.stem}@%h",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ]
        self.env = {
            **os.environ,
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": broker_url,
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": broker_url,
            "EMAIL_BACKEND": "tests.slow_mail.HeldFileBackend",
            "SLOW_MAIL_DIR": str(mail_dir),
        }
        self.env.pop("EMAIL_URL", None)  # it would win over EMAIL_BACKEND
        self.process = None

    @property
    def pid(self) -> int:
        return self.process.pid

    def start(self) -> "Worker":
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def kill(self) -> None:
        """The worker and whatever children it still has, by its process group."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):  # nothing left in the group
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


@pytest.fixture
def broker(transactional_db):
    """A redis-server of the test's own as broker and result backend, and a queue of its own."""
    if connection.vendor != "postgresql":
        pytest.skip("a worker in another process needs the test database on PostgreSQL")
    server = RedisServer()
    if server.binary is None:
        skip_or_fail("redis-server is not installed")
    server.start()
    previous = (
        celery_app.conf.broker_url,
        celery_app.conf.result_backend,
        celery_app.conf.task_default_queue,
    )
    use_broker(server.url)
    celery_app.conf.task_always_eager = False  # the autouse fixture restores it
    celery_app.conf.task_default_queue = f"test-{uuid.uuid4().hex}"
    try:
        yield server
    finally:
        use_broker(previous[0])
        celery_app.conf.result_backend = previous[1]
        celery_app.conf.task_default_queue = previous[2]
        server.stop()


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    """Where the workers' mails land; a send is held while `hold` exists."""
    (tmp_path / "hold").touch()
    return tmp_path


@pytest.fixture
def workers(broker, mail_dir):
    started = []

    def start(*, pool: str) -> Worker:
        worker = Worker(
            broker_url=broker.url,
            queue=celery_app.conf.task_default_queue,
            mail_dir=mail_dir,
            pool=pool,
        )
        started.append(worker)
        return worker.start()

    yield start
    # Before the test database is flushed: a live worker would hold its connections.
    for worker in started:
        worker.kill()


def sent_mails(mail_dir: Path) -> list[str]:
    sent = mail_dir / "sent"
    return [path.read_text() for path in sorted(sent.iterdir())] if sent.exists() else []


def sending_pids(mail_dir: Path) -> set[int]:
    started = mail_dir / "started"
    return {int(path.name) for path in started.iterdir()} if started.exists() else set()


def wait_for(condition, what: str, *workers: Worker):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    logs = "\n".join(f"--- {w.log.name}\n{w.tail()}" for w in workers)
    pytest.fail(f"waited {WAIT:.0f} s for {what}\n{logs}")


def queue_notification() -> Notification:
    """The real hand-over: the row, then `send_notification.delay` once it is committed."""
    problem = ProblemFactory(contact_email="warga@example.org")
    notifications.queue_feedback_request(problem)
    return Notification.objects.get(problem=problem)


def test_a_pool_child_killed_mid_mail_sends_nothing_and_the_requeued_task_sends_it_once(
    workers, mail_dir
):
    notification = queue_notification()
    worker = workers(pool="prefork")

    first = wait_for(lambda: sending_pids(mail_dir), "the worker to start sending", worker)
    [child] = first
    assert child != worker.pid  # the pool's child runs the task, not the worker itself
    os.kill(child, signal.SIGKILL)

    # reject_on_worker_lost: the worker puts the unacknowledged message back and a new child
    # runs it. That child getting past the row lock (taken with SKIP LOCKED) shows the killed
    # one's transaction was rolled back.
    wait_for(lambda: sending_pids(mail_dir) - first, "the task to run again", worker)
    assert worker.process.poll() is None
    assert sent_mails(mail_dir) == []
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.attempts == 2  # each run claimed it once

    (mail_dir / "hold").unlink()
    wait_for(
        lambda: Notification.objects.filter(pk=notification.pk, sent_at__isnull=False).exists(),
        "the notification to be marked sent",
        worker,
    )
    [mail] = sent_mails(mail_dir)
    assert "To: warga@example.org" in mail

    # A third run (a late duplicate of the message) sends nothing more.
    assert send_notification.delay(notification.pk).get(timeout=WAIT) is False
    assert len(sent_mails(mail_dir)) == 1
    assert Notification.objects.filter(problem=notification.problem).count() == 1


def test_a_worker_killed_whole_mid_mail_sends_nothing_and_the_sweep_sends_it_once(
    workers, mail_dir
):
    notification = queue_notification()
    worker = workers(pool="solo")

    [pid] = wait_for(lambda: sending_pids(mail_dir), "the worker to start sending", worker)
    assert pid == worker.pid  # the solo pool runs the task in the worker itself
    os.kill(pid, signal.SIGKILL)
    worker.process.wait(timeout=10)

    assert sent_mails(mail_dir) == []
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.attempts == 1

    # Nobody rejected the message: Redis hands it out again only after the visibility timeout
    # (an hour). The sweep beat runs every five minutes takes rows older than two minutes:
    # three minutes have passed.
    Notification.objects.filter(pk=notification.pk).update(
        created_at=F("created_at") - datetime.timedelta(minutes=3)
    )
    (mail_dir / "hold").unlink()
    other = workers(pool="solo")
    assert send_pending_notifications.delay().get(timeout=WAIT) == 1, other.tail()
    [mail] = sent_mails(mail_dir)
    assert "To: warga@example.org" in mail
    notification.refresh_from_db()
    assert notification.sent_at is not None

    # The redelivered message, or the next sweep, sends nothing more.
    assert send_notification.delay(notification.pk).get(timeout=WAIT) is False
    assert send_pending_notifications.delay().get(timeout=WAIT) == 0
    assert len(sent_mails(mail_dir)) == 1
    assert Notification.objects.filter(problem=notification.problem).count() == 1
