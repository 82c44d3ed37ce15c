import sqlite3

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections

# The indicators' SQL on SQLite: UPDATE … FROM (3.33) and MATERIALIZED common table
# expressions (3.35). Django 5.2 itself accepts 3.31.
SQLITE_NEEDED = (3, 35)


@register(Tags.compatibility)
def check_sqlite_version(app_configs, **kwargs):
    """On SQLite (a laptop without PostgreSQL) the indicators need a newer SQLite than Django
    does: say so at start-up rather than in the middle of a recompute."""
    uses_sqlite = any(connection.vendor == "sqlite" for connection in connections.all())
    if not uses_sqlite or sqlite3.sqlite_version_info >= SQLITE_NEEDED:
        return []
    return [
        Error(
            f"SQLite {sqlite3.sqlite_version} is too old for the indicators' computation.",
            hint="Use a Python built with SQLite 3.35 or later, or set DATABASE_URL to PostgreSQL.",
            id="portal.E001",
        )
    ]


@register(Tags.caches, deploy=True)
def check_production_services(app_configs, **kwargs):
    """In production a missing REDIS_URL silently means in-process tasks and per-process rate
    limits; say so in `check --deploy`."""
    warnings = []
    if settings.CELERY_TASK_ALWAYS_EAGER:
        warnings.append(
            Warning(
                "Celery runs tasks eagerly in the web process (no broker configured).",
                hint="Set REDIS_URL (or CELERY_BROKER_URL).",
                id="portal.W001",
            )
        )
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        warnings.append(
            Warning(
                "The cache is per process: sign-in and filing rate limits are not shared.",
                hint="Set REDIS_URL.",
                id="portal.W002",
            )
        )
    return warnings
