"""A forum's schedule as dateutil rrules, evaluated in the forum's own time zone (WIB, WITA or
WIT) and returned in UTC, the way meetings are stored."""

import datetime
import zoneinfo

from dateutil import rrule

from forums.models import Schedule

WEEKDAYS = [rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU]


def rule_for(schedule: Schedule) -> rrule.rrule | None:
    """The schedule's rule, or None for ad hoc forums. Naive local wall-clock times: the
    rule counts "second Tuesday, 19:00" in the desa's zone, never in UTC."""
    if schedule.frequency == Schedule.Frequency.AD_HOC:
        return None
    start = datetime.datetime.combine(schedule.starts_on, schedule.time)
    weekday = WEEKDAYS[schedule.weekday]
    if schedule.frequency == Schedule.Frequency.WEEKLY:
        return rrule.rrule(
            rrule.WEEKLY, dtstart=start, interval=schedule.interval, byweekday=weekday
        )
    return rrule.rrule(
        rrule.MONTHLY,
        dtstart=start,
        interval=schedule.interval,
        byweekday=weekday(schedule.week_of_month),
    )


def occurrences(
    schedule: Schedule,
    *,
    timezone_name: str,
    start: datetime.datetime,
    until: datetime.datetime,
) -> list[datetime.datetime]:
    """The schedule's meeting times in [start, until), as aware UTC datetimes."""
    rule = rule_for(schedule)
    if rule is None:
        return []
    zone = zoneinfo.ZoneInfo(timezone_name)
    local_start = start.astimezone(zone).replace(tzinfo=None)
    local_until = until.astimezone(zone).replace(tzinfo=None)
    return [
        moment.replace(tzinfo=zone).astimezone(datetime.UTC)
        for moment in rule.between(local_start, local_until, inc=True)
        if moment < local_until
    ]
