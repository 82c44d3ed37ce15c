from zoneinfo import ZoneInfo

from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from issues.forms import ProblemForm
from issues.photos import prepare_photos
from issues.views.common import allow_filing, too_many
from territory import selectors as territory_selectors
from territory.models import Village

FILED_SHOWN_FOR = 15 * 60  # seconds


def _chosen_village(request) -> Village | None:
    code = request.POST.get("desa") or request.GET.get("desa")
    if code:
        return Village.objects.select_related("district__regency").filter(code=code).first()
    # "Another desa?" links here with ?q=: a resident's own desa is only the default.
    if request.user.is_authenticated and request.user.village_id and "q" not in request.GET:
        return Village.objects.select_related("district__regency").get(pk=request.user.village_id)
    return None


def _map_policy() -> dict:
    """The report form's map needs the tile server's images and Leaflet's inline positioning
    styles: allowed on this page only, the rest of the portal keeps the strict policy."""
    url = settings.MAP_TILE_URL
    origin = "/".join(url.split("/")[:3]) if "://" in url else ""
    return {"img-src": [origin] if origin else [], "style-src": ["'unsafe-inline'"]}


@csp_update(_map_policy())
@require_http_methods(["GET", "POST"])
def file_problem(request):
    """Anyone files a problem, signed in or not; first the desa, then the form."""
    village = _chosen_village(request)
    if village is None:
        query = request.GET.get("q", "").strip()[:100]
        return render(
            request,
            "issues/choose_village.html",
            {
                "query": query,
                "villages": territory_selectors.village_search(query=query)[:20] if query else [],
            },
        )
    # "When did it happen?" is typed in the desa's local time (WIB, WITA or WIT), whoever files
    # it: an anonymous reporter's requests are otherwise in WIB.
    with timezone.override(ZoneInfo(village.timezone)):
        return _file_in(request, village)


def _file_in(request, village: Village):
    form = ProblemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.is_bot:
            return render(request, "issues/file.html", _form_context(form, village), status=400)
        if form.is_valid():
            if not allow_filing(request):
                return too_many(request)
            try:
                photos = prepare_photos(form.cleaned_data["photos"])
                filed = form.file(actor=request.user, village=village, photos=photos)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                request.session["filed"] = {
                    "reference": filed.problem.reference,
                    "code": filed.tracking_code,
                    "at": timezone.now().timestamp(),
                }
                return redirect("issues:filed")
    return render(request, "issues/file.html", _form_context(form, village))


def _form_context(form, village) -> dict:
    return {
        "form": form,
        "village": village,
        "map_tiles": settings.MAP_TILE_URL,
        "map_attribution": settings.MAP_ATTRIBUTION,
        # The privacy notice states the period that issues.tasks.anonymise_expired_reports applies.
        "retention_days": settings.REPORT_CONTACT_RETENTION_DAYS,
    }


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error("photos" if "photos" in form.fields else None, error.messages)


def filed(request):
    """Shown after filing: the reference and the secret tracking code. Again for a few minutes,
    because a reload or the language switch must not lose the only copy of the code; not
    after that, so a shared phone does not show it to the next person."""
    filed = request.session.get("filed")
    if filed is None or timezone.now().timestamp() - filed.get("at", 0) > FILED_SHOWN_FOR:
        request.session.pop("filed", None)
        return redirect("issues:track_lookup")
    link = request.build_absolute_uri(
        reverse("issues:track", args=[filed["reference"], filed["code"]])
    )
    return render(request, "issues/filed.html", {**filed, "link": link})
