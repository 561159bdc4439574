"""Our curated data under `data/`: provider registry, model aliases and family facts, validated strictly."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError, field_validator

from versus.catalog.paths import DATA_DIR, overlay_digest
from versus.catalog.types import CAPABILITIES

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_T = TypeVar("_T", bound=_Strict)


# --- providers.yaml -------------------------------------------------------------------------------


class ProviderEntry(_Strict):
    id: str
    class_: Literal["maker", "cloud", "host", "gateway"] = Field(alias="class")
    route_kind: Literal["pay-per-token", "subscription", "free-tier", "trial"] = "pay-per-token"
    aliases: dict[str, list[str]] = {}
    name: str | None = None
    docs_url: str | None = None
    api_base_url: str | None = None
    api_key_env: str | None = None
    note: str | None = None


class ProviderRegistry(_Strict):
    providers: list[ProviderEntry]


# --- aliases.yaml ---------------------------------------------------------------------------------


class ModelAlias(_Strict):
    model: str = Field(description="Canonical model id, creator/slug.")
    ids: list[str] = Field(description="Provider model ids that are this model, on any provider.")
    providers: list[str] = Field([], description="Limit the aliases to these providers (empty: any provider).")
    name: str | None = None
    reason: str
    source: HttpUrl | None = None


class MovingAlias(_Strict):
    ids: list[str] = Field(description="Ids that follow the maker's newest release: kept apart, never joined by name.")
    providers: list[str] = Field([], description="Limit to these providers (empty: any provider).")
    reason: str
    source: HttpUrl


class AliasFile(_Strict):
    creators: dict[str, str] = Field(description="Creator spellings in ids and namespaces -> canonical creator id.")
    name_prefixes: dict[str, str] = Field(description="Model name prefix -> creator id, for ids with no namespace.")
    host_prefixes: list[str] = Field(
        [], description="Words a host or gateway puts before a model name (`databricks-`, `fw-`), not part of it."
    )
    route_suffixes: dict[str, list[str]] = Field(
        description="Id suffix tokens that mark a serving variant, not a new model, per provider ('*': any)."
    )
    models: list[ModelAlias]
    moving_aliases: list[MovingAlias] = []


# --- models/<creator>.yaml ------------------------------------------------------------------------


class _Fact(_Strict):
    source: HttpUrl
    checked: date


class LicenseFact(_Fact):
    spdx: str | None
    name: str
    osi_approved: bool


class OpennessFact(_Fact):
    value: Literal["open-weights", "proprietary"]


class CommercialUseFact(_Fact):
    value: Literal["permitted", "conditional", "not-permitted"]
    note: str | None = None


class ParametersFact(_Fact):
    total_billions: Decimal | None
    active_billions: Decimal | None = None


class TextFact(_Fact):
    value: str


class CapabilityFact(_Fact):
    value: bool


class FamilyFacts(_Strict):
    family: str
    name: str
    models: list[str] = Field(description="Canonical model ids or fnmatch patterns this family covers.")
    license: LicenseFact | None = None
    openness: OpennessFact | None = None
    commercial_use: CommercialUseFact | None = None
    parameters: ParametersFact | None = None
    architecture: TextFact | None = None
    capabilities: dict[str, CapabilityFact] = {}


class CreatorFile(_Strict):
    creator: str
    creator_name: str
    families: list[FamilyFacts]


# --- tags.yaml ------------------------------------------------------------------------------------


class _RuleConditions(_Strict):
    id: str
    capabilities: list[str] = []
    any_capability: list[str] = []
    min_context: int | None = None
    max_blended_price: Decimal | None = None
    min_production_routes: int | None = None
    openness: Literal["open-weights", "proprietary"] | None = None

    @field_validator("capabilities", "any_capability")
    @classmethod
    def _known_capabilities(cls, names: list[str]) -> list[str]:
        unknown = sorted(set(names) - set(CAPABILITIES))
        if unknown:
            raise ValueError(f"unknown capabilities {unknown}; known: {', '.join(CAPABILITIES)}")
        return names


class TagRule(_RuleConditions):
    label: str
    why: str


class BestForRule(_RuleConditions):
    text: str


class TagRulesFile(_Strict):
    tags: list[TagRule]
    best_for: list[BestForRule]


def load_tag_rules_file(path: Path) -> TagRulesFile:
    return _load(path, TagRulesFile)


# --- loading --------------------------------------------------------------------------------------


class OverlayError(Exception):
    """A curated data file is malformed; the message names the file and the field."""


@dataclass
class Overlay:
    providers: ProviderRegistry
    aliases: AliasFile
    creators: list[CreatorFile]
    tag_rules: TagRulesFile
    digest: str
    errors: list[str] = field(default_factory=list)

    def families(self) -> Iterator[tuple[CreatorFile, FamilyFacts]]:
        for creator in self.creators:
            for family in creator.families:
                yield creator, family


@cache
def alias_rules() -> AliasFile:
    """data/aliases.yaml, validated, loaded once per process (resolving unlisted ids needs it)."""
    return _load(DATA_DIR / "aliases.yaml", AliasFile)


def load_overlay(data_dir: Path = DATA_DIR) -> Overlay:
    """Load every curated file. A malformed family file is reported and skipped; the rest is kept."""
    providers = _load(data_dir / "providers.yaml", ProviderRegistry)
    aliases = _load(data_dir / "aliases.yaml", AliasFile)
    creators: list[CreatorFile] = []
    errors: list[str] = []
    for path in sorted((data_dir / "models").glob("*.yaml")):
        try:
            creators.append(_load(path, CreatorFile))
        except OverlayError as exc:
            errors.append(str(exc))
    tag_rules = _load(data_dir / "tags.yaml", TagRulesFile)
    return Overlay(providers, aliases, creators, tag_rules, overlay_digest(data_dir), errors)


def _load(path: Path, schema: type[_T]) -> _T:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        return schema.model_validate(raw)
    except FileNotFoundError as exc:
        raise OverlayError(f"{path}: missing curated data file") from exc
    except yaml.YAMLError as exc:
        raise OverlayError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        raise OverlayError(f"{path}: {validation_problems(exc)}") from exc


def validation_problems(exc: ValidationError, limit: int = 8) -> str:
    """A pydantic error as one line a person can act on: `field.path: message; …`."""
    return "; ".join(f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()[:limit])


# --- JSON Schemas of the curated files --------------------------------------------------------------

# Each curated file's schema, published in data/schema/ and named on the file's first line
# (`# yaml-language-server: $schema=…`), so editors check a file as it is typed.
DATA_SCHEMAS: dict[str, type[_Strict]] = {
    "providers": ProviderRegistry,
    "aliases": AliasFile,
    "tags": TagRulesFile,
    "creator": CreatorFile,
}


def data_schema(name: str) -> dict[str, object]:
    """The JSON Schema of one kind of curated file (a key of DATA_SCHEMAS), as validation reads it."""
    schema = DATA_SCHEMAS[name].model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": f"llm-versus data: {name}", **schema}


def schema_of(path: Path) -> str:
    """Which DATA_SCHEMAS entry a curated file follows: data/models/*.yaml are creator files."""
    return "creator" if path.parent.name == "models" else path.stem
