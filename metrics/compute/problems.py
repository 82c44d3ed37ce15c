"""Families 5 (share raised by residents), 6, 7, 9, 10 and the response half of 11: how the
problems of a desa were reported, answered, moved along the SARA cycle and resolved.

Hidden problems (abuse an operator hid) count nowhere. Durations are read from the problem's
own timestamps and from its event log (`issues.ProblemEvent`), whose FILED and TRANSITION
events give every stay in every stage.
"""

from accounts.models import User
from issues.models import Problem, ProblemEvent
from issues.workflow import SARA_ORDER, Status
from metrics.compute import sql, staging
from metrics.compute.spec import AREA_COLUMN
from metrics.compute.staging import DesaAggregate, affected
from metrics.compute.tables import Month

CONSTANTS = {
    "filed": ProblemEvent.Kind.FILED,
    "transition": ProblemEvent.Kind.TRANSITION,
    "resolved": Status.RESOLVED,
    "forum": Problem.Source.FORUM,
    "resident": User.Role.RESIDENT,
    "mediation": Problem.Resolution.MEDIATION,
    "community": Problem.Resolution.COMMUNITY_ACTION,
}
# The stages whose stays are measured: the SARA cycle before resolution.
STAGES = [s.value for s in SARA_ORDER if s != Status.RESOLVED]

FILED_IN_MONTH = """
p.created_at >= %(lo)s AND p.created_at < %(hi)s
AND p.created_at >= m.lo AND p.created_at < m.hi AND NOT p.is_hidden
"""

RESPONSE_SAMPLES = """
INSERT INTO cmp_samples (indicator, village_id, x)
SELECT 'response_hours_median', p.village_id, {hours}
FROM issues_problem p JOIN cmp_month m ON m.village_id = p.village_id
WHERE {filed} AND p.first_action_at IS NOT NULL AND {scope}
"""

# A stay in a stage ends with a transition out of it, in the month measured; it began with
# the problem's previous event (its filing for the first stage). The previous event is read
# with a window over the month's events; a stay that began before the month is looked up
# (`PREVIOUS_EVENT`) in the index of each problem's events by time (issues.ProblemEvent),
# which reads the few entries of that problem before the transition. The bound
# `b.created_at <= w.created_at` is implied by the condition after it, but PostgreSQL cannot
# start an index scan from an OR: with it the scan starts at the problem and stops at the
# transition. Before that index the lookup read every event of the problem from the table, and
# a window over the 35 days before the month saved most lookups: a national month's stays took
# 4.3-5.3 s so on the tenth machine of docs/performance.md, 3.6 s now. The month's range is
# in the window's subquery only: repeated outside it, it made PostgreSQL expect a fortieth of
# the stays and look each one's desa up in cmp_month (0.8 s of a national month); without it
# the desa are hashed.
PREVIOUS_EVENT = """(
    SELECT MAX(b.created_at) FROM issues_problemevent b
    WHERE b.problem_id = w.problem_id AND b.kind IN (%(filed)s, %(transition)s)
      AND b.created_at <= w.created_at
      AND (b.created_at < w.created_at OR (b.created_at = w.created_at AND b.id < w.id)))"""

STAGE_SAMPLES = """
INSERT INTO cmp_samples (indicator, village_id, x)
SELECT 'days_' || w.from_status || '_median', p.village_id, {hours} / 24.0
FROM (SELECT e.id, e.problem_id, e.kind, e.from_status, e.created_at,
             LAG(e.created_at) OVER (PARTITION BY e.problem_id ORDER BY e.created_at, e.id)
                 AS previous_at
      FROM issues_problemevent e
      WHERE e.kind IN (%(filed)s, %(transition)s)
        AND e.created_at >= %(lo)s AND e.created_at < %(hi)s) w
JOIN issues_problem p ON p.id = w.problem_id
JOIN cmp_month m ON m.village_id = p.village_id
WHERE w.kind = %(transition)s AND w.from_status IN {stages}
  AND w.created_at >= m.lo AND w.created_at < m.hi AND NOT p.is_hidden AND {scope}
"""

# Problems of the month: raised by residents (not at a forum, not by a police account), and
# first action within 48 hours among those whose 48 hours are over (or that had one).
FILED = DesaAggregate(
    select="""
SELECT p.village_id,
       SUM(CASE WHEN p.source <> %(forum)s AND (p.reporter_id IS NULL OR u.role = %(resident)s)
           THEN 1 ELSE 0 END),
       COUNT(*),
       SUM(CASE WHEN p.first_action_at IS NOT NULL AND {hours} <= 48 THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.first_action_at IS NOT NULL OR p.created_at <= %(due48)s
           THEN 1 ELSE 0 END)
FROM issues_problem p
JOIN cmp_month m ON m.village_id = p.village_id
LEFT JOIN accounts_user u ON u.id = p.reporter_id
WHERE {filed} AND m.in_scope = 1
GROUP BY p.village_id
""",
    columns=4,
    outputs={"resident_raised_pct": ("c1", "c2"), "response_48h_pct": ("c3", "c4")},
)

# Resolutions of the month. After `resolved` the only way is `reopened`, so a resolution
# followed by any transition was reopened. Self-reliance counts the resolutions that still
# stand and say how the problem was solved. One row per resolution (GROUP BY e.id): a plain
# subquery would be merged into the outer query, where `reopened` appears three times, and the
# lookup ran three times per resolution (2.0 s against 1.7 s for a national month). The
# lookup reads the problem's events from the resolution on, in the index of each problem's
# events by time (issues.ProblemEvent); `r.created_at >= e.created_at`, implied by the
# condition after it, is what lets PostgreSQL start the scan there. On the tenth machine of
# docs/performance.md the lookups of a national month took 0.4 s so, against 1.9 s when they
# read all of the problem's events from the table.
RESOLVED = DesaAggregate(
    select="""
SELECT village_id, SUM(reopened), COUNT(*),
       SUM(CASE WHEN reopened = 0 AND resolution IN (%(mediation)s, %(community)s)
           THEN 1 ELSE 0 END),
       SUM(CASE WHEN reopened = 0 AND resolution <> '' THEN 1 ELSE 0 END)
FROM (SELECT p.village_id, p.resolution,
             MAX(CASE WHEN EXISTS (
                 SELECT 1 FROM issues_problemevent r
                 WHERE r.problem_id = e.problem_id AND r.kind = %(transition)s
                   AND r.created_at >= e.created_at
                   AND (r.created_at > e.created_at
                        OR (r.created_at = e.created_at AND r.id > e.id)))
             THEN 1 ELSE 0 END) AS reopened
      FROM issues_problemevent e
      JOIN issues_problem p ON p.id = e.problem_id
      JOIN cmp_month m ON m.village_id = p.village_id
      WHERE e.kind = %(transition)s AND e.to_status = %(resolved)s AND NOT p.is_hidden
        AND e.created_at >= %(lo)s AND e.created_at < %(hi)s
        AND e.created_at >= m.lo AND e.created_at < m.hi AND m.in_scope = 1
      GROUP BY e.id, p.village_id, p.resolution) q
GROUP BY village_id
""",
    columns=4,
    outputs={"reopen_pct": ("c1", "c2"), "community_solved_pct": ("c3", "c4")},
)

FEEDBACK = DesaAggregate(
    select="""
SELECT p.village_id, SUM(CASE WHEN fb.solved THEN 1 ELSE 0 END), COUNT(*), SUM(fb.rating),
       COUNT(fb.rating)
FROM issues_feedback fb
JOIN issues_problem p ON p.id = fb.problem_id
JOIN cmp_month m ON m.village_id = p.village_id
WHERE fb.created_at >= %(lo)s AND fb.created_at < %(hi)s
  AND fb.created_at >= m.lo AND fb.created_at < m.hi AND NOT p.is_hidden AND m.in_scope = 1
GROUP BY p.village_id
""",
    columns=4,
    outputs={"fixed_yes_pct": ("c1", "c2"), "rating_mean": ("c3", "c4")},
)

OPEN_AT_REF = DesaAggregate(
    select="""
SELECT c.village_id, c.past_n, c.open_n, c.waiting_n
FROM cmp_open_counts c JOIN cmp_month m ON m.village_id = c.village_id
WHERE c.month = %(month)s AND m.in_scope = 1
""",
    columns=3,
    outputs={"past_analysis_pct": ("c1", "c2"), "overdue_open": ("c3", None)},
)

DESA_MEDIANS = "INSERT INTO cmp_desa_medians (village_id, x) SELECT area, x FROM ({median}) q"

# The slowest quarter of the area's desa against the fastest, by each desa's median hours to
# a first action; defined where at least four desa had a problem acted on.
UNIT_SPREAD = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT 'response_spread', %(level)s, area,
       AVG(CASE WHEN q = 4 THEN x END) / AVG(CASE WHEN q = 1 THEN x END),
       AVG(CASE WHEN q = 4 THEN x END), AVG(CASE WHEN q = 1 THEN x END)
FROM (SELECT m.{column} AS area, d.x AS x,
             NTILE(4) OVER (PARTITION BY m.{column} ORDER BY d.x) AS q,
             COUNT(*) OVER (PARTITION BY m.{column}) AS n
      FROM cmp_desa_medians d JOIN cmp_month m ON m.village_id = d.village_id
      WHERE {affected}) t
WHERE n >= 4
GROUP BY area
HAVING AVG(CASE WHEN q = 1 THEN x END) > 0
"""


def prepare(cursor, month: Month) -> None:
    """The raw durations whose medians each level recomputes."""
    month.params.update(CONSTANTS)
    stages, stage_params = sql.in_list("stage", STAGES)
    month.params.update(stage_params)
    sql.run(
        cursor,
        RESPONSE_SAMPLES,
        month.params,
        hours=sql.hours_between("p.created_at", "p.first_action_at"),
        filed=FILED_IN_MONTH,
        scope=month.scope,
    )
    sql.run(
        cursor,
        STAGE_SAMPLES,
        month.params,
        hours=sql.hours_between(
            f"COALESCE(w.previous_at, {PREVIOUS_EVENT}, p.created_at)", "w.created_at"
        ),
        stages=stages,
        scope=month.scope,
    )
    sql.analyze(cursor, "cmp_samples")
    if month.everywhere:
        median = sql.median_select(
            group="s.village_id",
            source="cmp_samples s",
            where="s.indicator = 'response_hours_median'",
        )
        sql.run(cursor, DESA_MEDIANS, median=median)


def stage_desa(cursor, month: Month) -> None:
    hours = sql.hours_between("p.created_at", "p.first_action_at")
    staging.stage_desa(cursor, month, FILED, hours=hours, filed=FILED_IN_MONTH)
    staging.stage_desa(cursor, month, RESOLVED)
    staging.stage_desa(cursor, month, FEEDBACK)
    staging.stage_desa(cursor, month, OPEN_AT_REF)


def stage_units(cursor, month: Month, level: str) -> None:
    sql.run(
        cursor,
        UNIT_SPREAD,
        {"level": level},
        column=AREA_COLUMN[level],
        affected=affected(month, level),
    )
