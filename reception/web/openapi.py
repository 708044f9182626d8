"""The OpenAPI document describes what the API really answers: every error an operation can
give (RFC 9457 problem+json, web/errors.py), query parameters marked required when their
model has no default, and UUID path parameters as UUIDs. Schemathesis tests the app against
this document (tests/integration/security/test_schemathesis.py)."""

from __future__ import annotations

from typing import Any

from quart_schema import OpenAPIProvider
from quart_schema.conversion import model_schema
from werkzeug.routing import BaseConverter
from werkzeug.routing.converters import UUIDConverter

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details, in the reader's language",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "integer"}, "detail": {"type": "string"},
        "code": {"type": "string"}, "instance": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
ERRORS = {
    "400": "The request could not be understood (schema, JSON, encoding)",
    "401": "Not logged in",
    "403": "Not allowed (role, agency, link, or a missing CSRF token)",
    "404": "Not found (or out of the caller's scope)",
    "409": "Conflicts with the current state",
    "413": "Too large",
    "422": "Refused input, with the field named",
    "429": "Too many requests (see Retry-After)",
    "503": "Unavailable for a moment (see Retry-After)",
}
SUCCESS = {"200": "OK", "201": "Created", "204": "Done, nothing to return"}
PAGE_SUCCESS = {"200": "The page", "302": "Redirect", "303": "Redirect to the result"}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}}


class ReceptionOpenAPI(OpenAPIProvider):
    def schema(self) -> dict[str, Any]:
        document = super().schema()
        document["components"]["schemas"]["Problem"] = PROBLEM
        for path, item in document["paths"].items():
            for method, operation in item.items():
                responses: dict[str, Any] = operation.setdefault("responses", {})
                success = SUCCESS if path.startswith("/api/") else PAGE_SUCCESS
                for code, description in success.items():
                    if method == "get" and code in ("201", "204", "303"):
                        continue
                    responses.setdefault(code, {"description": description})
                for code, description in ERRORS.items():
                    responses.setdefault(code, _problem(description))
        return document

    def build_path_parameter(self, name: str, converter: BaseConverter) -> dict[str, Any]:
        parameter = super().build_path_parameter(name, converter)
        if isinstance(converter, UUIDConverter):
            parameter["schema"] = {"type": "string", "format": "uuid"}
        return parameter

    def build_querystring_parameters(self, model: type[Any]) -> tuple[list[dict[str, Any]],
                                                                       dict[str, Any]]:
        parameters, definitions = super().build_querystring_parameters(model)
        required = set(model_schema(model).get("required", ()))
        for parameter in parameters:
            if parameter["name"] in required:
                parameter["required"] = True
        return parameters, definitions
