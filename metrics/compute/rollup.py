"""Rows above the desa: sums of the level below for ratios and counts, and medians
recomputed from the raw durations."""

from metrics.compute import sql
from metrics.compute.spec import AREA_COLUMN, LEVELS, MEDIANS, summed_at
from metrics.compute.staging import affected
from metrics.compute.tables import Month

# The rows one level down, summed per area; cmp_scale gives each indicator's value from the
# sums. The child → parent map comes from cmp_month, i.e. from the territory as it is today.
# Where this run staged the level below for every area, its rows are in cmp_stage as the table
# now stores them; otherwise (some desa, or some levels) the stored rows are read: this run has
# already written its own.
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

MEDIANS_INTO_STAGE = """
INSERT INTO cmp_stage (indicator, level, area_code, value, denominator)
SELECT indicator, %(level)s, area, x, n FROM ({median}) q
"""


def stage_sums(cursor, month: Month, level: str, *, child_staged: bool) -> None:
    """`child_staged`: this run staged the level below (it is in the run's levels)."""
    staged = month.full and child_staged
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


def stage_medians(cursor, month: Month, level: str) -> None:
    indicators, params = sql.in_list("i", MEDIANS)
    scope = "m.in_scope = 1" if level == "desa" else affected(month, level)
    median = sql.median_select(
        group=sql.bytewise(f"m.{AREA_COLUMN[level]}"),
        source="cmp_samples s JOIN cmp_month m ON m.village_id = s.village_id",
        where=f"s.indicator IN {indicators} AND {scope}",
    )
    sql.run(cursor, MEDIANS_INTO_STAGE, {**params, "level": level}, median=median)
