import zoneinfo

from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone

from portal.locale import MACHINE_PATHS
from portal.scope import user_timezone


class UnitTimezoneMiddleware:
    """Show times in the zone of the user's unit or desa (WIB, WITA or WIT); store in UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timezone.activate(zoneinfo.ZoneInfo(user_timezone(request.user)))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class MethodNotAllowedPageMiddleware:
    """A page instead of Django's empty 405 for a person who opens a form's target by its
    address (a reload after sending, a bookmark, a shared link): what happened, and a link to
    the page above it, which is where the form is (`/masalah/<ref>/status/` → `/masalah/<ref>/`).
    The API and Open311 keep their own answers. Last in MIDDLEWARE, so that the headers of the
    middleware above (the content security policy) are set on this page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.method not in ("GET", "HEAD")
            or getattr(response, "streaming", False)
            or response.content
            or request.path_info.startswith(MACHINE_PATHS)
        ):
            return response
        page = render(request, "405.html", {"back": _page_above(request.path_info)}, status=405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page


def _page_above(path: str) -> str | None:
    above = path.rstrip("/").rsplit("/", 1)[0] + "/"
    try:
        resolve(above)
    except Resolver404:
        return None
    return above
