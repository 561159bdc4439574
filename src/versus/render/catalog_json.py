"""The shapes of the catalog's JSON answers (`versus models|routes|resolve --format json` and their API
twins), as types: mypy checks the code that builds them, and the API's published schemas are
generated from them (`api_schema`), so the documentation cannot drift from the answers."""

from __future__ import annotations

from typing import Any, Literal

from typing_extensions import TypedDict  # pydantic reads these on Python < 3.12 only from here

Number = float | int | None  # a Decimal as JSON (formats.json_number)
Capabilities = dict[str, bool | None]


class SummaryJSON(TypedDict):
    id: str
    name: str
    creator: str
    family: str | None
    context_window: int | None
    routes: int
    capabilities: Capabilities


class SourceJSON(TypedDict):
    source: str
    source_version: str | None
    record_id: str | None
    source_date: str | None
    url: str | None


class FlagJSON(TypedDict):
    flag: str
    reason: str


class TierJSON(TypedDict):
    above_input_tokens: int
    input: Number
    output: Number
    cache_read: Number
    cache_write: Number


class PriceJSON(TypedDict):
    input: Number
    output: Number
    cache_read: Number
    cache_write: Number
    batch_input: Number
    batch_output: Number
    batch_cache_read: Number
    tiers: list[TierJSON]
    unit: Literal["USD per 1M tokens"]
    note: str | None
    source: SourceJSON | None


class ResolutionJSON(TypedDict):
    confidence: float
    reason: str


class ClaimJSON(TypedDict):
    value: Any
    source: SourceJSON


class ConflictJSON(TypedDict):
    fact: str
    chosen: Any
    rule: str
    claims: list[ClaimJSON]


RouteJSON = TypedDict(
    "RouteJSON",
    {
        "provider": str,
        "provider_model_id": str,
        "model": str,
        "class": Literal["maker", "cloud", "host", "gateway"],
        "class_reason": str | None,
        "flags": list[FlagJSON],
        "kind": str,
        "kind_reason": str | None,
        "price": PriceJSON,
        "context_window": int | None,
        "max_output": int | None,
        "capabilities": Capabilities,
        "attributes": dict[str, str],
        "resolution": ResolutionJSON,
        "sources": list[SourceJSON],
        "conflicts": list[ConflictJSON],
    },
)


class ResolveJSON(TypedDict):
    provider: str
    provider_model_id: str
    model: str
    confidence: float
    reason: str
    listed_route: bool


def api_schema(shape: Any) -> dict[str, Any]:
    """The JSON Schema of one answer shape (a TypedDict, or a list of one), for OpenAPI: nested
    shapes inlined, so the schema stands alone."""
    from pydantic import TypeAdapter

    schema: dict[str, Any] = TypeAdapter(shape).json_schema(mode="serialization")
    defs = schema.pop("$defs", {})
    return _inline(schema, defs)  # type: ignore[no-any-return]


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            return _inline(defs[node["$ref"].rsplit("/", 1)[1]], defs)
        return {k: _inline(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node
