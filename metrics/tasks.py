"""Thin Celery wrappers around `metrics.compute`: the work is in the compute package, safe to
run twice and alongside itself (a month is recomputed in one transaction, and two
recomputes of the same month take turns)."""

import datetime

from celery import shared_task
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone, translation

from metrics.compute import recompute
from metrics.compute.months import add_months, month_start, quarter_start
from metrics.compute.queue import recompute_pending


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=5,
    soft_time_limit=1800,
    time_limit=1900,
)
def recompute_recent_months(self, today: str | None = None) -> list[str]:
    """Nightly: every indicator of the current and the previous month, for every desa. The
    previous month too because late records (a meeting written up days later, a reopening)
    still change it; and the quarter's first month, where the survey figures of the quarter
    are stored while answers keep coming in. `today` (ISO date) only for a manual re-run."""
    now = timezone.now()
    month = month_start(datetime.date.fromisoformat(today) if today else timezone.localdate(now))
    months = {add_months(month, -1), month, quarter_start(month)}
    with translation.override(settings.LANGUAGE_CODE):
        reports = recompute(months=months, now=now)
    return [f"{r.month:%Y-%m}: {r.written} written, {r.deleted} deleted" for r in reports]


@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def recompute_queued(self) -> dict[str, int]:
    """Every minute: the desa-months whose data changed since the last run, and their
    Polsek, Polres, Polda and the nation. Requests left over by a failure are put back and
    taken by the retry or the next run."""
    with translation.override(settings.LANGUAGE_CODE):
        return recompute_pending()
