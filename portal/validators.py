"""Checks on what people type. Dates: a slip of the year (0001, 9999) is refused rather than
stored: PostgreSQL keeps midnight of 1 January in year 1, in Jakarta's local mean time of
those years, as a moment before year 1, which no page can read back. Phone numbers: digits."""

import datetime
import re

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


# What people put between the digits: 0812-3456-7890, +62 812 3456 7890, (022) 7654321.
PHONE_CHARACTERS = re.compile(r"[0-9 ()+.\-]+")


def phone_number(value: str) -> None:
    """A number someone can call: digits with the usual separators, 8 to 15 digits (a landline
    with its area code to an international number). A name or a word typed as a phone ("abc"
    was stored) left a reporter who wanted to be called, or a forum member, unreachable."""
    if not value:
        return
    if not PHONE_CHARACTERS.fullmatch(value):
        raise ValidationError(
            _("Write the phone number in digits, e.g. 0812 3456 7890."), code="phone"
        )
    digits = sum(character.isdigit() for character in value)
    if not 8 <= digits <= 15:
        # Digits already: "write it in digits" would not say what is wrong.
        raise ValidationError(
            _(
                "A phone number has 8 to 15 digits; this one has %(digits)d. "
                "Check it, e.g. 0812 3456 7890."
            ),
            code="phone",
            params={"digits": digits},
        )


def lookup_key(value) -> str:
    """A code sent by a caller, to look a row up with: stripped, and empty when it holds a NUL
    byte (PostgreSQL refuses those in text, where SQLite finds nothing; no code has one)."""
    text = str(value or "").strip()
    return "" if "\x00" in text else text
