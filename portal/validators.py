"""Bounds on the dates people type. A slip of the year (0001, 9999) is refused rather than
stored: PostgreSQL keeps midnight of 1 January in year 1, in Jakarta's local mean time of
those years, as a moment before year 1, which no page can read back."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

EARLIEST = datetime.date(2000, 1, 1)
YEARS_AHEAD = 5


def plausible_date(value: datetime.date | datetime.datetime | None) -> None:
    """A validator for any date or moment a person gives: from 2000 to five years ahead."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day < EARLIEST:
        raise ValidationError(
            _("Check the year: a date before %(year)d cannot be right.") % {"year": EARLIEST.year},
            code="too_early",
        )
    latest = timezone.localdate().replace(year=timezone.localdate().year + YEARS_AHEAD)
    if day > latest:
        raise ValidationError(
            _("Check the year: this date is more than %(years)d years ahead.")
            % {"years": YEARS_AHEAD},
            code="too_late",
        )


def lookup_key(value) -> str:
    """A code sent by a caller, to look a row up with: stripped, and empty when it holds a NUL
    byte (PostgreSQL refuses those in text, where SQLite finds nothing; no code has one)."""
    text = str(value or "").strip()
    return "" if "\x00" in text else text
