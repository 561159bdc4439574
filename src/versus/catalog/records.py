"""Source records: what each source adapter produces, in one shape, before identity resolution and merge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from versus.catalog.types import Provenance, RoutePrice


@dataclass(frozen=True)
class SourceProvider:
    source: str
    id: str
    name: str
    api_base_url: str | None = None
    docs_url: str | None = None
    api_key_env: str | None = None


@dataclass(frozen=True)
class PriceVariant:
    """A price the same route has under a condition its default price does not cover.

    `condition` is `kind:value`: `region:eu` (a data-zone or regional endpoint), `api:bedrock_mantle`
    (another API of the same provider), `service_tier:priority` / `service_tier:flex`.
    """

    condition: str
    price: RoutePrice
    record_id: str


@dataclass(frozen=True)
class DatedPrice:
    """A price a source says a route had from a date on (None: since before the source's records)."""

    start: date | None
    price: RoutePrice


@dataclass(frozen=True)
class SourceOffering:
    """One source's record of one route. Booleans are None where the source says nothing.

    Fields after `aliases` carry facts that only some sources state; the catalog does not read them yet:
      prompt_caching   the source says the route caches prompts, even where it lists no cache price
                       (LiteLLM `supports_prompt_caching`).
      deprecation_date the date the source says the route is deprecated or removed (LiteLLM
                       `deprecation_date`, OpenRouter `expiration_date`); `deprecated` says whether
                       that date had passed on the snapshot's date.
      hugging_face_id  the Hugging Face repository of the weights (OpenRouter), a strong identity hint.
      price_variants   prices under other regions, APIs or service tiers (LiteLLM), see PriceVariant.
    """

    source: str
    provider: str
    model_id: str
    provenance: Provenance
    name: str | None = None
    family: str | None = None
    base_model: str | None = None
    release_date: date | None = None
    knowledge_cutoff: str | None = None
    context_window: int | None = None
    max_output: int | None = None
    input_modalities: tuple[str, ...] | None = None
    output_modalities: tuple[str, ...] | None = None
    attachment: bool | None = None
    reasoning: bool | None = None
    tool_call: bool | None = None
    structured_output: bool | None = None
    open_weights: bool | None = None
    deprecated: bool | None = None
    price: RoutePrice = field(default_factory=RoutePrice)
    price_copied_from: str | None = None  # the source says this price was copied from another provider's list
    price_note: str | None = None  # how the price was chosen when the source gives several (peak vs off-peak)
    aliases: tuple[str, ...] = ()
    prompt_caching: bool | None = None
    deprecation_date: date | None = None
    hugging_face_id: str | None = None
    price_variants: tuple[PriceVariant, ...] = ()
    price_history: tuple[DatedPrice, ...] = ()  # earlier and later prices the source dates (genai-prices)


CURATED_SOURCE = "curated"  # the source named in errors about our own data/*.yaml


@dataclass(frozen=True)
class SourceRecordError:
    """A record the adapter could not read: reported, skipped, never fatal for the others."""

    source: str
    record_id: str
    message: str


@dataclass
class SourceData:
    name: str
    version: str
    providers: list[SourceProvider]
    offerings: list[SourceOffering]
    errors: list[SourceRecordError] = field(default_factory=list)
    # Records left out on purpose (not a model, not a chat model, a duplicate), by reason: not errors.
    skipped: dict[str, int] = field(default_factory=dict)
    snapshot_date: date | None = None  # the date of the data as a whole, when known (a fetched snapshot's)


class SourceUnavailable(Exception):
    """A source package is missing or its data cannot be read at all."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"source package {source!r} is unusable: {reason}")
        self.source = source
        self.reason = reason
