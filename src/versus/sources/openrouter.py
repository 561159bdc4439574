"""Adapter for OpenRouter's model list (`GET https://openrouter.ai/api/v1/models`): a pure parse, no snapshot."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import quote

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from versus.catalog.records import (
    SourceData,
    SourceOffering,
    SourceProvider,
    SourceRecordError,
    SourceUnavailable,
)
from versus.catalog.types import PriceTier, Provenance, RoutePrice

SOURCE = "openrouter"
API_URL = "https://openrouter.ai/api/v1/models"
PROVIDER = SourceProvider(
    SOURCE,
    "openrouter",
    "OpenRouter",
    api_base_url="https://openrouter.ai/api/v1",
    docs_url="https://openrouter.ai/docs",
    api_key_env="OPENROUTER_API_KEY",
)
_MILLION = 6
_MAX_TOKENS = 1_000_000_000
# Unix seconds for 2100-01-01: a `created` beyond it is not a release date.
_LATEST_CREATED = 4_102_444_800

# supported_parameters that show a capability of the route.
_TOOLS = frozenset({"tools", "tool_choice"})
_STRUCTURED = frozenset({"structured_outputs", "response_format"})
_REASONING = frozenset({"reasoning", "include_reasoning"})


def _price(value: Any) -> Decimal | None:
    """OpenRouter prices are decimal strings per token; `-1` (any negative) means variable or unknown
    (the `openrouter/auto` router), never a price. Scaled exactly to USD per 1M tokens."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("a boolean is not a price")
    try:
        per_token = Decimal(str(value).strip()) if isinstance(value, str | int | Decimal) else Decimal(repr(value))
    except InvalidOperation as exc:
        raise ValueError(f"{value!r} is not a number") from exc
    if not per_token.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if per_token < 0:
        return None
    if per_token > 1:  # $1M per 1M tokens: a unit error, and a bound on what a hostile exponent costs
        raise ValueError(f"{value!r} per token is not a plausible price")
    scaled = per_token.scaleb(_MILLION)
    return scaled.quantize(Decimal(1)) if scaled == scaled.to_integral_value() else scaled.normalize()


def _no_placeholder(value: Any) -> Any:
    """A context length of 0 (speech and image models) is a placeholder: unknown, not zero."""
    return None if value == 0 else value


Price = Annotated[Decimal | None, BeforeValidator(_price)]
Tokens = Annotated[Annotated[int, Field(gt=0, le=_MAX_TOKENS)] | None, BeforeValidator(_no_placeholder)]


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _Override(_Lenient):
    """A price from a prompt size on (`min_prompt_tokens`), or for hours of the day (`utc_start`)."""

    min_prompt_tokens: Tokens = None
    prompt: Price = None
    completion: Price = None
    input_cache_read: Price = None
    input_cache_write: Price = None


class _Pricing(_Lenient):
    prompt: Price = None
    completion: Price = None
    input_cache_read: Price = None
    input_cache_write: Price = None
    overrides: list[_Override] | None = None


class _Architecture(_Lenient):
    input_modalities: list[str] | None = None
    output_modalities: list[str] | None = None


class _TopProvider(_Lenient):
    context_length: Tokens = None
    max_completion_tokens: Tokens = None


class _AliasTarget(_Lenient):
    slug: str


class _Model(_Lenient):
    id: Annotated[str, Field(min_length=1, max_length=300)]
    name: Annotated[str, Field(max_length=300)] | None = None
    canonical_slug: Annotated[str, Field(max_length=300)] | None = None
    hugging_face_id: Annotated[str, Field(max_length=300)] | None = None
    created: int | None = None
    context_length: Tokens = None
    architecture: _Architecture = _Architecture()
    pricing: _Pricing = _Pricing()
    top_provider: _TopProvider = _TopProvider()
    supported_parameters: list[str] | None = None
    knowledge_cutoff: str | None = None
    expiration_date: str | None = None
    reasoning: dict[str, Any] | None = None
    alias_target: _AliasTarget | None = None


def parse(raw: Mapping[str, Any], snapshot_date: date) -> SourceData:
    """Turn the `{"data": [model, ...]}` response into OpenRouter's routes, priced per 1M tokens.

    Ids keep their variant suffixes (`:free`, `:batch`); a `:batch` route's prices are also the
    batch prices of its plain route. An alias (`~anthropic/claude-opus-latest`, with
    `alias_target`) becomes an alias of its target's route when the target is listed.
    """
    models = raw.get("data") if isinstance(raw, Mapping) else None
    if not isinstance(models, list):
        raise SourceUnavailable(SOURCE, "response has no `data` list of models")
    data = SourceData(name=SOURCE, version=snapshot_date.isoformat(), providers=[PROVIDER], offerings=[])
    skipped: Counter[str] = Counter()
    parsed: dict[str, _Model] = {}
    for index, entry in enumerate(models):
        record_id = str(entry.get("id"))[:300] if isinstance(entry, dict) and entry.get("id") else f"data[{index}]"
        try:
            model = _Model.model_validate(entry)
        except ValidationError as exc:
            data.errors.append(SourceRecordError(SOURCE, record_id, _first_error(exc)))
            continue
        outputs = model.architecture.output_modalities
        if outputs is not None and "text" not in outputs:
            # `?output_modalities=all` adds image, video, speech, embedding and rerank models.
            skipped["no text output: not a language model"] += 1
        elif model.id in parsed:
            data.errors.append(SourceRecordError(SOURCE, model.id, "duplicate id: the first one is kept"))
        else:
            parsed[model.id] = model

    offerings = {model_id: _offering(model, snapshot_date) for model_id, model in parsed.items()}
    for model_id in parsed:
        base_id = model_id.removesuffix(":batch")
        if model_id != base_id and base_id in offerings:
            offerings[base_id] = _with_batch(offerings[base_id], offerings[model_id].price)
    for model_id, model in parsed.items():
        target = model.alias_target.slug if model.alias_target else None
        if target in parsed and target != model_id and not parsed[target].alias_target:
            aliased = offerings[target]
            offerings[target] = replace(aliased, aliases=tuple(dict.fromkeys([*aliased.aliases, model_id])))
            del offerings[model_id]
            skipped["alias of a listed model"] += 1
    data.offerings = sorted(offerings.values(), key=lambda o: o.model_id)
    data.skipped = dict(sorted(skipped.items()))
    return data


def _offering(model: _Model, snapshot_date: date) -> SourceOffering:
    params = set(model.supported_parameters) if model.supported_parameters is not None else None
    reasoning = True if model.reasoning is not None else None if params is None else bool(params & _REASONING)
    retired = _parse_date(model.expiration_date)
    return SourceOffering(
        source=SOURCE,
        provider=PROVIDER.id,
        model_id=model.id,
        provenance=Provenance(
            SOURCE, model.id, snapshot_date, snapshot_date.isoformat(), f"https://openrouter.ai/{quote(model.id)}"
        ),
        name=model.name,
        release_date=_created(model.created),
        knowledge_cutoff=model.knowledge_cutoff or None,
        context_window=model.context_length or model.top_provider.context_length,
        max_output=model.top_provider.max_completion_tokens,
        input_modalities=_modalities(model.architecture.input_modalities),
        output_modalities=_modalities(model.architecture.output_modalities),
        reasoning=reasoning,
        tool_call=None if params is None else bool(params & _TOOLS),
        structured_output=None if params is None else bool(params & _STRUCTURED),
        deprecated=None if retired is None else retired <= snapshot_date,
        price=_route_price(model.pricing),
        aliases=(model.canonical_slug,) if model.canonical_slug and model.canonical_slug != model.id else (),
        deprecation_date=retired,
        hugging_face_id=model.hugging_face_id or None,
    )


def _route_price(pricing: _Pricing) -> RoutePrice:
    """Base prices, and `overrides` by prompt size as context tiers (the override's minimum prompt
    is the tier's threshold). Time-of-day overrides (DeepSeek's off-peak hours) have no place in a
    route price and are left out."""
    by_size = {o.min_prompt_tokens: o for o in pricing.overrides or [] if o.min_prompt_tokens is not None}
    tiers = tuple(
        PriceTier(size, o.prompt, o.completion, o.input_cache_read, o.input_cache_write)
        for size, o in sorted(by_size.items())
    )
    return RoutePrice(
        input=pricing.prompt,
        output=pricing.completion,
        cache_read=pricing.input_cache_read,
        cache_write=pricing.input_cache_write,
        tiers=tiers,
    )


def _with_batch(offering: SourceOffering, batch: RoutePrice) -> SourceOffering:
    price = replace(
        offering.price, batch_input=batch.input, batch_output=batch.output, batch_cache_read=batch.cache_read
    )
    return replace(offering, price=price)


def _modalities(values: list[str] | None) -> tuple[str, ...] | None:
    """OpenRouter calls PDF input `file`; models.dev and the catalog call it `pdf`."""
    if values is None:
        return None
    return tuple(dict.fromkeys("pdf" if v == "file" else v for v in values))


def _created(seconds: int | None) -> date | None:
    """`created` is when OpenRouter listed the model (unix seconds, UTC), its release date there."""
    if seconds is None or not 0 < seconds < _LATEST_CREATED:
        return None
    return datetime.fromtimestamp(seconds, UTC).date()


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{where}: {err['msg']}"
