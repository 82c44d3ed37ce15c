"""Staging: the desa's figures come from one aggregate query per source table
(`DesaAggregate`): one GROUP BY village over the month's rows gives several columns, and each
indicator is a pair of them (numerator, denominator). One scan of the visits, the meetings or
the problems serves every indicator that reads them; `metrics.compute.desa` makes the desa's
rows of them. The levels above stage one row per indicator in cmp_stage, which
`metrics.compute.apply` moves into AreaIndicatorValue.
"""

from dataclasses import dataclass

from metrics.compute import sql
from metrics.compute.spec import AREA_COLUMN, COUNTS, LEVELS, scale
from metrics.compute.tables import AGG_COLUMNS, AGGREGATES, LONE_LEVELS, Month

# The desa's code comes with its figures. A month's aggregates are kept side by side, each in a
# table of its own (cmp_agg_<n>), until `metrics.compute.desa.build` joins them.
FILL_AGG = """
INSERT INTO cmp_agg_{n} (village_id, code, {columns})
WITH q (village_id, {columns}) AS ({select})
SELECT q.village_id, m.code, {q_columns}
FROM q JOIN cmp_month m ON m.village_id = q.village_id
"""


def ratio_value(indicator: str, numerator: str, denominator: str) -> tuple[str, str]:
    """The SQL of the value of a ratio (or count) indicator, and of the condition under which
    it is defined. Computed as the row is staged: an UPDATE of millions of staged rows
    afterwards costs more than the aggregate that made them."""
    if indicator in COUNTS:
        return numerator, f"{numerator} IS NOT NULL"
    return f"{numerator} * {scale(indicator)!r} / {denominator}", f"{denominator} > 0"


@dataclass(frozen=True)
class DesaAggregate:
    """`select` returns one row per desa in scope: village_id, then `columns` values (c1, c2,
    …); `outputs` maps an indicator to its (numerator, denominator) columns, the denominator
    None for a count."""

    select: str
    columns: int
    outputs: dict[str, tuple[str, str | None]]


def stage_desa(cursor, month: Month, aggregate: DesaAggregate, **fragments: str) -> None:
    """The aggregate's figures of each desa in scope, into the month's next cmp_agg_<n>."""
    assert aggregate.columns <= AGG_COLUMNS
    n = len(month.aggregates)
    assert n < AGGREGATES, "more aggregates in a month than tables.AGGREGATES"
    select = aggregate.select.format(**fragments) if fragments else aggregate.select
    columns = ", ".join(f"c{number}" for number in range(1, aggregate.columns + 1))
    q_columns = ", ".join(f"q.c{number}" for number in range(1, aggregate.columns + 1))
    fill = FILL_AGG.format(n=n, columns=columns, q_columns=q_columns, select=select)
    sql.run(cursor, fill, month.params)
    sql.analyze(cursor, f"cmp_agg_{n}", columns=("village_id",))
    month.aggregates.append(aggregate)


AREA_KNOWN = "{alias}.{column} IS NOT NULL"
AREA_IN_SCOPE = "{alias}.{column} IN (SELECT {column} FROM cmp_month WHERE in_scope = 1)"


# The areas of a level a run for some desa rewrites, by code: those holding a desa in scope,
# and the units that hold no desa (cmp_lone_units) under the areas rewritten one level up: the
# Polsek of such a Polres, the Polres of such a Polda. A unit without desa belongs to no desa's
# scope; its crimes count in the level above, and a crime import queues a desa there for it
# (metrics.crime_import). One list of codes, not an OR of several: PostgreSQL can then join it
# to an index of the areas.
AREA_REWRITTEN = "AND {area} IN ({codes})"
IN_SCOPE_CODES = "SELECT {column} FROM cmp_month WHERE in_scope = 1"
LONE_CODES = """
    UNION ALL
    SELECT l.code FROM cmp_lone_units l WHERE l.level = '{level}' AND l.parent IN ({parents})"""


def rewritten(month: Month, level: str, area: str) -> str:
    """The condition (`AND …`, or nothing in a full run) on the code `area` that keeps the
    areas of `level` whose rows this run rewrites."""
    if month.full:
        return ""
    return AREA_REWRITTEN.format(area=area, codes=_rewritten_codes(level))


def _rewritten_codes(level: str) -> str:
    codes = IN_SCOPE_CODES.format(column=AREA_COLUMN[level])
    if level in LONE_LEVELS:
        above = LEVELS[LEVELS.index(level) + 1]
        codes += LONE_CODES.format(level=level, parents=_rewritten_codes(above))
    return codes


def affected(month: Month, level: str, alias: str = "m") -> str:
    """The condition on cmp_month (as `alias`) that keeps the areas of `level` whose rows this
    run rewrites: those holding a desa in scope."""
    template = AREA_KNOWN if month.full else AREA_IN_SCOPE
    return template.format(alias=alias, column=AREA_COLUMN[level])
