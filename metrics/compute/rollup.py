"""Rows above the desa: sums of the level below for ratios and counts, and medians
recomputed from the raw durations."""

from metrics.compute import desa, sql
from metrics.compute.spec import AREA_COLUMN, LEVELS, MEDIANS, NATION_CODE, summed_at
from metrics.compute.staging import affected
from metrics.compute.tables import Month

# The rows one level down, summed per area; cmp_scale gives each indicator's value from the
# sums. The child → parent map comes from cmp_month, i.e. from the territory as it is today.
# Where this run staged the level below for every area, its rows are in cmp_stage (the desa's
# in cmp_desa) as the table now stores them; otherwise (some desa, or some levels) the stored
# rows are read: this run has already written its own.
SUMS = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT q.indicator, %(level)s, q.parent,
       CASE WHEN k.is_count = 1 THEN q.n ELSE q.n * k.scale / q.d END, q.n, q.d
FROM (SELECT iv.indicator AS indicator, h.parent AS parent, SUM(iv.numerator) AS n,
             SUM(iv.denominator) AS d
      FROM {rows} iv
      JOIN (SELECT DISTINCT m.{child} AS child, m.{parent} AS parent
            FROM cmp_month m WHERE {affected} AND m.{child} IS NOT NULL) h
        ON h.child = iv.area_code
      WHERE iv.level = %(child_level)s AND {this_month} AND iv.indicator IN {indicators}
      GROUP BY iv.indicator, h.parent) q
JOIN cmp_scale k ON k.indicator = q.indicator
WHERE (k.is_count = 1 AND q.n IS NOT NULL) OR q.d > 0
"""

# The medians of every level at once (PostgreSQL): the samples sorted once by indicator and the
# police map, whose ROLLUP gives the groups of each level, a Polsek lying in one Polres and a
# Polres in one Polda. GROUPING() numbers the level of a group by the columns rolled up. One
# pass costs a national month 1.6 s against 3.4 s for a query per level. The sort is by
# integers only: the indicator's number in MEDIANS, and the units' and the desa's ids, whose
# codes (the run's, cmp_villages and cmp_unit_codes) are joined to the medians afterwards.
# Led by the indicator's name (six names), the sort of 420,000 samples compared names for
# most pairs: 2.3 s for the statement, 1.6 s so.
MEDIANS_ROLLUP = """
INSERT INTO cmp_medians (level, area, indicator, x, n)
SELECT CASE q.g WHEN 0 THEN 'desa' WHEN 1 THEN 'polsek' WHEN 3 THEN 'polres'
                WHEN 7 THEN 'polda' ELSE 'nation' END,
       CASE q.g WHEN 0 THEN v.code WHEN 15 THEN %(nation)s ELSE u.code END,
       CASE q.i {names} END, q.x, q.n
FROM (SELECT {number} AS i, m.polda_id, m.polres_id, m.polsek_id,
             m.village_id, GROUPING(m.polda_id, m.polres_id, m.polsek_id, m.village_id) AS g,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY s.x) AS x, COUNT(*) AS n
      FROM cmp_samples s JOIN cmp_month m ON m.village_id = s.village_id
      WHERE s.indicator IN {indicators}
      GROUP BY {number}, ROLLUP(m.polda_id, m.polres_id, m.polsek_id, m.village_id)) q
LEFT JOIN cmp_villages v ON q.g = 0 AND v.village_id = q.village_id
LEFT JOIN cmp_unit_codes u
       ON u.unit_id = CASE q.g WHEN 1 THEN q.polsek_id WHEN 3 THEN q.polres_id
                               WHEN 7 THEN q.polda_id END
"""

# Elsewhere (SQLite) a query per level.
MEDIANS_OF_LEVEL = """
INSERT INTO cmp_medians (level, area, indicator, x, n)
SELECT %(level)s, area, indicator, x, n FROM ({median}) q
"""

# A level's medians, for the areas this run rewrites.
MEDIANS_INTO_STAGE = """
INSERT INTO cmp_stage (indicator, level, area_code, value, denominator)
SELECT d.indicator, d.level, d.area, d.x, d.n FROM cmp_medians d
WHERE d.level = %(level)s AND d.area IN (SELECT m.{column} FROM cmp_month m WHERE {scope})
"""


def stage_sums(cursor, month: Month, level: str, *, child_staged: bool) -> None:
    """`child_staged`: this run staged the level below (it is in the run's levels)."""
    staged = month.full and child_staged
    if staged and level == "polsek":
        desa.stage_polsek_sums(cursor, month)
        return
    indicators, params = sql.in_list("i", summed_at(level))
    child_level = LEVELS[LEVELS.index(level) - 1]
    params.update(level=level, child_level=child_level, month=month.params["month"])
    sql.run(
        cursor,
        SUMS,
        params,
        child=AREA_COLUMN[child_level],
        parent=AREA_COLUMN[level],
        affected=affected(month, level),
        indicators=indicators,
        rows="cmp_stage" if staged else "metrics_indicatorvalue",
        this_month="1 = 1" if staged else "iv.month = %(month)s",
    )


def prepare_medians(cursor, month: Month) -> None:
    """cmp_medians: the median of each duration of `MEDIANS` in every area of every level, from
    the month's samples (cmp_samples)."""
    indicators, params = sql.in_list("i", MEDIANS)
    if sql.is_postgres():
        sql.run(
            cursor,
            MEDIANS_ROLLUP,
            {**params, "nation": NATION_CODE},
            indicators=indicators,
            number="CASE s.indicator "
            + " ".join(f"WHEN %({name})s THEN {n}" for n, name in enumerate(params))
            + " END",
            names=" ".join(f"WHEN {n} THEN %({name})s" for n, name in enumerate(params)),
        )
        return
    for level in LEVELS:
        median = sql.median_select(
            group=f"m.{AREA_COLUMN[level]}",
            source="cmp_samples s JOIN cmp_month m ON m.village_id = s.village_id",
            where=f"s.indicator IN {indicators} AND m.{AREA_COLUMN[level]} IS NOT NULL",
        )
        sql.run(cursor, MEDIANS_OF_LEVEL, {**params, "level": level}, median=median)


def stage_medians(cursor, month: Month, level: str) -> None:
    scope = "m.in_scope = 1" if level == "desa" else affected(month, level)
    sql.run(cursor, MEDIANS_INTO_STAGE, {"level": level}, column=AREA_COLUMN[level], scope=scope)
