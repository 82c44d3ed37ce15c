"""The services raise Django's errors; the API answers them as DRF does its own."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def as_api_error(error: Exception) -> exceptions.APIException:
    """A service's ValidationError (per field where it names them) or PermissionDenied."""
    if isinstance(error, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(error) or None)
    if isinstance(error, DjangoValidationError):
        if hasattr(error, "error_dict"):
            return exceptions.ValidationError(error.message_dict)
        return exceptions.ValidationError({"non_field_errors": error.messages})
    raise TypeError(f"not a service error: {error!r}")
