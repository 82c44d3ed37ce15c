"""Draining the queue of desa-months that changed (`RecomputeRequest`).

A request is claimed by deleting it in a short transaction of its own, before the recompute
reads any data: a change committed during the recompute inserts a fresh request (the old one
is gone), so it is picked up next time instead of being folded into a request we are about
to drop. `SKIP LOCKED` lets two workers claim different requests. A recompute that fails puts
its requests back; one killed outright loses them, and the nightly recompute of the current
and previous month repairs that.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from metrics.compute import recompute
from metrics.models import RecomputeRequest
from metrics.services import recompute_request

# Requests claimed per run: a minute's worth of changes across the country fits easily.
CLAIM_LIMIT = 5000


def claim(*, limit: int = CLAIM_LIMIT) -> dict[datetime.date, set[int]]:
    """Take up to `limit` requests off the queue, oldest first: {month: desa ids}."""
    with transaction.atomic():
        rows = list(
            RecomputeRequest.objects.select_for_update(skip_locked=True)
            .order_by("requested_at", "pk")
            .values_list("pk", "village_id", "month")[:limit]
        )
        RecomputeRequest.objects.filter(pk__in=[pk for pk, _village, _month in rows]).delete()
    claimed: dict[datetime.date, set[int]] = defaultdict(set)
    for _pk, village_id, month in rows:
        claimed[month].add(village_id)
    return dict(claimed)


def recompute_pending(
    *, limit: int = CLAIM_LIMIT, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Recompute the queued desa-months and the areas above them. Returns counts for the
    log: requests claimed, rows written and deleted."""
    now = now or timezone.now()
    claimed = claim(limit=limit)
    totals = {"requests": sum(len(ids) for ids in claimed.values()), "written": 0, "deleted": 0}
    for month, village_ids in sorted(claimed.items()):
        try:
            reports = recompute(months=[month], village_ids=village_ids, now=now)
        except BaseException:
            # SoftTimeLimitExceeded included: what was claimed and not done goes back.
            _requeue(claimed, from_month=month)
            raise
        for report in reports:
            totals["written"] += report.written
            totals["deleted"] += report.deleted
    return totals


def _requeue(claimed: dict[datetime.date, set[int]], *, from_month: datetime.date) -> None:
    with transaction.atomic():
        for month, village_ids in claimed.items():
            if month >= from_month:
                recompute_request(village_ids=village_ids, months=[month])
