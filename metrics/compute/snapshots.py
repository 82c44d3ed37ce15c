"""Snapshots at the end of each month: family 7's share of open problems past analysis, and
family 6's problems still waiting for a first action more than 48 hours after the report.

A problem's status at the end of a past month is rebuilt from its event log, walking back
from today one month at a time: at the end of month m a problem is in the status it left by
its first event after that moment, or — with no event since — in the status it was in at
the end of the month after. Each step reads only the events between two month ends and the
problems open at the later one, so a two-year backfill reads every event once instead of
scanning the whole log for each month. The problems' own times and zones are copied once into
`cmp_problems`, which each step joins: joined to issues_problem and the desa instead, each
step hashed all 1.7 million problems again (1.5-2.4 s a step at national scale, 0.7-1.3 s so).
"""

import datetime

from issues.models import OVERDUE_AFTER
from issues.workflow import OPEN_STATUSES, Status
from metrics.compute import sql
from metrics.compute.months import ZONES, bounds
from metrics.compute.problems import CONSTANTS

PAST_ANALYSIS = [Status.RESPONSE, Status.ASSESSMENT]
# As `issues.selectors.overdue_problems`, at the month's end: still new (or reopened), no first
# action by then, reported more than 48 hours before.
WAITING = [Status.NEW, Status.REOPENED]

# The problems the walk follows: not hidden, of a desa in scope.
PROBLEMS = """
INSERT INTO cmp_problems (problem_id, village_id, zone, status, created_at, first_action_at)
SELECT p.id, p.village_id, v.zone, p.status, p.created_at, p.first_action_at
FROM issues_problem p JOIN cmp_villages v ON v.village_id = p.village_id
WHERE NOT p.is_hidden AND v.in_scope = 1
"""

OPEN_NOW = """
INSERT INTO cmp_open (gen, problem_id, village_id, status, created_at, first_action_at)
SELECT 0, problem_id, village_id, status, created_at, first_action_at
FROM cmp_problems WHERE status IN {open}
"""

ZONE_LO = "CASE {zone} WHEN 0 THEN %(lo_0)s WHEN 1 THEN %(lo_1)s ELSE %(lo_2)s END"
ZONE_HI = "CASE {zone} WHEN 0 THEN %(hi_0)s WHEN 1 THEN %(hi_1)s ELSE %(hi_2)s END"

# Each problem's first event after the end of the month (lo) and up to the end of the
# month after (hi): its from_status is the problem's status at the end of the month. Only the
# problems filed by the month's end: the others' events are most of a month's, and none of
# them is open at its end. The problem's own times come along for the next step.
FIRST_EVENTS = """
INSERT INTO cmp_first (problem_id, village_id, from_status, created_at, first_action_at)
SELECT problem_id, village_id, from_status, created_at, first_action_at FROM (
    SELECT e.problem_id, p.village_id, e.from_status, p.created_at, p.first_action_at,
           ROW_NUMBER() OVER (PARTITION BY e.problem_id ORDER BY e.created_at, e.id) AS r
    FROM issues_problemevent e
    JOIN cmp_problems p ON p.problem_id = e.problem_id
    WHERE e.kind IN (%(filed)s, %(transition)s) AND p.created_at <= {problem_lo}
      AND e.created_at > %(lo)s AND e.created_at <= %(hi)s
      AND e.created_at > {problem_lo} AND e.created_at <= {problem_hi}) q
WHERE r = 1
"""

STEP = """
INSERT INTO cmp_open (gen, problem_id, village_id, status, created_at, first_action_at)
SELECT %(gen)s, o.problem_id, o.village_id, o.status, o.created_at, o.first_action_at
FROM cmp_open o JOIN cmp_villages v ON v.village_id = o.village_id
WHERE o.gen = %(previous)s AND o.created_at <= {zone_lo}
  AND NOT EXISTS (SELECT 1 FROM cmp_first f WHERE f.problem_id = o.problem_id)
UNION ALL
SELECT %(gen)s, f.problem_id, f.village_id, f.from_status, f.created_at, f.first_action_at
FROM cmp_first f
WHERE f.from_status IN {open}
"""

ZONE_DUE = "CASE {zone} WHEN 0 THEN %(due_0)s WHEN 1 THEN %(due_1)s ELSE %(due_2)s END"

COUNTS = """
INSERT INTO cmp_open_counts (month, village_id, open_n, past_n, waiting_n)
SELECT %(month)s, o.village_id, COUNT(*), SUM(CASE WHEN o.status IN {past} THEN 1 ELSE 0 END),
       SUM(CASE WHEN o.status IN {waiting} AND o.created_at <= {zone_due}
                 AND (o.first_action_at IS NULL OR o.first_action_at > {zone_lo})
           THEN 1 ELSE 0 END)
FROM cmp_open o JOIN cmp_villages v ON v.village_id = o.village_id
WHERE o.gen = %(gen)s GROUP BY o.village_id
"""


def open_snapshots(cursor, *, months: list[datetime.date], now: datetime.datetime) -> None:
    """cmp_open_counts: per month and desa in scope, the problems open at the month's end (or
    now, for the current month), those of them past analysis and those waiting overdue."""
    open_list, params = sql.in_list("open", sorted(OPEN_STATUSES))
    past_list, past_params = sql.in_list("past", PAST_ANALYSIS)
    waiting_list, waiting_params = sql.in_list("waiting", WAITING)
    params.update(past_params, **waiting_params, **CONSTANTS)
    fragments = {
        "open": open_list,
        "past": past_list,
        "waiting": waiting_list,
        "zone_lo": ZONE_LO.format(zone="v.zone"),
        "zone_due": ZONE_DUE.format(zone="v.zone"),
        "problem_lo": ZONE_LO.format(zone="p.zone"),
        "problem_hi": ZONE_HI.format(zone="p.zone"),
    }
    for table in ("cmp_problems", "cmp_open", "cmp_open_counts"):
        sql.clear(cursor, table)
    sql.run(cursor, PROBLEMS)
    sql.analyze(cursor, "cmp_problems")
    sql.run(cursor, OPEN_NOW, params, **fragments)
    upper = [now] * len(ZONES)
    for gen, month in enumerate(sorted(months, reverse=True), start=1):
        refs = [bounds(month, zone, now).ref for zone in ZONES]
        params.update(
            {f"lo_{n}": sql.moment(ref) for n, ref in enumerate(refs)},
            **{f"hi_{n}": sql.moment(ref) for n, ref in enumerate(upper)},
            **{f"due_{n}": sql.moment(ref - OVERDUE_AFTER) for n, ref in enumerate(refs)},
            lo=sql.moment(min(refs)),
            hi=sql.moment(max(upper)),
            gen=gen,
            previous=gen - 1,
            month=sql.day(month),
        )
        sql.clear(cursor, "cmp_first")
        sql.run(cursor, FIRST_EVENTS, params, **fragments)
        sql.analyze(cursor, "cmp_first", "cmp_open")
        sql.run(cursor, STEP, params, **fragments)
        sql.run(cursor, "DELETE FROM cmp_open WHERE gen = %(previous)s", params)
        sql.run(cursor, COUNTS, params, **fragments)
        upper = refs
    sql.clear(cursor, "cmp_problems")  # its memory back for the months' own tables
