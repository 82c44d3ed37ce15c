from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.models import User
from forums import selectors as forum_selectors
from officers import selectors as officer_selectors
from officers.models import Officer
from portal import scope
from portal.models import WorkerHeartbeat
from territory import selectors
from territory.models import District, PoliceUnit, Province, Regency, Village

Role = User.Role
PAGE_SIZE = 25


@require_GET
def home(request):
    return render(request, "portal/home.html")


@require_GET
@login_required
def landing(request):
    """Where each role lands after signing in."""
    role = request.user.role
    if role == Role.RESIDENT:
        return _resident_landing(request)
    if role == Role.OFFICER:
        return _officer_landing(request)
    if role == Role.OPERATOR:
        return _operator_landing(request)
    return _commander_landing(request)


def _resident_landing(request):
    village = None
    if request.user.village_id:
        village = selectors.with_officers(Village.objects.filter(pk=request.user.village_id))
        village = village.first()
    # A resident who is a forum's secretary keeps its minutes: their forum is one tap away.
    forums = forum_selectors.forums_visible_to(request.user).select_related("village")
    return render(
        request, "portal/landing/resident.html", {"village": village, "forums": list(forums)}
    )


def _officer_landing(request):
    """The officer's day: each desa at a glance and a short list for today."""
    days = officer_selectors.officer_day(request.user)
    return render(
        request,
        "portal/landing/officer.html",
        {
            "days": days,
            "todo": officer_selectors.todo_today(request.user, days),
            "unit": scope.police_unit(request.user),
        },
    )


def _commander_landing(request):
    """Kapolsek, Polres commander and staff, Polda viewer: their whole area."""
    unit = scope.police_unit(request.user)
    villages = scope.visible_villages(request.user)
    breakdown = selectors.unit_breakdown(unit=unit) if unit is not None else []
    listed = villages
    child_code = request.GET.get("unit", "")
    child = next((u for u in breakdown if u.code == child_code), None)
    if child is not None and child.kind == PoliceUnit.Kind.POLSEK:
        listed = listed.filter(polsek=child)
    elif child is not None:
        listed = listed.filter(polsek__parent=child)
    only_unassigned = request.GET.get("unassigned") == "1"
    if only_unassigned:
        listed = selectors.unassigned(listed)
    listed = selectors.with_officers(listed).order_by("district__name", "name")
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/landing/commander.html",
        {
            "unit": unit,
            "breakdown": breakdown,
            "child": child,
            "only_unassigned": only_unassigned,
            "village_count": villages.count(),
            "unassigned_count": selectors.unassigned(villages).count(),
            "today": officer_selectors.area_today(request.user, villages),
            "page_obj": page,
        },
    )


def _operator_landing(request):
    counts = {
        "provinces": Province.objects.count(),
        "regencies": Regency.objects.count(),
        "districts": District.objects.count(),
        "villages": Village.objects.count(),
        "units": PoliceUnit.objects.count(),
        "officers": Officer.objects.count(),
        "residents": User.objects.filter(role=Role.RESIDENT).count(),
    }
    return render(request, "portal/landing/operator.html", {"counts": counts})


@never_cache
@require_GET
def health(request):
    """For load balancers and operators: the database, the cache and the age of the last
    worker heartbeat. 503 when the database cannot be reached."""
    report = {"database": False, "cache": False, "worker_seen_seconds_ago": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = True
        heartbeat = WorkerHeartbeat.objects.filter(name="worker").first()
        if heartbeat is not None:
            report["worker_seen_seconds_ago"] = int(
                (timezone.now() - heartbeat.seen_at).total_seconds()
            )
    except DatabaseError:
        pass
    try:
        cache.set("healthz", "ok", 10)
        report["cache"] = cache.get("healthz") == "ok"
    except Exception:
        report["cache"] = False
    return JsonResponse(report, status=200 if report["database"] else 503)
