"""Rows above the desa: sums of the level below for ratios and counts, and medians
recomputed from the raw durations."""

from metrics.compute import desa, sql
from metrics.compute.spec import (
    AREA_COLUMN,
    LEVELS,
    MEDIANS,
    NATION_CODE,
    UNIT_LEVELS,
    summed_at,
)
from metrics.compute.staging import affected, rewritten
from metrics.compute.tables import Month

# The rows one level down, summed per area; cmp_scale gives each indicator's value from the
# sums. The child → parent map comes from cmp_month, i.e. from the territory as it is today,
# and for the Polsek and Polres that hold no desa from the police map (LONE_UNITS): their
# crimes count in the level above.
# Where this run staged the level below for every area, its rows are in cmp_stage as the table
# now stores them; otherwise (some desa, or some levels) the stored rows are read: this run has
# already written its own. In a full run, the levels of the chain from the desa up
# (`_from_desa`) take their sums from the desa's rows instead, all at once
# (`desa.stage_unit_sums`): for those levels this statement sums only the crimes, which start
# at the Polsek.
SUMS = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT q.indicator, %(level)s, q.parent,
       CASE WHEN k.is_count = 1 THEN q.n ELSE q.n * k.scale / q.d END, q.n, q.d
FROM (SELECT iv.indicator AS indicator, h.parent AS parent, SUM(iv.numerator) AS n,
             SUM(iv.denominator) AS d
      FROM {rows} iv
      JOIN (SELECT DISTINCT m.{child} AS child, m.{parent} AS parent
            FROM cmp_month m WHERE {affected} AND m.{child} IS NOT NULL{lone}) h
        ON h.child = iv.area_code
      WHERE iv.level = %(child_level)s AND {this_month} AND iv.indicator IN {indicators}
      GROUP BY iv.indicator, h.parent) q
JOIN cmp_scale k ON k.indicator = q.indicator
WHERE (k.is_count = 1 AND q.n IS NOT NULL) OR q.d > 0
"""
LONE_UNITS = """
            UNION ALL
            SELECT l.code, l.parent FROM cmp_lone_units l
            WHERE l.level = %(child_level)s {parents}"""

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


def stage_sums(cursor, month: Month, level: str, levels: list[str]) -> None:
    """The summed indicators of `level`, one of the run's `levels`. In a full run the levels
    staged in a chain from the desa up are summed from the desa's rows at once, when the
    Polsek's turn comes (`desa.stage_unit_sums`); above the Polsek only the crimes remain,
    summed from the staged Polsek rows up."""
    chain = _from_desa(month, levels)
    if level in chain:
        if level == chain[0]:
            desa.stage_unit_sums(cursor, month, chain)
        keys = [key for key in summed_at(level) if key not in summed_at(chain[0])]
        _stage_sums(cursor, month, level, keys, staged=True)
        return
    child = LEVELS[LEVELS.index(level) - 1]
    _stage_sums(cursor, month, level, summed_at(level), staged=month.full and child in levels)


def _from_desa(month: Month, levels: list[str]) -> list[str]:
    """The levels above the desa whose sums a run takes from its desa rows: in a full run, the
    Polsek and each level above it, as long as the run stages every level below."""
    if not month.full or "desa" not in levels:
        return []
    chain = []
    for level in UNIT_LEVELS:
        if level not in levels:
            break
        chain.append(level)
    return chain


def _stage_sums(cursor, month: Month, level: str, keys: list[str], *, staged: bool) -> None:
    if not keys:
        return
    indicators, params = sql.in_list("i", keys)
    child_level = LEVELS[LEVELS.index(level) - 1]
    params.update(level=level, child_level=child_level, month=month.params["month"])
    sql.run(
        cursor,
        SUMS,
        params,
        child=AREA_COLUMN[child_level],
        parent=AREA_COLUMN[level],
        affected=affected(month, level),
        lone=LONE_UNITS.format(parents=rewritten(month, level, "l.parent")),
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
        # The desa's medians are turned into columns by area (metrics.compute.desa.build):
        # without statistics that GROUP BY of 250,000 rows was planned for 15 and sorted.
        sql.analyze(cursor, "cmp_medians", columns=("level", "area"))
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
