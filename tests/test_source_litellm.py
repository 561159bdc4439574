"""LiteLLM's price map: the pure parse on hand-made maps, the real files, the embedded snapshot and its refresh."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import lzma
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED_DATA
from versus.catalog.records import SourceData, SourceOffering, SourceUnavailable
from versus.catalog.types import PriceTier
from versus.sources import litellm

DAY = date(2026, 11, 20)
REAL_MAP = SHARED_DATA / "litellm" / "model_prices_and_context_window.json"
OLD_MAP = SHARED_DATA / "litellm" / "model_prices_and_context_window_litellm-1.81.0.json"
needs_real_map = pytest.mark.skipif(not REAL_MAP.exists(), reason=f"real LiteLLM map not present at {REAL_MAP}")


def d(text: str) -> Decimal:
    return Decimal(text)


def parse(raw: dict[str, Any]) -> SourceData:
    return litellm.parse(raw, "9.9.9", DAY)


def route(data: SourceData, provider: str, model_id: str) -> SourceOffering:
    return next(o for o in data.offerings if (o.provider, o.model_id) == (provider, model_id))


GPT = {
    "litellm_provider": "openai",
    "mode": "chat",
    "max_input_tokens": 128000,
    "max_output_tokens": 16384,
    "max_tokens": 4096,  # legacy and ambiguous: never read
    "input_cost_per_token": d("2.5e-06"),
    "output_cost_per_token": d("1e-05"),
    "cache_read_input_token_cost": d("1.25e-06"),
    "cache_creation_input_token_cost": d("1.1e-07"),
    "input_cost_per_token_batches": d("1.25e-06"),
    "output_cost_per_token_batches": d("5e-06"),
    "input_cost_per_token_priority": d("4.25e-06"),
    "output_cost_per_token_priority": d("1.7e-05"),
    "input_cost_per_token_above_200k_tokens": d("5e-06"),
    "output_cost_per_token_above_200k_tokens": d("1.5e-05"),
    "cache_read_input_token_cost_above_200k_tokens": d("2.5e-07"),
    "supports_function_calling": True,
    "supports_response_schema": True,
    "supports_vision": True,
    "supports_pdf_input": True,
    "supports_prompt_caching": True,
    "supports_reasoning": False,
    "deprecation_date": "2027-01-14",
    "some_new_upstream_field": {"ignored": True},
}


def test_prices_scale_exactly_to_per_million_with_cache_batch_tiers_and_service_tiers() -> None:
    gpt = route(parse({"gpt-4o": GPT}), "openai", "gpt-4o")
    price = gpt.price
    assert (price.input, price.output, price.cache_read, price.cache_write) == (d("2.5"), d("10"), d("1.25"), d("0.11"))
    assert str(price.cache_write) == "0.11"  # 1.1e-07 * 1e6 through a float would be 0.10999999999999999
    assert (price.batch_input, price.batch_output, price.batch_cache_read) == (d("1.25"), d("5"), None)
    assert price.tiers == (PriceTier(200_000, d("5"), d("15"), d("0.25"), None),)
    (priority,) = gpt.price_variants
    assert priority.condition == "service_tier:priority" and priority.record_id == "gpt-4o"
    assert (priority.price.input, priority.price.output, priority.price.batch_input) == (d("4.25"), d("17"), None)


def test_limits_capabilities_modalities_and_provenance() -> None:
    gpt = route(parse({"gpt-4o": GPT}), "openai", "gpt-4o")
    assert (gpt.context_window, gpt.max_output) == (128000, 16384)
    assert (gpt.tool_call, gpt.structured_output, gpt.reasoning, gpt.prompt_caching) == (True, True, False, True)
    assert gpt.input_modalities == ("text", "image", "pdf") and gpt.output_modalities is None
    assert (gpt.deprecation_date, gpt.deprecated) == (date(2027, 1, 14), False)
    assert gpt.name is None and gpt.release_date is None
    p = gpt.provenance
    assert (p.source, p.record_id, p.source_version, p.source_date, p.url) == (
        "litellm",
        "gpt-4o",
        "9.9.9",
        DAY,
        litellm.UPSTREAM_URL,
    )


def test_flags_absent_are_unknown_and_modality_lists_win() -> None:
    raw = {
        "bare": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 0},
        "listed": {
            "litellm_provider": "openai",
            "mode": "responses",
            "supported_modalities": ["text", "image", "audio"],
            "supported_output_modalities": ["text", "audio"],
            "supports_vision": False,
            "supports_pdf_input": True,  # LiteLLM's lists never name PDF; its flag does
            "supports_tool_choice": True,
            "deprecation_date": "2026-01-01",
            "max_input_tokens": 0,  # LiteLLM's placeholder for "unknown"
        },
    }
    data = parse(raw)
    bare, listed = route(data, "openai", "bare"), route(data, "openai", "listed")
    assert (bare.tool_call, bare.reasoning, bare.structured_output, bare.prompt_caching) == (None, None, None, None)
    assert (bare.input_modalities, bare.output_modalities, bare.deprecated) == (None, None, None)
    assert bare.price.input == 0 and bare.price.output is None
    assert listed.input_modalities == ("text", "image", "audio", "pdf")
    assert listed.output_modalities == ("text", "audio")
    assert listed.tool_call is True  # tool_choice implies calling tools
    assert (listed.deprecated, listed.context_window) == (True, None)


@pytest.mark.parametrize(
    ("key", "entry", "provider", "model_id"),
    [
        ("gemini/gemini-2.5-pro", {"litellm_provider": "gemini"}, "google", "gemini-2.5-pro"),
        ("gemini-2.5-pro", {"litellm_provider": "vertex_ai-language-models"}, "google-vertex", "gemini-2.5-pro"),
        (
            "vertex_ai/claude-haiku-4-5@20251001",
            {"litellm_provider": "vertex_ai-anthropic_models"},
            "google-vertex-anthropic",
            "claude-haiku-4-5@20251001",
        ),
        (
            "vertex_ai/mistralai/codestral-2",
            {"litellm_provider": "vertex_ai-some_new_models"},
            "google-vertex",
            "mistralai/codestral-2",
        ),
        (
            "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0",
            {"litellm_provider": "bedrock"},
            "amazon-bedrock",
            "us.anthropic.claude-3-5-haiku-20241022-v1:0",
        ),
        (
            "us.writer.palmyra-x5-v1:0",
            {"litellm_provider": "bedrock_converse"},
            "amazon-bedrock",
            "us.writer.palmyra-x5-v1:0",
        ),
        (
            "bedrock/claude_platform/claude-opus-4-5",
            {"litellm_provider": "bedrock"},
            "claude-platform-aws",
            "claude-opus-4-5",
        ),
        (
            "together_ai/meta-llama/Llama-3-70b",
            {"litellm_provider": "together_ai"},
            "togetherai",
            "meta-llama/Llama-3-70b",
        ),
        (
            "fireworks_ai/accounts/fireworks/models/kimi-k3",
            {"litellm_provider": "fireworks_ai"},
            "fireworks-ai",
            "accounts/fireworks/models/kimi-k3",
        ),
        ("amazon-nova/nova-pro-v1", {"litellm_provider": "amazon_nova"}, "nova", "nova-pro-v1"),
        ("babbage-002", {"litellm_provider": "text-completion-openai", "mode": "completion"}, "openai", "babbage-002"),
        ("gmi/anthropic/claude-opus-4.5", {"litellm_provider": "gmi"}, "gmicloud", "anthropic/claude-opus-4.5"),
        ("qwen_ai_platform/glm-5.1", {"litellm_provider": "qwen_ai_platform"}, "alibaba-cn", "glm-5.1"),
        ("brand_new/x-1", {"litellm_provider": "brand_new"}, "brand-new", "x-1"),
        ("x-1", {"litellm_provider": "Brand New!"}, "brand-new", "x-1"),
        ("other/x-1", {"litellm_provider": "brand_new"}, "brand-new", "other/x-1"),
    ],
)
def test_provider_table_and_routing_prefix(key: str, entry: dict[str, Any], provider: str, model_id: str) -> None:
    data = parse({key: {"mode": "chat", "input_cost_per_token": d("1e-06"), **entry}})
    (offering,) = data.offerings
    assert (offering.provider, offering.model_id) == (provider, model_id)
    assert [p.id for p in data.providers] == [provider]


def test_unregistered_provider_gets_its_display_name() -> None:
    data = parse(
        {
            "oci/meta.llama-3.1-8b-instruct": {"litellm_provider": "oci", "mode": "chat"},
            "bedrock/claude_platform/claude-opus-4-5": {"litellm_provider": "bedrock", "mode": "chat"},
        }
    )
    assert [(p.source, p.id, p.name) for p in data.providers] == [
        ("litellm", "claude-platform-aws", "Claude Platform on AWS"),
        ("litellm", "oci", "Oracle Cloud Infrastructure Generative AI"),
    ]


def priced(provider: str, per_token: str, **extra: Any) -> dict[str, Any]:
    return {"litellm_provider": provider, "mode": "chat", "input_cost_per_token": d(per_token), **extra}


def test_region_paths_fold_into_one_route_with_regional_prices() -> None:
    data = parse(
        {
            "azure/gpt-4o": priced("azure", "2.5e-06"),
            "azure/eu/gpt-4o": priced("azure", "2.75e-06"),
            "azure/global/gpt-4o": priced("azure", "2.5e-06"),  # same as the default: nothing to keep
            "bedrock/us-gov-west-1/anthropic.claude-3-haiku-20240307-v1:0": priced("bedrock", "3e-07"),
            "bedrock/us-gov-east-1/anthropic.claude-3-haiku-20240307-v1:0": priced("bedrock", "3e-07"),
        }
    )
    assert [(o.provider, o.model_id) for o in data.offerings] == [
        ("amazon-bedrock", "anthropic.claude-3-haiku-20240307-v1:0"),
        ("azure", "gpt-4o"),
    ]
    azure = route(data, "azure", "gpt-4o")
    assert azure.price.input == d("2.5") and azure.provenance.record_id == "azure/gpt-4o"
    assert [(v.condition, v.price.input, v.record_id) for v in azure.price_variants] == [
        ("region:eu", d("2.75"), "azure/eu/gpt-4o")
    ]
    # Only listed for GovCloud: no region-free price exists, so the route's own price stays unknown.
    gov = route(data, "amazon-bedrock", "anthropic.claude-3-haiku-20240307-v1:0")
    assert not gov.price.is_known
    assert [v.condition for v in gov.price_variants] == ["region:us-gov-east-1", "region:us-gov-west-1"]
    assert data.skipped == {"another key for the same route": 1}


def test_second_api_and_prefixed_twin_fold_into_the_first() -> None:
    data = parse(
        {
            "openai.gpt-oss-120b-1:0": priced("bedrock_converse", "1.5e-07"),
            "bedrock/openai.gpt-oss-120b-1:0": priced("bedrock", "1.6e-07"),  # LiteLLM's unprefixed key wins
            "bedrock_mantle/openai.gpt-oss-120b-1:0": priced("bedrock_mantle", "1.65e-07"),
            "bedrock_mantle/openai.gpt-oss-20b": priced("bedrock_mantle", "7e-08"),  # only on Mantle: its price
            "bedrock/invoke/openai.gpt-oss-120b-1:0": priced("bedrock", "1.5e-07"),
        }
    )
    big = route(data, "amazon-bedrock", "openai.gpt-oss-120b-1:0")
    assert big.provenance.record_id == "openai.gpt-oss-120b-1:0" and big.price.input == d("0.15")
    assert [(v.condition, v.price.input) for v in big.price_variants] == [("api:bedrock_mantle", d("0.165"))]
    assert route(data, "amazon-bedrock", "openai.gpt-oss-20b").price.input == d("0.07")
    assert data.skipped == {"another key for the same route": 2}


def test_aliases_join_their_target_route() -> None:
    data = parse(
        {
            "claude-sonnet-5-5": priced("anthropic", "2e-06"),
            "claude-sonnet-latest": {"alias_of": "claude-sonnet-5-5"},
            "vertex_ai/claude-sonnet-5-5": priced("vertex_ai-anthropic_models", "2e-06"),
            "vertex_ai/claude-sonnet-latest": {"alias_of": "vertex_ai/claude-sonnet-5-5"},
            "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding"},
            "embedding-latest": {"alias_of": "text-embedding-3-small"},
            "dangling-latest": {"alias_of": "no-such-key"},
            "broken-alias": {"alias_of": 42},
        }
    )
    assert route(data, "anthropic", "claude-sonnet-5-5").aliases == ("claude-sonnet-latest",)
    assert route(data, "google-vertex-anthropic", "claude-sonnet-5-5").aliases == ("claude-sonnet-latest",)
    assert {(e.record_id, e.message) for e in data.errors} == {
        ("dangling-latest", "alias_of: 'no-such-key' is not in the map"),
        ("broken-alias", "alias_of: not a model key"),
    }
    assert data.skipped == {"alias of a skipped entry": 1, "mode embedding": 1}


def test_non_models_and_other_modes_are_skipped_not_errors() -> None:
    raw = {
        "sample_spec": {"litellm_provider": "one of https://docs.litellm.ai/docs/providers", "mode": "one of: chat"},
        "text-embedding-3-large": {"litellm_provider": "openai", "mode": "embedding"},
        "dall-e-3": {"litellm_provider": "openai", "mode": "image_generation"},
        "gpt-realtime": {"litellm_provider": "openai", "mode": "realtime"},
        "fireworks-ai-up-to-4b": {"litellm_provider": "fireworks_ai", "input_cost_per_token": d("1e-07")},
        "together-ai-4.1b-8b": {"litellm_provider": "together_ai", "mode": "chat"},
        "ft:gpt-4o-2024-08-06": priced("openai", "3.75e-06"),
        "bedrock/*/1-month-commitment/cohere.command-text-v14": {"litellm_provider": "bedrock", "mode": "chat"},
        "bedrock/us-east-1/6-month-commitment/anthropic.claude-v2:1": {"litellm_provider": "bedrock", "mode": "chat"},
        "gpt-4o": GPT,
    }
    data = parse(raw)
    assert [o.model_id for o in data.offerings] == ["gpt-4o"] and data.errors == []
    assert data.skipped == {
        "fine-tuned model price (ft:), not a route": 1,
        "mode embedding": 1,
        "mode image_generation": 1,
        "mode realtime": 1,
        "no mode: a price bucket or a non-model entry": 1,
        "provisioned-throughput commitment, not pay-per-token": 2,
        "sample_spec documents the format": 1,
        "size-class price bucket, not a model": 1,
    }


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("not an object", "entry is not an object"),
        ({"mode": "chat"}, "litellm_provider: Field required"),
        ({"litellm_provider": "openai", "mode": 7}, "mode: Input should be a valid string"),
        ({"litellm_provider": "openai", "mode": "chat", "max_input_tokens": "lots"}, "max_input_tokens:"),
        ({"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": "cheap"}, "input_cost_per_token:"),
        ({"litellm_provider": "openai", "mode": "chat", "output_cost_per_token": d("-1e-06")}, "greater than or equal"),
        ({"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": d("15")}, "less than or equal to 1"),
        ({"litellm_provider": "openai", "mode": "chat", "supports_vision": [1]}, "supports_vision:"),
        ({"litellm_provider": "openai", "mode": "chat", "tiered_pricing": [{"range": "all"}]}, "tiered_pricing."),
    ],
)
def test_a_bad_record_becomes_an_error_and_the_rest_is_kept(entry: Any, message: str) -> None:
    data = parse({"bad": entry, "gpt-4o": GPT})
    (error,) = data.errors
    assert (error.source, error.record_id) == ("litellm", "bad") and message in error.message
    assert [o.model_id for o in data.offerings] == ["gpt-4o"]


def test_tiered_pricing_ranges_become_base_price_and_context_tiers() -> None:
    tiered = {
        "litellm_provider": "dashscope",
        "mode": "chat",
        "tiered_pricing": [
            {"input_cost_per_token": d("5e-08"), "output_cost_per_token": d("4e-07"), "range": [0, d("256000.0")]},
            {"input_cost_per_token": d("2.5e-07"), "output_cost_per_token": d("2e-06"), "range": [d("256000.0"), 1e6]},
        ],
    }
    price = route(parse({"dashscope/qwen-flash": tiered}), "alibaba", "qwen-flash").price
    assert (price.input, price.output) == (d("0.05"), d("0.4"))
    assert price.tiers == (PriceTier(256_000, d("0.25"), d("2"), None, None),)


def test_cache_hit_price_is_the_cache_read_price_when_none_is_given() -> None:
    raw = {"deepseek/deepseek-chat": priced("deepseek", "2.8e-07", input_cost_per_token_cache_hit=d("2.8e-08"))}
    assert route(parse(raw), "deepseek", "deepseek-chat").price.cache_read == d("0.028")


@given(st.decimals(min_value=0, max_value=1, allow_nan=False, allow_infinity=False, places=20))
def test_per_token_to_per_million_is_exact(per_token: Decimal) -> None:
    raw = {"m": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": per_token}}
    assert parse(raw).offerings[0].price.input == per_token * 1_000_000


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.decimals(allow_nan=False)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
FIELDS = st.sampled_from(
    [
        "litellm_provider",
        "mode",
        "max_input_tokens",
        "max_output_tokens",
        "input_cost_per_token",
        "output_cost_per_token_batches",
        "cache_read_input_token_cost_above_200k_tokens",
        "input_cost_per_token_priority",
        "supports_vision",
        "supported_modalities",
        "tiered_pricing",
        "deprecation_date",
        "alias_of",
    ]
)
PLAUSIBLE = st.fixed_dictionaries(
    {"litellm_provider": st.sampled_from(["openai", "bedrock", "azure", "vertex_ai-x", "?", ""])},
    optional={"mode": st.sampled_from(["chat", "responses", "embedding"]) | JSON_SCALARS},
) | st.just({})
RECORDS = st.one_of(
    JSON_VALUES,
    st.builds(lambda base, extra: {**base, **extra}, PLAUSIBLE, st.dictionaries(FIELDS, JSON_VALUES, max_size=6)),
)
KEYS = st.text(max_size=20) | st.sampled_from(["azure/eu/m", "bedrock/*/x", "bedrock/us-east-1/m", "m", "sample_spec"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, RECORDS, max_size=6))
def test_any_json_records_never_raise_only_become_errors(raw: dict[str, Any]) -> None:
    data = parse(raw)
    assert {e.record_id for e in data.errors} <= set(raw)
    assert {o.provenance.record_id for o in data.offerings} <= set(raw)
    assert {o.provider for o in data.offerings} == {p.id for p in data.providers}
    for offering in data.offerings:
        prices = [offering.price.input, offering.price.output, *(v.price.input for v in offering.price_variants)]
        assert all(p is None or (isinstance(p, Decimal) and p >= 0) for p in prices)


# --- the real maps ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> SourceData:
    if not REAL_MAP.exists():
        pytest.skip(f"real LiteLLM map not present at {REAL_MAP}")
    return parse(json.loads(REAL_MAP.read_bytes(), parse_float=Decimal))


@needs_real_map
def test_real_map_parses_without_errors_into_known_counts(real: SourceData) -> None:
    assert real.errors == []
    assert (len(real.offerings), len(real.providers)) == (3243, 95)
    # Every one of the 4,878 keys is accounted for: a route, a regional or second-API price of one,
    # one of the 98 `alias_of` keys, or skipped for a stated reason.
    routed = {o.provenance.record_id for o in real.offerings} | {
        v.record_id for o in real.offerings for v in o.price_variants
    }
    assert len(routed) + 98 + sum(real.skipped.values()) == 4878
    assert real.skipped["mode embedding"] == 157 and real.skipped["sample_spec documents the format"] == 1


@needs_real_map
@pytest.mark.parametrize(
    ("provider", "model_id", "input_", "output", "cache_read", "batch_input"),
    [
        ("openai", "gpt-4o", "2.5", "10", "1.25", "1.25"),
        ("azure", "gpt-4o", "2.5", "10", "1.25", "1.25"),
        ("amazon-bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0", "3", "15", "0.3", "1.5"),
        ("amazon-bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "3.3", "16.5", "0.33", "1.65"),
        ("google", "gemini-2.5-pro", "1.25", "10", "0.125", "0.625"),
        ("google-vertex", "gemini-2.5-pro", "1.25", "10", "0.125", "0.625"),
        ("deepseek", "deepseek-chat", "0.28", "0.42", "0.028", None),
    ],
)
def test_real_map_exact_prices(
    real: SourceData,
    provider: str,
    model_id: str,
    input_: str,
    output: str,
    cache_read: str,
    batch_input: str | None,
) -> None:
    price = route(real, provider, model_id).price
    assert (price.input, price.output, price.cache_read) == (d(input_), d(output), d(cache_read))
    assert price.batch_input == (d(batch_input) if batch_input else None)


@needs_real_map
def test_real_map_tiers_regions_and_aliases(real: SourceData) -> None:
    vertex = route(real, "google-vertex", "gemini-2.5-pro")
    assert vertex.price.tiers[0].above_tokens == 200_000
    assert (vertex.price.tiers[0].input, vertex.price.tiers[0].output) == (d("2.5"), d("15"))
    claude = route(real, "amazon-bedrock", "anthropic.claude-sonnet-4-5-20250929-v1:0")
    assert claude.price.tiers == (PriceTier(200_000, d("6"), d("22.5"), d("0.6"), d("7.5")),)
    assert {(v.condition, v.price.input) for v in claude.price_variants} >= {("region:us-gov-west-1", d("3.6"))}
    assert "claude-sonnet-latest" in route(real, "anthropic", "claude-sonnet-5-5").aliases


@pytest.mark.skipif(not OLD_MAP.exists(), reason=f"older LiteLLM map not present at {OLD_MAP}")
def test_older_map_parses_with_its_legacy_fields_and_no_errors() -> None:
    data = litellm.parse(json.loads(OLD_MAP.read_bytes(), parse_float=Decimal), "1.81.0", date(2026, 1, 18))
    assert data.errors == [] and len(data.offerings) > 1500
    assert route(data, "openai", "gpt-4o").price.input == d("2.5")
    assert route(data, "openrouter", "openai/gpt-4o").price.output == d("10")


# --- the embedded snapshot -------------------------------------------------------------------------

PACKAGE_DATA = Path(litellm.__file__).parent / "data"


def test_embedded_snapshot_loads_with_its_version_date_and_licence() -> None:
    meta = json.loads((PACKAGE_DATA / litellm.METADATA_FILE).read_text())
    data = litellm.load()
    assert (data.name, data.version) == ("litellm", meta["version"]) == ("litellm", "1.110.2")
    assert data.offerings[0].provenance.source_date == date.fromisoformat(meta["date"]) == date(2026, 11, 20)
    assert data.errors == [] and len(data.offerings) > 3000
    licence = (PACKAGE_DATA / "LICENSE-litellm.txt").read_text()
    assert "MIT License" in licence and "Copyright (c) 2023 Berri AI" in licence


@needs_real_map
def test_embedded_snapshot_is_the_real_map_byte_for_byte() -> None:
    meta = json.loads((PACKAGE_DATA / litellm.METADATA_FILE).read_text())
    blob = lzma.decompress((PACKAGE_DATA / litellm.SNAPSHOT_FILE).read_bytes())
    assert blob == REAL_MAP.read_bytes()
    assert (meta["sha256"], meta["bytes"], meta["entries"]) == (hashlib.sha256(blob).hexdigest(), len(blob), 4878)


def test_package_data_ships_the_snapshot_metadata_and_licence() -> None:
    import tomllib

    config = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    globs = config["tool"]["setuptools"]["package-data"]["versus"]
    package = Path(litellm.__file__).parents[1]
    shipped = {path for pattern in globs for path in package.glob(pattern)}
    for name in (litellm.SNAPSHOT_FILE, litellm.METADATA_FILE, "LICENSE-litellm.txt"):
        assert PACKAGE_DATA / name in shipped


def test_a_snapshot_that_does_not_match_its_sha256_is_unusable(tmp_path: Path) -> None:
    for name in (litellm.SNAPSHOT_FILE, litellm.METADATA_FILE):
        shutil.copy(PACKAGE_DATA / name, tmp_path / name)
    (tmp_path / litellm.SNAPSHOT_FILE).write_bytes(lzma.compress(b'{"gpt-4o": {}}'))
    with pytest.raises(SourceUnavailable, match="does not match the sha256"):
        litellm.load(tmp_path)
    (tmp_path / litellm.SNAPSHOT_FILE).write_bytes(b"not xz")
    with pytest.raises(SourceUnavailable, match="cannot read the embedded snapshot"):
        litellm.load(tmp_path)


# --- make refresh-data -----------------------------------------------------------------------------

SCRIPT = Path(__file__).parents[1] / "scripts" / "refresh_data.py"
SNAPSHOT_FILES = (litellm.SNAPSHOT_FILE, litellm.METADATA_FILE, "LICENSE-litellm.txt")


def synthetic_map(routes: int, **fields: Any) -> bytes:
    entry = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, **fields}
    return json.dumps({"sample_spec": {"mode": "doc"}, **{f"model-{i}": entry for i in range(routes)}}).encode()


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    """A copy of the package's snapshot folder, for the script to refresh."""
    folder = tmp_path / "data"
    folder.mkdir()
    for name in SNAPSHOT_FILES:
        shutil.copy(PACKAGE_DATA / name, folder / name)
    return folder


def refresh(dest: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(SCRIPT), *args, "--dest", str(dest)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"<html>rate limited</html>", "not JSON"),
        (b"[1, 2]", "not a JSON object of models"),
        (synthetic_map(5), "only 5 routes parsed"),
        (synthetic_map(150, max_input_tokens="lots"), "150 of 151 entries unreadable"),
    ],
)
def test_refresh_rejects_a_bad_map_and_leaves_the_snapshot_untouched(
    dest: Path, tmp_path: Path, payload: bytes, reason: str
) -> None:
    before = contents(dest)
    source = tmp_path / "map.json"
    source.write_bytes(payload)
    result = refresh(dest, "--litellm", str(source), "--version", "0.0.1")
    assert result.returncode == 1, result.stderr
    assert reason in result.stderr and "the embedded snapshot is unchanged" in result.stderr
    assert contents(dest) == before  # same bytes, and no temporary file left behind


def test_refresh_from_a_file_replaces_snapshot_and_metadata(dest: Path, tmp_path: Path) -> None:
    payload = synthetic_map(120)
    source = tmp_path / "map.json"
    source.write_bytes(payload)
    result = refresh(dest, "--litellm", str(source), "--version", "1.200.0", "--date", "2027-02-03")
    assert result.returncode == 0, result.stderr
    assert "120 routes" in result.stdout
    meta = json.loads((dest / litellm.METADATA_FILE).read_text())
    assert (meta["version"], meta["date"], meta["entries"]) == ("1.200.0", "2027-02-03", 121)
    assert meta["origin"] == str(source)
    assert meta["sha256"] == hashlib.sha256(payload).hexdigest()
    assert lzma.decompress((dest / litellm.SNAPSHOT_FILE).read_bytes()) == payload
    data = litellm.load(dest)
    assert (data.version, len(data.offerings)) == ("1.200.0", 120)
    assert sorted(p.name for p in dest.iterdir()) == sorted(SNAPSHOT_FILES)


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on loopback serving files from a folder."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_refresh_from_a_url_and_a_failed_download_changes_nothing(dest: Path, http_root: tuple[str, Path]) -> None:
    base, root = http_root
    (root / "map.json").write_bytes(synthetic_map(110))
    before = contents(dest)
    missing = refresh(dest, "--litellm", f"{base}/gone.json", "--version", "1")
    assert missing.returncode == 1 and "404" in missing.stderr
    assert contents(dest) == before
    fetched = refresh(dest, "--litellm", f"{base}/map.json", "--version", "1", "--date", "2027-01-01")
    assert fetched.returncode == 0, fetched.stderr
    assert json.loads((dest / litellm.METADATA_FILE).read_text())["origin"] == f"{base}/map.json"
    assert len(litellm.load(dest).offerings) == 110


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--litellm", "map.json"], "--version is required"),
        (["--version", "1", "--date", "yesterday"], "--date"),
    ],
)
def test_refresh_bad_usage_exits_2(dest: Path, args: list[str], message: str) -> None:
    before = contents(dest)
    result = refresh(dest, *args)
    assert result.returncode == 2 and message in result.stderr
    assert contents(dest) == before
