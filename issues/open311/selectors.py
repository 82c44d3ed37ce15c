"""Reads for Open311: only public problems, joined for the fields the spec lists."""

import datetime

from django.db.models import QuerySet

from issues.models import Category, Problem
from issues.selectors import public_problems
from issues.workflow import OPEN_STATUSES

# The spec's cap on one GET requests answer.
MAX_REQUESTS = 1000


def open311_requests() -> QuerySet[Problem]:
    """Public problems, newest first, with what a service request shows: category, desa and
    its Polsek (agency_responsible), public notes in `public_events` (status_notes) and the
    public photos in `photos` (media_url), both prefetched by `public_problems`. Three queries
    whatever the number of rows."""
    return public_problems().select_related("village__polsek").order_by("-created_at", "-pk")


def filter_open311_requests(
    problems: QuerySet[Problem],
    *,
    references: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    statuses: set[str] | None = None,
) -> QuerySet[Problem]:
    """The spec's filters. `references` overrides all the others (as service_request_id does
    in the spec); `statuses` holds "open" and/or "closed"."""
    if references:
        return problems.filter(reference__in=references)[:MAX_REQUESTS]
    if service_codes:
        problems = problems.filter(category__code__in=service_codes)
    if start is not None:
        problems = problems.filter(created_at__gte=start)
    if end is not None:
        problems = problems.filter(created_at__lte=end)
    if statuses == {"open"}:
        problems = problems.filter(status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        problems = problems.exclude(status__in=OPEN_STATUSES)
    return problems[:MAX_REQUESTS]


def open311_services() -> QuerySet[Category]:
    """The categories a resident may file: always-private ones too (their problems are simply
    never listed)."""
    return Category.objects.filter(is_active=True)
