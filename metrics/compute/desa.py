"""The desa level, one row per desa: every indicator of a desa in the columns of `cmp_desa`,
written into `DesaIndicators` (metrics.desa_table).

Each aggregate of the month keeps its figures in a table of its own (`staging.stage_desa`);
`build` joins them and the desa medians into cmp_desa, with each indicator's value,
numerator, denominator and whether it is defined (`<key>_on`); `stage_unit_sums` gives the
Polsek and the areas above them their sums from there; `apply` stores the rows. A national
month is 83,000 rows: no indicator is ever unfolded into a row of its own on the way
(docs/performance.md).
"""

from metrics.catalogue import DESA_KEYS
from metrics.compute import sql
from metrics.compute.spec import MEDIANS, NATION_CODE, UNIT_LEVELS, summed_at
from metrics.compute.staging import affected, ratio_value
from metrics.compute.tables import Month

PARTS = ("value", "numerator", "denominator")
SUFFIX = {"value": "", "numerator": "_num", "denominator": "_den"}


def staged(key: str, part: str, alias: str = "s") -> str:
    return f"{alias}.{key}{SUFFIX[part]}"


# --- Building cmp_desa -----------------------------------------------------------------------

BUILD = """
INSERT INTO cmp_desa (code, {columns})
SELECT m.code, {figures}
FROM cmp_month m {joins}
WHERE m.in_scope = 1
"""
AGGREGATE_JOIN = "LEFT JOIN cmp_agg_{n} a{n} ON a{n}.village_id = m.village_id"
# The desa medians of cmp_medians, a row per desa.
MEDIANS_JOIN = """LEFT JOIN (SELECT area, {picks} FROM cmp_medians
           WHERE level = 'desa' AND indicator IN {indicators} GROUP BY area) md
          ON md.area = m.code"""


def _aggregate_figures(key: str, numerator: str, denominator: str) -> list[str]:
    value, defined = ratio_value(key, numerator, denominator)
    return [
        f"CASE WHEN {defined} THEN {expression} END"
        for expression in (value, numerator, denominator, "1")
    ]


def build(cursor, month: Month) -> None:
    """cmp_desa: a row per desa in scope, from the aggregates `month.aggregates` (in the order
    of their tables) and the desa medians."""
    sources, joins = {}, []
    no_denominator = f"CAST(NULL AS {sql.types()['real']})"
    for n, aggregate in enumerate(month.aggregates):
        joins.append(AGGREGATE_JOIN.format(n=n))
        for key, (numerator, denominator) in aggregate.outputs.items():
            assert key in DESA_KEYS and key not in sources, key
            sources[key] = _aggregate_figures(
                key, f"a{n}.{numerator}", f"a{n}.{denominator}" if denominator else no_denominator
            )
    indicators, params = sql.in_list("median", MEDIANS)
    picks = ", ".join(
        f"MAX(CASE WHEN indicator = %({name})s THEN {expression} END) AS {key}{suffix}"
        for name, key in zip(params, MEDIANS, strict=True)
        for expression, suffix in (("x", ""), ("n", "_n"), ("1", "_on"))
    )
    joins.append(MEDIANS_JOIN.format(picks=picks, indicators=indicators))
    for key in MEDIANS:
        sources[key] = [f"md.{key}", "NULL", f"md.{key}_n", f"md.{key}_on"]
    figures = [figure for key in DESA_KEYS for figure in sources.get(key, ["NULL"] * 4)]
    sql.run(
        cursor,
        BUILD,
        params,
        columns=_columns(),
        figures=", ".join(figures),
        joins="\n".join(joins),
    )
    sql.analyze(cursor, "cmp_desa", columns=("code",))


def _columns() -> str:
    return ", ".join(
        f"{key}{suffix}" for key in DESA_KEYS for suffix in ("", "_num", "_den", "_on")
    )


# --- The sums above the desa ----------------------------------------------------------------

# Each Polsek's sums of its desa (s), then those of each Polres, Polda and the nation from the
# Polsek's (u), in one statement for the levels of the chain (rollup.stage_sums). A desa's
# figures are in cmp_desa only where defined (a ratio's denominator above 0, a count's
# numerator given), so every Polsek sum is one a Polsek row keeps, and the levels above add up
# as they would from the Polsek rows (what a level computed alone does, from the stored rows).
UNIT_SUMS = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
WITH s AS MATERIALIZED (
    SELECT m.polsek AS polsek, MIN(m.polres) AS polres, MIN(m.polda) AS polda, {sums}
    FROM cmp_desa d JOIN cmp_month m ON m.code = d.code
    WHERE {affected}
    GROUP BY m.polsek),
u AS MATERIALIZED ({levels})
SELECT q.indicator, q.level, q.area,
       CASE WHEN k.is_count = 1 THEN q.n ELSE q.n * k.scale / q.d END, q.n, q.d
FROM ({unfolded}) q
JOIN cmp_scale k ON k.indicator = q.indicator
WHERE (k.is_count = 1 AND q.n IS NOT NULL) OR q.d > 0
"""
LEVEL_SUMS = {
    "polsek": "SELECT 'polsek' AS level, polsek AS area, {columns} FROM s",
    "polres": "SELECT 'polres', polres, {sums} FROM s WHERE polres IS NOT NULL GROUP BY polres",
    "polda": "SELECT 'polda', polda, {sums} FROM s WHERE polda IS NOT NULL GROUP BY polda",
    "nation": "SELECT 'nation', %(nation)s, {sums} FROM s WHERE polda IS NOT NULL",
}
UNFOLD_SUMS = "SELECT '{key}' AS indicator, level, area, {key}_n AS n, {key}_d AS d FROM u"


def stage_unit_sums(cursor, month: Month, levels: list[str]) -> None:
    """The indicators summed at Polsek level (`summed_at("polsek")`) of the Polsek holding a
    desa in scope, from cmp_desa, and of the areas above them at `levels` (the Polsek first,
    then the levels above it in order)."""
    assert month.full, "cmp_desa holds every desa only in a full run"
    assert levels == UNIT_LEVELS[: len(levels)], levels
    keys = summed_at("polsek")
    sums = ", ".join(f"SUM(d.{key}_num) AS {key}_n, SUM(d.{key}_den) AS {key}_d" for key in keys)
    columns = ", ".join(f"{key}_n, {key}_d" for key in keys)
    above = ", ".join(f"SUM({key}_n) AS {key}_n, SUM({key}_d) AS {key}_d" for key in keys)
    parts = [LEVEL_SUMS[level].format(columns=columns, sums=above) for level in levels]
    sql.run(
        cursor,
        UNIT_SUMS,
        {"nation": NATION_CODE},
        sums=sums,
        levels=" UNION ALL ".join(parts),
        unfolded=" UNION ALL ".join(UNFOLD_SUMS.format(key=key) for key in keys),
        affected=affected(month, "polsek"),
    )


# --- Storing ---------------------------------------------------------------------------------

ANY_STORED = "SELECT EXISTS (SELECT 1 FROM metrics_desaindicators WHERE month = %(month)s)"
DEFINED = "SELECT COALESCE(SUM({defined}), 0) FROM cmp_desa s"
INSERT = """
INSERT INTO metrics_desaindicators (month, area_code, {columns})
SELECT %(month)s, s.code, {figures}
FROM cmp_desa s
WHERE {any_defined} {condition}
"""
NOT_STORED = """AND NOT EXISTS (
    SELECT 1 FROM metrics_desaindicators d WHERE d.month = %(month)s AND d.area_code = s.code)"""
IN_INDEX_ORDER = "ORDER BY {code}"

COUNT_WRITTEN = """
SELECT COALESCE(SUM({written}), 0)
FROM cmp_desa s LEFT JOIN metrics_desaindicators d ON d.month = %(month)s AND d.area_code = s.code
"""
COUNT_DELETED = """
SELECT COALESCE(SUM({deleted}), 0)
FROM metrics_desaindicators d LEFT JOIN cmp_desa s ON s.code = d.area_code
WHERE d.month = %(month)s {areas}
"""
DELETE_GONE = """
DELETE FROM metrics_desaindicators
WHERE month = %(month)s {areas}
  AND NOT EXISTS (SELECT 1 FROM cmp_desa s
                  WHERE s.code = metrics_desaindicators.area_code AND {any_defined})
"""
UPDATE_CHANGED = """
UPDATE metrics_desaindicators AS d SET {assignments}
FROM cmp_desa s
WHERE d.month = %(month)s AND d.area_code = s.code AND NOT ({unchanged})
"""
AREAS_IN_SCOPE = "AND {column} IN (SELECT code FROM cmp_month WHERE in_scope = 1)"


def _on(key: str) -> str:
    return f"COALESCE(s.{key}_on, 0) = 1"


def _kept(key: str) -> str:
    """Defined, stored and the same: the stored figures and their time stay."""
    same = " AND ".join(sql.same(staged(key, part), staged(key, part, "d")) for part in PARTS)
    return f"({_on(key)} AND d.{key}_at IS NOT NULL AND {same})"


def _any_defined() -> str:
    return "(" + " OR ".join(_on(key) for key in DESA_KEYS) + ")"


def _insert(cursor, params: dict, condition: str) -> None:
    """The rows of cmp_desa with a figure, each figure's time now, under `condition`."""
    columns = ", ".join(
        f"{key}{suffix}" for key in DESA_KEYS for suffix in ("", "_num", "_den", "_at")
    )
    figures = ", ".join(
        f"{staged(key, 'value')}, {staged(key, 'numerator')}, {staged(key, 'denominator')},"
        f" CASE WHEN {_on(key)} THEN %(now)s END"
        for key in DESA_KEYS
    )
    sql.run(
        cursor,
        INSERT,
        params,
        columns=columns,
        figures=figures,
        any_defined=_any_defined(),
        condition=condition,
    )


def apply(cursor, month: Month) -> tuple[int, int]:
    """Returns (figures written, figures deleted), counted per indicator as the narrow rows
    were: a changed figure counts in both, an unchanged one in neither, and keeps its time."""
    params = {"month": month.params["month"], "now": month.params["now"]}
    cursor.execute(ANY_STORED, params)
    if not cursor.fetchone()[0]:
        defined = " + ".join(f"COALESCE(s.{key}_on, 0)" for key in DESA_KEYS)
        cursor.execute(DEFINED.format(defined=defined))
        written = cursor.fetchone()[0]
        _insert(cursor, params, IN_INDEX_ORDER.format(code=sql.bytewise("s.code")))
        return int(written), 0
    written_each = " + ".join(
        f"CASE WHEN {_on(key)} AND NOT {_kept(key)} THEN 1 ELSE 0 END" for key in DESA_KEYS
    )
    deleted_each = " + ".join(
        f"CASE WHEN d.{key}_at IS NOT NULL AND NOT {_kept(key)} THEN 1 ELSE 0 END"
        for key in DESA_KEYS
    )
    areas = "" if month.full else AREAS_IN_SCOPE.format(column="d.area_code")
    cursor.execute(COUNT_WRITTEN.format(written=written_each), params)
    written = cursor.fetchone()[0]
    cursor.execute(COUNT_DELETED.format(deleted=deleted_each, areas=areas), params)
    deleted = cursor.fetchone()[0]
    sql.run(
        cursor,
        DELETE_GONE,
        params,
        areas="" if month.full else AREAS_IN_SCOPE.format(column="area_code"),
        any_defined=_any_defined(),
    )
    assignments = ", ".join(
        f"{key} = s.{key}, {key}_num = s.{key}_num, {key}_den = s.{key}_den,"
        f" {key}_at = CASE WHEN {_kept(key)} THEN d.{key}_at WHEN {_on(key)} THEN %(now)s END"
        for key in DESA_KEYS
    )
    unchanged = " AND ".join(
        f"({_kept(key)} OR (NOT {_on(key)} AND d.{key}_at IS NULL))" for key in DESA_KEYS
    )
    sql.run(cursor, UPDATE_CHANGED, params, assignments=assignments, unchanged=unchanged)
    _insert(cursor, params, NOT_STORED)
    return int(written), int(deleted)
