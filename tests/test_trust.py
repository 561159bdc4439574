"""Trustworthy facts: makers' list prices, route classes, flags from real records, and the price basis."""

from __future__ import annotations

from decimal import Decimal

import pytest

from versus.catalog.trust import blended, fold_batch_variants, sanity_flags, variant_flags
from versus.catalog.types import (
    Model,
    Offering,
    Openness,
    Resolution,
    RouteClass,
    RouteFlagName,
    RouteKind,
    RoutePrice,
)


def _cost(cli, *args: str) -> dict[str, dict]:  # type: ignore[no-untyped-def, type-arg]
    result = cli("compare", *args, "--format", "json")
    assert result.code == 0, result.err
    return {m["id"]: m for m in result.json()["models"]}


@pytest.mark.parametrize(
    ("model", "monthly", "maker"),
    [
        ("claude-sonnet-4.5", 6150, "anthropic"),
        ("claude-haiku-4.5", 2050, "anthropic"),
        ("gemini-2.5-flash", 865, "google"),
        ("gpt-5.5", 11500, "openai"),
        ("gpt-4o", 4500, "openai"),
    ],
)
def test_flagships_are_priced_at_their_makers_list_price(cli, model: str, monthly: int, maker: str) -> None:  # type: ignore[no-untyped-def]
    other = "mistral-small-3.1" if model != "mistral-small-3.1" else "gpt-4o"
    side = next(m for m in _cost(cli, model, other).values() if m["name"] != "Mistral Small 3.1 24B Instruct")
    assert side["cost"]["monthly"] == monthly
    assert side["cost"]["route"]["provider_id"] == maker and side["cost"]["route"]["class"] == "maker"
    assert side["cost"]["basis"] == "the maker's list price"


def test_the_reseller_at_a_seventh_of_list_is_the_cheapest_only_when_asked(cli) -> None:  # type: ignore[no-untyped-def]
    sonnet = "anthropic/claude-sonnet-4.5"
    default = _cost(cli, "claude-sonnet-4.5", "gpt-4o")[sonnet]
    assert default["cost"]["monthly"] == 6150
    assert default["cheapest_route"]["route"]["provider_id"] != "qihang-ai"
    only = _cost(cli, "claude-sonnet-4.5", "gpt-4o", "--provider", "qihang-ai")[sonnet]
    assert only["cost"] is None  # the only route allowed is flagged suspect: never priced
    flagged = _cost(cli, "claude-sonnet-4.5", "gpt-4o", "--provider", "qihang-ai", "--include-flagged")[sonnet]
    assert flagged["cost"]["monthly"] == 879  # 800 × $0.43 + 250 × $2.14, the figure users were shown before
    assert flagged["cost"]["route"]["flags"][0]["flag"] == "suspect"


def test_cheapest_basis_and_excluded_providers(cli) -> None:  # type: ignore[no-untyped-def]
    cheapest = _cost(cli, "claude-sonnet-4.5", "gpt-4o", "--basis", "cheapest")["anthropic/claude-sonnet-4.5"]
    assert cheapest["cost"]["monthly"] < 6150 and cheapest["cost"]["route"]["flags"] == []
    assert cheapest["cost"]["route"]["provider_id"] == cheapest["cheapest_route"]["route"]["provider_id"]
    provider = cheapest["cost"]["route"]["provider_id"]
    again = _cost(cli, "claude-sonnet-4.5", "gpt-4o", "--basis", "cheapest", "--exclude-provider", provider)
    assert again["anthropic/claude-sonnet-4.5"]["cost"]["route"]["provider_id"] != provider
    assert again["anthropic/claude-sonnet-4.5"]["cost"]["monthly"] >= cheapest["cost"]["monthly"]


def test_the_seed_pair_is_unchanged(cli) -> None:  # type: ignore[no-untyped-def]
    sides = _cost(cli, "gpt-4o-audio", "mistral-small-3.1")
    audio, small = sides["openai/gpt-4o-audio-preview"], sides["mistralai/mistral-small-3.1-24b-instruct"]
    assert (audio["cost"]["monthly"], small["cost"]["monthly"], audio["cost"]["gap"]) == (4500, 155, 4345)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--provider", "openrouterr"), "unknown provider 'openrouterr'. Did you mean: openrouter"),
        (("--exclude-provider", "antropic"), "unknown provider 'antropic'. Did you mean: anthropic"),
        (("--basis", "nonsense"), "nonsense"),
    ],
)
def test_bad_policy_is_a_usage_error(cli, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("compare", "gpt-4o", "claude-sonnet-4.5", *args)
    assert result.code == 2
    assert message in result.err


# --- the sanity rules, each on the real record that motivated it ------------------------------------


def _route(cli, model: str, provider: str, provider_model_id: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = cli("routes", model, "--format", "json")
    assert result.code == 0, result.err
    return next(r for r in result.json() if (r["provider"], r["provider_model_id"]) == (provider, provider_model_id))


def _flags(route: dict) -> dict[str, str]:  # type: ignore[type-arg]
    return {f["flag"]: f["reason"] for f in route["flags"]}


@pytest.mark.parametrize(
    ("model", "provider", "provider_model_id", "flag", "reason"),
    [
        # a reseller at a seventh of Anthropic's list price
        ("claude-sonnet-4.5", "qihang-ai", "claude-sonnet-4-5-20250929", "suspect", "0.1× anthropic's list price"),
        # a units error: $75/$200 for a model the other routes sell at cents
        ("mistralai/mistral-small", "helicone", "mistral-small", "suspect", "points to a units error"),
        # half of OpenAI's list price, exactly
        ("gpt-5.5", "frogbot", "gpt-5-5", "suspect", "0.5× openai's list price"),
        # one provider, the same model twice, 2.7× apart
        ("alpindale/magnum-72b", "openrouter", "magnum-72b", "suspect", "apart from the same provider's record"),
        # an output price under a tenth of the input price
        ("llama-guard-3-8b", "cloudflare-workers-ai", "@cf/meta/llama-guard-3-8b", "suspect", "under a tenth"),
        # a max output larger than the context window
        ("claude-haiku-4.5", "jiekou", "claude-haiku-4-5-20251001", "suspect", "exceeds its context window"),
        ("anthropic/claude-fable-5", "openrouter", "anthropic/claude-fable-5:batch", "variant", "batch-only"),
        ("claude-opus-4.5", "nano-gpt", "claude-opus-4-5-20251101:thinking", "variant", "reasoning-mode"),
        ("minimax-m1", "openrouter", "minimax-m1:extended", "variant", "extended-context"),
        ("deepseek-v3-0324", "chutes", "deepseek-ai/DeepSeek-V3-0324-TEE", "serving-variant", "TEE"),
        ("llama-3.3-70b", "togetherai", "meta-llama/Llama-3.3-70B-Instruct-Turbo", "serving-variant", "turbo"),
    ],
)
def test_each_flag_on_a_real_record(  # type: ignore[no-untyped-def]
    cli, model: str, provider: str, provider_model_id: str, flag: str, reason: str
) -> None:
    flags = _flags(_route(cli, model, provider, provider_model_id))
    assert flag in flags and reason in flags[flag], flags


def test_a_price_the_source_says_was_copied_is_not_a_maker_route(cli) -> None:  # type: ignore[no-untyped-def]
    route = _route(cli, "gpt-oss-120b", "openai", "gpt-oss-120b")
    assert route["class"] == "gateway"
    assert "imported from OpenRouter" in route["class_reason"]


def test_time_of_day_prices_use_the_peak_rate_and_say_so(cli) -> None:  # type: ignore[no-untyped-def]
    route = _route(cli, "deepseek-reasoner", "deepseek", "deepseek-reasoner")
    assert (route["price"]["input"], route["price"]["output"]) == (0.55, 2.19)
    assert "standard (peak) rate" in route["price"]["note"] and "off-peak" in route["price"]["note"]


def test_capabilities_come_from_the_maker_route_first(cli) -> None:  # type: ignore[no-untyped-def]
    """Kimi K2.6 once showed 'Structured outputs: No' because a non-Moonshot route said so."""
    shown = cli("show", "kimi-k2.6", "--format", "json").json()
    assert shown["capabilities"]["structured_outputs"] is True
    assert shown["capability_support"]["structured_outputs"]["rule"] == "maker route"
    no = [r for r in shown["routes"] if r["capabilities"].get("structured_outputs") is False]
    assert no and all(r["class"] != "maker" for r in no)


def test_routes_list_the_maker_first(cli) -> None:  # type: ignore[no-untyped-def]
    routes = cli("routes", "claude-sonnet-4.5", "--format", "json").json()
    assert routes[0]["class"] == "maker" and routes[0]["provider"] == "anthropic"
    assert {"class", "flags", "class_reason"} <= set(routes[0])


# --- variants never count as production routes ----------------------------------------------------


def test_variant_routes_are_not_production_routes(cli) -> None:  # type: ignore[no-untyped-def]
    """`:batch`, `:thinking` and `:extended` count nowhere: route counts, 'available on', multi-provider."""
    sides = _cost(cli, "anthropic/claude-fable-5", "minimax-m1", "claude-opus-4.5")
    for side in sides.values():
        ids = [r["provider_model_id"] for r in side["production_routes"]]
        assert not [i for i in ids if i.endswith((":batch", ":thinking", ":extended"))], ids
        variants = [r for r in side["other_routes"] if any(f["flag"] == "variant" for f in r["flags"])]
        assert variants, side["id"]  # each of these models has variant routes, listed apart
        names = {r["provider_name"] for r in side["production_routes"]}
        assert set(side["providers"]) == names
        multi = next((t for t in side["tags"] if t["label"] == "Multi-provider"), None)
        if multi:
            assert f"{len(side['production_routes'])} pay-per-token routes" in multi["because"]


def test_batch_variant_prices_become_the_standard_routes_batch_prices(cli) -> None:  # type: ignore[no-untyped-def]
    route = _route(cli, "anthropic/claude-fable-5", "openrouter", "anthropic/claude-fable-5")
    batch = _route(cli, "anthropic/claude-fable-5", "openrouter", "anthropic/claude-fable-5:batch")
    assert route["price"]["batch_input"] == batch["price"]["input"]
    assert route["price"]["batch_output"] == batch["price"]["output"]
    assert route["attributes"]["batch_prices_from"] == "anthropic/claude-fable-5:batch"


# --- pure rules on hand-made routes ---------------------------------------------------------------


def _offering(provider: str, input_: str, output: str, route_class: RouteClass, **kw) -> Offering:  # type: ignore[no-untyped-def]
    return Offering(
        provider_id=provider,
        provider_model_id=kw.pop("pid", f"{provider}-model"),
        model_id="lab/model",
        kind=RouteKind.PAY_PER_TOKEN,
        price=RoutePrice(Decimal(input_), Decimal(output)),
        resolution=Resolution("lab/model", 1.0, "test"),
        route_class=route_class,
        **kw,
    )


@pytest.mark.parametrize(
    ("openness", "price", "suspect"),
    [
        (Openness.PROPRIETARY, ("1.5", "7.5"), True),  # 0.5× list: at the boundary, suspect
        (Openness.PROPRIETARY, ("1.6", "8"), False),
        (Openness.PROPRIETARY, ("6", "30"), True),  # 2×
        (Openness.OPEN_WEIGHTS, ("1.5", "7.5"), False),  # hosts may undercut an open model's maker
        (Openness.OPEN_WEIGHTS, ("0.3", "1.5"), True),  # 0.1×: a units error
        (Openness.OPEN_WEIGHTS, ("29", "149"), False),
        (Openness.OPEN_WEIGHTS, ("30", "150"), True),  # 10×
    ],
)
def test_reference_price_bands(openness: Openness, price: tuple[str, str], suspect: bool) -> None:
    model = Model("lab/model", "Model", "lab", openness=openness)
    maker = _offering("lab", "3", "15", RouteClass.MAKER)
    other = _offering("reseller", *price, RouteClass.GATEWAY)
    flags = sanity_flags(model, [maker, other])
    assert bool(flags.get(("reseller", "reseller-model"))) is suspect
    assert not flags.get(("lab", "lab-model"))  # the maker's own price is the reference, never suspect


def test_without_a_maker_the_median_of_clouds_and_hosts_is_the_reference() -> None:
    model = Model("lab/model", "Model", "lab", openness=Openness.PROPRIETARY)
    routes = [_offering(p, "1", "2", RouteClass.HOST) for p in ("a", "b", "c")]
    routes.append(_offering("cheap", "0.4", "0.8", RouteClass.GATEWAY))
    flags = sanity_flags(model, routes)
    assert list(flags) == [("cheap", "cheap-model")]
    assert "median of 3 cloud and host routes" in flags[("cheap", "cheap-model")][0].reason


def test_a_batch_variant_folds_into_its_standard_route_once() -> None:
    standard = _offering("openrouter", "3", "15", RouteClass.GATEWAY, pid="lab/model")
    batch = _offering(
        "openrouter", "1.5", "7.5", RouteClass.GATEWAY, pid="lab/model:batch", attributes={"variant": "batch"}
    )
    folded = fold_batch_variants([standard, batch])
    assert (folded[0].price.batch_input, folded[0].price.batch_output) == (Decimal("1.5"), Decimal("7.5"))
    assert folded[1] == batch
    assert [f.flag for f in variant_flags(batch)] == [RouteFlagName.VARIANT]
    assert blended(folded[0].price) == Decimal("6.6")
