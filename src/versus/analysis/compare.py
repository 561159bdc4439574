"""The Comparison: one value computed from catalog objects, traffic and a date; every view renders it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from versus.analysis.basis import DEFAULT_POLICY, BasisRoute, RoutePolicy, cheapest_route, choose_basis
from versus.analysis.benchmarks import ModelResult, SharedBenchmark, group_headlines, shared_benchmarks
from versus.analysis.evidence import RouteEvidence
from versus.analysis.friction import Friction, switch_friction
from versus.analysis.price_history import PriceChange, RouteKey, route_price_change
from versus.analysis.pricing import CostedRoute, blended_price
from versus.analysis.quality import QualityChart, chart_for_shared
from versus.analysis.related import CandidateIndex, RelatedComparison, related_comparisons
from versus.analysis.tags import ModelFacts, Tag, TagRules, best_for, decision_tags
from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.types import CAPABILITIES, Model, Offering, Provider, RouteClass, RouteKind


class ComparisonError(ValueError):
    """The models given cannot be compared (fewer than two, or the same model twice)."""


@dataclass(frozen=True)
class FlagView:
    flag: str
    reason: str


@dataclass(frozen=True)
class RouteView:
    provider_id: str
    provider_name: str
    provider_model_id: str
    class_: str  # maker | cloud | host | gateway (`class` in JSON)
    flags: list[FlagView]
    is_basis: bool  # the route this model's cost is priced on
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
    basis: str  # why this route prices the model: "the maker's list price", …


@dataclass(frozen=True)
class CheapestRoute:
    """The cheapest route the policy allows, of any class, beside the basis: what a bargain hunter sees."""

    route: RouteView
    monthly: Decimal
    vs_basis: Decimal  # monthly - the basis route's monthly (0 or negative)
    vs_basis_share: Decimal | None  # vs_basis / the basis monthly cost, e.g. -0.15; None when that is 0


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
    capability_support: dict[str, dict[str, Any]]  # how each model-level value was chosen, with route counts
    production_routes: list[RouteView]  # pay-per-token for standard traffic: the basis first, then by price
    other_routes: list[RouteView]  # free tier, trial and subscription routes, and variants (`:batch`, …)
    providers: list[str]  # names of providers with a pay-per-token route, cheapest first
    input_price: PriceStanding | None  # the basis route's prices
    output_price: PriceStanding | None
    blended: PriceStanding | None
    cost: MonthlyCost | None  # at the traffic, on the basis route
    cheapest_route: CheapestRoute | None
    tags: list[TagView]
    best_for: TagView
    provenance: dict[str, dict[str, Any]]
    last_price_change: PriceChange | None = None  # of the basis route, from price history


@dataclass(frozen=True)
class Profile:
    requests: int
    input_tokens: int
    output_tokens: int
    cache_hit: Decimal
    batch_share: Decimal
    is_reference: bool


@dataclass(frozen=True)
class PolicyView:
    """What costs are priced on: the basis and the user's route limits, and the same in words."""

    basis: str
    providers: list[str]
    excluded_providers: list[str]
    include_flagged: bool
    description: str
    is_default: bool


@dataclass(frozen=True)
class DataInfo:
    reviewed: date
    catalog_built: date | None
    sources: dict[str, str]


@dataclass(frozen=True)
class Comparison:
    models: list[ModelSide]
    profile: Profile
    policy: PolicyView
    blend: str
    blend_input: int
    blend_output: int
    cheapest_monthly: str | None  # id of the model with the lowest monthly cost
    shared_providers: list[str]  # names of providers with a production route for every model
    friction: list[Friction]
    benchmarks: list[SharedBenchmark]  # the headline rankings every compared model has a result in
    quality: QualityChart | None  # the first shared benchmark's score against monthly cost
    evidence: list[RouteEvidence]  # local evidence: the latest run of each compared model's routes
    related: list[RelatedComparison]
    data: DataInfo
    capability_names: list[str] = field(default_factory=lambda: list(CAPABILITIES))

    def side(self, model_id: str) -> ModelSide:
        return next(m for m in self.models if m.id == model_id)


_CLASS_ORDER = {route_class: index for index, route_class in enumerate(RouteClass)}
MEMO_ENTRIES = 50_000  # per-model results kept across comparisons (see `compare`'s memo)


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
    policy: RoutePolicy = DEFAULT_POLICY,
    candidates: CandidateIndex | None = None,
    catalog_built: date | None = None,
    sources: dict[str, str] | None = None,
    evidence: Sequence[RouteEvidence] = (),
    measured: dict[str, MeasuredTokens] | None = None,
    benchmarks: Mapping[str, Sequence[ModelResult]] | None = None,
    memo: dict[tuple[Any, ...], Any] | None = None,
    price_changes: Mapping[RouteKey, Sequence[PriceChange]] | None = None,
) -> Comparison:
    """Compare two or more models, each priced on its basis route under `policy`. Pure: no database,
    clock or network. `memo` keeps what depends on one model, its traffic and the policy alone (its
    basis, cheapest route and route views) for the next comparison of the same model: a site compares
    each model ~100 times. `price_changes`: each route's recorded price changes (price history)."""
    ids = [i.model.id for i in inputs]
    if len(ids) < 2:
        raise ComparisonError("a comparison needs at least two models")
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise ComparisonError(f"{twice} is named twice: compare a model with a different one")

    def tiebreak(o: Offering) -> tuple[int, str, str]:
        """Equal prices: the maker's route first, then clouds, hosts, gateways; then by name."""
        return (_CLASS_ORDER[o.route_class], o.provider_id, o.provider_model_id)

    measured = measured or {}

    def profile_of(model_id: str) -> TrafficProfile:
        tokens = measured.get(model_id)
        if tokens is None:
            return profile
        return replace(profile, input_tokens=tokens.input_tokens, output_tokens=tokens.output_tokens)

    memo = memo if memo is not None else {}
    if len(memo) > MEMO_ENTRIES:  # many traffic profiles (a public server): start again rather than grow
        memo.clear()

    # Each model's traffic and the policy, as a small number: memo keys then hash and compare at once
    # (hashing and comparing the dataclasses themselves was a fifth of a comparison's time).
    situations: dict[object, int] = memo.setdefault(("situations",), {})
    situation = {m: situations.setdefault((profile_of(m), policy), len(situations)) for m in ids}

    def remembered(kind: str, model_id: str, make: Callable[[], Any], *also: object) -> Any:
        key = (kind, model_id, situation[model_id], *also)
        if key not in memo:
            memo[key] = make()
        return memo[key]

    bases = {
        i.model.id: remembered(
            "basis", i.model.id, partial(choose_basis, i.offerings, profile_of(i.model.id), policy, tiebreak)
        )
        for i in inputs
    }
    known_costs = [b.costed.cost.monthly for b in bases.values() if b is not None]
    lowest_cost = min(known_costs) if known_costs else None
    basis_routes = {m: b.costed.offering for m, b in bases.items() if b is not None}
    basis_views = {
        m: remembered("basis view", m, partial(_route_view, route, providers, is_basis=True))
        for m, route in basis_routes.items()
    }
    standings = {kind: _standings(basis_routes, basis_views, kind, blend) for kind in ("input", "output", "blended")}

    sides = []
    for item in inputs:
        model_id, basis = item.model.id, bases[item.model.id]
        # What depends on this model alone is built once per traffic, policy, blend and day (a site
        # compares each model ~100 times); the others compared add its standings and its cost's gap.
        alone: ModelSide = remembered(
            "side",
            model_id,
            partial(
                _side_alone,
                item,
                basis,
                basis_views.get(model_id),
                providers,
                partial(cheapest_route, item.offerings, profile_of(model_id), policy, tiebreak),
                ModelFacts(item.model, blended_price(basis.costed.offering.price, blend) if basis else None, 0),
                rules,
                measured.get(model_id),
                partial(route_price_change, basis.costed.offering, price_changes, today) if basis else None,
            ),
            blend,
            today,
            measured.get(model_id),
        )
        cost = alone.cost
        if cost:
            cost = MonthlyCost(
                **{**vars(cost), "gap": cost.monthly - (lowest_cost if lowest_cost is not None else cost.monthly)}
            )
        pair = {
            "input_price": standings["input"].get(model_id),
            "output_price": standings["output"].get(model_id),
            "blended": standings["blended"].get(model_id),
            "cost": cost,
        }
        # dataclasses.replace without its checks of every field, which took a fifth of this function's time.
        sides.append(ModelSide(**{**vars(alone), **pair}))
    cheapest_side = min((s for s in sides if s.cost), key=lambda s: (s.cost.monthly, s.id), default=None)  # type: ignore[union-attr]
    served = [remembered("served", i.model.id, partial(_served_by, i.offerings)) for i in inputs]
    shared = _shared_providers(served, providers)
    benchmarks = benchmarks or {}
    grouped = {m: remembered("headlines", m, partial(group_headlines, benchmarks.get(m, ()))) for m in ids}
    shared_results = shared_benchmarks(ids, benchmarks, grouped)
    quality = (
        chart_for_shared(
            shared_results[0], {s.id: s.name for s in sides}, {s.id: s.cost.monthly if s.cost else None for s in sides}
        )
        if shared_results
        else None
    )
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
        policy=PolicyView(
            basis=policy.basis.value,
            providers=sorted(policy.providers),
            excluded_providers=sorted(policy.excluded),
            include_flagged=policy.include_flagged,
            description=policy.describe(),
            is_default=policy.is_default,
        ),
        blend=blend.label,
        blend_input=blend.input,
        blend_output=blend.output,
        cheapest_monthly=cheapest_side.id if cheapest_side else None,
        shared_providers=shared,
        friction=switch_friction(sides, shared),
        benchmarks=shared_results,
        quality=quality,
        evidence=[e for e in evidence if e.model_id in ids],
        related=related_comparisons(ids, candidates) if candidates else [],
        data=DataInfo(today, catalog_built, dict(sources or {})),
    )


def _side_alone(
    item: ModelInput,
    basis: BasisRoute | None,
    basis_view: RouteView | None,
    providers: dict[str, Provider],
    find_cheapest: Callable[[], CostedRoute | None],
    facts: ModelFacts,
    rules: TagRules,
    measured: MeasuredTokens | None,
    last_change: Callable[[], PriceChange | None] | None,
) -> ModelSide:
    """A model's side of any comparison at one traffic, without what the other models decide: its price
    standings (None here) and its cost's gap to the cheapest (0 here). `facts` lacks the route count."""
    model, offerings = item.model, item.offerings
    basis_key = _key(basis.costed.offering) if basis else None

    def view(o: Offering) -> RouteView:
        return _route_view(o, providers, is_basis=_key(o) == basis_key)

    production = _production(offerings, basis_key)
    production_views, other_views = _views(production, offerings, view)
    facts = replace(facts, production_routes=len(production))
    cost = _monthly(basis, basis_view, measured) if basis and basis_view else None
    cheapest = find_cheapest()
    return ModelSide(
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
        capability_support={c: model.capability_support[c].to_dict() for c in sorted(model.capability_support)},
        production_routes=production_views,
        other_routes=other_views,
        providers=list(dict.fromkeys(providers[o.provider_id].name for o in production)),
        input_price=None,
        output_price=None,
        blended=None,
        cost=cost,
        cheapest_route=_cheapest_view(cheapest, cost, view) if cheapest else None,
        tags=[_tag(t) for t in decision_tags(facts, rules)],
        best_for=_tag(best_for(facts, rules)),
        provenance={fact: p.to_dict() for fact, p in sorted(model.facts.items())},
        last_price_change=last_change() if last_change else None,
    )


def _production(offerings: Sequence[Offering], basis_key: tuple[str, str] | None) -> list[Offering]:
    """Pay-per-token routes, the basis first, then by price."""
    return sorted((o for o in offerings if o.is_pay_per_token), key=lambda o: (_key(o) != basis_key, *_price_order(o)))


def _views(
    production: list[Offering], offerings: Sequence[Offering], view: Callable[[Offering], RouteView]
) -> tuple[list[RouteView], list[RouteView]]:
    """The production routes and the others (free, plan, variants) as views."""
    return [view(o) for o in production], [
        view(o) for o in sorted(offerings, key=_price_order) if not o.is_pay_per_token
    ]


def _key(o: Offering) -> tuple[str, str]:
    return (o.provider_id, o.provider_model_id)


def _route_view(o: Offering, providers: dict[str, Provider], *, is_basis: bool) -> RouteView:
    p = o.price
    provider = providers.get(o.provider_id)
    return RouteView(
        provider_id=o.provider_id,
        provider_name=provider.name if provider else o.provider_id,
        provider_model_id=o.provider_model_id,
        class_=o.route_class.value,
        flags=[FlagView(f.flag.value, f.reason) for f in o.flags],
        is_basis=is_basis,
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
    basis_routes: dict[str, Offering], basis_views: dict[str, RouteView], kind: str, blend: Blend
) -> dict[str, PriceStanding]:
    """Each model's basis-route price of one kind (input, output, blended) against the lowest compared."""
    found: dict[str, Decimal] = {}
    for model_id, route in basis_routes.items():
        price = blended_price(route.price, blend) if kind == "blended" else getattr(route.price, kind)
        if price is not None:
            found[model_id] = price
    if not found:
        return {}
    lowest = min(found.values())
    return {
        model_id: PriceStanding(
            price=price,
            route=basis_views[model_id],
            ratio=price / lowest if lowest else (Decimal(1) if price == 0 else None),
            delta=price - lowest,
        )
        for model_id, price in found.items()
    }


def _monthly(basis: BasisRoute, route: RouteView, measured: MeasuredTokens | None) -> MonthlyCost:
    """The cost on the basis route, its gap to the cheapest compared model left at 0 (`compare` sets it)."""
    cost = basis.costed.cost
    return MonthlyCost(
        route=route,
        monthly=cost.monthly,
        per_request=cost.per_request,
        input_cost=cost.input_cost,
        output_cost=cost.output_cost,
        tier_above_tokens=cost.tier,
        measured_tokens=measured,
        standard_rate_parts=list(cost.standard_rate_parts),
        gap=Decimal(0),
        basis=basis.rule,
    )


def _cheapest_view(
    cheapest: CostedRoute, cost: MonthlyCost | None, view: Callable[[Offering], RouteView]
) -> CheapestRoute:
    monthly = cheapest.cost.monthly
    base = cost.monthly if cost else monthly
    return CheapestRoute(
        route=view(cheapest.offering),
        monthly=monthly,
        vs_basis=monthly - base,
        vs_basis_share=(monthly - base) / base if base else None,
    )


def _tag(tag: Tag) -> TagView:
    return TagView(tag.label, tag.rule, tag.because)


def _served_by(offerings: Sequence[Offering]) -> frozenset[str]:
    return frozenset(o.provider_id for o in offerings if o.kind is RouteKind.PAY_PER_TOKEN)


def _shared_providers(per_model: list[frozenset[str]], providers: dict[str, Provider]) -> list[str]:
    shared = frozenset.intersection(*per_model) if per_model else frozenset()
    return sorted(providers[p].name if p in providers else p for p in shared)
