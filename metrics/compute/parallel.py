"""A backfill over several database connections at once: the months are dealt out to
`workers` threads, each with its own connection (Django opens one per thread) and so its own
temporary tables, and each runs `metrics.compute.recompute` over its months. Months are
independent (each is replaced in its own transaction), so the figures are those of one run.

On a machine with several cores the database then computes several months side by side; a
single run keeps one core busy. SQLite lets one connection write at a time: there the months
are computed one after the other whatever `workers` says.
"""

import datetime
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from django.db import connection
from django.utils import timezone, translation

from metrics.compute import MonthReport, recompute


class Stopped(Exception):
    """Raised in a worker after its current month when another worker failed or the run was
    interrupted: the months it committed stay, the rest are left for the next run."""


def recompute_in_parallel(
    *,
    months: Iterable[datetime.date],
    workers: int,
    levels: Iterable[str] | None = None,
    now: datetime.datetime | None = None,
    progress: Callable[[MonthReport], None] | None = None,
    stop: threading.Event | None = None,
) -> list[MonthReport]:
    """`recompute(months=…)` for every desa with the months dealt out in turn to `workers`
    threads (newest first, so that each thread's walk back through the problems' history
    covers every other month, not all of them). Reports in month order. The first failure
    stops every worker after its current month, and is raised; so does setting `stop` from
    outside (the run then raises `Stopped`)."""
    now = now or timezone.now()
    ordered = sorted(set(months), reverse=True)
    if connection.vendor != "postgresql":
        workers = 1
    shares = [share for share in (ordered[start::workers] for start in range(workers)) if share]
    stop = stop or threading.Event()

    def after_month(report: MonthReport) -> None:
        if progress:
            progress(report)
        if stop.is_set():
            raise Stopped

    if len(shares) <= 1:  # one thread: this one, which `stop` stops after its current month
        return recompute(months=ordered, levels=levels, now=now, progress=after_month)
    language = translation.get_language()

    def run(share: list[datetime.date]) -> list[MonthReport]:
        try:
            with translation.override(language):
                return recompute(months=share, levels=levels, now=now, progress=after_month)
        except BaseException:
            stop.set()
            raise
        finally:
            connection.close()  # this thread's own connection

    pool = ThreadPoolExecutor(max_workers=len(shares))
    try:
        futures = [pool.submit(run, share) for share in shares]
        wait(futures, return_when=FIRST_EXCEPTION)
    except BaseException:  # Ctrl-C: the workers stop after their current month
        stop.set()
        raise
    finally:
        pool.shutdown(wait=True)
    failures = [f.exception() for f in futures if f.exception() is not None]
    first = next((e for e in failures if not isinstance(e, Stopped)), None)
    if first is not None:
        raise first
    return sorted((report for f in futures for report in f.result()), key=lambda r: r.month)
