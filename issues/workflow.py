"""The SARA cycle (Scanning, Analysis, Response, Assessment) as a state machine.

`new → verified → analysis → response → assessment → resolved`, with the exits `rejected`,
`duplicate` and `referred`, and `reopened` as the way back in. `issues.services.problem_transition`
is the only code that moves a problem; it consults this table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NEW = "new", _("New")
    VERIFIED = "verified", _("Verified")
    ANALYSIS = "analysis", _("Analysis")
    RESPONSE = "response", _("Response")
    ASSESSMENT = "assessment", _("Assessment")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")
    REFERRED = "referred", _("Referred")
    REOPENED = "reopened", _("Reopened")


_EXITS = {Status.REJECTED, Status.DUPLICATE, Status.REFERRED}

TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.VERIFIED} | _EXITS,
    Status.REOPENED: {Status.VERIFIED, Status.ANALYSIS, Status.RESPONSE} | _EXITS,
    Status.VERIFIED: {Status.ANALYSIS} | _EXITS,
    Status.ANALYSIS: {Status.RESPONSE} | _EXITS,
    Status.RESPONSE: {Status.ASSESSMENT, Status.REFERRED},
    # An assessment that finds the response did not work sends the problem back to response.
    Status.ASSESSMENT: {Status.RESOLVED, Status.RESPONSE},
    Status.RESOLVED: {Status.REOPENED},
    Status.REJECTED: {Status.REOPENED},
    Status.DUPLICATE: {Status.REOPENED},
    Status.REFERRED: {Status.REOPENED},
}

OPEN_STATUSES = frozenset(
    {
        Status.NEW,
        Status.REOPENED,
        Status.VERIFIED,
        Status.ANALYSIS,
        Status.RESPONSE,
        Status.ASSESSMENT,
    }
)
CLOSED_STATUSES = frozenset(set(Status) - OPEN_STATUSES)
# Stages past analysis: the indicator "share of open problems past analysis" counts these.
SARA_ORDER = [
    Status.NEW,
    Status.VERIFIED,
    Status.ANALYSIS,
    Status.RESPONSE,
    Status.ASSESSMENT,
    Status.RESOLVED,
]

# Which transitions need what from the officer.
NEEDS_NOTE = {Status.REJECTED, Status.REFERRED, Status.REOPENED}
NEEDS_DUPLICATE_OF = {Status.DUPLICATE}


def allowed_targets(status: str) -> list[str]:
    """The statuses a problem in `status` may move to, in the order of the cycle, a step back
    last: the form offers the first one, and an officer who only taps "save" at assessment
    must resolve the problem, not send it back to response."""
    targets = TRANSITIONS.get(status, set())
    return sorted(
        (s for s in Status.values if s in targets), key=lambda target: _is_step_back(status, target)
    )


def _is_step_back(status: str, target: str) -> bool:
    return status in SARA_ORDER and target in SARA_ORDER[: SARA_ORDER.index(status)]


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, set())
