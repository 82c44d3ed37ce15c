from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from officers import selectors, services
from officers.forms import ImportForm, ReassignForm, VisitForm
from officers.models import Visit
from officers.spreadsheet import HEADERS, officers_import
from portal import scope

PAGE_SIZE = 25
COMMAND_ROLES = {
    User.Role.KAPOLSEK,
    User.Role.POLRES_COMMANDER,
    User.Role.POLRES_STAFF,
    User.Role.POLDA_VIEWER,
    User.Role.OPERATOR,
}
IMPORT_ROLES = COMMAND_ROLES - {User.Role.POLDA_VIEWER}


def _officer_only(user) -> None:
    if user.role != User.Role.OFFICER:
        raise Http404


def _commanders_only(user, roles=COMMAND_ROLES) -> None:
    if user.role not in roles:
        raise Http404


def _visit_fields(form) -> dict:
    data = form.cleaned_data
    return {
        key: data[key]
        for key in (
            "village",
            "kind",
            "visited_at",
            "households",
            "people",
            "groups_reached",
            "notes",
            "latitude",
            "longitude",
            "problems",
        )
    }


@require_http_methods(["GET", "POST"])
@login_required
def visit_create(request):
    """Log a sambang in under a minute: desa, kind and time are preset; one tap to save."""
    _officer_only(request.user)
    villages = scope.workable_villages(request.user).order_by("name")
    initial = {"village": villages.filter(code=request.GET.get("desa")).first() or villages.first()}
    form = VisitForm(request.POST or None, villages=villages, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_log(actor=request.user, **_visit_fields(form))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Visit saved."))
            return redirect("landing")
    return render(request, "officers/visit_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def visit_edit(request, pk: int):
    _officer_only(request.user)
    visit = selectors.visits_visible_to(request.user).filter(pk=pk).first()
    if visit is None:
        raise Http404
    villages = scope.workable_villages(request.user).order_by("name")
    form = VisitForm(request.POST or None, instance=visit, villages=villages)
    locked = visit.is_locked()
    if locked:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.visit_update(
                actor=request.user, visit=Visit.objects.get(pk=visit.pk), **_visit_fields(form)
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Visit saved."))
            return redirect("officers:visits")
    return render(
        request,
        "officers/visit_form.html",
        {"form": form, "visit": visit, "locked": locked},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@login_required
def visit_list(request):
    """An officer's own visits; a commander's area. Three queries whatever the page size."""
    if not (request.user.is_police or request.user.is_operator):
        raise Http404
    visits = selectors.visits_visible_to(request.user).prefetch_related("problems")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "officers/visit_list.html", {"page_obj": page, "now": timezone.now()})


@require_GET
@login_required
def workload(request):
    """Kapolsek and Polres: their officers with desa and workload, desa needing attention."""
    _commanders_only(request.user)
    officers = selectors.unit_officers(request.user)
    attention = selectors.villages_needing_attention(request.user)
    return render(
        request,
        "officers/workload.html",
        {
            "unit": scope.police_unit(request.user),
            "officers": Paginator(officers, 50).get_page(request.GET.get("page")),
            "attention": Paginator(attention, 50).get_page(request.GET.get("desa_page")),
            "can_reassign": request.user.role in IMPORT_ROLES,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def reassign(request, code: str):
    """Give a desa a new primary officer; open work moves along."""
    _commanders_only(request.user, IMPORT_ROLES)
    village = (
        scope.workable_villages(request.user).filter(code=code).select_related("district").first()
    )
    if village is None:
        raise Http404
    form = ReassignForm(request.POST or None, officers=selectors.reassignable_officers(village))
    if request.method == "POST" and form.is_valid():
        try:
            services.village_reassign(
                actor=request.user,
                village=village,
                officer=form.cleaned_data["officer"],
                on=form.cleaned_data["starts_on"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request, _("%(village)s has a new primary officer.") % {"village": village}
            )
            return redirect("officers:workload")
    history = village.assignments.select_related("officer__user").order_by("-starts_on")
    return render(
        request,
        "officers/reassign.html",
        {"village": village, "form": form, "history": history},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_officers(request):
    _commanders_only(request.user, IMPORT_ROLES)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = officers_import(
            actor=request.user, name=upload.name, content=upload.read(10 * 1024 * 1024)
        )
        if result.ok:
            messages.success(
                request,
                # Counts after a colon: "1 new officers" read wrong in English.
                _(
                    "Imported. New officers: %(created)d; updated: %(updated)d; unchanged: "
                    "%(unchanged)d; new assignments: %(assignments)d."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "assignments": result.assignments_created,
                },
            )
            return redirect("officers:workload")
    columns = sorted({v for v in HEADERS.values()})
    return render(
        request,
        "officers/import.html",
        {"form": form, "result": result, "columns": columns},
        status=400 if result and not result.ok else 200,
    )
