"""Demo figures for `seed_demo`: a year of crime statistics and survey answers for the demo
Polres, then the indicators computed from everything the demo holds, so that a commander who
signs in after `make run` reads a dashboard with figures in it."""

import datetime
import hashlib
import random

from django.utils import timezone

from metrics.compute import recompute
from metrics.compute.months import add_months, month_start, quarter_start
from metrics.models import CrimeStatistic, CrimeType, RecomputeRequest, SurveyResponse
from portal.synthetic.activity import give_populations
from portal.synthetic.context import poisson
from portal.synthetic.run import analyze_activity
from territory.models import Village

MONTHS = 12
# Mean cases a month per desa, by crime type code; cleared is a share of reported.
CRIME_RATES = {"pencurian": 0.8, "curanmor": 0.4, "penganiayaan": 0.3, "narkoba": 0.2}
RESPONSES_PER_DESA = 6


def seed_metrics(*, villages: list[Village], rng: random.Random) -> int:
    """Crime statistics and survey answers for `villages`, then the indicators of the last
    twelve months. Safe to run twice: existing figures are kept.

    The seed's service calls queue a recompute of every desa-month they touch, two years of
    them. The months computed here need none; the older ones are not computed at all, and a
    queue run computing only the queued desa of such a month would give the areas above
    them sums of a few desa. So the demo's requests are dropped."""
    give_populations(Village.objects.filter(pk__in=[village.pk for village in villages]))
    if not CrimeStatistic.objects.filter(village__in=villages).exists():
        _crime_statistics(villages, rng)
        _survey_responses(villages, rng)
    # The planner's statistics must count the rows the demo just wrote, these included.
    analyze_activity()
    this_month = month_start(timezone.localdate())
    months = [add_months(this_month, -n) for n in range(MONTHS)]
    RecomputeRequest.objects.filter(village__in=villages).delete()
    return len(recompute(months=months))


def _crime_statistics(villages: list[Village], rng: random.Random) -> None:
    types = {t.code: t for t in CrimeType.objects.filter(code__in=CRIME_RATES)}
    this_month = month_start(timezone.localdate())
    rows = []
    for village in villages:
        for n in range(1, MONTHS + 1):
            month = add_months(this_month, -n)
            for code, crime_type in types.items():
                reported = poisson(rng, CRIME_RATES[code])
                if reported:
                    cleared = sum(rng.random() < 0.6 for _ in range(reported))
                    rows.append(
                        CrimeStatistic(
                            month=month,
                            village=village,
                            polsek_id=village.polsek_id,
                            crime_type=crime_type,
                            reported=reported,
                            cleared=cleared,
                        )
                    )
    CrimeStatistic.objects.bulk_create(rows, batch_size=2000)


def _survey_responses(villages: list[Village], rng: random.Random) -> None:
    this_quarter = quarter_start(timezone.localdate())
    last_quarter = quarter_start(this_quarter - datetime.timedelta(days=1))
    rows = []
    for village in villages:
        # Some desa are happier with their police than others: the dashboard shows the spread.
        mood = rng.choice([2, 3, 3, 4, 4, 5])
        for quarter in (last_quarter, this_quarter):
            for n in range(RESPONSES_PER_DESA):
                key = hashlib.sha256(f"demo:{village.code}:{quarter}:{n}".encode()).hexdigest()
                rows.append(
                    SurveyResponse(
                        village=village,
                        quarter=quarter,
                        respondent_key=key,
                        **{q: _answer(rng, mood) for q in SURVEY_QUESTIONS},
                    )
                )
    SurveyResponse.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


SURVEY_QUESTIONS = ["trust", "satisfaction", "safe_at_night", "knows_forum"]


def _answer(rng: random.Random, mood: int) -> int:
    return max(1, min(5, mood + rng.choice([-1, 0, 0, 1])))
