"""One identity per model across providers: normalisation rules, curated aliases, the audit's examples."""

from __future__ import annotations

from datetime import date

import pytest

from tests.identity_labels import OLD_LABELS, format_score, labelled_offerings, load_labels, score_catalog
from versus.catalog.build import Catalog, build_catalog
from versus.catalog.identity import RouteRef, parse_model_id, resolve_routes
from versus.catalog.overlay import load_overlay
from versus.sources import genai_prices, models_dev

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


def _model_of(catalog: Catalog, provider: str, model_id: str) -> str:
    return next(o.model_id for o in catalog.offerings if o.provider_id == provider and o.provider_model_id == model_id)


# The audit's false splits, one example per class, and the ids LiteLLM added that missed at first.
@pytest.mark.parametrize(
    ("provider", "model_id", "expected"),
    [
        # `p` for the dot, in a whole token or inside a word
        ("fireworks-ai", "accounts/fireworks/models/kimi-k2p6", "moonshotai/kimi-k2.6"),
        ("fireworks-ai", "accounts/fireworks/models/glm-4p5v", "z-ai/glm-4.5v"),
        ("fireworks-ai", "accounts/fireworks/models/qwen2p5-vl-32b-instruct", "qwen/qwen2.5-vl-32b-instruct"),
        ("fireworks-ai", "accounts/fireworks/models/minimax-m3p1-flash", "minimax/minimax-m3.1-flash"),
        ("fireworks-ai", "accounts/fireworks/models/ernie-4p5-300b-a47b-pt", "baidu/ernie-4.5-300b-a47b"),
        ("fireworks-ai", "accounts/fireworks/models/cogito-671b-v2-p1", "deepcogito/cogito-v2.1-671b"),
        # reordered names of one creator
        ("digitalocean", "anthropic-claude-4.6-sonnet", "anthropic/claude-sonnet-4.6"),
        ("google", "gemini-1.5-pro", "google/gemini-pro-1.5"),
        ("fireworks-ai", "accounts/fireworks/models/nemotron-nano-v2-12b-vl", "nvidia/nemotron-nano-12b-v2-vl"),
        # tag syntax name:size
        ("ollama-cloud", "gemma3:12b", "google/gemma-3-12b-it"),
        ("ollama", "llama3:70b", "meta-llama/llama-3-70b-instruct"),
        ("ollama-cloud", "qwen3.5:397b", "qwen/qwen3.5-397b-a17b"),
        # -vN / -vN:M API revisions
        ("amazon-bedrock", "amazon.nova-lite-v1:0", "amazon/nova-lite-v1"),
        ("vercel", "amazon/nova-lite", "amazon/nova-lite-v1"),
        ("amazon-bedrock", "meta.llama2-13b-chat-v1", "meta-llama/llama-2-13b-chat"),
        ("amazon-bedrock", "mistral.mistral-7b-instruct-v0:2", "mistralai/mistral-7b-instruct-v0.2"),
        # provider-prefixed ids and a host's format suffixes
        ("databricks", "databricks-claude-opus-4-6", "anthropic/claude-opus-4.6"),
        ("azure", "FW-GPT-OSS-120B", "openai/gpt-oss-120b"),
        ("azure", "FW-DeepSeek-V4-Pro", "deepseek/deepseek-v4-pro"),
        ("llama", "cerebras-llama-4-maverick-17b-128e-instruct", "meta-llama/llama-4-maverick"),
        ("fireworks-ai", "accounts/fireworks/models/mixtral-8x22b-instruct-hf", "mistralai/mixtral-8x22b-instruct"),
        ("lemonade", "Qwen3-Coder-30B-A3B-Instruct-GGUF", "qwen/qwen3-coder-30b-a3b-instruct"),
        # a dated id that is the model's only release
        ("cohere", "command-a-03-2025", "cohere/command-a"),
        ("anthropic", "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5"),
        ("anthropic", "claude-3-7-sonnet-latest", "anthropic/claude-3.7-sonnet"),
        # fine-tune namespaces and their revisions
        ("novita-ai", "sao10K/l3-70b-euryale-v2.1", "sao10k/l3-euryale-70b"),
        ("nano-gpt", "TheDrummer 2/Rocinante-12B-v1.1", "thedrummer/rocinante-12b"),
        # twins that made benchmark matching miss
        ("amazon-bedrock", "amazon.nova-pro-v1:0", "amazon/nova-pro-v1"),
        ("openai", "gpt-5-chat-latest", "openai/gpt-5-chat"),
        ("302ai", "grok-4-1-fast-reasoning", "x-ai/grok-4.1-fast"),
        ("togetherai", "mistralai/Mixtral-8x7B-Instruct-v0.1", "mistralai/mixtral-8x7b-instruct"),
        ("opencode", "gemini-3-pro", "google/gemini-3-pro-preview"),
    ],
)
def test_the_audits_false_splits_resolve_together(
    catalog: Catalog, provider: str, model_id: str, expected: str
) -> None:
    assert _model_of(catalog, provider, model_id) == expected


# The audit's false merges: each pair must name two models.
@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("alibaba", "qwen-plus"), ("alibaba", "qwen-plus-2025-07-28")),  # a dated snapshot priced apart
        (("anthropic", "claude-3-5-sonnet-20240620"), ("anthropic", "claude-3-5-sonnet-20241022")),
        (("openai", "gpt-4o-2024-05-13"), ("openai", "gpt-4o")),
        (("togetherai", "mistralai/Mistral-7B-v0.1"), ("togetherai", "mistralai/Mistral-7B-Instruct-v0.1")),
        (("openrouter", "meta-llama/llama-3.1-405b"), ("openrouter", "meta-llama/llama-3.1-405b-instruct")),
        (("openai", "gpt-3.5-turbo"), ("openrouter", "openai/gpt-3.5-turbo-instruct")),
        (("deepseek", "deepseek-chat"), ("openrouter", "deepseek/deepseek-chat")),  # a moving alias
        (("openai", "chatgpt-4o-latest"), ("openai", "gpt-4o")),
        (("openai", "ft:gpt-4o-mini"), ("openai", "gpt-4o-mini")),  # a fine-tune price record
        (("openai", "ft:gpt-4o"), ("openai", "ft:gpt-4o-mini")),
        (("mistral", "ministral-8b"), ("mistral", "ministral-8b-2512")),
        (
            ("fireworks-ai", "accounts/fireworks/models/deepseek-v4p1-flash-1017"),
            ("openrouter", "deepseek/deepseek-v4.1-flash"),
        ),
    ],
)
def test_the_audits_false_merges_stay_apart(catalog: Catalog, first: tuple[str, str], second: tuple[str, str]) -> None:
    assert _model_of(catalog, *first) != _model_of(catalog, *second)


def test_moving_alias_and_kept_apart_releases_say_why(catalog: Catalog) -> None:
    chat = next(o for o in catalog.offerings if (o.provider_id, o.provider_model_id) == ("deepseek", "deepseek-chat"))
    assert "moving alias" in chat.resolution.reason
    june = next(
        o
        for o in catalog.offerings
        if (o.provider_id, o.provider_model_id) == ("anthropic", "claude-3-5-sonnet-20240620")
    )
    assert june.resolution.reason.startswith("curated alias") and "2024-06-20" in june.resolution.reason
    fine_tune = next(
        o for o in catalog.offerings if (o.provider_id, o.provider_model_id) == ("openai", "ft:gpt-4o-mini")
    )
    assert "fine-tune price record" in fine_tune.resolution.reason


def test_one_providers_ids_of_one_model_priced_apart_carry_a_reason(catalog: Catalog) -> None:
    from versus.analysis.doctor_identity import candidate_merges

    assert candidate_merges(catalog.offerings) == []


def test_a_new_source_merges_models_but_never_renames_one(catalog: Catalog) -> None:
    """Canonical ids are URLs: LiteLLM's routes may join two models (new evidence), but a model it
    only adds routes to keeps its id."""
    two = build_catalog(date(2026, 11, 27), loaders=[lambda _day: models_dev.load(), genai_prices.load])
    now = {(o.provider_id, o.provider_model_id): o.model_id for o in catalog.offerings}
    renamed = {
        (o.model_id, now[(o.provider_id, o.provider_model_id)])
        for o in two.offerings
        if o.model_id not in catalog.models
    }
    assert renamed, "LiteLLM's routes join some models"
    assert all(after in two.models for _, after in renamed), sorted(renamed)
