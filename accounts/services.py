from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
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


@transaction.atomic
def account_update(*, actor: User, name: str, village: Village | None = None) -> User:
    """The user corrects their own account (UU 27/2022, Pasal 6: the right to correct). The
    e-mail address is changed through allauth, which verifies the new one. Only residents
    choose a desa; a police user's desa come from their assignments."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Write your name.")})
    fields = ["name"]
    actor.name = name
    if village is not None and village != actor.village:
        if actor.role != User.Role.RESIDENT:
            raise PermissionDenied(_("Only residents choose a home desa."))
        actor.village = village
        fields.append("village")
    actor.full_clean(exclude=["password"])
    actor.save(update_fields=fields)
    return actor


def personal_data_export(*, user: User) -> dict:
    """Everything the portal holds about `user`, as JSON-safe data (UU 27/2022, Pasal 7: the
    right to access). Only their own data: their account, the reports they filed (with the
    public part of their history and what they wrote themselves; officers' internal notes are
    the police's record and often about other people) and their forum memberships.

    Not included because nothing links it to the person: the desa survey answers (stored under
    a keyed hash, with no contact) and reports filed signed out (their tracking code opens
    them)."""
    from allauth.account.models import EmailAddress

    from forums.models import Member
    from issues.privacy import problems_reported_by_data

    village = user.village
    memberships = Member.objects.filter(user=user).select_related("forum__village")
    return {
        "generated_at": timezone.now().isoformat(),
        "about": _("What Polmas Portal holds about you (UU 27/2022 on personal data protection)."),
        "account": {
            "email": user.email,
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user).order_by("pk")
            ],
            "name": user.name,
            "role": user.role,
            "desa": {"code": village.code, "name": village.name} if village else None,
            "joined_at": user.date_joined.isoformat(),
            "last_sign_in_at": user.last_login.isoformat() if user.last_login else None,
        },
        "problems": problems_reported_by_data(user=user),
        "forum_memberships": [
            {
                "forum": member.forum.name,
                "desa": member.forum.village.name,
                "name": member.name,
                "role": member.role,
                "represents": member.sector,
                "gender": member.gender,
                "phone": member.phone,
                "email": member.email,
                "joined_on": member.joined_on.isoformat(),
                "left_on": member.left_on.isoformat() if member.left_on else None,
            }
            for member in memberships
        ],
    }
