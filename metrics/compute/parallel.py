"""A backfill over several database connections at once: the months are dealt out to
`workers` threads, each with its own connection (Django opens one per thread) and so its own
temporary tables, and each runs `metrics.compute.recompute` over its months. Months are
independent (each is replaced in its own transaction), so the figures are those of one run.

On a machine with several cores the database then computes several months side by side; a
single run keeps one core busy.
"""

import datetime
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.utils import timezone

from metrics.compute import MonthReport, recompute


def recompute_in_parallel(
    *,
    months: Iterable[datetime.date],
    workers: int,
    levels: Iterable[str] | None = None,
    now: datetime.datetime | None = None,
    progress: Callable[[MonthReport], None] | None = None,
) -> list[MonthReport]:
    """`recompute(months=…)` for every desa with the months dealt out in turn to `workers`
    threads (newest first, so that each thread's walk back through the problems' history
    covers every other month, not all of them). Reports in month order."""
    now = now or timezone.now()
    ordered = sorted(set(months), reverse=True)
    shares = [ordered[start::workers] for start in range(max(workers, 1))]
    shares = [share for share in shares if share]
    if len(shares) <= 1:
        return recompute(months=ordered, levels=levels, now=now, progress=progress)

    def run(share: list[datetime.date]) -> list[MonthReport]:
        try:
            return recompute(months=share, levels=levels, now=now, progress=progress)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(shares)) as pool:
        results = list(pool.map(run, shares))
    return sorted((report for reports in results for report in reports), key=lambda r: r.month)
