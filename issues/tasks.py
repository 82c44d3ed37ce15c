import datetime

from celery import shared_task
from django.utils import timezone

from issues import notifications, services
from issues.models import Notification


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def send_notification(self, notification_id: int) -> bool:
    return notifications.deliver(notification_id)


@shared_task(soft_time_limit=300, time_limit=360)
def send_pending_notifications() -> int:
    """Sends what a down broker or a dead worker left behind."""
    cutoff = timezone.now() - datetime.timedelta(minutes=2)
    pending = Notification.objects.filter(
        sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=notifications.MAX_ATTEMPTS
    ).values_list("pk", flat=True)[:500]
    return sum(notifications.deliver(pk) for pk in list(pending))


@shared_task(soft_time_limit=300, time_limit=360)
def ask_whether_solved() -> int:
    """Four weeks after resolution, ask the reporter whether the problem is solved."""
    return services.feedback_request_due()


@shared_task(soft_time_limit=300, time_limit=360)
def anonymise_expired_reports() -> int:
    """Delete the contact details of problems closed longer ago than the privacy notice says."""
    return services.problems_anonymise_expired()
