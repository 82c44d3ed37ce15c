"""Families 1, 2 and the visits half of 11: officer coverage, face-to-face work, and how
evenly the visits spread over the desa of an area."""

from metrics.compute import sql, staging
from metrics.compute.spec import AREA_COLUMN, NATION_CODE
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


# On PostgreSQL the three are computed for every level at once, before the levels are staged
# (`prepare_units`), into cmp_units, from which each level takes its areas (`stage_units`):
# two statements, each rolling the police map up by the units' ids, instead of three queries
# per level, which read the month's desa, officers and visits four times over (1.5 s of a
# national month, against 0.5 s). GROUPING() numbers the level of a group by the columns
# rolled up (without the desa's id, so 0 is the Polsek here, where it is the desa in the
# medians); `unit` is the id of the group's police unit, named by cmp_unit_codes. A ROLLUP's
# grand total is a row even without any input row: the nation's officers are kept only where
# there are some.
ROLLUP_GROUP = "GROUPING(m.polda_id, m.polres_id, m.polsek_id)"
ROLLUP = {
    "group": ROLLUP_GROUP,
    "unit": f"""CASE {ROLLUP_GROUP} WHEN 0 THEN m.polsek_id WHEN 1 THEN m.polres_id
                WHEN 3 THEN m.polda_id ELSE 0 END""",
    "by": "ROLLUP(m.polda_id, m.polres_id, m.polsek_id)",
    "level": "CASE g WHEN 0 THEN 'polsek' WHEN 1 THEN 'polres' WHEN 3 THEN 'polda'"
    " ELSE 'nation' END",
    "area": "CASE g WHEN 7 THEN %(nation)s ELSE u.code END",
}

UNITS_OFFICER_RATIOS = """
INSERT INTO cmp_units (indicator, level, area_code, value, numerator, denominator)
WITH d AS (
    SELECT {group} AS g, {unit} AS unit, COUNT(*) AS n, SUM(v.n) AS visits
    FROM cmp_month m LEFT JOIN cmp_visits v ON v.village_id = m.village_id
    GROUP BY {by}),
o AS (
    SELECT {group} AS g, {unit} AS unit, COUNT(DISTINCT o.officer_id) AS n,
           MAX(m.weeks) AS weeks
    FROM cmp_officers o JOIN cmp_month m ON m.village_id = o.village_id
    GROUP BY {by}
    HAVING COUNT(*) > 0)
SELECT r.indicator, {level}, {area}, r.value, r.numerator, r.denominator
FROM (SELECT o.g, o.unit, d.n AS desa, COALESCE(d.visits, 0) AS visits, o.n AS officers,
             o.weeks
      FROM o JOIN d ON d.g = o.g AND d.unit = o.unit) a
CROSS JOIN LATERAL (VALUES
    ('desa_per_officer', a.desa * 1.0 / a.officers, a.desa, a.officers),
    ('visits_per_officer_week', a.visits / (a.officers * a.weeks), a.visits,
     a.officers * a.weeks)) r (indicator, value, numerator, denominator)
LEFT JOIN cmp_unit_codes u ON u.unit_id = a.unit
"""

# The Gini of every level from the desa counted by visit count x (c desa with x visits): the
# desa of an area sharing a count hold the ranks below+1 … below+c, whose sum is
# c·below + c(c+1)/2, the same whole number as desa by desa.
UNITS_GINI = """
INSERT INTO cmp_units (indicator, level, area_code, value, numerator, denominator)
SELECT 'visits_gini', {level}, {area},
       2.0 * q.ranked / (q.n * q.total) - (q.n + 1.0) / q.n, q.total, q.n
FROM (SELECT g, unit, SUM(x * (c * below + c * (c + 1) / 2)) AS ranked, SUM(c) AS n,
             SUM(c * x) AS total
      FROM (SELECT g, unit, x, c, SUM(c) OVER (PARTITION BY g, unit ORDER BY x) - c AS below
            FROM (SELECT {group} AS g, {unit} AS unit, COALESCE(v.n, 0) AS x,
                         COUNT(*) AS c
                  FROM cmp_month m LEFT JOIN cmp_visits v ON v.village_id = m.village_id
                  GROUP BY COALESCE(v.n, 0), {by}) h
            WHERE unit IS NOT NULL) w
      GROUP BY g, unit
      HAVING SUM(c) >= 2 AND SUM(c * x) > 0) q
LEFT JOIN cmp_unit_codes u ON u.unit_id = q.unit
"""

UNITS_INTO_STAGE = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT indicator, level, area_code, value, numerator, denominator FROM cmp_units
WHERE level = %(level)s AND area_code IN (SELECT m.{column} FROM cmp_month m WHERE {affected})
"""


def prepare(cursor, month: Month) -> None:
    sql.run(cursor, OFFICERS, month.params)
    sql.run(cursor, VISITS, month.params, scope=month.scope)
    sql.analyze(cursor, "cmp_officers", "cmp_visits")


def stage_desa(cursor, month: Month) -> None:
    staging.stage_desa(cursor, month, DESA)


def prepare_units(cursor, month: Month) -> None:
    """cmp_units: on PostgreSQL, the three indicators of every area of every level above the
    desa (SQLite has no ROLLUP: there `stage_units` asks three queries per level)."""
    if sql.is_postgres():
        for statement in (UNITS_OFFICER_RATIOS, UNITS_GINI):
            sql.run(cursor, statement, {"nation": NATION_CODE}, **ROLLUP)


def stage_units(cursor, month: Month, level: str) -> None:
    fragments = {"column": AREA_COLUMN[level], "affected": affected(month, level)}
    if sql.is_postgres():
        sql.run(cursor, UNITS_INTO_STAGE, {"level": level}, **fragments)
        return
    for statement in (UNIT_DESA_PER_OFFICER, UNIT_VISITS_PER_OFFICER, UNIT_GINI):
        sql.run(cursor, statement, {"level": level}, **fragments)
