"""Domain types of the catalog: models, providers, offerings (routes) and the provenance of each fact."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any

# Capabilities in the order comparisons show them: the reference page's ten, then ours.
CAPABILITIES: tuple[str, ...] = (
    "vision",
    "multimodal",
    "reasoning",
    "function_calling",
    "tool_use",
    "structured_outputs",
    "code_execution",
    "ide_integration",
    "computer_use",
    "parallel_agents",
    "audio_in",
    "audio_out",
    "prompt_caching",
)

CAPABILITY_LABELS: dict[str, str] = {
    "vision": "Vision",
    "multimodal": "Multimodal",
    "reasoning": "Reasoning",
    "function_calling": "Function calling",
    "tool_use": "Tool use",
    "structured_outputs": "Structured outputs",
    "code_execution": "Code execution",
    "ide_integration": "IDE integration",
    "computer_use": "Computer use",
    "parallel_agents": "Parallel agents",
    "audio_in": "Audio in",
    "audio_out": "Audio out",
    "prompt_caching": "Prompt caching",
}

PRICE_FIELDS: tuple[str, ...] = ("input", "output", "cache_read", "cache_write")


class RouteClass(StrEnum):
    """Who serves a route, in the order a careful buyer trusts their list prices.

    A provider's class says what it is when it serves another lab's model; a `maker` provider's
    routes of its own creator's models are `maker` routes, its routes of other models `host` routes.
    """

    MAKER = "maker"  # the model's creator serving it (Anthropic for Claude)
    CLOUD = "cloud"  # hyperscalers and clouds: Amazon Bedrock, Google Vertex, Azure and the like
    HOST = "host"  # inference providers serving weights: Together, Fireworks, Groq, DeepInfra
    GATEWAY = "gateway"  # routers, resellers, aggregators and points-based APIs: OpenRouter, Poe


class RouteFlagName(StrEnum):
    VARIANT = "variant"  # not the standard real-time service: `:batch`, `:thinking`, effort levels, `:web`
    SERVING_VARIANT = "serving-variant"  # the same weights served differently: `-fp8`, `-fast`, TEE
    SUSPECT = "suspect"  # a price or limit that fails a sanity rule


@dataclass(frozen=True)
class RouteFlag:
    flag: RouteFlagName
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"flag": self.flag.value, "reason": self.reason}


class RouteKind(StrEnum):
    PAY_PER_TOKEN = "pay-per-token"
    FREE_TIER = "free-tier"
    TRIAL = "trial"
    SUBSCRIPTION = "subscription"


class Openness(StrEnum):
    OPEN_WEIGHTS = "open-weights"
    PROPRIETARY = "proprietary"


@dataclass(frozen=True)
class Provenance:
    """Where one fact came from: the source, the record in it, and the date of that data."""

    source: str
    record_id: str
    source_date: date | None
    source_version: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "source_version": self.source_version,
            "record_id": self.record_id,
            "source_date": self.source_date.isoformat() if self.source_date else None,
            "url": self.url,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Provenance:
        """One value per distinct record: a catalog's models, routes and conflicts cite a few thousand
        source records ~25,000 times (a site build reads them all)."""
        return _provenance(
            raw["source"], raw["record_id"], raw.get("source_date"), raw.get("source_version"), raw.get("url")
        )


@lru_cache(maxsize=16_384)
def _provenance(source: str, record_id: str, day: str | None, version: str | None, url: str | None) -> Provenance:
    return Provenance(source, record_id, date.fromisoformat(day) if day else None, version, url)


@dataclass(frozen=True)
class PriceTier:
    """Prices that apply to every token of a request once its input exceeds `above_tokens` (cliff pricing)."""

    above_tokens: int
    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None


@dataclass(frozen=True)
class RoutePrice:
    """Prices of one route in USD per 1M tokens. None means unknown, never free."""

    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    tiers: tuple[PriceTier, ...] = ()
    batch_input: Decimal | None = None
    batch_output: Decimal | None = None
    batch_cache_read: Decimal | None = None

    @property
    def is_known(self) -> bool:
        return self.input is not None or self.output is not None

    @property
    def is_zero(self) -> bool:
        return self.input == 0 and self.output == 0 and not self.tiers


@dataclass(frozen=True)
class Claim:
    """One source's value for a fact, kept even when another source wins."""

    value: Any
    provenance: Provenance


@dataclass(frozen=True)
class Conflict:
    """Sources disagree on a fact: every claim, the chosen value, and the rule that chose it."""

    fact: str
    claims: tuple[Claim, ...]
    chosen: Any
    rule: str


@dataclass(frozen=True)
class Resolution:
    """How an offering was matched to its canonical model."""

    model_id: str
    confidence: float
    reason: str


@dataclass
class Provider:
    id: str
    name: str
    route_class: RouteClass  # its routes' class for models it did not make (MAKER: a lab's own API)
    route_kind: RouteKind = RouteKind.PAY_PER_TOKEN
    docs_url: str | None = None
    api_base_url: str | None = None
    api_key_env: str | None = None
    source_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class Offering:
    """A route: one provider serving one model under the provider's own model id."""

    provider_id: str
    provider_model_id: str
    model_id: str
    kind: RouteKind
    price: RoutePrice
    resolution: Resolution
    name: str | None = None
    context_window: int | None = None
    max_output: int | None = None
    capabilities: dict[str, bool | None] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    kind_reason: str | None = None
    provenance: tuple[Provenance, ...] = ()
    price_provenance: Provenance | None = None
    conflicts: tuple[Conflict, ...] = ()
    route_class: RouteClass = RouteClass.HOST
    class_reason: str | None = None
    flags: tuple[RouteFlag, ...] = ()
    price_note: str | None = None  # how the price was chosen when the source gives several

    def has_flag(self, flag: RouteFlagName) -> bool:
        return any(f.flag is flag for f in self.flags)

    @property
    def is_pay_per_token(self) -> bool:
        """A pay-per-token route for standard live traffic: `:batch`, `:thinking` and other variants are not."""
        return self.kind is RouteKind.PAY_PER_TOKEN and not self.has_flag(RouteFlagName.VARIANT)

    @property
    def is_production(self) -> bool:
        """A priced pay-per-token route for standard live traffic."""
        return self.is_pay_per_token and self.price.is_known

    @property
    def is_priceable(self) -> bool:
        """A production route with no flag: what a cost is priced on unless the user asks otherwise."""
        return self.is_production and not self.flags


@dataclass(frozen=True)
class CapabilitySupport:
    """What the routes say about one capability, and the rule that chose the model-level value."""

    rule: str  # maker route | curated | routes agree | majority of routes | varies by route
    yes: int  # routes stating support (gateways counted only when no other route states it)
    no: int

    @property
    def varies(self) -> bool:
        return self.rule == "varies by route"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "yes": self.yes, "no": self.no, "varies": self.varies}


@dataclass
class License:
    name: str
    spdx: str | None
    osi_approved: bool | None


@dataclass
class Model:
    id: str
    name: str
    creator: str
    creator_name: str | None = None
    family: str | None = None
    release_date: date | None = None
    knowledge_cutoff: str | None = None
    context_window: int | None = None
    max_output: int | None = None
    parameters_total_b: Decimal | None = None
    parameters_active_b: Decimal | None = None
    architecture: str | None = None
    license: License | None = None
    openness: Openness | None = None
    commercial_use: str | None = None
    commercial_use_note: str | None = None
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    capabilities: dict[str, bool | None] = field(default_factory=dict)
    capability_support: dict[str, CapabilitySupport] = field(default_factory=dict)
    facts: dict[str, Provenance] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    aliases: tuple[str, ...] = ()

    def capability(self, name: str) -> bool | None:
        return self.capabilities.get(name)


@dataclass(frozen=True)
class ModelSummary:
    """What listing, searching and resolving names need about a model, without its details."""

    id: str
    name: str
    creator: str
    family: str | None
    context_window: int | None
    routes: int
    capabilities_json: str
    keys: tuple[str, ...]

    @cached_property
    def capabilities(self) -> dict[str, bool | None]:
        parsed: dict[str, bool | None] = json.loads(self.capabilities_json)
        return parsed


@dataclass(frozen=True)
class RouteKey:
    provider_id: str
    provider_model_id: str
    match_key: str
    model_id: str
    route_class: str = "gateway"


@dataclass(frozen=True)
class PriceInterval:
    """One source's price for one route over a span of days, as price history records it."""

    provider: str
    provider_model_id: str
    model: str
    input: Decimal | None
    output: Decimal | None
    cache_read: Decimal | None
    cache_write: Decimal | None
    valid_from: date | None
    valid_to: date | None
    source: str
    snapshot: str


@dataclass(frozen=True)
class ChangeRow:
    """One recorded change to the catalog: a new model, a new or removed route, a price change."""

    kind: str
    model: str
    provider: str | None
    provider_model_id: str | None
    old: dict[str, Decimal | None] | None
    new: dict[str, Decimal | None] | None
    date: date
    source: str
