"""The Comparison: one value computed from catalog objects, traffic and a date; every view renders it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from versus.analysis.friction import Friction, switch_friction
from versus.analysis.pricing import Tiebreak, cheapest_blended, cheapest_by, cheapest_for_profile
from versus.analysis.related import CandidateIndex, RelatedComparison, related_comparisons
from versus.analysis.tags import ModelFacts, Tag, TagRules, best_for, decision_tags
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.types import CAPABILITIES, Model, Offering, Provider, ProviderKind, RouteKind
from versus.evidence.summary import RouteEvidence


class ComparisonError(ValueError):
    """The models given cannot be compared (fewer than two, or the same model twice)."""


@dataclass(frozen=True)
class RouteView:
    provider_id: str
    provider_name: str
    provider_model_id: str
    kind: str
    kind_reason: str | None
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    batch_input: Decimal | None
    batch_output: Decimal | None
    tier_thresholds: list[int]
    context_window: int | None
    attributes: dict[str, str]
    source: dict[str, Any] | None


@dataclass(frozen=True)
class MeasuredTokens:
    run_id: str
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class MonthlyCost:
    route: RouteView
    monthly: Decimal
    per_request: Decimal
    input_cost: Decimal
    output_cost: Decimal
    tier_above_tokens: int | None
    measured_tokens: MeasuredTokens | None  # per-request tokens measured in a run, used instead of the profile's
    standard_rate_parts: list[str]
    gap: Decimal  # over the cheapest compared model's monthly cost; 0 for the cheapest


@dataclass(frozen=True)
class PriceStanding:
    """A model's cheapest price of one kind, and how it stands against the cheapest compared model."""

    price: Decimal
    route: RouteView
    ratio: Decimal | None  # this price / the lowest compared price (1 for the cheapest; None if that is 0)
    delta: Decimal  # this price - the lowest compared price


@dataclass(frozen=True)
class TagView:
    label: str
    rule: str
    because: str


@dataclass(frozen=True)
class ModelSide:
    id: str
    name: str
    creator: str
    creator_name: str
    family: str | None
    release_date: date | None
    knowledge_cutoff: str | None
    context_window: int | None
    max_output: int | None
    parameters_total_b: Decimal | None
    parameters_active_b: Decimal | None
    architecture: str | None
    license_name: str | None
    license_spdx: str | None
    osi_approved: bool | None
    openness: str | None
    commercial_use: str | None
    commercial_use_note: str | None
    input_modalities: list[str]
    output_modalities: list[str]
    capabilities: dict[str, bool | None]
    production_routes: list[RouteView]  # pay-per-token, priced ones first, cheapest first
    other_routes: list[RouteView]  # free tier, trial and subscription routes
    providers: list[str]  # names of providers with a pay-per-token route, cheapest first
    input_price: PriceStanding | None
    output_price: PriceStanding | None
    blended: PriceStanding | None
    cost: MonthlyCost | None
    tags: list[TagView]
    best_for: TagView
    provenance: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Profile:
    requests: int
    input_tokens: int
    output_tokens: int
    cache_hit: Decimal
    batch_share: Decimal
    is_reference: bool


@dataclass(frozen=True)
class SharedBenchmark:
    benchmark: str
    scores: dict[str, Decimal]
    source: str
    source_date: date | None


@dataclass(frozen=True)
class DataInfo:
    reviewed: date
    catalog_built: date | None
    sources: dict[str, str]


@dataclass(frozen=True)
class Comparison:
    models: list[ModelSide]
    profile: Profile
    blend: str
    blend_input: int
    blend_output: int
    cheapest_monthly: str | None  # id of the model with the lowest monthly cost
    shared_providers: list[str]  # names of providers with a production route for every model
    friction: list[Friction]
    benchmarks: list[SharedBenchmark]
    evidence: list[RouteEvidence]  # local evidence: the latest run of each compared model's routes
    related: list[RelatedComparison]
    data: DataInfo
    capability_names: list[str] = field(default_factory=lambda: list(CAPABILITIES))

    def side(self, model_id: str) -> ModelSide:
        return next(m for m in self.models if m.id == model_id)


_KIND_ORDER = {kind: index for index, kind in enumerate(ProviderKind)}


@dataclass(frozen=True)
class ModelInput:
    """A model and its routes, as the catalog holds them."""

    model: Model
    offerings: Sequence[Offering]


def compare(
    inputs: Sequence[ModelInput],
    providers: dict[str, Provider],
    *,
    profile: TrafficProfile,
    blend: Blend,
    today: date,
    rules: TagRules,
    candidates: CandidateIndex | None = None,
    catalog_built: date | None = None,
    sources: dict[str, str] | None = None,
    evidence: Sequence[RouteEvidence] = (),
    measured: dict[str, MeasuredTokens] | None = None,
) -> Comparison:
    """Compare two or more models. Pure: no database, clock or network."""
    ids = [i.model.id for i in inputs]
    if len(ids) < 2:
        raise ComparisonError("a comparison needs at least two models")
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise ComparisonError(f"{twice} is named twice: compare a model with a different one")

    def view(o: Offering) -> RouteView:
        return _route_view(o, providers)

    def tiebreak(o: Offering) -> tuple[int, str, str]:
        """Equal prices: the lab's own API first, then clouds, hosts, routers; then by name."""
        provider = providers.get(o.provider_id)
        return (_KIND_ORDER[provider.kind] if provider else len(_KIND_ORDER), o.provider_id, o.provider_model_id)

    measured = measured or {}

    def profile_of(model_id: str) -> TrafficProfile:
        tokens = measured.get(model_id)
        if tokens is None:
            return profile
        return replace(profile, input_tokens=tokens.input_tokens, output_tokens=tokens.output_tokens)

    costs = {i.model.id: cheapest_for_profile(i.offerings, profile_of(i.model.id), tiebreak) for i in inputs}
    known_costs = [c.cost.monthly for c in costs.values() if c is not None]
    lowest_cost = min(known_costs) if known_costs else None
    standings = {kind: _standings(inputs, kind, blend, view, tiebreak) for kind in ("input", "output", "blended")}

    sides = []
    for item in inputs:
        model, offerings = item.model, item.offerings
        production = sorted((o for o in offerings if o.kind is RouteKind.PAY_PER_TOKEN), key=_price_order)
        blended = standings["blended"].get(model.id)
        facts = ModelFacts(model, blended.price if blended else None, len(production))
        cost = costs[model.id]
        sides.append(
            ModelSide(
                id=model.id,
                name=model.name,
                creator=model.creator,
                creator_name=model.creator_name or model.creator,
                family=model.family,
                release_date=model.release_date,
                knowledge_cutoff=model.knowledge_cutoff,
                context_window=model.context_window,
                max_output=model.max_output,
                parameters_total_b=model.parameters_total_b,
                parameters_active_b=model.parameters_active_b,
                architecture=model.architecture,
                license_name=model.license.name if model.license else None,
                license_spdx=model.license.spdx if model.license else None,
                osi_approved=model.license.osi_approved if model.license else None,
                openness=model.openness.value if model.openness else None,
                commercial_use=model.commercial_use,
                commercial_use_note=model.commercial_use_note,
                input_modalities=list(model.input_modalities),
                output_modalities=list(model.output_modalities),
                capabilities={c: model.capabilities.get(c) for c in CAPABILITIES},
                production_routes=[view(o) for o in production],
                other_routes=[
                    view(o) for o in sorted(offerings, key=_price_order) if o.kind is not RouteKind.PAY_PER_TOKEN
                ],
                providers=list(dict.fromkeys(providers[o.provider_id].name for o in production)),
                input_price=standings["input"].get(model.id),
                output_price=standings["output"].get(model.id),
                blended=blended,
                cost=_monthly(cost, lowest_cost, view, measured.get(model.id)) if cost else None,
                tags=[_tag(t) for t in decision_tags(facts, rules)],
                best_for=_tag(best_for(facts, rules)),
                provenance={fact: p.to_dict() for fact, p in sorted(model.facts.items())},
            )
        )
    cheapest = min((s for s in sides if s.cost), key=lambda s: (s.cost.monthly, s.id), default=None)  # type: ignore[union-attr]
    shared = _shared_providers(inputs, providers)
    return Comparison(
        models=sides,
        profile=Profile(
            profile.requests,
            profile.input_tokens,
            profile.output_tokens,
            profile.cache_hit,
            profile.batch_share,
            profile.is_reference,
        ),
        blend=blend.label,
        blend_input=blend.input,
        blend_output=blend.output,
        cheapest_monthly=cheapest.id if cheapest else None,
        shared_providers=shared,
        friction=switch_friction(sides, shared),
        benchmarks=[],
        evidence=[e for e in evidence if e.model_id in ids],
        related=related_comparisons(ids, candidates) if candidates else [],
        data=DataInfo(today, catalog_built, dict(sources or {})),
    )


def _route_view(o: Offering, providers: dict[str, Provider]) -> RouteView:
    p = o.price
    provider = providers.get(o.provider_id)
    return RouteView(
        provider_id=o.provider_id,
        provider_name=provider.name if provider else o.provider_id,
        provider_model_id=o.provider_model_id,
        kind=o.kind.value,
        kind_reason=o.kind_reason,
        input=p.input,
        output=p.output,
        cache_read=p.cache_read,
        cache_write=p.cache_write,
        batch_input=p.batch_input,
        batch_output=p.batch_output,
        tier_thresholds=[t.above_tokens for t in p.tiers],
        context_window=o.context_window,
        attributes=dict(o.attributes),
        source=o.price_provenance.to_dict() if o.price_provenance else None,
    )


def _price_order(o: Offering) -> tuple[int, Decimal, Decimal, str, str]:
    big = Decimal("Infinity")
    return (
        0 if o.price.is_known else 1,
        o.price.output if o.price.output is not None else big,
        o.price.input if o.price.input is not None else big,
        o.provider_id,
        o.provider_model_id,
    )


def _standings(
    inputs: Sequence[ModelInput], kind: str, blend: Blend, view: Any, tiebreak: Tiebreak
) -> dict[str, PriceStanding]:
    found: dict[str, tuple[Decimal, Offering]] = {}
    for item in inputs:
        if kind == "blended":
            pair = cheapest_blended(item.offerings, blend, tiebreak)
            if pair:
                found[item.model.id] = (pair[1], pair[0])
        elif (route := cheapest_by(item.offerings, kind, tiebreak)) is not None:
            found[item.model.id] = (getattr(route.price, kind), route)
    if not found:
        return {}
    lowest = min(price for price, _ in found.values())
    return {
        model_id: PriceStanding(
            price=price,
            route=view(route),
            ratio=price / lowest if lowest else (Decimal(1) if price == 0 else None),
            delta=price - lowest,
        )
        for model_id, (price, route) in found.items()
    }


def _monthly(costed: Any, lowest: Decimal | None, view: Any, measured: MeasuredTokens | None) -> MonthlyCost:
    cost = costed.cost
    return MonthlyCost(
        route=view(costed.offering),
        monthly=cost.monthly,
        per_request=cost.per_request,
        input_cost=cost.input_cost,
        output_cost=cost.output_cost,
        tier_above_tokens=cost.tier,
        measured_tokens=measured,
        standard_rate_parts=list(cost.standard_rate_parts),
        gap=cost.monthly - (lowest if lowest is not None else cost.monthly),
    )


def _tag(tag: Tag) -> TagView:
    return TagView(tag.label, tag.rule, tag.because)


def _shared_providers(inputs: Sequence[ModelInput], providers: dict[str, Provider]) -> list[str]:
    per_model = [{o.provider_id for o in i.offerings if o.kind is RouteKind.PAY_PER_TOKEN} for i in inputs]
    shared = set.intersection(*per_model) if per_model else set()
    return sorted(providers[p].name if p in providers else p for p in shared)
