"""The services raise Django's errors; the API answers them as DRF does its own."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import exceptions, status, views


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's, except that a record not found says "Not found." in the caller's language:
    Django's 404 says "No Problem matches the given query.", in English, naming the model."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return views.exception_handler(exc, context)


def as_api_error(error: Exception) -> exceptions.APIException:
    """A service's ValidationError (per field where it names them) or PermissionDenied."""
    if isinstance(error, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(error) or None)
    if isinstance(error, DjangoValidationError):
        if hasattr(error, "error_dict"):
            return exceptions.ValidationError(error.message_dict)
        return exceptions.ValidationError({"non_field_errors": error.messages})
    raise TypeError(f"not a service error: {error!r}")


def not_found(request, exception=None):
    """Django's 404 for a path no URL matches: JSON under /api/ (an id that fails the URL's
    pattern, such as `problems/.exe/`), the portal's page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page_not_found(request, exception)
