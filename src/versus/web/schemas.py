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


MODELS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "name", "creator", "context_window", "routes", "capabilities"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "creator": {"type": "string"},
            "family": {"type": ["string", "null"]},
            "context_window": {"type": ["integer", "null"]},
            "routes": {"type": "integer"},
            "capabilities": {"type": "object"},
        },
    },
}
PRICE_SCHEMA = {"type": ["number", "null"]}
ROUTES_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["provider", "provider_model_id", "class", "flags", "kind", "price", "sources"],
        "properties": {
            "provider": {"type": "string"},
            "provider_model_id": {"type": "string"},
            "class": {"type": "string", "enum": ["maker", "cloud", "host", "gateway"]},
            "class_reason": {"type": ["string", "null"]},
            "flags": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["flag", "reason"],
                    "properties": {
                        "flag": {"type": "string", "enum": ["variant", "serving-variant", "suspect"]},
                        "reason": {"type": "string"},
                    },
                },
            },
            "kind": {"type": "string", "enum": ["pay-per-token", "free-tier", "trial", "subscription"]},
            "price": {
                "type": "object",
                "required": ["input", "output", "cache_read", "cache_write"],
                "properties": {k: PRICE_SCHEMA for k in ("input", "output", "cache_read", "cache_write")},
            },
            "sources": {"type": "array", "items": {"type": "object"}},
        },
    },
}
RESOLVE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["model", "confidence", "reason", "listed_route"],
    "properties": {
        "model": {"type": "string"},
        "confidence": {"type": "number"},
        "reason": {"type": "string"},
        "listed_route": {"type": "boolean"},
        "provider": {"type": "string"},
        "provider_model_id": {"type": "string"},
    },
}
