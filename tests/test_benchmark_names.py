"""Leaderboard names taken apart, and the pure matcher over a small hand-made index."""

from __future__ import annotations

from decimal import Decimal

import pytest

from versus.benchmarks.matching import IndexRoute, build_match_index, match_name, match_results
from versus.benchmarks.names import split_name
from versus.benchmarks.types import BenchmarkResult
from versus.catalog.identity import Naming, parse_model_id
from versus.catalog.overlay import load_overlay

RULES = load_overlay().aliases
NAMING = Naming(dict(RULES.creators), dict(RULES.name_prefixes))


@pytest.mark.parametrize(
    ("source", "name", "model", "setting"),
    [
        ("aider", "gpt-5 (high)", "gpt-5", {"reasoning_effort": "high"}),
        ("lmarena", "claude-opus-4-1-20250805-thinking-16k", "claude-opus-4-1-20250805", {"thinking": "16k"}),
        ("livebench", "meta-llama-3.1-405b-instruct-turbo", "meta-llama-3.1-405b-instruct", {"precision": "turbo"}),
        ("bfcl", "Claude-Opus-4-5-20251101 (FC)", "claude-opus-4-5-20251101", {"tool_calling": "native"}),
        ("bfcl", "DeepSeek-V3.2-Exp (Prompt + Thinking)", "DeepSeek-V3.2-Exp",
         {"tool_calling": "prompt", "thinking": "on"}),
        ("swe-bench", "Claude 4.5 Sonnet (20250929)", "claude-sonnet-4-5-20250929", {}),
        ("swe-bench", "Claude 3.5 Sonnet (2024-10-22)", "claude-3-5-sonnet-20241022", {}),
        ("swe-bench", "mini-SWE-agent + GPT-5 (2025-08-07) (medium reasoning)", "GPT-5-20250807",
         {"system": "mini-SWE-agent", "reasoning_effort": "medium"}),
        ("swe-bench", "OpenHands-Versa (Claude-Sonnet 4)", "claude-sonnet-4", {"system": "OpenHands-Versa"}),
        ("livebench", "claude-opus-4-5-20251101-thinking-64k-high-effort", "claude-opus-4-5-20251101",
         {"thinking": "64k", "reasoning_effort": "high"}),
        ("livebench", "gpt-5.1-2025-11-13-nothinking", "gpt-5.1-2025-11-13", {"thinking": "off"}),
        ("aider", "claude-3-7-sonnet-20250219 (32k thinking tokens)", "claude-3-7-sonnet-20250219",
         {"thinking": "32k"}),
        ("aider", "o3 (high) + gpt-4.1", "o3", {"reasoning_effort": "high", "editor_model": "gpt-4.1"}),
        ("aider", "Qwen3 235B A22B diff, no think, Alibaba API", "Qwen3 235B A22B",
         {"edit_format": "diff", "thinking": "off"}),
        ("aider", "ollama/qwen2.5-coder:7b-instruct-q8_0", "qwen2.5-coder-7b-instruct",
         {"runtime": "ollama", "precision": "q8_0"}),
        ("aider", "Command R+ (08-24)", "Command R-plus-08-2024", {}),
        ("lmarena", "mistral-medium", "mistral-medium", {}),  # `medium` is its name, not an effort
        ("lmarena", "gpt-4-turbo-2024-04-09", "gpt-4-turbo-2024-04-09", {}),  # `turbo` is its name
        ("livebench", "amazon.nova-pro-v1:0", "amazon.nova-pro-v1:0", {}),
    ],
)  # fmt: skip
def test_split_name(source: str, name: str, model: str, setting: dict[str, str]) -> None:
    parts = split_name(source, name)
    assert (parts.model, dict(parts.setting)) == (model, setting)


def test_thinking_kept_for_models_named_by_it_tried_first() -> None:
    parts = split_name("livebench", "kimi-k2-thinking")
    assert parts.strict_candidates == ("kimi-k2-thinking",) and parts.candidates == ("kimi-k2",)
    architect = split_name("aider", "kimi-k2-thinking + gpt-4.1")
    assert architect.strict_candidates == ("kimi-k2-thinking",) and dict(architect.setting)["editor_model"] == "gpt-4.1"


def test_several_models_in_one_entry_are_refused() -> None:
    assert split_name("swe-bench", "Aider + GPT 4o & Claude 3 Opus").refusal == "several models"
    assert split_name("swe-bench", "EntroPO + R2E + Qwen3-Coder-30B-A3B-Instruct").refusal is None


def _route(provider: str, model_id: str, catalog_model: str, kind: str = "host") -> IndexRoute:
    return IndexRoute(provider, model_id, parse_model_id(provider, model_id, NAMING).key, catalog_model, kind)


INDEX = build_match_index(
    [
        _route("openrouter", "meta-llama/llama-3.1-70b-instruct", "meta-llama/llama-3.1-70b-instruct", "gateway"),
        _route("openrouter", "meta-llama/llama-3.1-8b-instruct", "meta-llama/llama-3.1-8b-instruct", "gateway"),
        _route("openai", "gpt-4o", "openai/gpt-4o", "maker"),
        _route("openai", "gpt-4o-2024-08-06", "openai/gpt-4o", "maker"),
        _route("openai", "gpt-4o-mini", "openai/gpt-4o-mini", "maker"),
        _route("moonshotai", "kimi-k2", "moonshotai/kimi-k2", "maker"),
        _route("moonshotai", "kimi-k2-thinking", "moonshotai/kimi-k2-thinking", "maker"),
        _route("anthropic", "claude-3-7-sonnet-20250219", "anthropic/claude-3.7-sonnet", "maker"),
        _route("nano-gpt", "claude-3-7-sonnet-thinking", "anthropic/claude-3-7-sonnet-thinking", "gateway"),
        _route("deepseek", "deepseek-chat", "deepseek/deepseek-chat", "maker"),
        _route("hosta", "twin-model", "lab/twin-a"),
        _route("hostb", "twin-model", "lab/twin-b"),
    ],
    {"anthropic/claude-3.7-sonnet": ("claude37sonnet",)},
    NAMING,
)


@pytest.mark.parametrize(
    ("name", "model_id"),
    [
        ("llama-3.1-70b-instruct", "meta-llama/llama-3.1-70b-instruct"),
        ("Llama 3.1 8b", "meta-llama/llama-3.1-8b-instruct"),
        ("llama-3.1-405b-instruct", None),  # never the 70B or the 8B
        ("gpt-4o-mini-2024-07-18", "openai/gpt-4o-mini"),
        ("gpt-4o-2024-05-13", "openai/gpt-4o"),
        ("gpt-4o-mini-high", "openai/gpt-4o-mini"),
        ("gpt-4.5-preview", None),  # never gpt-4o
        ("kimi-k2-thinking", "moonshotai/kimi-k2-thinking"),  # its lab serves a model by that name
        ("claude-3-7-sonnet-thinking", "anthropic/claude-3.7-sonnet"),  # only a router's setting id
        ("twin-model", None),  # two models answer alike: no way to choose
    ],
)
def test_match_exact_keys_only(name: str, model_id: str | None) -> None:
    assert match_name("lmarena", name, INDEX).model_id == model_id


def test_match_says_why() -> None:
    dated = match_name("lmarena", "gpt-4o-2024-08-06", INDEX)
    assert dated.snapshot == "2024-08-06" and "listed route" in dated.reason and dated.confidence == 0.95
    unlisted = match_name("lmarena", "gpt-4o-2024-05-13", INDEX)
    assert "not listed" in unlisted.reason and unlisted.confidence < dated.confidence
    twin = match_name("lmarena", "twin-model", INDEX)
    assert "lab/twin-a, lab/twin-b alike" in twin.reason
    missing = match_name("lmarena", "vicuna-13b", INDEX)
    assert not missing.matched and "no catalog model" in missing.reason


def test_model_tags_confirm_stand_in_or_contradict() -> None:
    agree = match_name("swe-bench", "SWE-agent + GPT-4o (2024-08-06)", INDEX, ["gpt-4o-2024-08-06"])
    assert agree.model_id == "openai/gpt-4o" and "agrees" in agree.reason and agree.confidence == 0.99
    system_only = match_name("swe-bench", "Honeycomb", INDEX, ["gpt-4o-mini"])
    assert system_only.model_id == "openai/gpt-4o-mini" and "model tag" in system_only.reason
    conflict = match_name("swe-bench", "SWE-agent + GPT-4o", INDEX, ["gpt-4o-mini"])
    assert conflict.model_id is None and "but the leaderboard's model tag" in conflict.reason
    several = match_name("swe-bench", "Warp", INDEX, ["gpt-4o", "kimi-k2"])
    assert several.model_id is None and "tags 2 models" in several.reason
    # A fine-tune tagged with its base model is not the base model.
    assert match_name("swe-bench", "Skywork-SWE-32B", INDEX, ["llama-3.1-70b-instruct"]).model_id is None
    # A name that names a model the tag does not spell out: the tag may be a moving alias.
    assert match_name("swe-bench", "Moatless Tools + Deepseek V3", INDEX, ["deepseek-chat"]).model_id is None


def test_results_are_matched_with_their_own_hints() -> None:
    def result(name: str, hints: tuple[str, ...]) -> BenchmarkResult:
        return BenchmarkResult(
            "swe-bench", "swe-bench-lite", "overall", name, Decimal(1), "%", "u", "l", model_hints=hints
        )

    pairs = match_results(
        [result("devlo", ("gpt-4o-mini",)), result("devlo", ("gpt-4o", "kimi-k2")), result("x", ())], INDEX
    )
    assert [m.model_id for _, m in pairs] == ["openai/gpt-4o-mini", None, None]
    assert [r.model_hints for r, _ in pairs] == [("gpt-4o-mini",), ("gpt-4o", "kimi-k2"), ()]
