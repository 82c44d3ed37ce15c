"""The few places where PostgreSQL and SQLite speak different SQL, and running the compute's
statements.

Everything else is plain SQL both understand (window functions, INSERT … SELECT, ON CONFLICT).
Statements are module constants; `run` fills in named fragments (table columns and the
dialect pieces below, never user input) and passes values as query parameters.
"""

import datetime
import logging
import time

from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def run(cursor, statement: str, params: dict | None = None, **fragments: str) -> int:
    """Execute one statement; returns the row count the database reports. With DEBUG logging
    on `metrics.compute.sql`, each statement's time: where a national run spends it."""
    started = time.monotonic()
    cursor.execute(statement.format(**fragments) if fragments else statement, params or {})
    if logger.isEnabledFor(logging.DEBUG):
        head = " ".join(statement.split())[:90]
        logger.debug("%.2f s, %d rows: %s", time.monotonic() - started, cursor.rowcount, head)
    return cursor.rowcount


def in_list(name: str, values) -> tuple[str, dict]:
    """`(%(name_0)s, %(name_1)s, …)` and its parameters: neither driver expands a list."""
    values = list(values)
    keys = [f"{name}_{i}" for i in range(len(values))]
    placeholders = ", ".join(f"%({key})s" for key in keys) or "NULL"
    return f"({placeholders})", dict(zip(keys, values, strict=True))


def moment(value: datetime.datetime):
    """A datetime as the database stores it (SQLite keeps naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


def day(value: datetime.date):
    return connection.ops.adapt_datefield_value(value)


# --- Dialect fragments -----------------------------------------------------------------------


def types() -> dict[str, str]:
    if is_postgres():
        return {"ts": "timestamp with time zone", "date": "date", "real": "double precision"}
    return {"ts": "text", "date": "text", "real": "real"}


def hours_between(start: str, end: str) -> str:
    if is_postgres():
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0)"
    # julianday() is a float of days: rounded to whole seconds, or 35 hours reads 34.99999999.
    return f"(ROUND((julianday({end}) - julianday({start})) * 86400.0) / 3600.0)"


def json_int(column: str, key: str) -> str:
    """An integer under `key` of a JSON object column, 0 when absent."""
    if is_postgres():
        return f"COALESCE(CAST(({column} ->> '{key}') AS INTEGER), 0)"
    return f"COALESCE(CAST(json_extract({column}, '$.{key}') AS INTEGER), 0)"


def same(left: str, right: str) -> str:
    """NULL-safe equality."""
    if is_postgres():
        return f"{left} IS NOT DISTINCT FROM {right}"
    return f"{left} IS {right}"


def bytewise(expression: str) -> str:
    """`expression` compared byte by byte, for a sort. Codes and keys are ASCII, so the order
    is the same as in the database's collation, but a libc collation other than "C" (C.UTF-8
    too, before PostgreSQL 17) compares through strcoll and sorts without abbreviated keys:
    sorting two million rows by code and key took twice as long."""
    return f'{expression} COLLATE "C"' if is_postgres() else expression


# Grouped by sorting (an ordered-set aggregate cannot hash): byte by byte, see `bytewise`;
# a `group` of text should come through `bytewise` too.
MEDIAN_POSTGRES = """
SELECT s.indicator COLLATE "C" AS indicator, {group} AS area,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY s.x) AS x, COUNT(*) AS n
FROM {source} WHERE {where} GROUP BY s.indicator COLLATE "C", {group}
"""

# The middle row, or the mean of the two middle rows, by window functions: the same value
# as percentile_cont(0.5).
MEDIAN_PORTABLE = """
SELECT indicator, area, AVG(x) AS x, MAX(n) AS n FROM (
    SELECT s.indicator AS indicator, {group} AS area, s.x AS x,
           ROW_NUMBER() OVER (PARTITION BY s.indicator, {group} ORDER BY s.x) AS r,
           COUNT(*) OVER (PARTITION BY s.indicator, {group}) AS n
    FROM {source} WHERE {where}) q
WHERE r IN ((n + 1) / 2, (n + 2) / 2)
GROUP BY indicator, area
"""


def median_select(*, group: str, source: str, where: str) -> str:
    """A SELECT of (indicator, area, x = the median, n = the count) over the rows of `source`,
    which provides `s.indicator`, `s.x` and the `group` expression naming the area."""
    template = MEDIAN_POSTGRES if is_postgres() else MEDIAN_PORTABLE
    return template.format(group=group, source=source, where=where)


def clear(cursor, table: str) -> None:
    cursor.execute(f"{'TRUNCATE' if is_postgres() else 'DELETE FROM'} {table}")


def analyze(cursor, *tables: str, columns: tuple[str, ...] = ()) -> None:
    """PostgreSQL never auto-analyzes temporary tables: without statistics it would plan a
    join of 83,000 desa as if it had a thousand rows. `columns`: only those, for a wide table
    whose other columns are never joined or filtered on (all 140 of the desa's figures took
    0.9 s of a national month; the row count comes with any column)."""
    if is_postgres():
        only = f" ({', '.join(columns)})" if columns else ""
        for table in tables:
            cursor.execute(f"ANALYZE {table}{only}")


# Temporary tables live in the session's own buffers, 8 MB by default: at national scale the
# staged rows of a month (two million) and the samples of its medians would go to disk and back
# at every statement. The memory is taken only as the tables grow.
TEMP_BUFFERS = "512MB"


def widen_temp_buffers(cursor) -> None:
    """PostgreSQL accepts this only before the session's first temporary table: a worker's
    connection gets it on its first recompute and keeps it; where it is refused, the compute
    runs as before, slower."""
    if not is_postgres():
        return
    try:
        with transaction.atomic():
            cursor.execute(f"SET temp_buffers = '{TEMP_BUFFERS}'")
    except DatabaseError:
        logger.debug("temp_buffers stays as it was: this session has used temporary tables")


def begin_month(cursor, month: datetime.date) -> None:
    """In the month's transaction. Two recomputes of one month (the nightly job and the
    queue) take turns: each replaces the month's rows as a whole, and interleaved they could
    deadlock on the same rows. The medians and the roll-ups sort and hash a few hundred
    thousand rows: with the default 4 MB they would spill to disk. A month's rows are a few
    per cent of a table, found through its indexes: with the default random_page_cost (4, a
    spinning disk's) the planner scanned all 7.5 million attendance rows to find the
    month's 344,000 (1.6 s instead of 3.3 s for the meetings held, at national scale). No
    statement of a month runs long enough to repay JIT compilation: the meetings held, whose
    estimated cost passes the thresholds for inlining and optimizing, spent 0.5 s of its 2.6 s
    compiling."""
    if is_postgres():
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [0x504D, month.year * 100 + month.month]
        )
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL random_page_cost = 1.1")
        cursor.execute("SET LOCAL jit = off")
