"""Months as the indicators count them: calendar months in the desa's own time zone.

A visit at 00:30 WIT on 1 March belongs to March in Papua although it is still February in
UTC, so every bound is computed per zone (WIB, WITA, WIT). Indonesia has no daylight saving
time, so three bounds per month are exact.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

from territory.timezones import WIB, WIT, WITA, timezone_for_code

# The order gives each zone its number in the temporary tables (tmp_villages.zone).
ZONES = (WIB, WITA, WIT)
# Every two-digit province code that is not in WIB, by zone number: the SQL that numbers a
# desa's zone reads the first two characters of its code.
PROVINCES_BY_ZONE = {
    number: sorted(
        code
        for code in (f"{n:02d}" for n in range(100))
        if timezone_for_code(code) == zone and zone != WIB
    )
    for number, zone in enumerate(ZONES)
}


def month_start(day: datetime.date | datetime.datetime) -> datetime.date:
    return datetime.date(day.year, day.month, 1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every month from `first` to `last`, both included."""
    month, last = month_start(first), month_start(last)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def parse_month(text: str) -> datetime.date:
    """`2025-01` → 1 January 2025."""
    return datetime.datetime.strptime(text.strip(), "%Y-%m").date()


def quarter_start(month: datetime.date) -> datetime.date:
    return datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)


def local_months(village, *moments) -> list[datetime.date]:
    """The months of `village`'s own calendar that these moments (datetimes or dates) fall in:
    what the writers pass to `metrics.services.recompute_request`."""
    zone = zoneinfo.ZoneInfo(timezone_for_code(village.code))
    months = set()
    for moment in moments:
        if moment is None:
            continue
        if isinstance(moment, datetime.datetime):
            moment = timezone.localtime(moment, zone)
        months.add(month_start(moment))
    return sorted(months)


@dataclass(frozen=True)
class Bounds:
    """One month in one zone: [lo, hi) in UTC; `ref` is the moment the month's snapshots are
    taken (its end, or now for the current month), `ref_day` the local day of `ref`."""

    zone: str
    lo: datetime.datetime
    hi: datetime.datetime
    ref: datetime.datetime
    ref_day: datetime.date

    @property
    def weeks(self) -> float:
        """Weeks of the month elapsed by `ref_day` (a whole month is 4–4.4 weeks)."""
        return ((self.ref_day - self.lo_day).days + 1) / 7

    @property
    def lo_day(self) -> datetime.date:
        return timezone.localtime(self.lo, zoneinfo.ZoneInfo(self.zone)).date()


def bounds(month: datetime.date, zone: str, now: datetime.datetime) -> Bounds:
    tz = zoneinfo.ZoneInfo(zone)
    lo = datetime.datetime.combine(month, datetime.time(), tz).astimezone(datetime.UTC)
    hi = datetime.datetime.combine(add_months(month, 1), datetime.time(), tz).astimezone(
        datetime.UTC
    )
    # A month that has not begun in this zone yet (the first hours of a month in WIT are
    # still the last month in WIB) is taken at its first moment.
    ref = max(lo, min(hi, now))
    ref_day = max(month, timezone.localtime(ref - datetime.timedelta(microseconds=1), tz).date())
    return Bounds(zone=zone, lo=lo, hi=hi, ref=ref, ref_day=ref_day)


def has_begun(month: datetime.date, now: datetime.datetime) -> bool:
    """Whether the month has begun anywhere in Indonesia (WIT, the easternmost, is first)."""
    return bounds(month, WIT, now).lo <= now
