"""OpenAPI: every operation documents the errors it can answer, in the shapes DRF sends them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """DRF's error body for 401, 403, 404, 405, 406, 415 and 429."""

    detail = serializers.CharField()


CONFLICT = OpenApiResponse(ErrorSerializer, description="Someone else changed it first")


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {"406": "Not acceptable", "429": "Too many requests"}
        if not self._allows_anonymous():
            errors["401"] = "Not signed in"
            errors["403"] = "Not allowed"
        elif self.method not in ("GET", "HEAD"):
            errors["403"] = "Not allowed (a CSRF token is missing from a session request)"
        if "{" in self.path:
            errors["404"] = "Not found, or outside the caller's scope"
        if self.method in ("POST", "PUT", "PATCH"):
            errors["415"] = "Unsupported media type"
            responses.setdefault("400", self._validation_error())
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code)
                response["description"] = description
                responses[code] = response
        return responses

    def _allows_anonymous(self) -> bool:
        return all(isinstance(p, AllowAny) for p in self.view.get_permissions()) or any(
            getattr(p, "allows_anonymous", False) for p in self.view.get_permissions()
        )

    def _validation_error(self) -> dict:
        return {
            "description": "Invalid input: messages per field",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "additionalProperties": {
                            "oneOf": [
                                {"type": "array", "items": {"type": "string"}},
                                {"type": "string"},
                                {"type": "object"},
                            ]
                        },
                    }
                }
            },
        }
