"""The cost model: hand-computed cases, and properties that must hold for any route and traffic."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from versus.analysis.pricing import price_at_traffic
from versus.analysis.traffic import Blend, TrafficError, TrafficProfile
from versus.catalog.types import PriceTier, RoutePrice

CLAUDE = RoutePrice(  # $/1M: 3 in, 15 out, cache read 0.30; over 200k input: 6 / 22.50 / 0.60; batch half price
    input=D("3"),
    output=D("15"),
    cache_read=D("0.30"),
    cache_write=D("3.75"),
    tiers=(PriceTier(200_000, D("6"), D("22.50"), D("0.60")),),
    batch_input=D("1.50"),
    batch_output=D("7.50"),
    batch_cache_read=D("0.15"),
)


@pytest.mark.parametrize(
    ("price", "profile", "monthly", "standard"),
    [
        # The reference page: 1M requests x (800 in + 250 out).
        (RoutePrice(D("2.50"), D("10")), TrafficProfile(), D("4500"), ()),
        (RoutePrice(D("0.10"), D("0.30")), TrafficProfile(), D("155"), ()),
        # 40% of 800 input tokens cached: 480 x 3 + 320 x 0.30 + 250 x 15 = 5,286 per 1M requests' millionths.
        (CLAUDE, TrafficProfile(cache_hit=D("0.4")), D("5286"), ()),
        # Half the requests through batch: (2400 + 3750) / 2 + (1200 + 1875) / 2 = 4612.50.
        (CLAUDE, TrafficProfile(batch_share=D("0.5")), D("4612.5"), ()),
        # 300k input crosses the 200k tier: every token pays the tier price. 1,000 requests.
        (CLAUDE, TrafficProfile(requests=1000, input_tokens=300_000, output_tokens=1000), D("1822.5"), ()),
        # No cache price listed: cached tokens priced at the input rate, and said so.
        (RoutePrice(D("1"), D("2")), TrafficProfile(cache_hit=D("0.5")), D("1300"), ("cache reads",)),
        (RoutePrice(D("1"), D("2")), TrafficProfile(batch_share=D("1")), D("1300"), ("batch traffic",)),
    ],
)
def test_hand_computed_costs(price: RoutePrice, profile: TrafficProfile, monthly: D, standard: tuple[str, ...]) -> None:
    cost = price_at_traffic(price, profile)
    assert cost is not None
    assert cost.monthly == monthly
    assert cost.input_cost + cost.output_cost == cost.monthly
    assert [p.split(" (")[0] for p in cost.standard_rate_parts] == list(standard)


def test_tier_applies_only_above_its_threshold() -> None:
    at = price_at_traffic(CLAUDE, TrafficProfile(requests=1, input_tokens=200_000, output_tokens=0))
    over = price_at_traffic(CLAUDE, TrafficProfile(requests=1, input_tokens=200_001, output_tokens=0))
    assert at is not None and over is not None
    assert (at.tier, over.tier) == (None, 200_000)
    assert at.monthly == D("0.6") and over.monthly == D("1.200006")


def test_unknown_price_gives_unknown_cost() -> None:
    assert price_at_traffic(RoutePrice(input=D("1")), TrafficProfile()) is None
    assert price_at_traffic(RoutePrice(), TrafficProfile()) is None


# --- properties ------------------------------------------------------------------------------------

money = st.decimals(min_value=D("0"), max_value=D("100"), places=3, allow_nan=False, allow_infinity=False)
share = st.decimals(min_value=D("0"), max_value=D("1"), places=2)


@st.composite
def routes(draw: st.DrawFn) -> RoutePrice:
    """Any route with the shape real prices have: tiers cost more, caches and batches cost less."""
    p_in, p_out = draw(money), draw(money)
    cache = draw(st.one_of(st.none(), st.decimals(min_value=D(0), max_value=p_in, places=4)))
    tiers = ()
    if draw(st.booleans()):
        bump = draw(st.decimals(min_value=D(1), max_value=D(3), places=2))
        tiers = (PriceTier(draw(st.integers(1000, 500_000)), p_in * bump, p_out * bump, None),)
    batch_in = draw(st.one_of(st.none(), st.decimals(min_value=D(0), max_value=p_in, places=4)))
    batch_out = draw(st.one_of(st.none(), st.decimals(min_value=D(0), max_value=p_out, places=4)))
    return RoutePrice(p_in, p_out, cache, None, tiers, batch_in, batch_out, None)


profiles = st.builds(
    TrafficProfile,
    requests=st.integers(0, 10**9),
    input_tokens=st.integers(0, 10**6),
    output_tokens=st.integers(0, 10**5),
    cache_hit=share,
    batch_share=share,
)


def _cost(price: RoutePrice, profile: TrafficProfile) -> D:
    cost = price_at_traffic(price, profile)
    assert cost is not None
    return cost.monthly


@settings(max_examples=300)
@given(routes(), profiles, st.integers(0, 10**6))
def test_cost_is_monotonic_in_requests(price: RoutePrice, profile: TrafficProfile, more: int) -> None:
    bigger = TrafficProfile(
        profile.requests + more, profile.input_tokens, profile.output_tokens, profile.cache_hit, profile.batch_share
    )
    assert _cost(price, bigger) >= _cost(price, profile)


@settings(max_examples=300)
@given(routes(), profiles, st.integers(0, 10**5), st.integers(0, 10**4))
def test_cost_is_monotonic_in_tokens(price: RoutePrice, profile: TrafficProfile, more_in: int, more_out: int) -> None:
    bigger = TrafficProfile(
        profile.requests,
        profile.input_tokens + more_in,
        profile.output_tokens + more_out,
        profile.cache_hit,
        profile.batch_share,
    )
    assert _cost(price, bigger) >= _cost(price, profile)


@settings(max_examples=300)
@given(routes(), profiles, share)
def test_more_cache_hits_never_raise_cost(price: RoutePrice, profile: TrafficProfile, extra: D) -> None:
    more = min(D(1), profile.cache_hit + extra)
    cached = TrafficProfile(profile.requests, profile.input_tokens, profile.output_tokens, more, profile.batch_share)
    assert _cost(price, cached) <= _cost(price, profile)


@settings(max_examples=300)
@given(routes(), profiles, share)
def test_batch_never_raises_cost(price: RoutePrice, profile: TrafficProfile, batch: D) -> None:
    batched = TrafficProfile(profile.requests, profile.input_tokens, profile.output_tokens, profile.cache_hit, batch)
    plain = TrafficProfile(profile.requests, profile.input_tokens, profile.output_tokens, profile.cache_hit, D(0))
    assert _cost(price, batched) <= _cost(price, plain)


@settings(max_examples=300)
@given(routes(), profiles)
def test_cached_tokens_are_counted_once(price: RoutePrice, profile: TrafficProfile) -> None:
    """Cache reads replace input tokens, never add to them: with cache priced like input, hits change nothing."""
    same = RoutePrice(price.input, price.output, price.input, None, (), None, None, None)
    no_cache = TrafficProfile(profile.requests, profile.input_tokens, profile.output_tokens, D(0), D(0))
    cached = TrafficProfile(profile.requests, profile.input_tokens, profile.output_tokens, profile.cache_hit, D(0))
    assert _cost(same, cached) == _cost(same, no_cache)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"requests": -1},
        {"requests": 10**13},
        {"input_tokens": -5},
        {"output_tokens": 10**9},
        {"cache_hit": D("1.5")},
        {"batch_share": D("-0.1")},
    ],
)
def test_absurd_traffic_is_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(TrafficError):
        TrafficProfile(**kwargs)  # type: ignore[arg-type]


def test_blend() -> None:
    assert Blend().price(D("2.50"), D("10")) - Blend().price(D("0.10"), D("0.30")) == D("4.59")
    assert Blend.parse("3:1").price(D("1"), D("5")) == D("2")
    with pytest.raises(TrafficError):
        Blend.parse("0:0")
