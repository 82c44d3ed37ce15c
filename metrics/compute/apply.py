"""Moving the staged rows of a level above the desa into AreaIndicatorValue.

First the stored rows that the staging does not have with the same numbers are deleted (an
indicator no longer defined for an area, or a changed value), then the staged rows not stored
yet are inserted; both inside the month's transaction, so readers see the month before or
after. A second run with the same data deletes and inserts nothing — `computed_at` is the
time the value last changed. Measured on the national data, this costs half of an upsert
(INSERT … ON CONFLICT DO UPDATE), whose speculative insertion doubles the price of each row.
"""

from metrics.catalogue import INDICATORS
from metrics.compute import sql
from metrics.compute.staging import rewritten
from metrics.compute.tables import Month

DELETE_CHANGED = """
DELETE FROM metrics_areaindicatorvalue
WHERE level = %(level)s AND month = %(month)s AND indicator IN {indicators} {areas}
  AND NOT EXISTS (
      SELECT 1 FROM cmp_stage s
      WHERE s.level = %(level)s AND s.area_code = metrics_areaindicatorvalue.area_code
        AND s.indicator = metrics_areaindicatorvalue.indicator AND {same})
"""

# The staged rows of a level, with a condition: those not stored yet (the month's lock,
# sql.begin_month, keeps any other recompute from inserting the same rows), or — a level's
# first computation of a month, a backfill — every one, in the order of the table's index.
INSERT_STAGED = """
INSERT INTO metrics_areaindicatorvalue
    (indicator, level, area_code, month, value, numerator, denominator, computed_at)
SELECT s.indicator, s.level, s.area_code, %(month)s, s.value, s.numerator, s.denominator,
       %(now)s
FROM cmp_stage s
WHERE s.level = %(level)s {condition}
"""
NOT_STORED = """AND NOT EXISTS (
    SELECT 1 FROM metrics_areaindicatorvalue iv
    WHERE iv.level = %(level)s AND iv.month = %(month)s AND iv.area_code = s.area_code
      AND iv.indicator = s.indicator)"""
IN_INDEX_ORDER = "ORDER BY {area}, {indicator}"

ANY_STORED = """
SELECT EXISTS (
    SELECT 1 FROM metrics_areaindicatorvalue WHERE level = %(level)s AND month = %(month)s)
"""


def apply(cursor, month: Month, level: str) -> tuple[int, int]:
    """Returns (rows inserted, rows deleted); a changed row counts in both."""
    sql.analyze(cursor, "cmp_stage", columns=("level", "area_code", "indicator"))
    params = {"level": level, "month": month.params["month"], "now": month.params["now"]}
    cursor.execute(ANY_STORED, params)
    if not cursor.fetchone()[0]:
        order = IN_INDEX_ORDER.format(
            area=sql.bytewise("s.area_code"), indicator=sql.bytewise("s.indicator")
        )
        return max(sql.run(cursor, INSERT_STAGED, params, condition=order), 0), 0
    # Only the catalogue's keys: rows another part of the portal may keep are not ours.
    indicators, key_params = sql.in_list("k", [i.key for i in INDICATORS])
    same = " AND ".join(
        sql.same(f"s.{column}", f"metrics_areaindicatorvalue.{column}")
        for column in ("value", "numerator", "denominator")
    )
    areas = rewritten(month, level, "area_code")
    deleted = sql.run(
        cursor,
        DELETE_CHANGED,
        {**params, **key_params},
        indicators=indicators,
        areas=areas,
        same=same,
    )
    inserted = sql.run(cursor, INSERT_STAGED, params, condition=NOT_STORED)
    return max(inserted, 0), max(deleted, 0)
