"""Families 1, 2 and the visits half of 11: officer coverage, face-to-face work, and how
evenly the visits spread over the desa of an area."""

from metrics.compute import sql, staging
from metrics.compute.spec import AREA_COLUMN
from metrics.compute.staging import DesaAggregate, affected
from metrics.compute.tables import Month

# Officers with an assignment active on the reference day (the month's last day, or today):
# coverage is a state, not a flow, so it is read at one moment.
OFFICERS = """
INSERT INTO cmp_officers (village_id, officer_id)
SELECT DISTINCT a.village_id, a.officer_id
FROM officers_assignment a JOIN cmp_month m ON m.village_id = a.village_id
WHERE a.starts_on <= m.ref_day AND (a.ends_on IS NULL OR a.ends_on >= m.ref_day)
"""

VISITS = """
INSERT INTO cmp_visits (village_id, n)
SELECT t.village_id, COUNT(*)
FROM officers_visit t JOIN cmp_month m ON m.village_id = t.village_id
WHERE t.visited_at >= %(lo)s AND t.visited_at < %(hi)s
  AND t.visited_at >= m.lo AND t.visited_at < m.hi AND {scope}
GROUP BY t.village_id
"""

DESA = DesaAggregate(
    select="""
SELECT m.village_id,
       CASE WHEN o.n IS NULL THEN 0 ELSE 1 END,
       1,
       CASE WHEN COALESCE(v.n, 0) > 0 THEN 1 ELSE 0 END,
       COALESCE(v.n, 0),
       o.n * m.weeks,
       w.served,
       o.n
FROM cmp_month m
LEFT JOIN (SELECT village_id, COUNT(*) AS n FROM cmp_officers GROUP BY village_id) o
       ON o.village_id = m.village_id
LEFT JOIN cmp_visits v ON v.village_id = m.village_id
LEFT JOIN (SELECT a.village_id, SUM(c.n) AS served
           FROM cmp_officers a
           JOIN (SELECT officer_id, COUNT(*) AS n FROM cmp_officers GROUP BY officer_id) c
             ON c.officer_id = a.officer_id
           GROUP BY a.village_id) w ON w.village_id = m.village_id
WHERE m.in_scope = 1
""",
    columns=7,
    outputs={
        "coverage_pct": ("c1", "c2"),
        "desa_visited_pct": ("c3", "c2"),
        "visits_per_officer_week": ("c4", "c5"),
        # At desa level: how many desa this desa's officer(s) serve in all.
        "desa_per_officer": ("c6", "c7"),
    },
)

# Above the desa an officer counts once however many desa they serve: both ratios are
# recomputed from the assignments at each level instead of summing the desa rows.
UNIT_DESA_PER_OFFICER = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT 'desa_per_officer', %(level)s, d.area, d.n * 1.0 / o.n, d.n, o.n
FROM (SELECT m.{column} AS area, COUNT(*) AS n FROM cmp_month m
      WHERE {affected} GROUP BY m.{column}) d
JOIN (SELECT m.{column} AS area, COUNT(DISTINCT o.officer_id) AS n
      FROM cmp_officers o JOIN cmp_month m ON m.village_id = o.village_id
      WHERE {affected} GROUP BY m.{column}) o ON o.area = d.area
"""

UNIT_VISITS_PER_OFFICER = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT 'visits_per_officer_week', %(level)s, o.area, COALESCE(v.n, 0) / (o.n * o.weeks),
       COALESCE(v.n, 0), o.n * o.weeks
FROM (SELECT m.{column} AS area, COUNT(DISTINCT o.officer_id) AS n, MAX(m.weeks) AS weeks
      FROM cmp_officers o JOIN cmp_month m ON m.village_id = o.village_id
      WHERE {affected} GROUP BY m.{column}) o
LEFT JOIN (SELECT m.{column} AS area, SUM(v.n) AS n
           FROM cmp_visits v JOIN cmp_month m ON m.village_id = v.village_id
           WHERE {affected} GROUP BY m.{column}) v ON v.area = o.area
"""

# Gini = 2·Σ i·x(i) ÷ (n·Σx) − (n + 1) ÷ n over the visit counts x sorted ascending, every desa
# of the area included (a desa nobody visited is the inequality this measures).
UNIT_GINI = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT 'visits_gini', %(level)s, area,
       2.0 * SUM(r * n) / (COUNT(*) * SUM(n)) - (COUNT(*) + 1.0) / COUNT(*), SUM(n), COUNT(*)
FROM (SELECT m.{column} AS area, COALESCE(v.n, 0) AS n,
             ROW_NUMBER() OVER (PARTITION BY m.{column} ORDER BY COALESCE(v.n, 0)) AS r
      FROM cmp_month m LEFT JOIN cmp_visits v ON v.village_id = m.village_id
      WHERE {affected}) q
GROUP BY area
HAVING COUNT(*) >= 2 AND SUM(n) > 0
"""


def prepare(cursor, month: Month) -> None:
    sql.run(cursor, OFFICERS, month.params)
    sql.run(cursor, VISITS, month.params, scope=month.scope)
    sql.analyze(cursor, "cmp_officers", "cmp_visits")


def stage_desa(cursor, month: Month) -> None:
    staging.stage_desa(cursor, month, DESA)


def stage_units(cursor, month: Month, level: str) -> None:
    fragments = {"column": AREA_COLUMN[level], "affected": affected(month, level)}
    for statement in (UNIT_DESA_PER_OFFICER, UNIT_VISITS_PER_OFFICER, UNIT_GINI):
        sql.run(cursor, statement, {"level": level}, **fragments)
