"""Domain types of the catalog: models, providers, offerings (routes) and the provenance of each fact."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
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


class ProviderKind(StrEnum):
    FIRST_PARTY = "first-party"
    CLOUD = "cloud"
    INFERENCE_HOST = "inference-host"
    ROUTER = "router"


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
        day = raw.get("source_date")
        return cls(
            raw["source"],
            raw["record_id"],
            date.fromisoformat(day) if day else None,
            raw.get("source_version"),
            raw.get("url"),
        )


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
    kind: ProviderKind
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

    @property
    def is_production(self) -> bool:
        """A priced pay-per-token route for live traffic (batch-only variants such as `:batch` are not)."""
        return (
            self.kind is RouteKind.PAY_PER_TOKEN and self.price.is_known and self.attributes.get("variant") != "batch"
        )


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
    facts: dict[str, Provenance] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    aliases: tuple[str, ...] = ()

    def capability(self, name: str) -> bool | None:
        return self.capabilities.get(name)
