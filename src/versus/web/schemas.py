"""The JSON Schemas of the API's answers, for its OpenAPI document."""

from __future__ import annotations

import json
from typing import Any

from versus.render.json_view import comparison_schema

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "suggestions": {"type": "array", "items": {"type": "string"}}},
    "required": ["error"],
}


def json_responses(schema: dict[str, Any]) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {"application/json": {"schema": schema}}},
        400: {"description": "Bad input", "content": {"application/json": {"schema": ERROR_SCHEMA}}},
        404: {"description": "Unknown model or provider", "content": {"application/json": {"schema": ERROR_SCHEMA}}},
    }


def comparison_openapi_schema() -> dict[str, Any]:
    schema = comparison_schema()
    defs = schema.pop("$defs", {})
    text = json.dumps(schema).replace("#/$defs/", "#/components/schemas/")
    return {
        "schema": json.loads(text),
        "defs": json.loads(json.dumps(defs).replace("#/$defs/", "#/components/schemas/")),
    }
