"""The temporary tables a recompute works in, and the two that frame every query.

`cmp_villages` (one run): every desa with its Polsek, Polres and Polda (ids and codes), its
zone, and whether it is in scope (the desa whose own rows are recomputed; all of them in a full
run); `cmp_unit_codes` the code of each of those units, as the run read it; `cmp_lone_units`
the Polsek and Polres of the police map that hold no desa, with their parent's code.
`cmp_month` (one month): the same desa with the month's bounds in their zone. Every query
joins it, which both restricts the raw rows to the month and names the desa's areas.
"""

import contextlib
import datetime
from dataclasses import dataclass, field

from metrics.catalogue import DESA_KEYS, INDICATORS
from metrics.compute import sql
from metrics.compute.months import PROVINCES_BY_ZONE, ZONES, bounds
from metrics.compute.spec import COUNTS, scale

# A family's aggregate query gives at most this many columns, and a month has at most this
# many aggregates (see staging.DesaAggregate).
AGG_COLUMNS = 8
AGGREGATES = 12
_UNITS = (
    "polsek_id bigint, polres_id bigint, polda_id bigint, polsek varchar(20), polres varchar(20),"
    " polda varchar(20)"
)
TABLES = {
    "cmp_villages": (
        f"village_id bigint PRIMARY KEY, code varchar(20), zone integer, {_UNITS},"
        " nation varchar(2), population integer, in_scope integer"
    ),
    "cmp_unit_codes": "unit_id bigint PRIMARY KEY, code varchar(20)",
    "cmp_lone_units": "level varchar(10), code varchar(20), parent varchar(20)",
    "cmp_month": (
        f"village_id bigint PRIMARY KEY, code varchar(20), {_UNITS}, nation varchar(2),"
        " population integer, in_scope integer, lo {ts}, hi {ts}, ref {ts}, since90 {ts},"
        " ref_day {date}, weeks {real}"
    ),
    "cmp_officers": "village_id bigint, officer_id bigint",
    "cmp_visits": "village_id bigint PRIMARY KEY, n integer",
    "cmp_meetings": "meeting_id bigint PRIMARY KEY, village_id bigint, status varchar(10),"
    " prev_id bigint",
    "cmp_held": "meeting_id bigint PRIMARY KEY, village_id bigint, people integer,"
    " women integer, vulnerable integer, sectors integer, raised integer, first_timers integer",
    "cmp_first_meetings": "member_id bigint PRIMARY KEY, meeting_id bigint",
    "cmp_samples": "indicator varchar(40), village_id bigint, x {real}",
    "cmp_desa_medians": "village_id bigint PRIMARY KEY, x {real}",
    "cmp_medians": "level varchar(10), area varchar(20), indicator varchar(40), x {real},"
    " n integer",
    **{
        f"cmp_agg_{n}": "village_id bigint PRIMARY KEY, code varchar(20), "
        + ", ".join(f"c{column} {{real}}" for column in range(1, AGG_COLUMNS + 1))
        for n in range(AGGREGATES)
    },
    # A desa's figures: for each indicator its value, numerator, denominator and whether it is
    # defined (1 or null).
    "cmp_desa": "code varchar(20), "
    + ", ".join(
        f"{key}{suffix} {{real}}" for key in DESA_KEYS for suffix in ("", "_num", "_den", "_on")
    ),
    "cmp_stage": "indicator varchar(40), level varchar(10), area_code varchar(20),"
    " value {real}, numerator {real}, denominator {real}",
    "cmp_units": "indicator varchar(40), level varchar(10), area_code varchar(20),"
    " value {real}, numerator {real}, denominator {real}",
    "cmp_problems": "problem_id bigint, village_id bigint, zone integer, status varchar(12),"
    " created_at {ts}, first_action_at {ts}",
    "cmp_open": "gen integer, problem_id bigint, village_id bigint, status varchar(12),"
    " created_at {ts}, first_action_at {ts}",
    "cmp_first": "problem_id bigint PRIMARY KEY, village_id bigint, from_status varchar(12),"
    " created_at {ts}, first_action_at {ts}",
    "cmp_open_counts": "month {date}, village_id bigint, open_n integer, past_n integer,"
    " waiting_n integer",
    "cmp_scale": "indicator varchar(40) PRIMARY KEY, scale {real}, is_count integer",
}
# cmp_stage has no index: its rows are read whole, a level at a time, and two million rows
# inserted into an index in no useful order cost more than the aggregates that make them. No
# statement stages a (level, area, indicator) twice; the tests check it after every run
# (`metrics.tests.compute_helpers.compute`).
INDEXES = [
    "CREATE INDEX cmp_officers_village ON cmp_officers (village_id)",
    "CREATE INDEX cmp_first_meetings_meeting ON cmp_first_meetings (meeting_id)",
    "CREATE INDEX cmp_open_key ON cmp_open (gen, problem_id)",
    "CREATE INDEX cmp_samples_village ON cmp_samples (village_id)",
]


@contextlib.contextmanager
def temporary(cursor):
    types = sql.types()
    sql.widen_temp_buffers(cursor)
    _drop(cursor)
    for name, columns in TABLES.items():
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns.format(**types)})")
    for statement in INDEXES:
        cursor.execute(statement)
    cursor.executemany(
        "INSERT INTO cmp_scale (indicator, scale, is_count) VALUES (%s, %s, %s)",
        [(i.key, scale(i.key), int(i.key in COUNTS)) for i in INDICATORS],
    )
    try:
        yield
    finally:
        _drop(cursor)


def _drop(cursor) -> None:
    for name in TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")


FILL_VILLAGES = """
INSERT INTO cmp_villages (village_id, code, zone, polsek_id, polres_id, polda_id, polsek, polres,
                          polda, nation, population, in_scope)
SELECT v.id, v.code,
       CASE WHEN substr(v.code, 1, 2) IN {zone_1} THEN 1
            WHEN substr(v.code, 1, 2) IN {zone_2} THEN 2 ELSE 0 END,
       v.polsek_id, r.id, d.id, s.code, r.code, d.code, 'ID', v.population, %(everywhere)s
FROM territory_village v
LEFT JOIN territory_policeunit s ON s.id = v.polsek_id
LEFT JOIN territory_policeunit r ON r.id = s.parent_id
LEFT JOIN territory_policeunit d ON d.id = r.parent_id
"""


# The units' codes from the run's own copy of the map: the months' statements that group by
# a unit's id name it by this code, the same as cmp_month's, even if a code is edited while a
# run goes through its months.
FILL_UNIT_CODES = """
INSERT INTO cmp_unit_codes (unit_id, code)
SELECT polsek_id, MIN(polsek) FROM cmp_villages WHERE polsek_id IS NOT NULL GROUP BY polsek_id
UNION ALL
SELECT polres_id, MIN(polres) FROM cmp_villages WHERE polres_id IS NOT NULL GROUP BY polres_id
UNION ALL
SELECT polda_id, MIN(polda) FROM cmp_villages WHERE polda_id IS NOT NULL GROUP BY polda_id
"""


# A Polsek may hold no desa (a port's or an airport's Polsek) and still import crime statistics
# of its own, which count in its Polres (and a Polres of such Polsek only, in its Polda): the
# desa's map (cmp_villages) does not name them, the police map does.
FILL_LONE_UNITS = """
INSERT INTO cmp_lone_units (level, code, parent)
SELECT 'polsek', u.code, p.code
FROM territory_policeunit u JOIN territory_policeunit p ON p.id = u.parent_id
WHERE u.kind = 'polsek' AND p.kind = 'polres'
  AND u.id NOT IN (SELECT polsek_id FROM cmp_villages WHERE polsek_id IS NOT NULL)
UNION ALL
SELECT 'polres', u.code, p.code
FROM territory_policeunit u JOIN territory_policeunit p ON p.id = u.parent_id
WHERE u.kind = 'polres' AND p.kind = 'polda'
  AND u.id NOT IN (SELECT polres_id FROM cmp_villages WHERE polres_id IS NOT NULL)
"""
LONE_LEVELS = ("polsek", "polres")


def fill_villages(cursor, village_ids) -> None:
    """All desa; those in `village_ids` (or all, for None) are in scope."""
    fragments, params = {}, {"everywhere": int(village_ids is None)}
    for number in (1, 2):
        fragments[f"zone_{number}"], zone_params = sql.in_list(
            f"z{number}", PROVINCES_BY_ZONE[number]
        )
        params.update(zone_params)
    sql.run(cursor, FILL_VILLAGES, params, **fragments)
    ids = sorted(set(village_ids or []))
    for start in range(0, len(ids), 500):
        placeholders, id_params = sql.in_list("v", ids[start : start + 500])
        sql.run(
            cursor,
            "UPDATE cmp_villages SET in_scope = 1 WHERE village_id IN {ids}",
            id_params,
            ids=placeholders,
        )
    sql.run(cursor, FILL_UNIT_CODES)
    sql.run(cursor, FILL_LONE_UNITS)
    sql.analyze(cursor, "cmp_villages", "cmp_unit_codes", "cmp_lone_units")


FILL_MONTH = """
INSERT INTO cmp_month (village_id, code, polsek_id, polres_id, polda_id, polsek, polres, polda,
                       nation, population, in_scope, lo, hi, ref, since90, ref_day, weeks)
SELECT village_id, code, polsek_id, polres_id, polda_id, polsek, polres, polda, nation,
       population, in_scope,
       CASE zone WHEN 0 THEN %(lo_0)s WHEN 1 THEN %(lo_1)s ELSE %(lo_2)s END,
       CASE zone WHEN 0 THEN %(hi_0)s WHEN 1 THEN %(hi_1)s ELSE %(hi_2)s END,
       CASE zone WHEN 0 THEN %(ref_0)s WHEN 1 THEN %(ref_1)s ELSE %(ref_2)s END,
       CASE zone WHEN 0 THEN %(since90_0)s WHEN 1 THEN %(since90_1)s ELSE %(since90_2)s END,
       CASE zone WHEN 0 THEN %(ref_day_0)s WHEN 1 THEN %(ref_day_1)s ELSE %(ref_day_2)s END,
       CASE zone WHEN 0 THEN %(weeks_0)s WHEN 1 THEN %(weeks_1)s ELSE %(weeks_2)s END
FROM cmp_villages
"""


@dataclass
class Month:
    """One month being recomputed: its SQL parameters and how wide the run is."""

    month: datetime.date
    now: datetime.datetime
    full: bool  # every desa in scope: stale rows are deleted without naming the areas
    everywhere: bool  # roll-ups recomputed: raw rows are needed for every desa
    params: dict = field(default_factory=dict)
    aggregates: list = field(default_factory=list)  # staged so far, in cmp_agg_0, cmp_agg_1, …
    lo: datetime.datetime | None = None  # the month's earliest start over the zones (UTC)

    @property
    def scope(self) -> str:
        """The condition on cmp_month (alias m) for rows needed only by the desa in scope."""
        return "1 = 1" if self.everywhere else "m.in_scope = 1"


def fill_month(cursor, month: Month) -> None:
    """cmp_month for `month.month`, and the parameters every query of the month uses: `lo`
    and `hi` are the widest bounds over the three zones, so that the database can range-scan
    its time indexes before the exact per-desa bounds apply."""
    zone_bounds = [bounds(month.month, zone, month.now) for zone in ZONES]
    params = {"month": sql.day(month.month), "now": sql.moment(month.now)}
    for number, b in enumerate(zone_bounds):
        params.update(
            {
                f"lo_{number}": sql.moment(b.lo),
                f"hi_{number}": sql.moment(b.hi),
                f"ref_{number}": sql.moment(b.ref),
                f"since90_{number}": sql.moment(b.ref - datetime.timedelta(days=90)),
                f"ref_day_{number}": sql.day(b.ref_day),
                f"weeks_{number}": b.weeks,
            }
        )
    sql.clear(cursor, "cmp_month")
    sql.run(cursor, FILL_MONTH, params)
    sql.analyze(cursor, "cmp_month")
    month.lo = min(b.lo for b in zone_bounds)
    params.update(
        lo=sql.moment(month.lo),
        hi=sql.moment(max(b.hi for b in zone_bounds)),
        ref_lo=sql.moment(min(b.ref for b in zone_bounds) - datetime.timedelta(days=90)),
        due48=sql.moment(month.now - datetime.timedelta(hours=48)),
    )
    month.params = params
