"""The resident survey: four statements on a 1-5 scale, answered per desa, once per person
per quarter.

Who answered is never stored. The respondent key is an HMAC (keyed with SECRET_KEY) of the
account id for a signed-in resident, or of the normalised phone number or e-mail address for
anyone else: enough to refuse a second answer in the same quarter, useless for finding the
person without the key. Changing SECRET_KEY starts every key afresh, so someone could answer
twice in the quarter of the change.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from issues.models import BlockedContact
from metrics.models import SurveyResponse
from metrics.services import recompute_request
from territory.models import Village

QUESTIONS = ("trust", "satisfaction", "safe_at_night", "knows_forum")
_KEY_SALT = "metrics.survey.respondent"


class AlreadyAnswered(Exception):
    """This person has answered the survey this quarter already."""

    def __init__(self, next_quarter: datetime.date):
        super().__init__(next_quarter)
        self.next_quarter = next_quarter


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def next_quarter_start(day: datetime.date) -> datetime.date:
    start = quarter_start(day)
    return datetime.date(start.year + start.month // 10, (start.month + 2) % 12 + 1, 1)


def may_answer(user) -> bool:
    """Residents and people without an account answer; police and operators do not answer a
    survey about the police."""
    return not user.is_authenticated or user.role == User.Role.RESIDENT


def normalize_contact(value: str) -> str:
    """0812…, 62812… and +62 812… are one phone number; e-mail addresses compare in lower
    case. The same rule as for blocked contacts."""
    return BlockedContact.normalize(value)


def respondent_key(*, user: User | None = None, contact: str = "") -> str:
    if user is not None and user.is_authenticated:
        value = f"user:{user.pk}"
    else:
        normalized = normalize_contact(contact)
        if not normalized:
            raise ValidationError(
                {"contact": _("Give a phone number or an e-mail address.")}, code="required"
            )
        value = f"contact:{normalized}"
    return salted_hmac(_KEY_SALT, value, algorithm="sha256").hexdigest()


def _local_today(village: Village, now: datetime.datetime | None) -> datetime.date:
    return timezone.localtime(now or timezone.now(), ZoneInfo(village.timezone)).date()


def current_quarter(village: Village, now: datetime.datetime | None = None) -> datetime.date:
    """The first day of the quarter under way in the desa's time zone."""
    return quarter_start(_local_today(village, now))


def survey_answered(*, user: User, village: Village, now: datetime.datetime | None = None) -> bool:
    """Whether a signed-in person has answered in the current quarter (any desa)."""
    if not user.is_authenticated:
        return False
    quarter = current_quarter(village, now)
    return SurveyResponse.objects.filter(
        quarter=quarter, respondent_key=respondent_key(user=user)
    ).exists()


def survey_respond(
    *,
    actor: User | None,
    village: Village,
    trust: int,
    satisfaction: int,
    safe_at_night: int,
    knows_forum: int,
    contact: str = "",
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """Record one answer for the desa's current quarter (in the desa's time zone) and queue
    the desa's indicators for a recompute. AlreadyAnswered, changing nothing, when this person
    answered this quarter already, here or in another desa."""
    actor = actor if actor is not None and actor.is_authenticated else None
    if actor is not None and not may_answer(actor):
        raise PermissionDenied(_("The survey is for residents."))
    answers = {
        "trust": trust,
        "satisfaction": satisfaction,
        "safe_at_night": safe_at_night,
        "knows_forum": knows_forum,
    }
    if any(value not in SurveyResponse.Scale.values for value in answers.values()):
        raise ValidationError(_("Answer every statement with a number from 1 to 5."))
    key = respondent_key(user=actor, contact=contact)
    today = _local_today(village, now)
    quarter = quarter_start(today)
    try:
        # The unique constraint decides: two answers sent at once cannot both be stored.
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                village=village,
                quarter=quarter,
                respondent_key=key,
                created_at=now or timezone.now(),
                **answers,
            )
            # The survey's figures are stored under the quarter's first month.
            recompute_request(village_ids=[village.pk], months=[quarter])
    except IntegrityError:
        raise AlreadyAnswered(next_quarter_start(quarter)) from None
    return response
