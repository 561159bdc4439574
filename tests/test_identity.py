"""One identity per model across providers: normalisation rules, curated aliases, and a labelled set."""

from __future__ import annotations

import pytest

from tests.identity_labels import OLD_LABELS, format_score, labelled_offerings, load_labels, score_catalog
from versus.catalog.build import Catalog
from versus.catalog.identity import RouteRef, parse_model_id, resolve_routes
from versus.catalog.overlay import load_overlay

RULES = load_overlay().aliases


@pytest.mark.parametrize(
    ("provider", "model_id", "key", "attributes"),
    [
        ("openrouter", "openai/gpt-oss-120b", "gptoss120b", {}),
        ("fireworks-ai", "accounts/fireworks/models/gpt-oss-120b", "gptoss120b", {}),
        ("cloudflare-workers-ai", "@cf/openai/gpt-oss-120b", "gptoss120b", {}),
        ("amazon-bedrock", "openai.gpt-oss-120b-1:0", "gptoss120b", {}),
        ("openrouter", "openai/gpt-oss-120b:free", "gptoss120b", {"variant": "free"}),
        ("anthropic", "claude-sonnet-4-5-20250929", "claudesonnet45", {"snapshot": "2025-09-29"}),
        ("google-vertex", "claude-sonnet-4-5@20250929", "claudesonnet45", {"snapshot": "2025-09-29"}),
        (
            "amazon-bedrock",
            "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "claudesonnet45",
            {"region": "us", "snapshot": "2025-09-29"},
        ),
        ("fireworks-ai", "accounts/fireworks/models/deepseek-v3p1", "deepseek31", {}),
        ("openrouter", "deepseek/deepseek-chat-v3.1", "deepseekchat31", {}),
        ("amazon-bedrock", "deepseek.r1-v1:0", "deepseekr1", {}),
        ("anthropic", "claude-sonnet-4-0", "claudesonnet4", {}),
        ("togetherai", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", "llama318bturbo", {}),
        ("openrouter", "google/gemma-3-27b-it", "gemma327b", {}),
        ("openai", "gpt-4o-mini", "gpt4omini", {}),
        ("openai", "gpt-4o-audio-preview", "gpt4oaudiopreview", {}),
        ("mistral", "mistral-small-2503", "mistralsmall2503", {}),
    ],
)
def test_normalisation(provider: str, model_id: str, key: str, attributes: dict[str, str]) -> None:
    parsed = parse_model_id(provider, model_id, RULES)
    assert parsed.key == key
    assert dict(parsed.attributes) == attributes


def test_serving_suffix_is_stripped_only_when_another_route_serves_the_shorter_id() -> None:
    routes = [
        RouteRef("togetherai", "meta-llama/Llama-3.3-70B-Instruct-Turbo"),
        RouteRef("openrouter", "meta-llama/llama-3.3-70b-instruct"),
        RouteRef("openai", "gpt-4-turbo", first_party_creator="openai"),
        RouteRef("openai", "gpt-4", first_party_creator="openai"),
    ]
    result = resolve_routes(routes, RULES)
    together, openrouter, turbo, gpt4 = (result.resolutions[r] for r in routes)
    assert together.model_id == openrouter.model_id == "meta-llama/llama-3.3-70b-instruct"
    assert result.attributes[routes[0]] == {"serving": "turbo"}
    assert "turbo" in together.reason
    assert turbo.model_id == "openai/gpt-4-turbo" != gpt4.model_id  # `turbo` is a model name at OpenAI


def test_curated_alias_wins_with_its_reason() -> None:
    routes = [RouteRef("azure", "mistral-small-2503"), RouteRef("mistral", "mistral-small-2506", None, "mistralai")]
    result = resolve_routes(routes, RULES)
    small31, small32 = (result.resolutions[r] for r in routes)
    assert small31.model_id == "mistralai/mistral-small-3.1-24b-instruct"
    assert small32.model_id == "mistralai/mistral-small-3.2-24b-instruct"
    assert small31.confidence == 1.0 and "2503 is Small 3.1" in small31.reason


def test_labelled_set_is_large_enough() -> None:
    labelled = labelled_offerings(load_labels(OLD_LABELS).groups)
    assert len(labelled) >= 80
    assert len({label for label, _ in labelled}) >= 20


def test_labelled_identity_set_pairwise_precision_and_recall(catalog: Catalog) -> None:
    score = score_catalog(catalog, load_labels(OLD_LABELS).groups)
    print("\n" + format_score("identity", score))
    assert not score.not_held, f"labelled offerings not in catalog: {score.not_held[:10]}"
    assert score.precision is not None and score.precision >= 0.99, score.false_merges[:10]
    assert score.recall is not None and score.recall >= 0.98, score.false_splits[:10]


@pytest.mark.parametrize(
    ("provider", "model_id", "expected"),
    [
        ("openrouter", "openai/gpt-oss-120b", "openai/gpt-oss-120b"),
        ("fireworks-ai", "accounts/fireworks/models/gpt-oss-120b", "openai/gpt-oss-120b"),
        ("cloudflare-workers-ai", "@cf/openai/gpt-oss-120b", "openai/gpt-oss-120b"),
        ("amazon-bedrock", "openai.gpt-oss-120b-1:0", "openai/gpt-oss-120b"),
        ("openai", "gpt-4o", "openai/gpt-4o"),
        ("openai", "gpt-4o-mini", "openai/gpt-4o-mini"),
        ("openai", "gpt-4o-audio-preview", "openai/gpt-4o-audio-preview"),
        ("azure", "mistral-small-2503", "mistralai/mistral-small-3.1-24b-instruct"),
        ("mistral", "mistral-small-2506", "mistralai/mistral-small-3.2-24b-instruct"),
        ("anthropic", "claude-sonnet-4-5", "anthropic/claude-sonnet-4.5"),
        ("anthropic", "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5"),
        ("fireworks-ai", "accounts/fireworks/models/deepseek-v3p1", "deepseek/deepseek-chat-v3.1"),
    ],
)
def test_hard_cases_in_the_real_catalog(catalog: Catalog, provider: str, model_id: str, expected: str) -> None:
    route = next(
        o for o in catalog.offerings if o.provider_id == provider and o.provider_model_id.lower() == model_id.lower()
    )
    assert route.model_id == expected
    assert route.resolution.reason


def test_fine_tune_is_not_its_base(catalog: Catalog) -> None:
    nova = next(o for o in catalog.offerings if o.provider_model_id == "Llama-3.3-70B-Nova")
    assert nova.model_id != "meta-llama/llama-3.3-70b-instruct"


def test_every_offering_resolves_to_exactly_one_existing_model(catalog: Catalog) -> None:
    keys = [(o.provider_id, o.provider_model_id) for o in catalog.offerings]
    assert len(keys) == len(set(keys))
    assert all(o.model_id in catalog.models for o in catalog.offerings)
    assert all(0 < o.resolution.confidence <= 1 for o in catalog.offerings)
