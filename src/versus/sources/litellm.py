"""Adapter for LiteLLM's price map (`model_prices_and_context_window.json`), embedded as an xz snapshot."""

from __future__ import annotations

import hashlib
import json
import lzma
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from versus.catalog.records import (
    PriceVariant,
    SourceData,
    SourceOffering,
    SourceProvider,
    SourceRecordError,
    SourceUnavailable,
)
from versus.catalog.types import PriceTier, Provenance, RoutePrice
from versus.sources.litellm_providers import KEY_BUCKET, REGION_SEGMENT, resolve_provider

SOURCE = "litellm"
UPSTREAM_URL = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
SNAPSHOT_FILE = "litellm_model_prices.json.xz"
METADATA_FILE = "litellm_model_prices.meta.json"

# Modes that are language-model routes priced per token. `completion` models (gpt-3.5-turbo-instruct,
# Codestral FIM) answer prompts with text like chat models; realtime, embedding, image, audio, rerank,
# search, OCR, moderation and the rest are other products and are skipped, not errors.
KEPT_MODES = frozenset({"chat", "responses", "completion"})
# Service tiers priced beside the standard rate (`input_cost_per_token_priority`); kept as variants.
SERVICE_TIERS = ("priority", "flex", "ultrafast", "balanced")

_PRICE_KEY = re.compile(
    r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|cache_creation_input_token_cost"
    r"|input_cost_per_token_cache_hit)(?:_above_(\d{1,6})k_tokens)?(?:_([a-z]+))?$"
)
_FIELD_OF = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_read",
    "cache_creation_input_token_cost": "cache_write",
}
_MAX_TOKENS_LIMIT = 1_000_000_000


def _no_placeholder(value: Any) -> Any:
    """LiteLLM writes 0 where it does not know a limit (Vercel's embedding rows): unknown, not zero."""
    return None if value == 0 else value


# A price per token is at most $1 (that would be $1M per 1M tokens): anything more is a unit error,
# and the bound keeps Decimal arithmetic on hostile exponents cheap.
PerToken = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False)]
TokenLimit = Annotated[Annotated[int, Field(gt=0, le=_MAX_TOKENS_LIMIT)] | None, BeforeValidator(_no_placeholder)]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Tier(_Lenient):
    range: tuple[Annotated[Decimal, Field(ge=0, le=_MAX_TOKENS_LIMIT)], Decimal]
    input_cost_per_token: PerToken | None = None
    output_cost_per_token: PerToken | None = None
    cache_read_input_token_cost: PerToken | None = None


class _Record(_Lenient):
    litellm_provider: Annotated[str, Field(min_length=1, max_length=100)]
    mode: str
    max_input_tokens: TokenLimit = None
    max_output_tokens: TokenLimit = None
    supports_function_calling: bool | None = None
    supports_tool_choice: bool | None = None
    supports_reasoning: bool | None = None
    supports_response_schema: bool | None = None
    supports_vision: bool | None = None
    supports_audio_input: bool | None = None
    supports_audio_output: bool | None = None
    supports_video_input: bool | None = None
    supports_pdf_input: bool | None = None
    supports_prompt_caching: bool | None = None
    supported_modalities: list[str] | None = None
    supported_output_modalities: list[str] | None = None
    deprecation_date: str | None = None
    tiered_pricing: list[_Tier] | None = None
    prices: dict[str, PerToken] = {}

    @model_validator(mode="before")
    @classmethod
    def _gather_prices(cls, raw: Any) -> Any:
        """Per-token prices come as many flat keys (`…_above_200k_tokens_batches`); checked as one dict."""
        if isinstance(raw, dict):
            raw = {**raw, "prices": {k: v for k, v in raw.items() if isinstance(k, str) and _price_key(k)}}
        return raw


@dataclass(frozen=True)
class _Candidate:
    """A kept record, placed on its route: which provider, which model id, under which conditions."""

    key: str
    provider: str
    provider_name: str
    model_id: str
    conditions: tuple[str, ...]
    record: _Record
    prices: dict[str, RoutePrice]


def load(folder: Traversable | None = None) -> SourceData:
    """Read the embedded snapshot (or one in `folder`), check it against the sha256 its metadata
    records, and parse it."""
    raw, version, snapshot_date = read_snapshot(folder)
    return parse(raw, version, snapshot_date)


def read_snapshot(folder: Traversable | None = None) -> tuple[dict[str, Any], str, date]:
    """The embedded map as LiteLLM publishes it, its version and date, checked against its sha256."""
    folder = folder or resources.files("versus.sources").joinpath("data")
    try:
        meta = json.loads(folder.joinpath(METADATA_FILE).read_text(encoding="utf-8"))
        blob = lzma.decompress(folder.joinpath(SNAPSHOT_FILE).read_bytes())
        if hashlib.sha256(blob).hexdigest() != meta["sha256"]:
            raise ValueError("the snapshot does not match the sha256 in its metadata")
        raw = json.loads(blob, parse_float=Decimal)
        snapshot_date = date.fromisoformat(meta["date"])
        version = str(meta["version"])
    except (OSError, lzma.LZMAError, ValueError, KeyError, TypeError) as exc:
        raise SourceUnavailable(SOURCE, f"cannot read the embedded snapshot: {exc}") from exc
    if not isinstance(raw, dict):
        raise SourceUnavailable(SOURCE, "the snapshot is not a JSON object of models")
    return raw, version, snapshot_date


def route_of_key(raw: Mapping[str, Any], key: str) -> tuple[str, str] | None:
    """The route (provider, model id) `parse` files a map key under: region-pathed keys fold into
    their route, an `alias_of` key is its target's route. None when the key is skipped or unreadable."""
    entry = raw.get(key)
    if isinstance(entry, dict) and isinstance(entry.get("alias_of"), str) and entry["alias_of"] != key:
        key, entry = entry["alias_of"], raw.get(entry["alias_of"])
    if not isinstance(entry, dict) or "alias_of" in entry or _skip_reason(key, entry) is not None:
        return None
    try:
        placed = _place(key, _Record.model_validate(entry))
    except ValidationError:
        return None
    return None if isinstance(placed, str) else (placed.provider, placed.model_id)


def parse(raw: Mapping[str, Any], version: str, snapshot_date: date) -> SourceData:
    """Turn LiteLLM's `{key: {litellm_provider, mode, prices…}}` map into source records.

    One record per route (provider, model id): region-pathed keys (`azure/eu/gpt-4o`) and second
    APIs of a provider (`bedrock_mantle/…`) become price variants of that route, `alias_of` keys
    become its aliases; other modes and non-model entries are counted in `skipped`.
    """
    data = SourceData(name=SOURCE, version=version, providers=[], offerings=[])
    skipped: dict[str, int] = defaultdict(int)
    routes: dict[tuple[str, str], list[_Candidate]] = defaultdict(list)
    aliases: dict[str, list[str]] = defaultdict(list)
    for key, entry in sorted(raw.items()):
        if key == "sample_spec":
            skipped["sample_spec documents the format"] += 1
        elif not isinstance(entry, dict):
            data.errors.append(SourceRecordError(SOURCE, key, "entry is not an object"))
        elif "alias_of" in entry:
            if isinstance(entry["alias_of"], str):
                aliases[entry["alias_of"]].append(key)
            else:
                data.errors.append(SourceRecordError(SOURCE, key, "alias_of: not a model key"))
        elif (reason := _skip_reason(key, entry)) is not None:
            skipped[reason] += 1
        else:
            try:
                record = _Record.model_validate(entry)
            except ValidationError as exc:
                data.errors.append(SourceRecordError(SOURCE, key, _first_error(exc)))
                continue
            placed = _place(key, record)
            if isinstance(placed, str):
                skipped[placed] += 1
            else:
                routes[(placed.provider, placed.model_id.lower())].append(placed)

    offerings: dict[tuple[str, str], SourceOffering] = {}
    route_of_key: dict[str, tuple[str, str]] = {}
    names: dict[str, str] = {}
    for route, group in routes.items():
        offerings[route], folded = _offering(group, version, snapshot_date)
        route_of_key.update(dict.fromkeys((c.key for c in group), route))
        names[route[0]] = group[0].provider_name
        if folded:
            skipped["another key for the same route"] += folded
    for target, keys in sorted(aliases.items()):
        target_route = route_of_key.get(target)
        if target_route is None:
            for key in keys:
                if target in raw:
                    skipped["alias of a skipped entry"] += 1
                else:
                    data.errors.append(SourceRecordError(SOURCE, key, f"alias_of: {target!r} is not in the map"))
            continue
        target_provider = raw[target]["litellm_provider"]
        ids = [_strip_prefix(key, target_provider) for key in keys]
        offering = offerings[target_route]
        kept = (a for a in dict.fromkeys([*offering.aliases, *ids]) if a.lower() != offering.model_id.lower())
        offerings[target_route] = replace(offering, aliases=tuple(kept))

    data.offerings = sorted(offerings.values(), key=lambda o: (o.provider, o.model_id))
    data.providers = [SourceProvider(SOURCE, pid, names[pid]) for pid in sorted(names)]
    data.skipped = dict(sorted(skipped.items()))
    return data


def _skip_reason(key: str, entry: dict[str, Any]) -> str | None:
    """Why an entry is not a language-model route; None when it is one (or is malformed, which
    validation then reports)."""
    mode = entry.get("mode")
    if mode is None:
        return "no mode: a price bucket or a non-model entry"
    if isinstance(mode, str) and mode not in KEPT_MODES:
        return f"mode {mode}"
    if KEY_BUCKET.match(key):
        return "size-class price bucket, not a model"
    if key.startswith("ft:"):
        return "fine-tuned model price (ft:), not a route"
    return None


def _strip_prefix(key: str, litellm_provider: str) -> str:
    """The key without LiteLLM's routing prefix: `gemini/gemini-2.5-pro` -> `gemini-2.5-pro`."""
    first, slash, rest = key.partition("/")
    return rest if slash and first in resolve_provider(litellm_provider).all_prefixes(litellm_provider) else key


def _place(key: str, record: _Record) -> _Candidate | str:
    """The route a key names; a region or API path segment (`bedrock/us-east-1/…`) becomes a
    condition. A string is the reason the key is skipped."""
    route = resolve_provider(record.litellm_provider)
    if route.provider is None:
        return "provider name is not an id"
    conditions = list(route.conditions)
    model_id = _strip_prefix(key, record.litellm_provider)
    head, slash, tail = model_id.partition("/")
    if route.region_paths and slash:
        if head == "*" or "-commitment" in model_id.rpartition("/")[0]:
            return "provisioned-throughput commitment, not pay-per-token"
        if head in dict(route.path_providers):
            route, model_id = dict(route.path_providers)[head], tail
        elif head in ("invoke", "converse"):
            conditions.append(f"api:{head}")
            model_id = tail
        elif REGION_SEGMENT.match(head):
            conditions.append(f"region:{head}")
            model_id = tail
    if not model_id or len(model_id) > 300 or route.provider is None:
        return "empty or overlong model id"
    name = route.name or route.provider
    return _Candidate(key, route.provider, name, model_id, tuple(sorted(conditions)), record, _prices(record))


def _is_regional(candidate: _Candidate) -> bool:
    return any(c.startswith("region:") for c in candidate.conditions)


def _offering(group: list[_Candidate], version: str, snapshot_date: date) -> tuple[SourceOffering, int]:
    """One route from every key that names it: the key with the fewest conditions is the route, the
    others' differing prices its variants. A price tied to a region is never the route's default
    price (a model listed only for GovCloud has variants and no default). Also returns how many keys
    folded in without adding a price."""
    # LiteLLM's own spelling of a key (no routing prefix: `deepseek-chat`) before its prefixed twin.
    group = sorted(group, key=lambda c: (_is_regional(c), len(c.conditions), c.key != c.model_id, c.key))
    primary, regional = group[0], _is_regional(group[0])
    default = RoutePrice() if regional else primary.prices[""]
    variants: list[PriceVariant] = []
    folded = 0
    for candidate in group if regional else group[1:]:
        price = candidate.prices[""]
        if candidate.conditions and price.is_known and price != default:
            variants.append(PriceVariant(",".join(candidate.conditions), price, candidate.key))
        elif candidate is not primary:
            folded += 1
    for tier in () if regional else SERVICE_TIERS:
        if tier in primary.prices and primary.prices[tier].is_known:
            variants.append(PriceVariant(f"service_tier:{tier}", primary.prices[tier], primary.key))
    record = primary.record
    retired = _parse_date(record.deprecation_date)
    tool_call = record.supports_function_calling
    if tool_call is None and record.supports_tool_choice:
        tool_call = True  # choosing a tool implies calling one
    offering = SourceOffering(
        source=SOURCE,
        provider=primary.provider,
        model_id=primary.model_id,
        provenance=Provenance(SOURCE, primary.key, snapshot_date, version, UPSTREAM_URL),
        context_window=record.max_input_tokens,
        max_output=record.max_output_tokens,
        input_modalities=_input_modalities(record),
        output_modalities=_output_modalities(record),
        reasoning=record.supports_reasoning,
        tool_call=tool_call,
        structured_output=record.supports_response_schema,
        deprecated=None if retired is None else retired <= snapshot_date,
        price=default,
        prompt_caching=record.supports_prompt_caching,
        deprecation_date=retired,
        price_variants=tuple(variants),
    )
    return offering, folded


def _prices(record: _Record) -> dict[str, RoutePrice]:
    """Every price set a record lists, in USD per 1M tokens, by service tier (`""` is standard):
    base and cache prices, context tiers (`_above_200k_tokens`) and, on the standard set, the
    batch prices (`_batches`)."""
    sets: dict[str, tuple[dict[str, Decimal], dict[int, dict[str, Decimal]]]] = {}
    for key, per_token in record.prices.items():
        field, above, tail = _price_key(key) or ("", 0, "")
        base, tiers = sets.setdefault(tail, ({}, defaultdict(dict)))
        (tiers[above] if above else base)[field] = _per_million(per_token)
    base, tiers = sets.setdefault("", ({}, defaultdict(dict)))
    for tier in record.tiered_pricing or []:
        _add_tiered(tier, base, tiers)
    batch = sets.get("batches", ({}, {}))[0]
    prices = {"": _route_price(base, tiers, batch)}
    for name in SERVICE_TIERS:
        if name in sets:
            prices[name] = _route_price(*sets[name], {})
    return prices


def _route_price(
    base: dict[str, Decimal], tiers: dict[int, dict[str, Decimal]], batch: dict[str, Decimal]
) -> RoutePrice:
    return RoutePrice(
        input=base.get("input"),
        output=base.get("output"),
        cache_read=base.get("cache_read", base.get("cache_hit")),
        cache_write=base.get("cache_write"),
        tiers=tuple(
            PriceTier(above, t.get("input"), t.get("output"), t.get("cache_read"), t.get("cache_write"))
            for above, t in sorted(tiers.items())
        ),
        batch_input=batch.get("input"),
        batch_output=batch.get("output"),
        batch_cache_read=batch.get("cache_read"),
    )


def _add_tiered(tier: _Tier, base: dict[str, Decimal], tiers: dict[int, dict[str, Decimal]]) -> None:
    """`tiered_pricing` ranges (DashScope): the one from 0 is the base price, the others context tiers."""
    prices = {
        "input": tier.input_cost_per_token,
        "output": tier.output_cost_per_token,
        "cache_read": tier.cache_read_input_token_cost,
    }
    start = int(tier.range[0])
    target = base if start == 0 else tiers[start]
    for field, per_token in prices.items():
        if per_token is not None:
            target.setdefault(field, _per_million(per_token))


@lru_cache(maxsize=1024)  # a few hundred distinct price keys repeat across thousands of records
def _price_key(key: str) -> tuple[str, int, str] | None:
    """`input_cost_per_token_above_200k_tokens_priority` -> ("input", 200000, "priority"); None for
    a key that is not a per-token price."""
    match = _PRICE_KEY.match(key)
    if match is None:
        return None
    name, above_k, tail = match.groups()
    return _FIELD_OF.get(name, "cache_hit"), int(above_k) * 1000 if above_k else 0, tail or ""


@lru_cache(maxsize=4096)  # a few hundred distinct prices repeat across thousands of keys
def _per_million(per_token: Decimal) -> Decimal:
    """Scale exactly (a shift of the decimal exponent) and drop trailing zeros: 2.5E-6 -> 2.5."""
    value = per_token.scaleb(6)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _input_modalities(record: _Record) -> tuple[str, ...] | None:
    """LiteLLM's modality list (which never names PDF) with the media its flags say yes to. LiteLLM's
    own helpers read an absent flag as False, so once the record states any modality the media no
    flag names are left out; a record that states none has unknown modalities."""
    flags = {
        "image": record.supports_vision,
        "audio": record.supports_audio_input,
        "video": record.supports_video_input,
        "pdf": record.supports_pdf_input,
    }
    if record.supported_modalities is None and all(v is None for v in flags.values()):
        return None
    listed = record.supported_modalities if record.supported_modalities is not None else ["text"]
    return tuple(dict.fromkeys([*listed, *(m for m, v in flags.items() if v)]))


def _output_modalities(record: _Record) -> tuple[str, ...] | None:
    if record.supported_output_modalities is not None:
        return tuple(dict.fromkeys(record.supported_output_modalities))
    if record.supports_audio_output is None:
        return None
    return ("text", "audio") if record.supports_audio_output else ("text",)


def _parse_date(text: str | None) -> date | None:
    """`deprecation_date` is YYYY-MM-DD; anything else is no date rather than a failed record."""
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{where}: {err['msg']}"
