from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from territory.models import Village


@transaction.atomic
def resident_set_village(*, actor: User, village: Village) -> User:
    """A resident chooses the desa they live in: where they report and follow problems."""
    if actor.role != User.Role.RESIDENT:
        raise PermissionDenied(_("Only residents choose a home desa."))
    actor.village = village
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=["village"])
    return actor


def validate_role(role: str) -> None:
    if role not in User.Role.values:
        raise ValidationError(_("Unknown role: %(role)s.") % {"role": role})


def verified_email_set(*, user: User, email: str) -> None:
    """Set a staff account's address as its one primary, verified address: the operator (or
    the Polres spreadsheet) vouches for it."""
    from allauth.account.models import EmailAddress

    if user.email != email:
        User.objects.filter(pk=user.pk).update(email=email)
        user.email = email
    primary = EmailAddress.objects.filter(user=user, primary=True).first()
    if primary is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif primary.email != email or not primary.verified:
        primary.email, primary.verified = email, True
        primary.save(update_fields=["email", "verified"])
