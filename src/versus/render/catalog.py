"""JSON views of catalog objects, shared by the CLI and the web API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from versus.catalog.types import CAPABILITIES, Conflict, Model, ModelSummary, Offering, Provenance, Provider, RouteClass
from versus.formats import json_number, jsonable, yes_no
from versus.render.catalog_json import ConflictJSON, RouteJSON, SourceJSON, SummaryJSON


def source_json(p: Provenance) -> SourceJSON:
    return {
        "source": p.source,
        "source_version": p.source_version,
        "record_id": p.record_id,
        "source_date": p.source_date.isoformat() if p.source_date else None,
        "url": p.url,
    }


def summary_to_dict(m: ModelSummary) -> SummaryJSON:
    return {
        "id": m.id,
        "name": m.name,
        "creator": m.creator,
        "family": m.family,
        "context_window": m.context_window,
        "routes": m.routes,
        "capabilities": {c: m.capabilities.get(c) for c in CAPABILITIES},
    }


def offering_to_dict(o: Offering) -> RouteJSON:
    p = o.price
    return {
        "provider": o.provider_id,
        "provider_model_id": o.provider_model_id,
        "model": o.model_id,
        "class": o.route_class.value,
        "class_reason": o.class_reason,
        "flags": [{"flag": f.flag.value, "reason": f.reason} for f in o.flags],
        "kind": o.kind.value,
        "kind_reason": o.kind_reason,
        "price": {
            "input": json_number(p.input),
            "output": json_number(p.output),
            "cache_read": json_number(p.cache_read),
            "cache_write": json_number(p.cache_write),
            "batch_input": json_number(p.batch_input),
            "batch_output": json_number(p.batch_output),
            "batch_cache_read": json_number(p.batch_cache_read),
            "tiers": [
                {
                    "above_input_tokens": t.above_tokens,
                    "input": json_number(t.input),
                    "output": json_number(t.output),
                    "cache_read": json_number(t.cache_read),
                    "cache_write": json_number(t.cache_write),
                }
                for t in p.tiers
            ],
            "unit": "USD per 1M tokens",
            "note": o.price_note,
            "source": source_json(o.price_provenance) if o.price_provenance else None,
        },
        "context_window": o.context_window,
        "max_output": o.max_output,
        "capabilities": o.capabilities,
        "attributes": o.attributes,
        "resolution": {"confidence": o.resolution.confidence, "reason": o.resolution.reason},
        "sources": [source_json(pv) for pv in o.provenance],
        "conflicts": [conflict_to_dict(c) for c in o.conflicts],
    }


def routes_to_list(offerings: Sequence[Offering]) -> list[RouteJSON]:
    """A model's routes as `versus routes --format json` and `/api/models/{id}/routes` print them: maker first."""
    return [offering_to_dict(o) for o in sorted(offerings, key=route_sort_key)]


def conflict_to_dict(c: Conflict) -> ConflictJSON:
    return {
        "fact": c.fact,
        "chosen": jsonable(c.chosen),
        "rule": c.rule,
        "claims": [{"value": jsonable(cl.value), "source": source_json(cl.provenance)} for cl in c.claims],
    }


def model_to_dict(m: Model) -> dict[str, Any]:
    return {
        "id": m.id,
        "name": m.name,
        "creator": m.creator,
        "family": m.family,
        "release_date": m.release_date.isoformat() if m.release_date else None,
        "knowledge_cutoff": m.knowledge_cutoff,
        "context_window": m.context_window,
        "max_output": m.max_output,
        "parameters": {
            "total_billions": json_number(m.parameters_total_b),
            "active_billions": json_number(m.parameters_active_b),
        },
        "architecture": m.architecture,
        "license": (
            {"name": m.license.name, "spdx": m.license.spdx, "osi_approved": m.license.osi_approved}
            if m.license
            else None
        ),
        "openness": m.openness.value if m.openness else None,
        "commercial_use": m.commercial_use,
        "commercial_use_note": m.commercial_use_note,
        "input_modalities": list(m.input_modalities),
        "output_modalities": list(m.output_modalities),
        "capabilities": {c: m.capabilities.get(c) for c in CAPABILITIES},
        "capability_support": {c: s.to_dict() for c, s in sorted(m.capability_support.items())},
        "provenance": {fact: p.to_dict() for fact, p in sorted(m.facts.items())},
        "conflicts": [conflict_to_dict(c) for c in m.conflicts],
    }


def provider_to_dict(p: Provider, routes: int) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "class": p.route_class.value,
        "route_kind": p.route_kind.value,
        "routes": routes,
        "docs_url": p.docs_url,
        "api_base_url": p.api_base_url,
        "api_key_env": p.api_key_env,
        "source_ids": p.source_ids,
    }


def route_sort_key(o: Offering) -> tuple[int, int, int, float, str, str]:
    """Production routes first, the maker's first among them, flagged ones after clean ones, then
    cheapest output first, unknown prices last."""
    price = float(o.price.output) if o.price.output is not None else float("inf")
    maker = 0 if o.route_class is RouteClass.MAKER else 1
    return (0 if o.is_production else 1, maker, 1 if o.flags else 0, price, o.provider_id, o.provider_model_id)


def capability_text(model: Model, name: str) -> str:
    """Yes, No or Unknown, or how it varies: 'Varies by route (yes on 4 of 6)'."""
    support = model.capability_support.get(name)
    if support is not None and support.varies:
        return f"Varies by route (yes on {support.yes} of {support.yes + support.no})"
    return yes_no(model.capabilities.get(name))


def provenance_line(p: Provenance) -> str:
    when = p.source_date.isoformat() if p.source_date else "undated"
    version = f" {p.source_version}" if p.source_version else ""
    return f"{p.source}{version} · {p.record_id} · {when}"
