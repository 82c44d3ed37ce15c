"""The crime statistics by crime type (`CrimeTypeValue`), which the dashboards and the monthly
report show beside the crime indicators.

Each level is summed straight from the month's `CrimeStatistic` rows along the police map: a
desa has the rows that name it; a Polsek every row of the Polsek, those that name no desa too
(a row may belong to a Polsek without naming a desa, so the map is the police units', not the
desa's); a Polres, a Polda and the nation the rows of their Polsek. A month of raw rows is a
few hundred thousand rows at national scale, so one GROUP BY per level costs less than rolling
stored rows up.

The month's rows of the areas a run covers (every area, or those holding a desa in scope and
the Polsek without desa of their Polres: `staging.rewritten`) are deleted and inserted again in
the month's transaction: a type no longer imported loses its row.
"""

from metrics.compute import sql
from metrics.compute.spec import NATION_CODE
from metrics.compute.staging import rewritten
from metrics.compute.tables import Month

# The area's code of a statistics row (alias c) at each level, and the joins that name it.
_POLSEK = "JOIN territory_policeunit s ON s.id = c.polsek_id"
_POLRES = f"{_POLSEK} JOIN territory_policeunit r ON r.id = s.parent_id"
AREAS = {
    "desa": ("v.code", "JOIN territory_village v ON v.id = c.village_id"),
    "polsek": ("s.code", _POLSEK),
    "polres": ("r.code", _POLRES),
    "polda": ("d.code", f"{_POLRES} JOIN territory_policeunit d ON d.id = r.parent_id"),
    "nation": (f"'{NATION_CODE}'", ""),
}

DELETE = """
DELETE FROM metrics_crimetypevalue WHERE level = %(level)s AND month = %(month)s {areas}
"""

INSERT = """
INSERT INTO metrics_crimetypevalue
    (level, area_code, month, crime_type_id, reported, cleared, computed_at)
SELECT %(level)s, {area}, %(month)s, c.crime_type_id, SUM(c.reported), SUM(c.cleared), %(now)s
FROM metrics_crimestatistic c {joins}
WHERE c.month = %(month)s {areas}
GROUP BY {group}
"""


def replace(cursor, month: Month, level: str) -> None:
    """Replace the month's rows of `level` in the areas this run covers."""
    area, joins = AREAS[level]
    params = {"level": level, "month": month.params["month"], "now": month.params["now"]}
    sql.run(cursor, DELETE, params, areas=rewritten(month, level, "area_code"))
    sql.run(
        cursor,
        INSERT,
        params,
        area=area,
        joins=joins,
        areas=rewritten(month, level, area),
        # PostgreSQL refuses a constant in GROUP BY: the nation groups by type alone.
        group="c.crime_type_id" if level == "nation" else f"{area}, c.crime_type_id",
    )
