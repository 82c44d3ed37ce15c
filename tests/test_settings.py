"""Configuration comes only from the environment; a fresh clone runs with none of it set."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-a-long-random-production-secret-0123456789-!@#$%",
    "ALLOWED_HOSTS": "polmas.example.org",
    "DATABASE_URL": "postgres://polmas:secret@db.example.org:5432/polmas",
    "REDIS_URL": "redis://redis.example.org:6379/0",
}
SETTINGS_KEYS = [
    "SITE_URL",
    "POSTGRES_PASSWORD",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DJANGO_DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "EMAIL_BACKEND",
]


def clean_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_KEYS}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(extra)
    return env


def read_settings(env: dict) -> dict:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'],"
        "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE'),"
        "'health': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'),"
        "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'email': s.EMAIL_BACKEND,"
        "'cache': s.CACHES['default']['BACKEND'], 'language': s.LANGUAGE_CODE}))"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_a_fresh_clone_needs_no_environment():
    settings = read_settings(clean_env())
    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["eager"] is True
    assert settings["email"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["language"] == "id"


def test_production_keeps_database_connections_with_health_checks():
    settings = read_settings(clean_env(**PRODUCTION_ENV))
    assert settings["engine"] == "django.db.backends.postgresql"
    assert settings["conn_max_age"] > 0
    assert settings["health"] is True
    assert settings["eager"] is False
    assert settings["cache"] == "portal.cache.ResilientRedisCache"


def test_deploy_check_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean_env(**PRODUCTION_ENV),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = clean_env(**{k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_responses_carry_a_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


COMPOSE_ENV = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "polmas.example.org",
    "POSTGRES_PASSWORD": "secret",
    "SITE_URL": "https://polmas.example.org",
    "EMAIL_URL": "smtp://mail.example.org:25",
}


def test_compose_file_is_valid():
    if shutil.which("docker-compose") is None:
        skip_or_fail("docker-compose is not installed (apt-get install docker-compose)")
    env = clean_env(**COMPOSE_ENV)
    result = subprocess.run(
        ["docker-compose", "config", "-q"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        ["docker-compose", "config", "--services"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "POSTGRES_PASSWORD", "EMAIL_URL"])
def test_compose_refuses_to_run_without_secrets(missing):
    if shutil.which("docker-compose") is None:
        skip_or_fail("docker-compose is not installed (apt-get install docker-compose)")
    env = clean_env(**COMPOSE_ENV)
    env.pop(missing)
    result = subprocess.run(
        ["docker-compose", "config", "-q"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode != 0


def test_only_the_report_form_allows_the_map_tiles(client, area):
    strict = client.get("/")["Content-Security-Policy"]
    form = client.get(f"/lapor/?desa={area.village.code}")["Content-Security-Policy"]
    assert "unsafe-inline" not in strict and "tile.openstreetmap.org" not in strict
    assert "tile.openstreetmap.org" in form
