"""What every part of the generator shares: the time window, the id counters, the loader, the
random helpers and the model of how much attention a desa gets."""

import datetime
import itertools
import math
import random
from dataclasses import dataclass, field

from territory.timezones import WIB, WIT, WITA

from .loader import Loader

UTC = datetime.UTC
# Indonesia keeps no daylight saving time: each zone is a fixed offset from UTC.
ZONE_OFFSETS = {
    WIB: datetime.timedelta(hours=7),
    WITA: datetime.timedelta(hours=8),
    WIT: datetime.timedelta(hours=9),
}
# Provinces where distance and terrain thin out police presence (Papua, Maluku): lower
# attention on average, so the dashboards show regional inequality.
REMOTE_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)


@dataclass
class Assignment:
    officer_id: int
    user_id: int
    starts_on: datetime.date
    ends_on: datetime.date | None  # inclusive, as in officers.Assignment


@dataclass
class Desa:
    """One desa of the scope and what the generator decided about it."""

    id: int
    code: str
    name: str
    is_kelurahan: bool
    polsek_id: int
    offset: datetime.timedelta  # local time = UTC + offset
    attention: float = 0.5  # 0 (neglected) … 1 (model desa): drives every rate
    kapolsek_user_id: int | None = None
    assignments: list[Assignment] = field(default_factory=list)  # oldest first

    def officer_on(self, day: datetime.date) -> Assignment | None:
        for assignment in self.assignments:
            if assignment.starts_on <= day and (
                assignment.ends_on is None or day <= assignment.ends_on
            ):
                return assignment
        return None


class Ids:
    """Explicit primary keys, continuing after what the database holds: a child row can name
    its parent before either reaches the database."""

    def __init__(self, starts: dict[str, int]):
        self._counters = {key: itertools.count(start + 1) for key, start in starts.items()}
        self.problem = self._counters["problem"]
        self.event = self._counters["event"]
        self.visit = self._counters["visit"]
        self.meeting = self._counters["meeting"]
        self.attendance = self._counters["attendance"]
        self.member = self._counters["member"]

    def __getitem__(self, key: str) -> "itertools.count[int]":
        return self._counters[key]


@dataclass
class Run:
    seed: int
    now: datetime.datetime
    window_start: datetime.datetime  # the first day of the first month, 00:00 UTC
    loader: Loader
    ids: Ids
    officer_names: dict[int, str] = field(default_factory=dict)  # officer id -> "Bripka Agus …"
    timers: dict[str, float] = field(default_factory=dict)

    @property
    def today(self) -> datetime.date:
        return self.now.date()

    def rng(self, *parts) -> random.Random:
        """A generator of its own for each desa or unit: the rows of a desa are the same
        whatever else the run covers (a Polres run and a national run agree on it)."""
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def months(self) -> list[datetime.date]:
        first = self.window_start.date()
        months, day = [], first
        while day <= self.today:
            months.append(day)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return months


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return low if value < low else high if value > high else value


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; the rates here are small (a few per desa and month)."""
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def local_to_utc(day: datetime.date, time: datetime.time, offset: datetime.timedelta):
    return (
        datetime.datetime(day.year, day.month, day.day, time.hour, time.minute, tzinfo=UTC) - offset
    )


def local_day(moment: datetime.datetime, offset: datetime.timedelta) -> datetime.date:
    return (moment + offset).date()
