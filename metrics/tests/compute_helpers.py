"""What the compute tests share: moments in WIB, the compute run at a fixed `now`, and the
computed rows read back. February 2026 is a complete month, March 2026 the current one."""

import datetime
import zoneinfo
from unittest import mock

from metrics.compute import apply, recompute
from metrics.models import IndicatorValue
from officers.models import Visit

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")
JAN = datetime.date(2026, 1, 1)
FEB = datetime.date(2026, 2, 1)
MAR = datetime.date(2026, 3, 1)
NOW = datetime.datetime(2026, 3, 20, 12, 0, tzinfo=WIB)


def at(day: str, time: str = "10:00", zone=WIB) -> datetime.datetime:
    """`at("2026-02-03")`: 3 February 2026, 10:00 WIB."""
    return datetime.datetime.fromisoformat(f"{day} {time}").replace(tzinfo=zone)


STAGED_TWICE = """
SELECT indicator, area_code FROM cmp_stage WHERE level = %s
GROUP BY indicator, area_code HAVING COUNT(*) > 1
"""


def compute(*months: datetime.date, now: datetime.datetime = NOW, **options):
    """The recompute, checking before each level is stored that no row was staged twice (the
    staging table has no unique index to refuse one)."""
    store = apply.apply

    def checked(cursor, month, level):
        cursor.execute(STAGED_TWICE, [level])
        assert cursor.fetchall() == [], f"staged twice at {level} level"
        return store(cursor, month, level)

    with mock.patch.object(apply, "apply", checked):
        return recompute(months=months or [FEB], now=now, **options)


def row(indicator: str, area: str, month: datetime.date = FEB) -> tuple | None:
    """(value, numerator, denominator) of one area (a desa code, a unit code or "ID")."""
    return (
        IndicatorValue.objects.filter(indicator=indicator, area_code=area, month=month)
        .values_list("value", "numerator", "denominator")
        .first()
    )


def value(indicator: str, area: str, month: datetime.date = FEB) -> float | None:
    found = row(indicator, area, month)
    return None if found is None else found[0]


def every_row() -> list[tuple]:
    """The whole table, every column, in a stable order."""
    return list(
        IndicatorValue.objects.order_by("level", "area_code", "month", "indicator").values_list(
            "indicator",
            "level",
            "area_code",
            "month",
            "value",
            "numerator",
            "denominator",
            "computed_at",
        )
    )


def figures() -> set[tuple]:
    """The computed figures without their times: what two ways of computing must agree on."""
    return {row[:-1] for row in every_row()}


def visit(officer_user, village, when: datetime.datetime) -> Visit:
    return Visit.objects.create(officer=officer_user.officer, village=village, visited_at=when)
