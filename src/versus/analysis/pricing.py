"""What a route costs at a traffic profile, from its own standard, cache, batch and tier prices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from versus.analysis.traffic import Blend, TrafficProfile
from versus.catalog.types import Offering, PriceTier, RoutePrice

MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class RouteCost:
    """Monthly cost of one route at one profile, and what was priced how."""

    monthly: Decimal
    per_request: Decimal
    input_cost: Decimal
    output_cost: Decimal
    tier: int | None
    standard_rate_parts: tuple[str, ...]


def effective_prices(price: RoutePrice, input_tokens: int) -> tuple[RoutePrice, int | None]:
    """The prices in force for a request of `input_tokens`: the highest context tier crossed
    (cliff pricing: once the input exceeds a tier's threshold, every token of the request pays the
    tier price), its missing fields falling back to the base price."""
    crossed: PriceTier | None = None
    for tier in price.tiers:
        if input_tokens > tier.above_tokens and (crossed is None or tier.above_tokens > crossed.above_tokens):
            crossed = tier
    if crossed is None:
        return price, None
    return (
        RoutePrice(
            input=crossed.input if crossed.input is not None else price.input,
            output=crossed.output if crossed.output is not None else price.output,
            cache_read=crossed.cache_read if crossed.cache_read is not None else price.cache_read,
            cache_write=crossed.cache_write if crossed.cache_write is not None else price.cache_write,
            batch_input=price.batch_input,
            batch_output=price.batch_output,
            batch_cache_read=price.batch_cache_read,
        ),
        crossed.above_tokens,
    )


def price_at_traffic(price: RoutePrice, profile: TrafficProfile) -> RouteCost | None:
    """Monthly cost of a route at `profile`, or None when its input or output price is unknown.

    Cached tokens are counted once: they are part of the input tokens, priced at the cache-read
    price instead of the input price. Batch traffic uses the route's batch prices. Any part of
    the traffic the route has no special price for is priced at its standard rate, and said so.
    """
    prices, tier = effective_prices(price, profile.input_tokens)
    if prices.input is None or prices.output is None:
        return None
    standard: list[str] = []
    cached = Decimal(profile.input_tokens) * profile.cache_hit
    uncached = Decimal(profile.input_tokens) - cached
    output = Decimal(profile.output_tokens)

    cache_read = prices.cache_read
    if cached and cache_read is None:
        standard.append("cache reads (no cache price listed)")
        cache_read = prices.input

    def request_cost(p_in: Decimal, p_cache: Decimal | None, p_out: Decimal) -> tuple[Decimal, Decimal]:
        cached_cost = cached * p_cache if cached and p_cache is not None else Decimal(0)
        return uncached * p_in + cached_cost, output * p_out

    std_in, std_out = request_cost(prices.input, cache_read, prices.output)
    batch_in, batch_out = std_in, std_out
    if profile.batch_share:
        if prices.batch_input is None and prices.batch_output is None:
            standard.append("batch traffic (no batch price listed)")
        else:
            b_in = prices.batch_input if prices.batch_input is not None else prices.input
            b_out = prices.batch_output if prices.batch_output is not None else prices.output
            # Cached batch tokens: the batch cache price, else the cheaper of the standard cache price
            # and the batch input price (a cache hit never costs more than a miss).
            b_cache = prices.batch_cache_read
            if b_cache is None:
                b_cache = min(prices.cache_read, b_in) if prices.cache_read is not None else b_in
            if prices.batch_input is None or prices.batch_output is None:
                standard.append("part of batch traffic (batch price listed for input or output only)")
            batch_in, batch_out = request_cost(b_in, b_cache, b_out)

    share = profile.batch_share
    input_cost = (std_in * (1 - share) + batch_in * share) / MILLION
    output_cost = (std_out * (1 - share) + batch_out * share) / MILLION
    per_request = input_cost + output_cost
    return RouteCost(
        monthly=per_request * profile.requests,
        per_request=per_request,
        input_cost=input_cost * profile.requests,
        output_cost=output_cost * profile.requests,
        tier=tier,
        standard_rate_parts=tuple(standard),
    )


def blended_price(price: RoutePrice, blend: Blend) -> Decimal | None:
    if price.input is None or price.output is None:
        return None
    return blend.price(price.input, price.output)


@dataclass(frozen=True)
class CostedRoute:
    offering: Offering
    cost: RouteCost


Tiebreak = Callable[[Offering], Any]


def by_provider(o: Offering) -> tuple[str, str]:
    return (o.provider_id, o.provider_model_id)
