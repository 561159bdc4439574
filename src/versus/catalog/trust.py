"""Which routes can be trusted for a price: each route's class, its flags, and the sanity rules behind them.

Rules (docs/identity.md, "Route classes and flags"):
- class: `maker` when the model's creator serves it on its own API with a price of its own, else
  the provider's class from data/providers.yaml (a lab serving another lab's model is a `host`).
- `variant`: an id suffix that is not the standard real-time service (`:batch`, `:thinking`, effort
  levels, `:web`); a `:batch` route's prices become the batch prices of its standard route.
- `serving-variant`: the same weights served another way (quantised, TEE, a speed tier).
- `suspect`: a price far from the model's reference price (the maker's list price, else the median
  of cloud and host routes, else of gateway routes): for a closed-weights model, which others can
  only resell, at or below 0.5× or at or above 2×; for an open-weights model, which anyone may serve
  at their own price, an order of magnitude (≤ 0.1× or ≥ 10×, where units errors land). Also: a
  price out of line with the same provider's other records of the model, an output price under a
  tenth of the input price, and a max output above the context window.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from versus.catalog.types import (
    Model,
    Offering,
    Openness,
    Provider,
    RouteClass,
    RouteFlag,
    RouteFlagName,
    RoutePrice,
)
from versus.formats import per_million, ratio

# `:suffix` variants that are the free tier are route kinds, not flags.
_VARIANT_REASONS = {
    "batch": "batch-only variant (`:batch`): asynchronous, priced as batch traffic",
    "thinking": "reasoning-mode variant (`:thinking`) of the standard model",
    "extended": "extended-context variant (`:extended`)",
    "web": "web-search variant (`:web`): searches are billed on top",
    "online": "web-search variant (`:online`): searches are billed on top",
}
_EFFORTS = frozenset({"minimal", "low", "medium", "high", "xhigh", "max"})
# Serving suffixes that are only a provider's way of naming the model, not another way of serving it.
_NAMING_ONLY = frozenset(
    {"maas", "versatile", "instant", "cs", "serverless", "free", "hf", "pt", "cloud", "8192", "32768"}
    | {"together", "groq", "fireworks", "deepinfra", "cerebras"}  # the host a gateway routes to
)
# Hosts whose name prefixes another provider's id: Azure Foundry's `FW-…` is Fireworks serving it.
_HOSTS = frozenset({"fw", "fireworks", "cerebras", "groq", "sambanova"})
_QUANTISED = frozenset(
    {"fp8", "fp4", "fp16", "bf16", "int4", "int8", "awq", "gptq", "gguf", "nvfp4", "mxfp4", "4bit", "6bit", "8bit"}
)

CLOSED_BAND = (Decimal("0.5"), Decimal(2))
OPEN_BAND = (Decimal("0.1"), Decimal(10))
_REFERENCE_BLEND = (Decimal("0.7"), Decimal("0.3"))


def route_class(
    provider: Provider,
    model_creator: str,
    provider_creator: str | None,
    price_copied_from: str | None,
    providers: dict[str, Provider],
) -> tuple[RouteClass, str | None]:
    """A route's class and, when it is not simply its provider's, why."""
    if provider.route_class is not RouteClass.MAKER:
        return provider.route_class, None
    if provider_creator != model_creator:
        return RouteClass.HOST, f"{provider.name} serving another lab's model"
    if price_copied_from:
        source = providers.get(price_copied_from)
        copied_class = source.route_class if source else RouteClass.GATEWAY
        name = source.name if source else price_copied_from
        return copied_class, f"not a maker price: the source says it was imported from {name}'s list"
    return RouteClass.MAKER, None


def fold_batch_variants(offerings: list[Offering]) -> list[Offering]:
    """A `:batch` route's prices are the batch prices of the same provider's standard route."""
    standard = {(o.provider_id, o.provider_model_id.lower()): i for i, o in enumerate(offerings)}
    result = list(offerings)
    for o in offerings:
        if o.attributes.get("variant") != "batch" or not o.price.is_known:
            continue
        base_id = o.provider_model_id[: o.provider_model_id.lower().rfind(":batch")].lower()
        index = standard.get((o.provider_id, base_id))
        if index is None:
            continue
        base = result[index]
        if base.price.batch_input is None and base.price.batch_output is None:
            price = replace(base.price, batch_input=o.price.input, batch_output=o.price.output)
            attributes = {**base.attributes, "batch_prices_from": o.provider_model_id}
            result[index] = replace(base, price=price, attributes=attributes)
    return result


def variant_flags(o: Offering) -> list[RouteFlag]:
    flags = []
    variant = o.attributes.get("variant")
    if variant and variant != "free":
        reason = _VARIANT_REASONS.get(variant) or (
            f"reasoning-effort variant (`:{variant}`)" if variant in _EFFORTS else f"route variant `:{variant}`"
        )
        flags.append(RouteFlag(RouteFlagName.VARIANT, reason))
    serving = o.attributes.get("serving")
    if serving and serving not in _NAMING_ONLY:
        parts = set(serving.split("-"))
        if parts & _QUANTISED:
            what = f"quantised serving ({serving})"
        elif parts & _HOSTS:
            what = f"served through another host ({serving})"
        elif "tee" in parts:
            what = "served in a trusted execution environment (TEE)"
        else:
            what = f"a speed or capacity tier ({serving})"
        flags.append(RouteFlag(RouteFlagName.SERVING_VARIANT, f"the same weights, {what}"))
    return flags


def blended(price: RoutePrice) -> Decimal | None:
    """70:30 blended price per 1M tokens, the reference measure for sanity checks."""
    if price.input is None or price.output is None:
        return None
    return price.input * _REFERENCE_BLEND[0] + price.output * _REFERENCE_BLEND[1]


def reference_price(model: Model, routes: Sequence[Offering]) -> tuple[Decimal, str] | None:
    """The maker's list price when it sells the model, else the median of its cloud and host routes."""
    standard = [o for o in routes if o.is_production and not o.flags]
    maker = [(b, o) for o in standard if o.route_class is RouteClass.MAKER and (b := blended(o.price))]
    if maker:
        b, o = min(maker, key=lambda pair: (pair[0], pair[1].provider_id, pair[1].provider_model_id))
        return b, f"{o.provider_id}'s list price ({per_million(o.price.input)} in, {per_million(o.price.output)} out)"
    hosted = [b for o in standard if o.route_class in (RouteClass.CLOUD, RouteClass.HOST) and (b := blended(o.price))]
    which = "cloud and host routes"
    if not hosted:  # only gateways list it: their median still exposes a units error
        hosted, which = [b for o in standard if (b := blended(o.price))], "gateway routes"
    if len(hosted) < 2:
        return None
    median = Decimal(statistics.median(hosted))
    return median, f"the median of {len(hosted)} {which} ({per_million(median)} blended 70:30)"


def sanity_flags(model: Model, routes: Sequence[Offering]) -> dict[tuple[str, str], list[RouteFlag]]:
    """Suspect flags for a model's routes, keyed by (provider, provider model id)."""
    flags: dict[tuple[str, str], list[RouteFlag]] = defaultdict(list)
    reference = reference_price(model, routes)
    low, high = CLOSED_BAND if model.openness is Openness.PROPRIETARY else OPEN_BAND
    for o in routes:
        if not o.is_pay_per_token:
            continue
        key = (o.provider_id, o.provider_model_id)
        p = o.price
        if p.input and p.output and p.output * 10 < p.input:  # a 0 output price is an embedding model's
            flags[key].append(
                _suspect(f"output price {per_million(p.output)} is under a tenth of input {per_million(p.input)}")
            )
        if o.max_output and o.context_window and o.max_output > o.context_window:
            flags[key].append(_suspect(f"max output {o.max_output:,} exceeds its context window {o.context_window:,}"))
        b = blended(p)
        if reference is None or b is None or o.route_class is RouteClass.MAKER or not reference[0]:
            continue
        times = b / reference[0]
        if times <= low or times >= high:
            flags[key].append(
                _suspect(
                    f"{per_million(p.input)} in, {per_million(p.output)} out is {ratio(times)} {reference[1]}; "
                    + (
                        f"a closed model's resale at or below {low}× or at or above {high}× of it is implausible"
                        if model.openness is Openness.PROPRIETARY
                        else f"hosting at or below {low}× or at or above {high}× of it points to a units error"
                    )
                )
            )
    for key, reasons in _inconsistent_with_provider(routes, reference).items():
        flags[key].extend(reasons)
    return flags


def _inconsistent_with_provider(
    routes: Sequence[Offering], reference: tuple[Decimal, str] | None
) -> dict[tuple[str, str], list[RouteFlag]]:
    """A provider listing the same model twice at prices 2× apart: the record further from the
    reference (or from the provider's other record, with no reference) is suspect."""
    by_provider: dict[str, list[tuple[Decimal, Offering]]] = defaultdict(list)
    for o in routes:
        if o.is_pay_per_token and not o.flags and (b := blended(o.price)):
            by_provider[o.provider_id].append((b, o))
    found: dict[tuple[str, str], list[RouteFlag]] = defaultdict(list)
    for records in by_provider.values():
        if len(records) < 2:
            continue
        cheapest, dearest = min(records, key=lambda r: r[0]), max(records, key=lambda r: r[0])
        if dearest[0] < cheapest[0] * 2:
            continue
        target = reference[0] if reference else statistics.median(b for b, _ in records)
        odd, other = (
            (cheapest, dearest)
            if abs(cheapest[0] - target) / target > abs(dearest[0] - target) / target
            else (dearest, cheapest)
        )
        o, peer = odd[1], other[1]
        found[(o.provider_id, o.provider_model_id)].append(
            _suspect(
                f"{ratio(max(odd[0], other[0]) / min(odd[0], other[0]))} apart from the same provider's "
                f"record {peer.provider_model_id} ({per_million(peer.price.input)} in, "
                f"{per_million(peer.price.output)} out)"
            )
        )
    return found


def _suspect(reason: str) -> RouteFlag:
    return RouteFlag(RouteFlagName.SUSPECT, reason)


def apply_suspect_flags(models: dict[str, Model], offerings: list[Offering]) -> list[Offering]:
    """Every route with the suspect flags the sanity rules give it (variant flags already set)."""
    by_model: dict[str, list[Offering]] = defaultdict(list)
    for o in offerings:
        by_model[o.model_id].append(o)
    suspect: dict[tuple[str, str], list[RouteFlag]] = {}
    for model_id, routes in by_model.items():
        suspect.update(sanity_flags(models[model_id], routes))
    return [replace(o, flags=o.flags + tuple(suspect.get((o.provider_id, o.provider_model_id), ()))) for o in offerings]
