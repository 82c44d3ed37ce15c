"""Computing every indicator of `metrics.catalogue` into `IndicatorValue` (docs/indicators.md
defines each one).

For each month: the desa's figures come from a few GROUP BY village queries per family over
the month's raw rows (INSERT … SELECT into temporary tables, nothing per desa in Python),
joined into one row per desa (`metrics.compute.desa`); then, up to the nation, ratios are
summed from the desa's rows (a full run) or from the stored rows of the level below, and
medians and spreads are recomputed from the raw rows at every level. Each level's rows replace
the stored ones in the month's transaction (see `metrics.compute.desa` and
`metrics.compute.apply`).

`recompute(months=…)` recomputes every desa; `recompute(months=…, village_ids=…)` only those
desa and the areas above them, which is what the queue of `RecomputeRequest` needs.

The work tables are temporary tables of the database connection: behind a pooler in
transaction mode (PgBouncer), run the worker on a direct connection.
"""

import datetime
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from metrics.compute import (
    apply,
    crime_types,
    desa,
    forums,
    officers,
    outcomes,
    problems,
    rollup,
    snapshots,
    sql,
    tables,
)
from metrics.compute.months import has_begun, month_start
from metrics.compute.spec import LEVELS
from metrics.compute.tables import Month

logger = logging.getLogger(__name__)

FAMILIES = [officers, forums, problems, outcomes]
MONTH_TABLES = [
    "cmp_officers",
    "cmp_visits",
    "cmp_meetings",
    "cmp_held",
    "cmp_samples",
    "cmp_desa_medians",
    "cmp_medians",
    "cmp_desa",
    "cmp_stage",
    "cmp_units",
    *(f"cmp_agg_{n}" for n in range(tables.AGGREGATES)),
]


@dataclass(frozen=True)
class MonthReport:
    month: datetime.date
    written: int  # rows inserted or changed
    deleted: int
    seconds: float


def recompute(
    *,
    months: Iterable[datetime.date],
    village_ids: Iterable[int] | None = None,
    levels: Iterable[str] | None = None,
    now: datetime.datetime | None = None,
    progress: Callable[[MonthReport], None] | None = None,
) -> list[MonthReport]:
    """Recompute the indicators of `months` (months not begun yet are skipped) for every desa,
    or for `village_ids` only, and the areas above them; `levels` limits the levels written.
    Safe to run twice and alongside itself: a month is recomputed in one transaction, and two
    runs of the same month take turns."""
    now = now or timezone.now()
    wanted = set(levels or LEVELS)
    levels = [level for level in LEVELS if level in wanted]
    months = sorted({month_start(m) for m in months if has_begun(month_start(m), now)})
    ids = None if village_ids is None else sorted(set(village_ids))
    if not months or not levels or ids == []:
        return []
    reports = []
    with connection.cursor() as cursor, tables.temporary(cursor):
        tables.fill_villages(cursor, ids)
        if "desa" in levels:
            snapshots.open_snapshots(cursor, months=months, now=now)
            forums.first_meetings(cursor, everywhere=ids is None)
        for month in months:
            started = time.monotonic()
            with transaction.atomic():
                sql.begin_month(cursor, month)
                written, deleted = _recompute_month(
                    cursor,
                    Month(
                        month=month,
                        now=now,
                        full=ids is None,
                        everywhere=ids is None or levels != ["desa"],
                    ),
                    levels,
                )
            report = MonthReport(month, written, deleted, time.monotonic() - started)
            logger.info("Indicators of %s: %s", f"{month:%Y-%m}", report)
            reports.append(report)
            if progress:
                progress(report)
    return reports


def _recompute_month(cursor, month: Month, levels: list[str]) -> tuple[int, int]:
    tables.fill_month(cursor, month)
    for table in MONTH_TABLES:
        sql.clear(cursor, table)
    officers.prepare(cursor, month)
    problems.prepare(cursor, month)
    rollup.prepare_medians(cursor, month)
    if any(level != "desa" for level in levels):
        officers.prepare_units(cursor, month)
    written = deleted = 0
    for level in levels:
        if level == "desa":
            for family in FAMILIES:
                family.stage_desa(cursor, month)
            desa.build(cursor, month)
            level_written, level_deleted = desa.apply(cursor, month)
        else:
            for family in FAMILIES:
                if hasattr(family, "stage_units"):
                    family.stage_units(cursor, month, level)
            rollup.stage_sums(cursor, month, level, levels)
            rollup.stage_medians(cursor, month, level)
            level_written, level_deleted = apply.apply(cursor, month, level)
        crime_types.replace(cursor, month, level)
        written += level_written
        deleted += level_deleted
    return written, deleted
