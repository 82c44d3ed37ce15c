"""Writes of the metrics app."""

import datetime
from collections.abc import Iterable

from metrics.models import RecomputeRequest


def month_start(day: datetime.date | datetime.datetime) -> datetime.date:
    return datetime.date(day.year, day.month, 1)


def recompute_request(*, village_ids: Iterable[int], months: Iterable[datetime.date]) -> None:
    """Queue a recompute of these desa-months. Called inside the writer's transaction, so the
    request commits with the change it follows and survives a broker that is down; the unique
    constraint folds repeated changes into one request (the debounce)."""
    rows = [
        RecomputeRequest(village_id=village_id, month=month_start(month))
        for village_id in set(village_ids)
        for month in {month_start(m) for m in months}
        if village_id is not None
    ]
    RecomputeRequest.objects.bulk_create(rows, ignore_conflicts=True)
