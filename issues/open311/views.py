"""Open311 GeoReport v2 endpoints: plain function views, JSON or XML by the URL's suffix.

No API key: `api_key` (and `jurisdiction_id`, `device_id`, `account_id`) are accepted and
ignored. Reading serves only public data; filing is anonymous and limited per address exactly
as the web form is, and blocked contacts are handled by the filing service.
"""

import datetime
import re
import zoneinfo
from decimal import Decimal, InvalidOperation
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from issues.forms import ProblemForm
from issues.models import Problem
from issues.open311 import formats, selectors, serializers
from issues.views.common import allow_filing
from portal.validators import lookup_key
from territory.models import Village
from territory.timezones import WIB

# The spec: "may not span more than 90 days", and the last 90 days when no date is given.
WINDOW = datetime.timedelta(days=90)
# ProblemForm's field → the Open311 parameter a client sent it as, for error messages.
PARAMS = {
    "category": "service_code",
    "title": "description",
    "description": "description",
    "location_text": "address_string",
    "latitude": "lat",
    "longitude": "long",
    "contact_name": "first_name, last_name",
    "contact_phone": "phone",
    "contact_email": "email",
    "consent": "attribute[consent]",
}
MICRODEGREE = Decimal("0.000001")


class BadRequest(Exception):
    pass


def allow(*methods: str):
    """Like require_http_methods, but the 405 comes in the spec's error format."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, fmt: str, **kwargs):
            if request.method not in methods:
                return formats.error(
                    fmt,
                    405,
                    _("This method is not allowed here: use %(methods)s.")
                    % {"methods": ", ".join(methods)},
                    Allow=", ".join(methods),
                )
            return view(request, *args, fmt=fmt, **kwargs)

        return wrapped

    return decorator


@allow("GET", "HEAD")
def discovery(request, fmt: str):
    path = reverse("open311:discovery", kwargs={"fmt": fmt}).rsplit("/", 1)[0] + "/"
    payload = serializers.discovery(
        base_url=request.build_absolute_uri(path),
        contact_url=request.build_absolute_uri(reverse("home")),
    )
    return formats.respond(fmt, payload, root="discovery")


@allow("GET", "HEAD")
def service_list(request, fmt: str):
    payload = [serializers.service(category) for category in selectors.open311_services()]
    return formats.respond(fmt, payload, root="services", item="service")


@allow("GET", "HEAD")
def service_definition(request, fmt: str, service_code: str):
    category = selectors.open311_services().filter(code=service_code).first()
    if category is None:
        return formats.error(fmt, 404, _("No service has this code."))
    return formats.respond(fmt, serializers.service_definition(category), root="service_definition")


# Clients call this without a session or a CSRF token; the POST ignores any signed-in user, so
# a forged cross-site POST can do nothing a stranger could not.
@csrf_exempt
@allow("GET", "HEAD", "POST")
def request_list(request, fmt: str):
    if request.method == "POST":
        return _file(request, fmt)
    try:
        filters = _filters(request.GET, now=timezone.now())
    except BadRequest as bad:
        return formats.error(fmt, 400, str(bad))
    problems = selectors.filter_open311_requests(selectors.open311_requests(), **filters)
    return _requests(request, fmt, problems)


@allow("GET", "HEAD")
def request_detail(request, fmt: str, service_request_id: str):
    reference = service_request_id.strip().upper()
    problems = list(selectors.open311_requests().filter(reference=reference))
    if not problems:
        return formats.error(fmt, 404, _("No public service request has this id."))
    # The spec answers with a list here too.
    return _requests(request, fmt, problems)


def not_found(request, path: str = ""):
    fmt = "xml" if path.endswith(".xml") else "json"
    return formats.error(fmt, 404, _("There is no such Open311 resource."))


def _requests(request, fmt, problems):
    payload = [
        serializers.service_request(problem, build_absolute_uri=request.build_absolute_uri)
        for problem in problems
    ]
    return formats.respond(fmt, payload, root="service_requests", item="request")


def _filters(params, *, now: datetime.datetime) -> dict:
    """The spec's query parameters; BadRequest with a message for the client when invalid."""
    references = _list(params, "service_request_id")
    if references:
        # "This overrides all other arguments" (the spec).
        return {"references": [reference.upper() for reference in references]}
    statuses = {status.lower() for status in _list(params, "status")}
    if statuses - {"open", "closed"}:
        raise BadRequest(_("status must be open or closed."))
    start = _datetime_param(params, "start_date")
    end = _datetime_param(params, "end_date")
    if start is None and end is None:
        start = now - WINDOW
    elif start is None:
        start = end - WINDOW
    elif end is None:
        end = start + WINDOW
    if end is not None and end < start:
        raise BadRequest(_("end_date is before start_date."))
    if end is not None and end - start > WINDOW:
        raise BadRequest(_("start_date and end_date may not be more than 90 days apart."))
    return {
        "service_codes": _list(params, "service_code"),
        "start": start,
        "end": end,
        "statuses": statuses or None,
    }


def _list(params, name: str) -> list[str]:
    """A parameter that "can be declared multiple times, comma delimited"."""
    parts = (part.strip() for value in params.getlist(name) for part in value.split(","))
    return [part for part in parts if part]


def _datetime_param(params, name: str) -> datetime.datetime | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    if "T" in value:
        # An unencoded "+07:00" in a query string arrives as " 07:00".
        value = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value)
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.datetime.combine(day, datetime.time.min) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise BadRequest(
            _("%(name)s is not a date and time in ISO 8601, e.g. 2026-01-31T08:00:00+07:00.")
            % {"name": name}
        )
    if timezone.is_naive(parsed):
        # The spec requires an offset; without one, read the time as WIB like the portal does.
        parsed = timezone.make_aware(parsed, zoneinfo.ZoneInfo(WIB))
    return parsed


def _file(request, fmt: str):
    """POST requests: file a problem anonymously through the web form's validation."""
    # Every Open311 POST is anonymous: the endpoint is CSRF-exempt, so a browser's session must
    # not turn a forged cross-site request into a report under the resident's account.
    request.user = AnonymousUser()
    params = request.POST
    category = (
        selectors.open311_services().filter(code=lookup_key(params.get("service_code"))).first()
    )
    village = Village.objects.filter(code=lookup_key(params.get("address_id"))).first()
    errors = []
    if category is None:
        errors.append("service_code: " + _("No service has this code."))
    if village is None:
        errors.append("address_id: " + _("No desa has this code."))
    form = ProblemForm(_form_data(params, category), user=None)
    if not form.is_valid():
        errors += _form_errors(form, skip={"category"} if category is None else set())
    if errors:
        return formats.error(fmt, 400, " ".join(dict.fromkeys(errors)))
    if not allow_filing(request):
        return formats.error(
            fmt, 429, _("You have sent this too often. Please wait a while and try again.")
        )
    try:
        filed = form.file(actor=None, village=village, source=Problem.Source.OPEN311)
    except ValidationError as error:
        return formats.error(fmt, 400, " ".join(error.messages))
    reference = filed.problem.reference
    tracking_url = request.build_absolute_uri(
        reverse("issues:track", args=[reference, filed.tracking_code])
    )
    payload = [serializers.filed_request(reference=reference, tracking_url=tracking_url)]
    # 200 rather than 201: the spec's servers answer 200 and some clients check for it.
    return formats.respond(fmt, payload, root="service_requests", item="request")


def _form_data(params, category) -> dict:
    """The web form's data from Open311 parameters. media_url and other attributes are
    ignored: the portal keeps only photos it received and checked itself."""
    description = params.get("description", "").strip()
    name = " ".join(
        part
        for part in (params.get("first_name", "").strip(), params.get("last_name", "").strip())
        if part
    )
    data = {
        "category": category.pk if category else "",
        "title": description.splitlines()[0].strip()[:120] if description else "",
        "description": description,
        "location_text": params.get("address_string", "").strip(),
        "latitude": _coordinate(params.get("lat", "")),
        "longitude": _coordinate(params.get("long", "")),
        "contact_name": name,
        "contact_phone": params.get("phone", "").strip(),
        "contact_email": params.get("email", "").strip(),
    }
    if params.get("attribute[consent]", "").strip().lower() in serializers.CONSENT_YES:
        data["consent"] = "on"  # an unchecked box is absent from a form's data
    return data


def _coordinate(value: str) -> str:
    """Phones send 8 to 15 decimals; the portal stores 6 (about 10 cm)."""
    try:
        return str(Decimal(value.strip()).quantize(MICRODEGREE))
    except (InvalidOperation, ValueError):
        return value.strip()


def _form_errors(form, *, skip: set[str]) -> list[str]:
    errors = []
    for field, messages in form.errors.items():
        if field in skip:
            continue
        param = PARAMS.get(field)
        errors += [f"{param}: {message}" if param else message for message in messages]
    return errors
