"""Families 12 and 13: what residents say in the survey, and the crime statistics.

Surveys are quarterly: their indicators are stored under the first month of the quarter only.
Crime statistics of a Polsek-month count as imported once the Polsek has any row for the
month; its desa without a row then count zero crimes.
"""

from metrics.compute import sql, staging
from metrics.compute.months import quarter_start
from metrics.compute.staging import DesaAggregate, ratio_value
from metrics.compute.tables import Month
from metrics.models import SurveyResponse

SURVEY = DesaAggregate(
    select="""
SELECT s.village_id,
       SUM(CASE WHEN s.trust >= %(agree)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.satisfaction >= %(agree)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.safe_at_night >= %(agree)s THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.knows_forum >= %(agree)s THEN 1 ELSE 0 END),
       COUNT(*)
FROM metrics_surveyresponse s JOIN cmp_month m ON m.village_id = s.village_id
WHERE s.quarter = %(month)s AND m.in_scope = 1
GROUP BY s.village_id
""",
    columns=5,
    outputs={
        "trust_pct": ("c1", "c5"),
        "satisfaction_pct": ("c2", "c5"),
        "safe_night_pct": ("c3", "c5"),
        "knows_forum_pct": ("c4", "c5"),
    },
)

CRIME = DesaAggregate(
    select="""
SELECT m.village_id, COALESCE(SUM(c.reported), 0), COALESCE(SUM(c.cleared), 0),
       MAX(m.population)
FROM cmp_month m
LEFT JOIN metrics_crimestatistic c ON c.village_id = m.village_id AND c.month = %(month)s
WHERE m.in_scope = 1
  AND m.polsek_id IN (SELECT polsek_id FROM metrics_crimestatistic WHERE month = %(month)s)
GROUP BY m.village_id
""",
    columns=3,
    outputs={
        "crimes_reported": ("c1", None),
        "crimes_cleared": ("c2", None),
        "clearance_pct": ("c2", "c1"),
        # Only desa whose population is known: the rows of a Polsek that name no desa
        # have no population to divide by.
        "crimes_per_10k": ("c1", "c3"),
    },
)

# At Polsek level the rows that name no desa count too; above it the Polsek rows add up.
POLSEK_CRIME = """
INSERT INTO cmp_stage (indicator, level, area_code, value, numerator, denominator)
SELECT %(indicator)s, 'polsek', u.code, {value}, {numerator}, {denominator}
FROM metrics_crimestatistic c JOIN territory_policeunit u ON u.id = c.polsek_id
WHERE c.month = %(month)s {areas}
GROUP BY u.code
HAVING {defined}
"""

POLSEK_OUTPUTS = {
    "crimes_reported": ("SUM(c.reported)", "NULL"),
    "crimes_cleared": ("SUM(c.cleared)", "NULL"),
    "clearance_pct": ("SUM(c.cleared)", "SUM(c.reported)"),
}


def stage_desa(cursor, month: Month) -> None:
    if quarter_start(month.month) == month.month:
        month.params["agree"] = SurveyResponse.Scale.AGREE
        staging.stage_desa(cursor, month, SURVEY)
    staging.stage_desa(cursor, month, CRIME)


def stage_units(cursor, month: Month, level: str) -> None:
    if level != "polsek":
        return
    areas = staging.rewritten(month, level, "u.code")
    for indicator, (numerator, denominator) in POLSEK_OUTPUTS.items():
        value, defined = ratio_value(indicator, numerator, denominator)
        sql.run(
            cursor,
            POLSEK_CRIME,
            {"indicator": indicator, "month": month.params["month"]},
            value=value,
            numerator=numerator,
            denominator=denominator,
            defined=defined,
            areas=areas,
        )
