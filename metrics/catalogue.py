"""The indicators of DESIGN.md, in the order the dashboards show them.

Each is defined (formula, source data, caveats) in docs/indicators.md under the heading of
its key; `metrics.compute` computes them; dashboards read only `IndicatorValue` rows.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    key: str
    family: int  # the numbered family of DESIGN.md
    label: str
    unit: str  # "percent", "count", "ratio", "hours", "days", "score", "gini"
    higher_is_better: bool | None  # None where neither direction is good in itself


FAMILIES = {
    1: _("Officer coverage"),
    2: _("Face-to-face work"),
    3: _("Forum activity"),
    4: _("Participation"),
    5: _("Problem identification"),
    6: _("Responsiveness"),
    7: _("SARA progression"),
    8: _("Follow-up"),
    9: _("Resolution confirmed by residents"),
    10: _("Community self-reliance"),
    11: _("Consistency and equity"),
    12: _("Trust and satisfaction"),
    13: _("Crime statistics"),
}

INDICATORS = [
    Indicator("coverage_pct", 1, _("Desa with an assigned officer (%)"), "percent", True),
    Indicator("desa_per_officer", 1, _("Desa per officer"), "ratio", False),
    Indicator("visits_per_officer_week", 2, _("Visits per officer per week"), "ratio", True),
    Indicator("desa_visited_pct", 2, _("Desa visited this month (%)"), "percent", True),
    Indicator(
        "forums_met_90d_pct", 3, _("Forums that met in the last 90 days (%)"), "percent", True
    ),
    Indicator("meetings_held_pct", 3, _("Meetings held of those planned (%)"), "percent", True),
    Indicator("attendance_mean", 4, _("Mean attendance per meeting"), "ratio", True),
    Indicator("women_pct", 4, _("Women among participants (%)"), "percent", True),
    Indicator("vulnerable_pct", 4, _("Vulnerable-group participants (%)"), "percent", True),
    Indicator("sectors_mean", 4, _("Community sectors represented per meeting"), "ratio", True),
    Indicator("first_time_attendees", 4, _("First-time attendees"), "count", True),
    Indicator("problems_per_meeting", 5, _("Problems raised per meeting"), "ratio", True),
    Indicator("resident_raised_pct", 5, _("Problems raised by residents (%)"), "percent", True),
    Indicator("response_hours_median", 6, _("Median hours to first action"), "hours", False),
    Indicator("response_48h_pct", 6, _("First action within 48 hours (%)"), "percent", True),
    Indicator("overdue_open", 6, _("Problems waiting over 48 hours at month end"), "count", False),
    Indicator("past_analysis_pct", 7, _("Open problems past analysis (%)"), "percent", True),
    Indicator("days_new_median", 7, _("Median days in Baru"), "days", False),
    Indicator("days_verified_median", 7, _("Median days in Diverifikasi"), "days", False),
    Indicator("days_analysis_median", 7, _("Median days in Analisis"), "days", False),
    Indicator("days_response_median", 7, _("Median days in Penanganan"), "days", False),
    Indicator("days_assessment_median", 7, _("Median days in Evaluasi"), "days", False),
    Indicator(
        "carried_reviewed_pct", 8, _("Last meeting's problems reviewed (%)"), "percent", True
    ),
    Indicator("fixed_yes_pct", 9, _("Residents saying it is fixed (%)"), "percent", True),
    Indicator("reopen_pct", 9, _("Problems reopened (%)"), "percent", False),
    Indicator("rating_mean", 9, _("Service rating (1-5)"), "score", True),
    Indicator(
        "community_solved_pct",
        10,
        _("Solved by mediation or community action (%)"),
        "percent",
        True,
    ),
    Indicator("visits_gini", 11, _("Inequality of visits across desa (Gini)"), "gini", False),
    Indicator(
        "response_spread", 11, _("Slowest quarter of desa ÷ fastest (response)"), "ratio", False
    ),
    Indicator("trust_pct", 12, _("Residents who trust the police (%)"), "percent", True),
    Indicator("satisfaction_pct", 12, _("Satisfied with the Bhabinkamtibmas (%)"), "percent", True),
    Indicator("safe_night_pct", 12, _("Feel safe at night (%)"), "percent", True),
    Indicator("knows_forum_pct", 12, _("Know the FKPM (%)"), "percent", True),
    Indicator("crimes_reported", 13, _("Crimes reported"), "count", None),
    Indicator("crimes_cleared", 13, _("Crimes cleared"), "count", True),
    # Reported crime, as a rate: neither direction is good in itself (docs/indicators.md).
    Indicator("crimes_per_10k", 13, _("Crimes reported per 10,000 residents"), "ratio", None),
    Indicator("clearance_pct", 13, _("Crimes cleared of those reported (%)"), "percent", True),
]

BY_KEY = {indicator.key: indicator for indicator in INDICATORS}

# The spreads across desa are defined from Polsek level up.
ACROSS_DESA = ["visits_gini", "response_spread"]
# The indicators of a desa: one row per desa and month holds them all (`DesaIndicators`).
DESA_KEYS = [i.key for i in INDICATORS if i.key not in ACROSS_DESA]
