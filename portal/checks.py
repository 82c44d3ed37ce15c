from django.conf import settings
from django.core.checks import Tags, Warning, register


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
