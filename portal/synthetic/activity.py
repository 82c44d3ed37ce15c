"""Visits (sambang), crime statistics and resident surveys of a desa, and the residents the
crime rates divide by."""

import collections
import datetime
import random

from django.db.models import F, QuerySet
from django.db.models.functions import Mod

from officers.models import Visit
from portal.demo import VISIT_NOTES
from territory.models import Village

from .context import DAY, HOUR, Assignment, Desa, Run, clamp, local_day, local_to_utc, poisson

VISIT_COLUMNS = (
    "id",
    "officer_id",
    "village_id",
    "visited_at",
    "kind",
    "households",
    "people",
    "groups_reached",
    "notes",
    "latitude",
    "longitude",
    "created_at",
    "updated_at",
)
VISIT_PROBLEM_COLUMNS = ("id", "visit_id", "problem_id")
CRIME_COLUMNS = (
    "id",
    "month",
    "village_id",
    "polsek_id",
    "crime_type_id",
    "reported",
    "cleared",
    "source_id",
)
SURVEY_COLUMNS = (
    "id",
    "village_id",
    "quarter",
    "respondent_key",
    "trust",
    "satisfaction",
    "safe_at_night",
    "knows_forum",
    "created_at",
)

VISIT_KINDS = (
    [
        Visit.Kind.DOOR_TO_DOOR.value,
        Visit.Kind.FOOT_PATROL.value,
        Visit.Kind.LEADERS.value,
        Visit.Kind.SCHOOL_WORSHIP.value,
        Visit.Kind.COUNSELLING.value,
    ],
    [45, 20, 15, 10, 10],
)
GROUPS_REACHED = [
    '["women"]',
    '["youth"]',
    '["elderly"]',
    '["elderly", "women"]',
    '["women", "youth"]',
    '["disability"]',
    '["minority"]',
]
CRIME_WEIGHTS = {
    "pencurian": 30,
    "curas": 6,
    "curanmor": 12,
    "penganiayaan": 10,
    "narkoba": 8,
    "penipuan": 9,
    "perjudian": 4,
    "kdrt": 5,
    "kekerasan-seksual": 2,
    "pembunuhan": 0.5,
    "perusakan": 5,
    "lainnya": 8,
}


class Visits:
    def __init__(self, run: Run):
        self.run = run

    def visit(self, desa, rng, officer: Assignment, at, *, kind: str, problem_id=None) -> None:
        run = self.run
        visit_id = next(run.ids.visit)
        created = min(at + HOUR * rng.uniform(0, 6), run.now)
        run.loader.add(
            "visit",
            (
                visit_id,
                officer.officer_id,
                desa.id,
                at,
                kind,
                rng.randint(1, 12),
                rng.randint(2, 30),
                "[]" if rng.random() < 0.5 else rng.choice(GROUPS_REACHED),
                rng.choice(VISIT_NOTES),
                None,
                None,
                created,
                created,
            ),
        )
        if problem_id is not None:
            run.loader.add("visit_problem", (next(run.ids["visit_problem"]), visit_id, problem_id))

    def for_desa(self, desa: Desa, rng: random.Random) -> None:
        """Sambang by the desa's officer of the day: every few days where attention is high,
        every month or so where it is low, never where there is no officer."""
        if not desa.assignments:
            return
        run = self.run
        mean_gap = 4 + 30 * (1 - desa.attention) ** 1.5
        moment = run.window_start + DAY * rng.expovariate(1 / mean_gap)
        while moment < run.now:
            day = local_day(moment, desa.offset)
            officer = desa.officer_on(day)
            if officer is not None:
                at = local_to_utc(
                    day, datetime.time(rng.randint(8, 20), rng.randrange(60)), desa.offset
                )
                if at <= run.now:
                    kind = rng.choices(*VISIT_KINDS)[0]
                    self.visit(desa, rng, officer, at, kind=kind)
            moment += DAY * rng.expovariate(1 / mean_gap)


class Crimes:
    """Monthly cases reported and cleared per desa and crime type (only the non-zero cells, as
    a Polres's spreadsheet lists them), for the complete months of the window."""

    def __init__(self, run: Run, crime_types: list[tuple[int, str]], source_id: int | None):
        self.run = run
        self.types = [type_id for type_id, _code in crime_types]
        self.weights = [CRIME_WEIGHTS.get(code, 3) for _id, code in crime_types]
        self.source_id = source_id
        self.months = [m for m in run.months() if m < run.today.replace(day=1)]

    def for_desa(self, desa: Desa, rng: random.Random) -> None:
        if not self.types:
            return
        run = self.run
        mean = (1.6 if desa.is_kelurahan else 0.5) * rng.lognormvariate(0, 0.6)
        mean *= 1.15 - 0.3 * desa.attention
        clearance = 0.35 + 0.35 * desa.attention
        for month in self.months:
            cases = poisson(rng, mean)
            if not cases:
                continue
            for type_id, reported in sorted(
                collections.Counter(rng.choices(self.types, self.weights, k=cases)).items()
            ):
                cleared = sum(rng.random() < clearance for _ in range(reported))
                run.loader.add(
                    "crime",
                    (
                        next(run.ids["crime"]),
                        month,
                        desa.id,
                        desa.polsek_id,
                        type_id,
                        reported,
                        cleared,
                        self.source_id,
                    ),
                )

    def for_polsek(self, polsek_id: int, polsek_code: str) -> None:
        """A few cases a Polsek could not place in a desa: rows without a desa."""
        if not self.types:
            return
        run = self.run
        rng = run.rng("crime-polsek", polsek_code)
        for month in self.months:
            if rng.random() < 0.1:
                reported = rng.randint(1, 4)
                run.loader.add(
                    "crime",
                    (
                        next(run.ids["crime"]),
                        month,
                        None,
                        polsek_id,
                        self.types[-1],
                        reported,
                        rng.randint(0, reported),
                        self.source_id,
                    ),
                )


class Surveys:
    """Resident surveys: some desa are sampled each quarter; answers follow the desa's
    attention (trust grows where the police show up), whether it has a forum, and time."""

    def __init__(self, run: Run):
        self.run = run
        window = run.window_start.date()
        quarter = window.replace(month=(window.month - 1) // 3 * 3 + 1)
        self.quarters = []
        while quarter <= run.today:
            following = (quarter + 95 * DAY).replace(day=1)
            self.quarters.append((quarter, following))
            quarter = following

    def for_desa(self, desa: Desa, rng: random.Random, *, has_forum: bool) -> None:
        run = self.run
        attention = desa.attention
        for index, (quarter, following) in enumerate(self.quarters):
            if rng.random() >= 0.2 + 0.3 * attention:
                continue
            start = max(
                datetime.datetime.combine(quarter, datetime.time(), datetime.UTC), run.window_start
            )
            end = min(datetime.datetime.combine(following, datetime.time(), datetime.UTC), run.now)
            if end <= start:
                continue
            drift = 0.3 * (attention - 0.4) * index / len(self.quarters)
            officer = desa.officer_on(quarter) is not None
            means = (
                2.3 + 2.2 * attention + drift,
                (2.2 + 2.2 * attention if officer else 1.8) + drift,
                2.8 + 1.5 * attention,
                2.5 + 2.0 * attention if has_forum else 1.6,
            )
            for _respondent in range(rng.randint(3, 10)):
                answers = [int(clamp(round(rng.gauss(m, 0.9)), 1, 5)) for m in means]
                run.loader.add(
                    "survey",
                    (
                        next(run.ids["survey"]),
                        desa.id,
                        quarter,
                        f"{rng.getrandbits(256):064x}",
                        *answers,
                        start + (end - start) * rng.random(),
                    ),
                )


def give_populations(villages: QuerySet[Village]) -> int:
    """Synthetic residents, 1,000 to 14,999, for the desa of `villages` that have no population
    yet: crimes per 10,000 residents divides by it. Fixed by the desa's id, so a second run
    gives the same; a population imported from real figures (`import_population`) is kept."""
    spread = Mod(F("id") * 7919, 14000)
    return villages.filter(population__isnull=True).update(population=1000 + spread)
