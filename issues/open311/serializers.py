"""Problems and categories as GeoReport v2 fields. Plain dicts: `formats` renders them to JSON
and XML alike."""

import zoneinfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from issues.models import Category, Problem

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# Bumped whenever what this API serves changes (the spec's "changeset").
CHANGESET = "2026-12-03 00:00"
# Values of the consent attribute that mean "yes": clients send booleans in many spellings.
CONSENT_YES = {"true", "1", "yes", "on"}
# Problem categories have no grouping of their own.
GROUP = "Kamtibmas"


def discovery(*, base_url: str, contact_url: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": _("Polmas Portal operators: %(url)s") % {"url": contact_url},
        "key_service": _(
            "No API key is needed: an api_key parameter is accepted and ignored. Filing is "
            "limited per address instead."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }


def service(category: Category) -> dict:
    description = category.label
    if category.always_private:
        description = "{} — {}".format(
            description,
            _("Reports of this kind are never public: only the police see them."),
        )
    return {
        "service_code": category.code,
        "service_name": category.label,
        "description": description,
        # Every service has an attribute: the reporter's consent (see consent_attribute).
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys([category.name, category.name_en, category.code])),
        "group": GROUP,
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": [consent_attribute()]}


def consent_attribute() -> dict:
    """Open311 has no consent field, but the portal may only process a report the reporter
    agreed to (UU 27/2022 on personal data protection): clients send attribute[consent]=true.
    The notice is the web form's, sentence for sentence, plus what differs here: the first
    line of the description is the public title."""
    days = settings.REPORT_CONTACT_RETENTION_DAYS
    notice = [
        _(
            "Your report goes to the Bhabinkamtibmas of the desa, their Kapolsek and Polres, "
            "who use it to solve the problem with the community."
        ),
        _(
            "Your name and contact are never shown publicly. Public reports show only the "
            "category, the short title, the status and the officers' public notes; private "
            "reports are seen only by the police."
        ),
        _("The first line of the description becomes the short title: do not write names there."),
        ngettext(
            "The name, phone number and e-mail address you give here are deleted %(days)s day "
            "after the problem is closed (solved, rejected, merged or referred); the report "
            "itself stays in the desa's record without them. A report sent while signed in "
            "stays linked to your account.",
            "The name, phone number and e-mail address you give here are deleted %(days)s days "
            "after the problem is closed (solved, rejected, merged or referred); the report "
            "itself stays in the desa's record without them. A report sent while signed in "
            "stays linked to your account.",
            days,
        )
        % {"days": days},
        _(
            "Under Law No. 27 of 2022 on Personal Data Protection you may see your report and "
            "the contact details you gave, and remove those details at any time, through your "
            "tracking link; to correct or delete anything else, ask the Polres."
        ),
    ]
    return {
        "variable": True,
        "code": "consent",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": _("Send attribute[consent]=true."),
        "order": 1,
        "description": " ".join(notice),
        "values": [{"key": "true", "name": _("I have read how my report is used and agree.")}],
    }


def service_request(problem: Problem, *, build_absolute_uri) -> dict:
    """One public problem as a GeoReport v2 service request. Nothing about the reporter: no
    name, phone, e-mail or account, whatever the client asks."""
    village = problem.village
    zone = zoneinfo.ZoneInfo(village.timezone)
    photos = list(problem.photos.all())
    return {
        "service_request_id": problem.reference,
        "status": "open" if problem.is_open else "closed",
        "status_notes": _latest_public_note(problem),
        "service_name": problem.category.label,
        "service_code": problem.category.code,
        # The title, which the reporter wrote for the desa's public page. Not the full
        # description: it is shown only to the police, as it often names people.
        "description": problem.title,
        "agency_responsible": village.polsek.name if village.polsek_id else "",
        "service_notice": "",
        "requested_datetime": _datetime(problem.created_at, zone),
        "updated_datetime": _datetime(problem.updated_at, zone),
        "expected_datetime": None,
        # The desa only: the place the reporter described and the map point may point at their
        # home, and the privacy notice promises a public report shows neither.
        "address": str(village),
        # The desa's official code, the same address_id a POST names the desa with.
        "address_id": village.code,
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": (
            build_absolute_uri(reverse("issues:photo", args=[photos[0].pk])) if photos else ""
        ),
    }


def filed_request(*, reference: str, tracking_url: str) -> dict:
    return {
        "service_request_id": reference,
        "service_notice": _(
            "Thank you, your report has been received. Follow it at %(url)s — keep this link: "
            "it is the only way to follow the report without an account."
        )
        % {"url": tracking_url},
        "account_id": None,
        "token": None,
    }


def _latest_public_note(problem: Problem) -> str:
    # `public_events` holds the public, not hidden events, oldest first (issues.selectors).
    notes = [event.note for event in problem.public_events if event.note]
    return notes[-1] if notes else ""


def _datetime(value, zone) -> str:
    """ISO 8601 with the offset of the desa's zone (WIB, WITA or WIT), as the spec requires."""
    return timezone.localtime(value, zone).isoformat(timespec="seconds")
