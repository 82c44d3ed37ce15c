from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from territory.timezones import ZONE_LABELS


def time_zone(request):
    """The label (WIB, WITA, WIT) of the zone times are shown in on this request."""
    name = timezone.get_current_timezone_name()
    return {"zone_label": ZONE_LABELS.get(name, name)}


def language_next(request):
    """Where the header's language switch returns to: this page. Except after a form sent back
    with a mistake, whose address is often the form's target and answers POST only
    (/masalah/<reference>/status/): the switch led there to an empty "405" page. Then it
    returns to the page the form was sent from."""
    if request.method not in ("GET", "HEAD"):
        referer = request.META.get("HTTP_REFERER", "")
        if referer and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(referer)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            return {"language_next": path}
    return {"language_next": request.get_full_path()}
