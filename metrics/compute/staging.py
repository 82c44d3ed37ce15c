"""Staging rows: every family writes its rows into cmp_stage, `metrics.compute.apply` moves
them into IndicatorValue.

A family's desa rows come from one aggregate query per source table (`DesaAggregate`): one
GROUP BY village over the month's rows gives several columns, and each indicator is a pair of
them (numerator, denominator). One scan of the visits, the meetings or the problems serves
every indicator that reads them.
"""

from dataclasses import dataclass

from metrics.compute import sql
from metrics.compute.spec import AREA_COLUMN, COUNTS, scale
from metrics.compute.tables import AGG_COLUMNS, Month

# The desa's code comes with its figures, so that staging them needs no further join.
FILL_AGG = """
INSERT INTO cmp_agg (village_id, code, {columns})
WITH q (village_id, {columns}) AS ({select})
SELECT q.village_id, m.code, {q_columns}
FROM q JOIN cmp_month m ON m.village_id = q.village_id
"""

# Every indicator of one aggregate in one statement. Rows with nothing to divide by are not
# staged: an absent row means "not defined here".
STAGE_ONE = """
SELECT %({key})s, 'desa', g.code, {value}, {numerator}, {denominator}
FROM cmp_agg g WHERE {defined}"""
STAGE_FROM_AGG = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
{selects}
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
    assert aggregate.columns <= AGG_COLUMNS
    select = aggregate.select.format(**fragments) if fragments else aggregate.select
    columns = ", ".join(f"c{n}" for n in range(1, aggregate.columns + 1))
    sql.clear(cursor, "cmp_agg")
    q_columns = ", ".join(f"q.c{n}" for n in range(1, aggregate.columns + 1))
    fill = FILL_AGG.format(columns=columns, q_columns=q_columns, select=select)
    sql.run(cursor, fill, month.params)
    selects, params = [], {}
    # A typed NULL: in a UNION PostgreSQL would take a bare NULL for text.
    no_denominator = f"CAST(NULL AS {sql.types()['real']})"
    for number, (indicator, (numerator, denominator)) in enumerate(aggregate.outputs.items()):
        numerator = f"g.{numerator}"
        denominator = f"g.{denominator}" if denominator else no_denominator
        value, defined = ratio_value(indicator, numerator, denominator)
        key = f"indicator_{number}"
        params[key] = indicator
        selects.append(
            STAGE_ONE.format(
                key=key,
                value=value,
                numerator=numerator,
                denominator=denominator,
                defined=defined,
            )
        )
    sql.run(cursor, STAGE_FROM_AGG, params, selects="\nUNION ALL".join(selects))


AREA_KNOWN = "{alias}.{column} IS NOT NULL"
AREA_IN_SCOPE = "{alias}.{column} IN (SELECT {column} FROM cmp_month WHERE in_scope = 1)"


def affected(month: Month, level: str, alias: str = "m") -> str:
    """The condition on cmp_month (as `alias`) that keeps the areas of `level` whose rows this
    run rewrites: those holding a desa in scope."""
    template = AREA_KNOWN if month.full else AREA_IN_SCOPE
    return template.format(alias=alias, column=AREA_COLUMN[level])
