"""How each indicator of the catalogue turns into a value and rolls up.

- Ratios keep numerator and denominator, and an area's value is Σ numerators ÷ Σ denominators
  of the areas one level down (never a mean of the desa values).
- Medians, the two officer ratios (an officer who serves three desa is one officer, not
  three) and the spreads across desa are recomputed from the raw rows at every level.
- Crimes reported and cleared start at Polsek level, where the rows that name no desa count.
"""

from metrics.catalogue import ACROSS_DESA, BY_KEY, INDICATORS

LEVELS = ["desa", "polsek", "polres", "polda", "nation"]
UNIT_LEVELS = LEVELS[1:]
# The column of tmp_month that names a desa's area at each level.
AREA_COLUMN = {
    "desa": "code",
    "polsek": "polsek",
    "polres": "polres",
    "polda": "polda",
    "nation": "nation",
}
NATION_CODE = "ID"

MEDIANS = [
    "response_hours_median",
    "days_new_median",
    "days_verified_median",
    "days_analysis_median",
    "days_response_median",
    "days_assessment_median",
]
OFFICER_RATIOS = ["desa_per_officer", "visits_per_officer_week"]
FROM_POLSEK = ["crimes_reported", "crimes_cleared", "clearance_pct"]
RECOMPUTED = set(MEDIANS) | set(OFFICER_RATIOS) | set(ACROSS_DESA)

# value = scale × numerator ÷ denominator; a count's value is its numerator.
SCALE = {"crimes_per_10k": 10000.0}
COUNTS = [i.key for i in INDICATORS if i.unit == "count"]


def scale(key: str) -> float:
    return SCALE.get(key, 100.0 if BY_KEY[key].unit == "percent" else 1.0)


def summed_at(level: str) -> list[str]:
    """The indicators whose `level` rows are sums of the rows one level down."""
    if level == "desa":
        return []
    return [
        i.key
        for i in INDICATORS
        if i.key not in RECOMPUTED and (level != "polsek" or i.key not in FROM_POLSEK)
    ]
