"""Thin Celery wrappers around the forum services: ids in, the service does the work, safe to
run twice."""

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation

from forums import notifications, services
from forums.models import Reminder


@shared_task(soft_time_limit=600, time_limit=660)
def generate_meetings() -> int:
    """Daily: plan each scheduled forum's meetings for the coming weeks."""
    with translation.override(settings.LANGUAGE_CODE):
        return services.meetings_generate()


@shared_task(soft_time_limit=300, time_limit=360)
def mark_missed_meetings() -> int:
    """Hourly: planned meetings with no record three days after their time become missed."""
    with translation.override(settings.LANGUAGE_CODE):
        return services.meetings_mark_missed()


@shared_task(soft_time_limit=300, time_limit=360)
def queue_meeting_reminders() -> int:
    """Hourly: reminders for the meetings of the next few days, once per person and meeting."""
    with translation.override(settings.LANGUAGE_CODE):
        return services.meeting_reminders_due()


@shared_task(
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
    soft_time_limit=60,
    time_limit=90,
)
def send_reminder(self, reminder_id: int) -> bool:
    return notifications.deliver(reminder_id)


@shared_task(soft_time_limit=300, time_limit=360)
def send_pending_reminders() -> int:
    """Sends what a down broker or a dead worker left behind."""
    cutoff = timezone.now() - datetime.timedelta(minutes=2)
    pending = Reminder.objects.filter(
        sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=10
    ).values_list("pk", flat=True)[:500]
    return sum(notifications.deliver(pk) for pk in list(pending))
