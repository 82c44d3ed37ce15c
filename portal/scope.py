"""Which desa a user may see and act on. Every view and endpoint that touches a desa's records
asks this module; nothing else decides scope.

- resident: their own desa (set on their account);
- Bhabinkamtibmas: the desa of their active assignments;
- Kapolsek: every desa of their Polsek;
- Polres commander and staff: every desa of the Polsek under their Polres;
- Polda viewer: every desa of their Polda — to read, not to act;
- operator: everything.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from territory.models import PoliceUnit, Village
from territory.timezones import WIB

Role = User.Role


def police_unit(user) -> PoliceUnit | None:
    """The unit of a police user, or None for residents, operators and anonymous users."""
    if not user.is_authenticated or not user.is_police:
        return None
    officer = getattr(user, "officer", None)
    return officer.unit if officer else None


def visible_villages(user) -> QuerySet[Village]:
    """The desa whose non-public records the user may read."""
    villages = Village.objects.all()
    if not user.is_authenticated or not user.is_active:
        return villages.none()
    if user.role == Role.OPERATOR:
        return villages
    if user.role == Role.RESIDENT:
        return villages.filter(pk=user.village_id) if user.village_id else villages.none()
    unit = police_unit(user)
    if unit is None:
        return villages.none()
    if user.role == Role.OFFICER:
        from officers.models import Assignment

        assigned = Assignment.objects.active().filter(officer__user=user).values("village_id")
        return villages.filter(pk__in=assigned)
    if user.role == Role.KAPOLSEK:
        return villages.filter(polsek=unit)
    if user.role in (Role.POLRES_COMMANDER, Role.POLRES_STAFF):
        return villages.filter(polsek__parent=unit)
    if user.role == Role.POLDA_VIEWER:
        return villages.filter(polsek__parent__parent=unit)
    return villages.none()


def workable_villages(user) -> QuerySet[Village]:
    """The desa where the user may act: triage problems, record meetings, manage officers.
    Polda viewers only read."""
    if user.is_authenticated and user.role == Role.POLDA_VIEWER:
        return Village.objects.none()
    return visible_villages(user)


def can_see_village(user, village: Village) -> bool:
    return visible_villages(user).filter(pk=village.pk).exists()


def can_work_village(user, village: Village) -> bool:
    return workable_villages(user).filter(pk=village.pk).exists()


def visible_village_or_404(user, code: str) -> Village:
    try:
        return visible_villages(user).get(code=code)
    except Village.DoesNotExist:
        raise Http404 from None


def visible_units(user) -> QuerySet[PoliceUnit]:
    """The police units whose figures the user may read: their own and those below it."""
    units = PoliceUnit.objects.all()
    if not user.is_authenticated:
        return units.none()
    if user.role == Role.OPERATOR:
        return units
    unit = police_unit(user)
    if unit is None:
        return units.none()
    if unit.kind == PoliceUnit.Kind.POLSEK:
        return units.filter(pk=unit.pk)
    if unit.kind == PoliceUnit.Kind.POLRES:
        return units.filter(pk=unit.pk) | units.filter(parent=unit)
    return units.filter(pk=unit.pk) | units.filter(parent=unit) | units.filter(parent__parent=unit)


def user_timezone(user) -> str:
    """The zone a user's times are shown in: their unit's, else their desa's, else WIB."""
    if not user.is_authenticated:
        return WIB
    unit = police_unit(user)
    if unit is not None:
        return unit.timezone
    if user.village_id and user.village is not None:
        return user.village.timezone
    return WIB
