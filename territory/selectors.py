from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from officers.models import Assignment
from territory.models import PoliceUnit, Village

SEARCH_MIN_LENGTH = 2


def _active_assignments() -> QuerySet[Assignment]:
    return (
        Assignment.objects.active()
        .select_related("officer__user")
        .order_by("-is_primary", "starts_on")
    )


def with_officers(villages: QuerySet[Village]) -> QuerySet[Village]:
    """Join what a desa list shows: kecamatan, kabupaten, Polsek and the active officers.
    Three queries whatever the page size: villages, assignments (with officer and user)."""
    return (
        villages.select_related("district__regency__province", "polsek")
        .prefetch_related(
            Prefetch("assignments", queryset=_active_assignments(), to_attr="active_assignments")
        )
        .annotate(has_officer=Exists(Assignment.objects.active().filter(village=OuterRef("pk"))))
    )


def village_search(*, query: str) -> QuerySet[Village]:
    """Desa whose name (or official code) matches, for the public search."""
    query = query.strip()
    if len(query) < SEARCH_MIN_LENGTH:
        return Village.objects.none()
    if query[:1].isdigit():
        matches = Village.objects.filter(code__startswith=query)
    else:
        matches = Village.objects.filter(name__icontains=query)
    return with_officers(matches).order_by("name", "code")


def village_public(*, code: str) -> Village:
    """One desa with what its public page shows; raises Village.DoesNotExist."""
    return with_officers(Village.objects.filter(code=code)).select_related("polsek__parent").get()


def unassigned(villages: QuerySet[Village]) -> QuerySet[Village]:
    return villages.exclude(Exists(Assignment.objects.active().filter(village=OuterRef("pk"))))


def unit_breakdown(*, unit: PoliceUnit) -> list[PoliceUnit]:
    """The units directly under `unit`, each with `village_count` and `unassigned_count` (desa
    without an active officer). Two queries, one GROUP BY over the unit's desa: a Polda of
    8,500 desa must not run a subquery per unit."""
    unit_path = "polsek" if unit.kind == PoliceUnit.Kind.POLRES else "polsek__parent"
    has_officer = Exists(Assignment.objects.active().filter(village=OuterRef("pk")))
    counts = {
        row[unit_path]: row
        for row in Village.objects.filter(**{f"{unit_path}__parent": unit})
        .order_by()
        .values(unit_path)
        .annotate(village_count=Count("pk"), unassigned_count=Count("pk", filter=~Q(has_officer)))
    }
    children = list(PoliceUnit.objects.filter(parent=unit).order_by("name"))
    for child in children:
        row = counts.get(child.pk, {})
        child.village_count = row.get("village_count", 0)
        child.unassigned_count = row.get("unassigned_count", 0)
    return children
