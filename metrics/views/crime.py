"""Crime statistics in: the import page, its history and the template to fill in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from metrics.crime_import import (
    IMPORT_ROLES,
    MAX_LISTED,
    crime_imports_visible_to,
    crime_statistics_import,
    template_rows,
)
from metrics.forms import MAX_UPLOAD_MB, CrimeImportForm
from metrics.models import CrimeType
from portal import csv_files, scope
from territory.models import PoliceUnit

PAGE_SIZE = 25
# What a web request checks and writes inside the worker's timeout (see MAX_UPLOAD_MB).
MAX_ROWS = 250_000
RECENT = 5


def _importers_only(user) -> None:
    if user.role not in IMPORT_ROLES:
        raise Http404


def _crime_types() -> list[tuple[str, str]]:
    english = (get_language() or "").startswith("en")
    return [
        (t.code, t.name_en if english and t.name_en else t.name) for t in CrimeType.objects.all()
    ]


def _polseks(user) -> list[PoliceUnit]:
    """The Polsek codes a Polres fills in; an operator's list would be the whole country."""
    if user.role == User.Role.OPERATOR:
        return []
    return list(scope.visible_units(user).filter(kind=PoliceUnit.Kind.POLSEK).only("code", "name"))


@require_http_methods(["GET", "POST"])
@login_required
def crime_import(request):
    """Upload a month's (or a year's) figures; every row is checked before any is stored."""
    _importers_only(request.user)
    form = CrimeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = crime_statistics_import(
            actor=request.user,
            name=upload.name,
            content=upload.read(MAX_UPLOAD_MB * 1024 * 1024),
            max_rows=MAX_ROWS,
            replace=form.cleaned_data["replace"],
        )
        if result.ok:
            messages.success(request, _imported_message(result))
            return redirect("metrics_data:crime_imports")
    return render(
        request,
        "metrics/crime_import.html",
        {
            "form": form,
            "result": result,
            "max_listed": MAX_LISTED,
            "crime_types": _crime_types(),
            "recent": crime_imports_visible_to(request.user)[:RECENT],
            "polseks": _polseks(request.user),
        },
        status=400 if (result and not result.ok) or form.errors else 200,
    )


def _imported_message(result) -> str:
    # "Imported 1 rows" read wrong in English: each count gets its own plural.
    rows, replaced = result.rows, result.replaced
    message = ngettext(
        "Imported %(rows)d row for %(months)s.", "Imported %(rows)d rows for %(months)s.", rows
    ) % {"rows": rows, "months": result.months_label}
    if replaced:
        message += " " + ngettext(
            "It replaced %(replaced)d earlier row of those months.",
            "It replaced %(replaced)d earlier rows of those months.",
            replaced,
        ) % {"replaced": replaced}
    return message


@require_GET
@login_required
def crime_import_list(request):
    """The imports of the user's Polres (all, for an operator). Three queries whatever the
    page size: session, user, count + page (with the importer joined)."""
    _importers_only(request.user)
    page = Paginator(crime_imports_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "metrics/crime_import_list.html", {"page_obj": page})


@require_GET
@login_required
def crime_import_template(request):
    """A CSV to fill in: the header and two example rows from the user's own area."""
    _importers_only(request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statistik-kejahatan.csv"'
    response.write(csv_files.BOM)
    csv_files.writer(response).writerows(template_rows(actor=request.user))
    return response
