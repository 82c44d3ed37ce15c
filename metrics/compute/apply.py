"""Moving a level's staged rows into IndicatorValue.

An upsert that changes only the rows whose numbers differ, then a delete of the rows the
staging no longer has (an indicator no longer defined for an area), both inside the month's
transaction: readers see the month before or after, and a second run with the same data
changes nothing at all — not even `computed_at`, which is the time the value last changed.
"""

from metrics.catalogue import INDICATORS
from metrics.compute import sql
from metrics.compute.spec import AREA_COLUMN
from metrics.compute.tables import Month

UPSERT = """
INSERT INTO metrics_indicatorvalue
    (indicator, level, area_code, month, value, numerator, denominator, computed_at)
SELECT s.indicator, s.level, s.area_code, %(month)s, {value}, {numerator}, {denominator},
       %(now)s
FROM cmp_stage s
WHERE s.level = %(level)s
ON CONFLICT (level, area_code, month, indicator) DO UPDATE
SET value = excluded.value, numerator = excluded.numerator,
    denominator = excluded.denominator, computed_at = excluded.computed_at
WHERE {changed}
"""

DELETE_STALE = """
DELETE FROM metrics_indicatorvalue
WHERE level = %(level)s AND month = %(month)s AND indicator IN {indicators} {areas}
  AND NOT EXISTS (
      SELECT 1 FROM cmp_stage s
      WHERE s.level = %(level)s AND s.area_code = metrics_indicatorvalue.area_code
        AND s.indicator = metrics_indicatorvalue.indicator)
"""

AREAS_IN_SCOPE = "AND area_code IN (SELECT {column} FROM cmp_month WHERE in_scope = 1)"


def apply(cursor, month: Month, level: str) -> tuple[int, int]:
    """Returns (rows inserted or changed, rows deleted)."""
    sql.analyze(cursor, "cmp_stage")
    params = {"level": level, "month": month.params["month"], "now": month.params["now"]}
    changed = " OR ".join(
        sql.differs(f"metrics_indicatorvalue.{column}", f"excluded.{column}")
        for column in ("value", "numerator", "denominator")
    )
    written = sql.run(
        cursor,
        UPSERT,
        params,
        value=sql.round6("s.value"),
        numerator=sql.round6("s.numerator"),
        denominator=sql.round6("s.denominator"),
        changed=changed,
    )
    # Only the catalogue's keys: rows another part of the portal may keep are not ours.
    indicators, key_params = sql.in_list("k", [i.key for i in INDICATORS])
    areas = "" if month.full else AREAS_IN_SCOPE.format(column=AREA_COLUMN[level])
    deleted = sql.run(
        cursor, DELETE_STALE, {**params, **key_params}, indicators=indicators, areas=areas
    )
    return max(written, 0), max(deleted, 0)
