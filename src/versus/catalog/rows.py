"""Domain objects to and from flat database rows. Decimals travel as text so no price loses a digit."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from versus.catalog.types import (
    CapabilitySupport,
    Claim,
    Conflict,
    License,
    Model,
    Offering,
    Openness,
    PriceTier,
    Provenance,
    Provider,
    Resolution,
    RouteClass,
    RouteFlag,
    RouteFlagName,
    RouteKind,
    RoutePrice,
)


def decimal_to_text(value: Decimal | None) -> str | None:
    """A decimal as stored: its exact text (every digit kept), or None."""
    return None if value is None else str(value)


def decimal_from_text(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__}")


def _stored_json_encoder() -> Callable[[Any], str]:
    """One encoder for every stored JSON value (keys sorted, ASCII, `_default` for decimals, dates and
    tuples): `json.dumps` with options builds a new encoder per call, and even `JSONEncoder.encode`
    builds its C encoder per call: a build stores ~75,000 values, and calling the C encoder made once
    takes a quarter less of that time. `JSONEncoder.encode` where the C accelerator is missing."""
    from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]

    if c_make_encoder is None:
        return json.JSONEncoder(sort_keys=True, default=_default).encode
    # (markers, default, encoder, indent, key separator, item separator, sort_keys, skipkeys, allow_nan):
    # no circular-reference markers, since rows are trees built here.
    encode = c_make_encoder(None, _default, encode_basestring_ascii, None, ": ", ", ", True, False, True)
    return lambda value: "".join(encode(value, 0))


_json = _stored_json_encoder()


def conflicts_to_json(conflicts: tuple[Conflict, ...]) -> str:
    return _json(
        [
            {
                "fact": c.fact,
                "chosen": c.chosen,
                "rule": c.rule,
                "claims": [{"value": cl.value, "provenance": cl.provenance.to_dict()} for cl in c.claims],
            }
            for c in conflicts
        ]
    )


def conflicts_from_json(text: str) -> tuple[Conflict, ...]:
    return tuple(
        Conflict(
            c["fact"],
            tuple(Claim(cl["value"], Provenance.from_dict(cl["provenance"])) for cl in c["claims"]),
            c["chosen"],
            c["rule"],
        )
        for c in json.loads(text)
    )


def provider_row(p: Provider) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "route_class": p.route_class.value,
        "route_kind": p.route_kind.value,
        "docs_url": p.docs_url,
        "api_base_url": p.api_base_url,
        "api_key_env": p.api_key_env,
        "source_ids": _json(p.source_ids),
    }


def provider_from_row(r: dict[str, Any]) -> Provider:
    return Provider(
        id=r["id"],
        name=r["name"],
        route_class=RouteClass(r["route_class"]),
        route_kind=RouteKind(r["route_kind"]),
        docs_url=r["docs_url"],
        api_base_url=r["api_base_url"],
        api_key_env=r["api_key_env"],
        source_ids=json.loads(r["source_ids"]),
    )


def model_row(m: Model) -> dict[str, Any]:
    return {
        "id": m.id,
        "name": m.name,
        "creator": m.creator,
        "creator_name": m.creator_name,
        "family": m.family,
        "release_date": m.release_date.isoformat() if m.release_date else None,
        "knowledge_cutoff": m.knowledge_cutoff,
        "context_window": m.context_window,
        "max_output": m.max_output,
        "parameters_total_b": decimal_to_text(m.parameters_total_b),
        "parameters_active_b": decimal_to_text(m.parameters_active_b),
        "architecture": m.architecture,
        "license": _json(m.license.__dict__) if m.license else None,
        "openness": m.openness.value if m.openness else None,
        "commercial_use": m.commercial_use,
        "commercial_use_note": m.commercial_use_note,
        "input_modalities": _json(m.input_modalities),
        "output_modalities": _json(m.output_modalities),
        "capabilities": _json(m.capabilities),
        "facts": _json({k: v.to_dict() for k, v in m.facts.items()}),
        "conflicts": conflicts_to_json(m.conflicts),
        "aliases": _json(m.aliases),
        "capability_support": _json({k: v.__dict__ for k, v in m.capability_support.items()}),
    }


def model_from_row(r: dict[str, Any]) -> Model:
    license_ = json.loads(r["license"]) if r["license"] else None
    return Model(
        id=r["id"],
        name=r["name"],
        creator=r["creator"],
        creator_name=r["creator_name"],
        family=r["family"],
        release_date=date.fromisoformat(r["release_date"]) if r["release_date"] else None,
        knowledge_cutoff=r["knowledge_cutoff"],
        context_window=r["context_window"],
        max_output=r["max_output"],
        parameters_total_b=decimal_from_text(r["parameters_total_b"]),
        parameters_active_b=decimal_from_text(r["parameters_active_b"]),
        architecture=r["architecture"],
        license=License(**license_) if license_ else None,
        openness=Openness(r["openness"]) if r["openness"] else None,
        commercial_use=r["commercial_use"],
        commercial_use_note=r["commercial_use_note"],
        input_modalities=tuple(json.loads(r["input_modalities"])),
        output_modalities=tuple(json.loads(r["output_modalities"])),
        capabilities=json.loads(r["capabilities"]),
        facts={k: Provenance.from_dict(v) for k, v in json.loads(r["facts"]).items()},
        conflicts=conflicts_from_json(r["conflicts"]),
        aliases=tuple(json.loads(r["aliases"])),
        capability_support={k: CapabilitySupport(**v) for k, v in json.loads(r["capability_support"]).items()},
    )


def offering_row(o: Offering, match_key: str) -> dict[str, Any]:
    p = o.price
    return {
        "model_id": o.model_id,
        "provider_id": o.provider_id,
        "provider_model_id": o.provider_model_id,
        "match_key": match_key,
        "kind": o.kind.value,
        "kind_reason": o.kind_reason,
        "price_input": decimal_to_text(p.input),
        "price_output": decimal_to_text(p.output),
        "price_cache_read": decimal_to_text(p.cache_read),
        "price_cache_write": decimal_to_text(p.cache_write),
        "price_extra": _json(
            {
                "tiers": [t.__dict__ for t in p.tiers],
                "batch_input": p.batch_input,
                "batch_output": p.batch_output,
                "batch_cache_read": p.batch_cache_read,
                "note": o.price_note,
            }
        ),
        "price_provenance": _json(o.price_provenance.to_dict()) if o.price_provenance else None,
        "confidence": o.resolution.confidence,
        "reason": o.resolution.reason,
        "name": o.name,
        "context_window": o.context_window,
        "max_output": o.max_output,
        "capabilities": _json(o.capabilities),
        "attributes": _json(o.attributes),
        "provenance": _json([pv.to_dict() for pv in o.provenance]),
        "conflicts": conflicts_to_json(o.conflicts),
        "route_class": o.route_class.value,
        "class_reason": o.class_reason,
        "flags": _json([f.to_dict() for f in o.flags]),
    }


def offering_from_row(r: dict[str, Any]) -> Offering:
    extra = json.loads(r["price_extra"])
    price = RoutePrice(
        input=decimal_from_text(r["price_input"]),
        output=decimal_from_text(r["price_output"]),
        cache_read=decimal_from_text(r["price_cache_read"]),
        cache_write=decimal_from_text(r["price_cache_write"]),
        tiers=tuple(
            PriceTier(
                t["above_tokens"], *(decimal_from_text(t[k]) for k in ("input", "output", "cache_read", "cache_write"))
            )
            for t in extra["tiers"]
        ),
        batch_input=decimal_from_text(extra["batch_input"]),
        batch_output=decimal_from_text(extra["batch_output"]),
        batch_cache_read=decimal_from_text(extra["batch_cache_read"]),
    )
    return Offering(
        provider_id=r["provider_id"],
        provider_model_id=r["provider_model_id"],
        model_id=r["model_id"],
        kind=RouteKind(r["kind"]),
        kind_reason=r["kind_reason"],
        price=price,
        price_provenance=Provenance.from_dict(json.loads(r["price_provenance"])) if r["price_provenance"] else None,
        resolution=Resolution(r["model_id"], r["confidence"], r["reason"]),
        name=r["name"],
        context_window=r["context_window"],
        max_output=r["max_output"],
        capabilities=json.loads(r["capabilities"]),
        attributes=json.loads(r["attributes"]),
        provenance=tuple(Provenance.from_dict(p) for p in json.loads(r["provenance"])),
        conflicts=conflicts_from_json(r["conflicts"]),
        route_class=RouteClass(r["route_class"]),
        class_reason=r["class_reason"],
        flags=tuple(RouteFlag(RouteFlagName(f["flag"]), f["reason"]) for f in json.loads(r["flags"])),
        price_note=extra.get("note"),
    )
