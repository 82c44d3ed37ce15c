"""OpenAPI: every operation documents the errors it can answer, in the shapes DRF sends them."""

import functools

from django.db import models
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """DRF's error body for 401, 403, 404, 405, 406, 415 and 429."""

    detail = serializers.CharField()


# Database ids: a filter or a URL with a number outside them (-7e25, say) is a 400 or a 404,
# not an overflow in the database driver.
ID_BOUNDS = {"min_value": 1, "max_value": 2**63 - 1}
ID_PATTERN = r"[0-9]{1,18}"

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
        elif self._is_list_view() and self._get_paginator() is not None:
            errors["404"] = "No such page"
        if self._is_list_view() and self.method == "GET" and self._get_filter_parameters():
            responses.setdefault("400", self._validation_error())
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


@functools.cache
def _enum_field_class(component: str, choices: type[models.Choices]) -> type:
    enum = {"type": "string", "enum": list(choices.values)}
    field_class = type(f"{component}Field", (serializers.ChoiceField,), {})
    return extend_schema_field(enum, component_name=component)(field_class)


def named_choice_field(component: str, choices: type[models.Choices], **kwargs):
    """A choice field whose enum is the schema component `component`. drf-spectacular names
    enums by field name, and `status` and `kind` mean different choices across the apps."""
    return _enum_field_class(component, choices)(choices=choices.choices, **kwargs)
