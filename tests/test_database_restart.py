"""PostgreSQL restarted under load: the web process answers errors for the requests caught in
the restart, and recovers by itself — no restart of the web process — because its persistent
connections are health-checked before reuse (CONN_MAX_AGE with CONN_HEALTH_CHECKS).

The web process is gunicorn, as in production, serving the test database; the restart is a
real `pg_ctlcluster restart` of the machine's cluster, so this runs where the tests own the
PostgreSQL server (CI, a development machine) and skips elsewhere.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections

from conftest import services_required, skip_or_fail

pytestmark = [pytest.mark.serial, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cluster() -> list[str]:
    """The command that restarts the local cluster, or a skip saying why there is none."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    settings = connection.settings_dict
    local = settings["HOST"] in ("127.0.0.1", "localhost", "")
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    if not (local and shutil.which("pg_ctlcluster") and versions and os.geteuid() == 0):
        if services_required():
            skip_or_fail("the local PostgreSQL cluster cannot be restarted by this test")
        pytest.skip("needs a local PostgreSQL cluster it may restart (pg_ctlcluster, root)")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main"]


def get(url: str) -> int | str:
    """The status of one request, or the client-side error when there was no answer."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return type(error).__name__


def wait_for(url: str, *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get(url) == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer 200 within {seconds} s")


def pg_ready() -> bool:
    settings = connection.settings_dict
    command = ["pg_isready", "-q", "-h", settings["HOST"] or "127.0.0.1"]
    command += ["-p", str(settings["PORT"] or 5432)]
    return subprocess.run(command, check=False).returncode == 0


@pytest.fixture
def web(area, tmp_path):
    """gunicorn with production settings on the test database: one worker, four threads. Its
    log (the tracebacks of its errors) is the fixture's last item, for the assertions' messages."""
    restart = cluster()
    settings = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{
                **settings,
                "HOST": settings["HOST"] or "127.0.0.1",
                "PORT": settings["PORT"] or 5432,
            }
        ),
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": "restart-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_PLAIN": "true",
        "CONN_MAX_AGE": "600",
    }
    env.pop("REDIS_URL", None)
    gunicorn = [sys.executable, "-m", "gunicorn", "portal.wsgi:application"]
    gunicorn += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4"]
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            gunicorn, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=output
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz/", seconds=30)
        yield base, process, restart, lambda: log.read_text(errors="replace")[-4000:]
    finally:
        process.terminate()
        process.wait(timeout=30)
        if not pg_ready():
            subprocess.run([*restart[:-1], "main", "start"], check=False, timeout=120)
        for _ in range(120):
            if pg_ready():
                break
            time.sleep(0.5)
        # This process's own connection died with the restart: open a new one for teardown.
        for alias in connections:
            with contextlib.suppress(Exception):  # a dead connection may fail to close
                connections[alias].close()


def test_the_portal_recovers_by_itself_from_a_database_restart_under_load(web, area):
    base, process, restart, log = web
    page = f"{base}/desa/{area.village.code}/"
    results: list[tuple[float, float, int | str]] = []  # (sent at, answered at, status)
    stop = threading.Event()

    def load():
        while not stop.is_set():
            sent_at = time.monotonic()
            status = get(page)
            results.append((sent_at, time.monotonic(), status))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)  # the threads' persistent connections are open and in use
        restarted_at = time.monotonic()
        subprocess.run([*restart, "restart", "-m", "fast"], check=True, timeout=120)
        back_at = time.monotonic()
        time.sleep(5)  # keep the load on while the portal reconnects
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    # A request sent just before the restart may be answered in it: it counts as caught in it.
    before = [status for _, answered, status in results if answered < restarted_at]
    after = [status for sent, _, status in results if sent >= back_at + 1]
    during = [
        status
        for sent, answered, status in results
        if answered >= restarted_at and sent < back_at + 1
    ]
    assert before and set(before) == {200}, (before, log())
    # Every request caught in the restart got an answer (a page or an error), none hung.
    assert all(isinstance(status, int) for status in during), (during, log())
    # The same web process serves again, without a restart.
    assert process.poll() is None, log()
    assert after and after[-10:] == [200] * 10, (after[-20:], log())
    wait_for(f"{base}/healthz/", seconds=10)
