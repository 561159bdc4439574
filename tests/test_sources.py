"""Source adapters turn each package's own format into source records; tested on small hand-made inputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from genai_prices.types import (
    ClauseEquals,
    ClauseOr,
    ConditionalPrice,
    ModelInfo,
    ModelPrice,
    PriceVariant,
    Provider,
    StartDateConstraint,
    Tier,
    TieredPrices,
)

from versus.sources import genai_prices, models_dev

MODELS_DEV_RAW = {
    "anthropic": {
        "id": "anthropic",
        "name": "Anthropic",
        "doc": "https://docs.anthropic.com",
        "env": ["ANTHROPIC_API_KEY"],
        "models": {
            "claude-opus-4-7": {
                "id": "claude-opus-4-7",
                "name": "Claude Opus 4.7",
                "family": "claude-opus",
                "attachment": True,
                "reasoning": True,
                "tool_call": True,
                "open_weights": False,
                "release_date": "2026-04-17",
                "last_updated": "2026-04-17",
                "knowledge": "2026-01",
                "cost": {
                    "input": Decimal("5"),
                    "output": Decimal("25"),
                    "cache_read": Decimal("0.5"),
                    "cache_write": Decimal("6.25"),
                    "tiers": [
                        {"input": Decimal("10"), "output": Decimal("37.5"), "tier": {"type": "context", "size": 200000}}
                    ],
                },
                "limit": {"context": 1000000, "output": 128000},
                "modalities": {"input": ["text", "image", "pdf"], "output": ["text"]},
                "some_new_upstream_field": "ignored",
            },
            "broken": {"id": "broken", "name": "Broken", "limit": {"context": "lots"}},
            "old-tier-style": {
                "id": "old-tier-style",
                "name": "Old",
                "release_date": "1970-01-01",
                "cost": {"input": 1, "output": 2, "context_over_200k": {"input": 2, "output": 4}},
            },
        },
    }
}


def test_models_dev_record_keeps_prices_tiers_limits_and_flags() -> None:
    data = models_dev.parse(MODELS_DEV_RAW, "1.0.0")
    (provider,) = data.providers
    assert (provider.id, provider.name, provider.api_key_env) == ("anthropic", "Anthropic", "ANTHROPIC_API_KEY")
    opus = next(o for o in data.offerings if o.model_id == "claude-opus-4-7")
    assert opus.price.input == Decimal("5") and opus.price.cache_write == Decimal("6.25")
    (tier,) = opus.price.tiers
    assert (tier.above_tokens, tier.input, tier.output, tier.cache_read) == (
        200000,
        Decimal("10"),
        Decimal("37.5"),
        None,
    )
    assert opus.context_window == 1_000_000 and opus.max_output == 128_000
    assert opus.input_modalities == ("text", "image", "pdf")
    assert opus.reasoning is True and opus.structured_output is None  # absent is unknown, not False
    assert opus.provenance.record_id == "anthropic/claude-opus-4-7"
    assert opus.provenance.source_date == date(2026, 4, 17)


def test_models_dev_bad_record_is_reported_and_the_rest_kept() -> None:
    data = models_dev.parse(MODELS_DEV_RAW, "1.0.0")
    assert [e.record_id for e in data.errors] == ["anthropic/broken"]
    assert "limit.context" in data.errors[0].message
    assert {o.model_id for o in data.offerings} == {"claude-opus-4-7", "old-tier-style"}


def test_models_dev_legacy_over_200k_price_becomes_a_tier_and_epoch_is_no_date() -> None:
    data = models_dev.parse(MODELS_DEV_RAW, "1.0.0")
    old = next(o for o in data.offerings if o.model_id == "old-tier-style")
    assert [(t.above_tokens, t.input, t.output) for t in old.price.tiers] == [(200_000, 2, 4)]
    assert old.release_date is None


def _genai_provider() -> Provider:
    return Provider(
        id="groq",
        name="Groq",
        api_pattern="https://api.groq.com",
        pricing_urls=["https://groq.com/pricing"],
        models=[
            ModelInfo(
                id="gpt-oss-120b",
                match=ClauseOr(or_=[ClauseEquals(equals="openai/gpt-oss-120b"), ClauseEquals(equals="gpt-oss-120b")]),
                name="GPT OSS 120B",
                context_window=131072,
                prices=ModelPrice(
                    input_mtok=Decimal("0.15"), output_mtok=Decimal("0.6"), cache_read_mtok=Decimal("0.075")
                ),
                price_variants=[
                    PriceVariant(
                        when={"processing": "batch"},
                        prices=ModelPrice(input_mtok=Decimal("0.075"), output_mtok=Decimal("0.3")),
                    )
                ],
            ),
            ModelInfo(
                id="repriced",
                match=ClauseEquals(equals="repriced"),
                prices=[
                    ConditionalPrice(prices=ModelPrice(input_mtok=Decimal("1"), output_mtok=Decimal("2"))),
                    ConditionalPrice(
                        constraint=StartDateConstraint(start_date=date(2026, 6, 1)),
                        prices=ModelPrice(
                            input_mtok=TieredPrices(
                                base=Decimal("0.5"), tiers=[Tier(start=128000, price=Decimal("1"))]
                            ),
                            output_mtok=Decimal("1.5"),
                        ),
                    ),
                ],
            ),
            ModelInfo(id="free-one", match=ClauseEquals(equals="free-one:free"), prices=ModelPrice()),
        ],
    )


def test_genai_prices_record_takes_api_id_batch_variant_and_aliases() -> None:
    data = genai_prices.parse([_genai_provider()], "0.2.3", date(2026, 11, 27))
    oss = next(o for o in data.offerings if o.provenance.record_id == "groq/gpt-oss-120b")
    assert oss.model_id == "openai/gpt-oss-120b"
    assert oss.aliases == ("gpt-oss-120b",)
    assert (oss.price.input, oss.price.output, oss.price.cache_read) == (
        Decimal("0.15"),
        Decimal("0.6"),
        Decimal("0.075"),
    )
    assert (oss.price.batch_input, oss.price.batch_output) == (Decimal("0.075"), Decimal("0.3"))
    assert oss.context_window == 131072
    assert data.providers[0].docs_url == "https://groq.com/pricing"


def test_genai_prices_conditional_price_in_force_on_the_day_with_tiers() -> None:
    before = genai_prices.parse([_genai_provider()], "0.2.3", date(2026, 5, 31))
    after = genai_prices.parse([_genai_provider()], "0.2.3", date(2026, 6, 1))
    old = next(o for o in before.offerings if o.model_id == "repriced")
    new = next(o for o in after.offerings if o.model_id == "repriced")
    assert (old.price.input, old.price.output, old.price.tiers) == (Decimal("1"), Decimal("2"), ())
    assert (new.price.input, new.price.output) == (Decimal("0.5"), Decimal("1.5"))
    assert [(t.above_tokens, t.input, t.output) for t in new.price.tiers] == [(128000, Decimal("1"), None)]
    assert new.provenance.source_date == date(2026, 6, 1)


def test_genai_prices_model_without_prices_is_unknown_not_free() -> None:
    data = genai_prices.parse([_genai_provider()], "0.2.3", date(2026, 11, 27))
    free = next(o for o in data.offerings if o.model_id == "free-one:free")
    assert free.price.input is None and free.price.output is None


def test_both_packages_load_every_record() -> None:
    md = models_dev.load()
    gp = genai_prices.load(date(2026, 11, 27))
    assert len(md.providers) >= 100 and len(md.offerings) >= 4000 and not md.errors
    assert len(gp.providers) >= 40 and len(gp.offerings) >= 2000 and not gp.errors
