"""One identity per model across providers: normalisation rules, curated aliases, and a labelled set."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
import yaml

from versus.catalog.build import Catalog
from versus.catalog.identity import RouteRef, parse_model_id, resolve_routes
from versus.catalog.overlay import load_overlay

RULES = load_overlay().aliases
LABELS = Path(__file__).parent / "data" / "identity_labels.yaml"


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


def _labelled() -> list[tuple[str, dict[str, str]]]:
    raw = yaml.safe_load(LABELS.read_text())
    return [(group["label"], offering) for group in raw["groups"] for offering in group["offerings"]]


def test_labelled_set_is_large_enough() -> None:
    labelled = _labelled()
    assert len(labelled) >= 80
    assert len({label for label, _ in labelled}) >= 20


def test_labelled_identity_set_pairwise_precision_and_recall(catalog: Catalog) -> None:
    routes = {(o.provider_id, o.provider_model_id.lower()): o for o in catalog.offerings}
    predicted = []
    for label, offering in _labelled():
        route = routes.get((offering["provider"], offering["id"].lower()))
        assert route is not None, f"labelled offering not in catalog: {offering}"
        predicted.append((label, route.model_id, f"{offering['provider']}:{offering['id']}"))
    tp = fp = fn = 0
    mistakes = []
    for (label_a, model_a, id_a), (label_b, model_b, id_b) in itertools.combinations(predicted, 2):
        same, merged = label_a == label_b, model_a == model_b
        tp += same and merged
        fp += merged and not same
        fn += same and not merged
        if same != merged:
            mistakes.append(f"{id_a} -> {model_a} / {id_b} -> {model_b}")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nidentity: {len(predicted)} offerings, pairwise precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.99, mistakes[:10]
    assert recall >= 0.98, mistakes[:10]


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
