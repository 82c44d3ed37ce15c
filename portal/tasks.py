from celery import shared_task
from django.utils import timezone

from portal.models import WorkerHeartbeat


@shared_task(soft_time_limit=10, time_limit=20)
def record_heartbeat(name: str = "worker") -> str:
    """Record that a worker is alive; safe to run any number of times."""
    seen_at = timezone.now()
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"seen_at": seen_at})
    return seen_at.isoformat()
