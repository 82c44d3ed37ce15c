"""The audit trail: who viewed a reporter's identity, changed a problem's status, a role or an
assignment, exported or imported data, or was refused (ASVS 5.0 V16, UU 27/2022).

Apps call `record` and nothing else. It writes one row with a plain INSERT, so a call inside
a service's `transaction.atomic` block commits or rolls back with the change it describes.

Where a service has no request (`problem_transition`, `assignment_create`, …) the client's
address is taken from the request being served, which `AuditMiddleware` remembers for the
length of the request; the actor is always passed explicitly, never guessed from it.
"""

import contextvars
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models

from portal.logfilters import mask_secrets
from portal.models import AuditEvent
from portal.ratelimit import client_ip

Action = AuditEvent.Action

_current_request: contextvars.ContextVar = contextvars.ContextVar("audit_request", default=None)


def record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    request=None,
    **details,
) -> AuditEvent:
    """Append one event. `actor` is a user or None (the command line, a task, the reporter
    through the tracking link, an anonymous visitor); `details` must be JSON-serialisable and
    hold no secrets or contact details."""
    request = request if request is not None else _current_request.get()
    event = AuditEvent(action=action, details=details, ip=_ip(request))
    if actor is not None and getattr(actor, "is_authenticated", False):
        event.actor = actor
        event.actor_label = actor_label(actor)
        event.actor_role = actor.role
    if target is not None:
        event.target_type = target._meta.label_lower
        event.target_id = str(target.pk)
        event.target_ref = target_label(target)[:200]
    event.save()
    return event


def actor_label(user) -> str:
    """Police and operators by their work address; a resident by number only, because the row
    outlives the resident's right to withdraw (their name would stay here for ever)."""
    if user.role == user.Role.RESIDENT:
        return f"resident #{user.pk}"
    return user.email


def target_label(target: models.Model) -> str:
    reference = getattr(target, "reference", None)
    if reference:
        return reference
    if target._meta.label_lower == settings.AUTH_USER_MODEL.lower():
        return actor_label(target)
    return str(target)


def _ip(request) -> str | None:
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def email_fingerprint(email: str) -> dict:
    """What a failed sign-in keeps of the address typed: its domain, and a keyed hash that
    tells repeated attempts on one address apart from a spray over many without storing the
    address itself (a mistyped password is often someone's other password's address)."""
    email = (email or "").strip().lower()
    domain = email.rpartition("@")[2] if "@" in email else ""
    digest = hmac.new(settings.SECRET_KEY.encode(), email.encode(), hashlib.sha256).hexdigest()
    return {"email_domain": domain[:100], "email_hash": digest[:16]}


def record_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    """Receiver of `user_login_failed`. Django has already replaced the password (and any
    token-like key) in `credentials` with stars; the address itself is not stored either."""
    from accounts.models import User

    email = credentials.get("email") or credentials.get("username") or ""
    account = None
    if email:
        # Addresses are stored in lower case (accounts.models.UserManager).
        account = (
            User.objects.filter(email=email.strip().lower()).only("pk", "role", "email").first()
        )
    record(
        actor=None,
        action=Action.SIGN_IN_FAILED,
        target=account,
        request=request,
        **email_fingerprint(email),
    )


def record_failed_second_factor(sender, request, user, authenticator, **kwargs) -> None:
    """Receiver of allauth's `mfa.signals.authentication_failed`: a wrong code from the
    authenticator app. The password before it was right, so this one says more than a
    mistyped password: someone may hold it."""
    reauthentication = bool(kwargs.get("reauthentication"))
    record(
        actor=user if reauthentication else None,  # signed in already when re-authenticating
        action=Action.SIGN_IN_FAILED,
        target=user,
        request=request,
        step="second_factor",
        authenticator=authenticator.type,
        reauthentication=reauthentication,
    )


class AuditMiddleware:
    """Remembers the request for `record` (the client's address), and records refusals: a
    PermissionDenied raised by a view, and a 403 the API answered (DRF turns PermissionDenied
    into a response before Django's `process_exception` could see it). Not 404s: the scope
    helpers answer 404 for every record outside a user's area, and ordinary broken links
    would drown the refusals that matter."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if (
                response.status_code == 403
                and getattr(response, "exception", False)  # set by DRF on its error responses
                and not getattr(request, "_audit_denied", False)
            ):
                self._record_denied(request, reason=_drf_reason(response))
            return response
        finally:
            _current_request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            self._record_denied(request, reason=str(exception))
        return None

    def _record_denied(self, request, *, reason: str) -> None:
        request._audit_denied = True
        user = getattr(request, "user", None)
        record(
            actor=user,
            action=Action.PERMISSION_DENIED,
            request=request,
            method=request.method,
            path=mask_secrets(request.path)[:300],
            reason=reason[:300],
        )


def _drf_reason(response) -> str:
    data = getattr(response, "data", None)
    if isinstance(data, dict):
        return str(data.get("detail", ""))
    return ""
